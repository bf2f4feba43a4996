import { createHash } from "node:crypto";
/**
 * The commands through the real app in a real Probot, against an in-test GitHub
 * (nock): who may give them, what they answer, what they change on the issue's
 * dashboard, and what never counts as a command.
 */
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Probot } from "probot";
import type { Call } from "../../src/fakeGitHub/fakeGitHub.js";
import { useGitHubApi } from "../helpers/github.js";
import { stateSecret } from "./appHarness.js";
import { MAINTAINER, R, deliver, useWorlds, type World } from "./world.js";
import { ISSUE_BODY, T0, at, commentId, finish, notifications } from "./notifications.js";
import { commentMarker } from "../../src/github/stores/markers.js";
import { decodeState, stateKey } from "../../src/state/codec.js";
import { onIssueComment } from "../../src/handlers/issueComment.js";

// The real handler, watched: an edited comment must not reach it at all.
vi.mock(import("../../src/handlers/issueComment.js"), async (importOriginal) => {
  const original = await importOriginal();
  return { ...original, onIssueComment: vi.fn(original.onIssueComment) };
});

// No request leaves for the network: the app's Octokit talks to the fake GitHub only.
useGitHubApi();
useWorlds();

const repo = R;
const key = stateKey(stateSecret);

let world: World;
let probot: Probot;
/** The first request not yet looked at. */
let from = 0;

beforeEach(() => {
  world = notifications();
  probot = world.probot();
  from = 0;
  vi.mocked(onIssueComment).mockClear();
});

/** Every request since `from` (the app's token included). */
function requests(): Call[] {
  return world.github.calls.slice(from);
}

/** Labelled at T0: `api` (backend) and `styles` (frontend) run; the requests so far are forgotten. */
async function started(): Promise<void> {
  await deliver(probot, world.labeled(T0));
  expect(world.dispatches().map((run) => run.inputs.key)).toEqual(["pc-1-api-1", "pc-1-styles-1"]);
  from = world.github.calls.length;
}

/**
 * Three batches: `api` alone in the backend, `styles` and then `ui` (which
 * needs `api`) in the frontend. Labelled at T0, then `api`'s run ends at +18
 * with a `Blocked` report and its pull request: `api` is blocked, nothing else
 * wants the backend, `styles` still runs.
 */
async function blocked(): Promise<void> {
  const yaml = `title: Notifications
agents: 2
tasks:
  - { id: api, title: Notification API, domain: backend, files: ["backend/api/**"], estimate: 20 }
  - { id: styles, title: Bell styles, domain: frontend, files: ["frontend/styles/**"], estimate: 20 }
  - { id: ui, title: Notification bell, domain: frontend, files: ["frontend/bell/**"], estimate: 20, needs: [api] }
`;
  world.github.editIssue(world.repo, world.issue, `# Notifications\n\n\`\`\`yaml\n${yaml}\`\`\`\n`, MAINTAINER);
  await deliver(probot, world.labeled(T0));
  await deliver(
    probot,
    finish(world, world.dispatchOf("api"), T0, at(18), { status: "Blocked", blockers: ["the API spec is ambiguous"] }),
  );
  expect(Object.fromEntries(Object.entries(world.state().batches).map(([id, batch]) => [id, batch.status]))).toEqual({
    api: "blocked",
    styles: "dispatched",
    ui: "pending",
  });
  from = world.github.calls.length;
}

/** The app's answer to comment `id`, as a person reads it. */
function answerTo(id: number): string | undefined {
  return world
    .appComments()
    .find((comment) => comment.body.includes(commentMarker(`answer-${id}`)))
    ?.body.replaceAll("\u2060", "");
}

const changes = ["/plan", "/pause not now", "/resume", "/retry 1", "/skip 1", "/approve 1", "/abort", "/пауза"];
const asks = ["/status", "/help", "/frobnicate"];

/** The writes since request `since`, but for the app's own token. */
function writesSince(since: number) {
  return world.writes(since);
}

describe("a person without write access", () => {
  for (const text of changes) {
    it(`${text}: one polite answer, nothing changed`, async () => {
      await started();
      const dashboard = world.dashboard()!.body;
      for (const [who, role] of [
        ["stranger", "not a collaborator"],
        ["reader", "read"],
      ] as const) {
        const since = world.github.calls.length;
        const event = world.comment(text, who, at(5));
        await deliver(probot, event);
        const answer = answerTo(commentId(event));
        expect(answer, role).toContain(
          `Sorry @${who}, only people with write access to this repository can command parallel-coordinator. Nothing was changed.`,
        );
        // The only write is that answer: no reaction, no cancelled run, no dispatch, no dashboard edit.
        expect(writesSince(since), role).toEqual([
          { method: "POST", path: `${repo}/issues/1/comments`, body: { body: expect.stringContaining("Sorry") } },
        ]);
      }
      expect(world.reactions()).toEqual([]);
      expect(world.dashboard()!.body).toBe(dashboard);
      expect(world.dispatches()).toHaveLength(2);
      expect(world.cancelled()).toEqual([]);
    });
  }

  for (const text of asks) {
    it(`${text}: anyone who can read the issue is answered, but a stranger to a private repository is refused`, async () => {
      await started();
      const dashboard = world.dashboard()!.body;
      for (const [who, privately] of [
        ["reader", true],
        ["stranger", false],
      ] as const) {
        const event = world.comment(text, who, at(5), { private: privately });
        await deliver(probot, event);
        expect(answerTo(commentId(event)), who).toContain(
          text === "/status" ? "**Status**: running" : "**parallel-coordinator commands**",
        );
        expect(world.reactions().at(-1), who).toEqual({ comment: commentId(event), content: "eyes" });
      }
      const refused = world.comment(text, "stranger", at(6), { private: true });
      await deliver(probot, refused);
      expect(answerTo(commentId(refused))).toContain("Sorry @stranger");
      expect(world.dashboard()!.body).toBe(dashboard);
      expect(world.dispatches()).toHaveLength(2);
    });
  }

  it("a reader's /status is answered once in ten minutes; a maintainer's every time", async () => {
    await started();
    const first = world.comment("/status", "reader", at(5));
    await deliver(probot, first);
    const since = world.github.calls.length;
    const again = world.comment("/status", "reader", at(6));
    await deliver(probot, again);
    expect(answerTo(commentId(first))).toBeDefined();
    expect(answerTo(commentId(again))).toBeUndefined();
    expect(writesSince(since)).toEqual([]);
    for (const minute of [7, 8]) {
      const asked = world.comment("/status", "maintainer", at(minute));
      await deliver(probot, asked);
      expect(answerTo(commentId(asked))).toBeDefined();
    }
  });

  it("a refused person gets one answer per issue and hour: the later commands cost only the permission check", async () => {
    await started();
    const first = world.comment("/pause", "stranger", at(5));
    await deliver(probot, first);
    expect(answerTo(commentId(first))).toContain("Sorry @stranger");
    const since = world.github.calls.length;
    for (const [minute, text] of [
      [6, "/pause"],
      [7, "/abort"],
      [8, "/retry 1"],
    ] as const) {
      const event = world.comment(text, "stranger", at(minute));
      await deliver(probot, event);
      expect(answerTo(commentId(event))).toBeUndefined();
    }
    expect(world.github.calls.slice(since).map((request) => `${request.method} ${request.path}`)).toEqual(
      Array.from({ length: 3 }, () => `GET ${repo}/collaborators/stranger/permission`),
    );
  });

  it("an admin may command, as a maintainer may", async () => {
    await started();
    const event = world.comment("/help", "admin", at(5));
    await deliver(probot, event);
    expect(answerTo(commentId(event))).toContain("**parallel-coordinator commands**");
  });
});

describe("a maintainer", () => {
  it("/pause with a reason, while both runs just started: 👀, both cancelled, the checkpoint as the answer, the dashboard paused with who, when and why", async () => {
    await started();
    const event = world.comment("/pause waiting for the API review", "maintainer", at(1));
    await deliver(probot, event);

    expect(world.reactions()).toEqual([{ comment: commentId(event), content: "eyes" }]);
    expect(world.cancelled().sort()).toEqual(
      world
        .dispatches()
        .map((run) => run.id)
        .sort(),
    );
    const answer = answerTo(commentId(event))!;
    expect(answer).toContain("### ⏸ Session checkpoint");
    expect(answer).toContain(`Paused by @maintainer at ${at(1)}: waiting for the API review`);
    expect(answer).toContain("Comment `/resume`");
    // The checkpoint carries the state snapshot too.
    expect(decodeState(answer, key).ok).toBe(true);
    expect(world.appComments()).toHaveLength(2);
    expect(world.dashboardEdits(from)).toHaveLength(1);
    expect(world.dashboardText()).toContain("**Status**: ⏸ paused");
    expect(world.dashboardText()).toContain(`Paused by @maintainer at ${at(1)}: waiting for the API review`);
    expect(world.state().pause).toEqual({ by: "maintainer", at: at(1), reason: "waiting for the API review" });
  });

  it("/пауза is /pause", async () => {
    await started();
    await deliver(probot, world.comment("/пауза", "maintainer", at(1)));
    expect(world.state().status).toBe("paused");
  });

  it("/pause while runs are well along: they finish; the answer says so; the dashboard shows who paused, when and why", async () => {
    await started();
    const event = world.comment("/pause lunch", "maintainer", at(10));
    await deliver(probot, event);
    expect(world.cancelled()).toEqual([]);
    expect(answerTo(commentId(event))).toContain("⏸ Pausing: no new batches start.");
    expect(world.dashboardEdits(from)).toHaveLength(1);
    expect(world.dashboardText()).toContain(
      `Pausing (asked by @maintainer at ${at(10)}: lunch): no new batches start; waiting for 2 running batches to finish`,
    );

    // /pause again while pausing: says so, and the dashboard is not touched.
    const again = world.comment("/pause", "admin", at(11));
    await deliver(probot, again);
    expect(answerTo(commentId(again))).toContain("Already pausing");
    expect(world.dashboardEdits(from)).toHaveLength(1);
  });

  it("/resume after a pause: 👀, the resume comment, the cancelled batches dispatched again, the dashboard shows who resumed and when", async () => {
    await started();
    await deliver(probot, world.comment("/pause", "maintainer", at(1)));
    const since = world.github.calls.length;
    const event = world.comment("/resume", "admin", at(30));
    await deliver(probot, event);

    expect(world.reactions().at(-1)).toEqual({ comment: commentId(event), content: "eyes" });
    const answer = answerTo(commentId(event))!;
    expect(answer).toContain("### 🔄 Resumed by @admin");
    expect(answer).toContain("#### Continuing from");
    expect(
      world
        .dispatches()
        .slice(2)
        .map((run) => run.inputs.key),
    ).toEqual(["pc-1-api-2", "pc-1-styles-2"]);
    expect(world.dashboardEdits(since)).toHaveLength(1);
    expect(world.dashboardText()).toContain("**Status**: ▶️ running");
    expect(world.dashboardText()).toContain(`Resumed by @admin at ${at(30)}`);
    expect(world.dashboardText()).not.toContain("Paused by");
  });

  it("/resume @<link of a checkpoint>: goes on; naming an older one says which batches differ; a comment that is no checkpoint changes nothing", async () => {
    await started();
    const firstPause = world.comment("/pause", "maintainer", at(1));
    await deliver(probot, firstPause);
    const first = world
      .appComments()
      .find((comment) => comment.body.includes(commentMarker(`answer-${commentId(firstPause)}`)))!;
    expect(first.body).toContain("### ⏸ Session checkpoint");
    await deliver(
      probot,
      world.comment(
        `/resume @https://github.com/${repo.slice("/repos/".length)}/issues/${world.issue.number}#issuecomment-${first.id}`,
        "maintainer",
        at(2),
      ),
    );
    expect(world.state().status).toBe("running");
    // api runs on and is accepted; the second pause's checkpoint is the latest.
    await deliver(probot, finish(world, world.dispatchOf("api"), at(2), at(18)));
    await deliver(probot, world.comment("/pause", "maintainer", at(19)));
    await deliver(probot, finish(world, world.runOf("pc-1-styles-2"), at(2), at(20)));
    expect(world.state().status).toBe("paused");

    // A comment of a person is no checkpoint: answered, nothing changes.
    const person = world.comment("just a note", "maintainer", at(21));
    await deliver(probot, person);
    const wrong = world.comment(`/resume @${commentId(person)}`, "maintainer", at(22));
    const dashboard = world.dashboard()!.body;
    await deliver(probot, wrong);
    expect(answerTo(commentId(wrong))).toContain(
      `Comment ${commentId(person)} is no checkpoint of this issue: nothing changes.`,
    );
    expect(world.dashboard()!.body).toBe(dashboard);

    const older = world.comment(`/resume @${first.id}`, "admin", at(30));
    await deliver(probot, older);
    const answer = answerTo(commentId(older))!;
    expect(answer).toContain("#### From an older checkpoint");
    expect(answer).toContain("- Batch 1 — Notification API (backend): pending then, accepted now");
    expect(world.state().status).toBe("running");
  });

  it("/resume when not paused says so and changes nothing", async () => {
    await started();
    const event = world.comment("/resume", "maintainer", at(5));
    await deliver(probot, event);
    expect(answerTo(commentId(event))).toContain("Not paused");
    expect(world.dashboardEdits(from)).toEqual([]);
    expect(world.dispatches()).toHaveLength(2);
  });

  it("/status: 👀 and a short answer with the runs and their links; the dashboard is not touched", async () => {
    await started();
    const event = world.comment("/status", "maintainer", at(12));
    await deliver(probot, event);
    expect(world.reactions()).toHaveLength(1);
    const answer = answerTo(commentId(event))!;
    expect(answer).toContain("**Status**: running");
    expect(answer).toContain(
      `Batch 1 — Notification API (backend): 12 of 20 min · [run](https://github.com/Codertocat/Hello-World/actions/runs/${world.dispatchOf("api").id})`,
    );
    expect(answer).toContain("⏳ 3 pending, ✅ 0 accepted");
    expect(world.dashboardEdits(from)).toEqual([]);
  });

  it("/help and an unknown command: 👀 and the list of commands; the dashboard is not touched", async () => {
    await started();
    const help = world.comment("/help", "maintainer", at(5));
    await deliver(probot, help);
    expect(answerTo(commentId(help))).toContain("- `/pause [reason]`");
    const unknown = world.comment("/frobnicate now", "maintainer", at(6));
    await deliver(probot, unknown);
    expect(answerTo(commentId(unknown))).toMatch(
      /^`\/frobnicate` is not a command\.\n\n\*\*parallel-coordinator commands\*\*/,
    );
    const bad = world.comment("/retry", "maintainer", at(7));
    await deliver(probot, bad);
    expect(answerTo(commentId(bad))).toContain("`/retry` needs one batch");
    expect(world.reactions()).toHaveLength(3);
    expect(world.dashboardEdits(from)).toEqual([]);
  });

  it("/retry N on a blocked batch dispatches it again; the dashboard shows it running", async () => {
    await blocked();
    const event = world.comment("/retry 1", "maintainer", at(40));
    await deliver(probot, event);
    expect(answerTo(commentId(event))).toMatch(/^🔁 batch 1 \(Notification API\) will run again\.\n/);
    expect(world.dispatchOf("api").inputs.key).toBe("pc-1-api-2");
    expect(world.dashboardText()).toMatch(/\*\*1\.\*\* Notification API — backend · 20 min · 🔄 dispatched/);
    expect(world.dashboardText()).toContain(`@maintainer asked to retry batch 1 at ${at(40)}.`);
  });

  it("/skip N skips a blocked batch, says which dependents it unblocks, and takes its work off the domain branch", async () => {
    await blocked();
    const pr = world.state().batches.api!.pr!;
    const event = world.comment("/skip api", "maintainer", at(40));
    await deliver(probot, event);
    const answer = answerTo(commentId(event))!;
    expect(answer).toContain("⏭ batch 1 (Notification API) is skipped.");
    expect(answer).toContain("Now unblocked: batch 3 (Notification bell).");
    expect(world.state().batches.api!.status).toBe("skipped");
    expect(world.dashboardText()).toMatch(/- \[x\] \*\*1\.\*\* Notification API — backend · 20 min · ⏭ skipped/);
    // Its pull request is closed, unmerged, and the backend branch is back at the integration head.
    expect(world.repo.pulls.get(pr)!.state).toBe("closed");
    expect(world.merged()).toEqual([]);
    expect(world.repo.branch("parallel-coordinator/1-backend")).toBe(world.state().head);
  });

  it("/skip whose step fails after the withdraw: the retry leaves the branch to the domain's next batch", async () => {
    await blocked();
    world.github.faults.add({ route: `PATCH ${repo}/issues/comments/${world.dashboard()!.id}`, status: 502 });
    const event = world.comment("/skip api", "maintainer", at(40));
    await expect(deliver(probot, event)).rejects.toThrow();
    // Meanwhile the backend's next batch, dispatched in that step, pushed its work.
    const next = world.push(
      "parallel-coordinator/1-backend",
      { "backend/models/next.py": "the next batch's work\n" },
      "github-actions[bot]",
    );
    await deliver(probot, event);
    expect(world.state().batches.api!.status).toBe("skipped");
    expect(world.repo.branch("parallel-coordinator/1-backend")).toBe(next);
  });

  it("/approve N merges a blocked batch's pull request at the head its check-in judged", async () => {
    await blocked();
    const pr = world.state().batches.api!.pr!;
    const head = world.repo.pullShas(world.repo.pulls.get(pr)!).head;
    expect(world.state().batches.api!.head).toBe(head);
    const event = world.comment("/approve 1", "maintainer", at(40));
    await deliver(probot, event);
    expect(answerTo(commentId(event))).toContain(
      `✅ batch 1 (Notification API) is approved as it is: #${pr} is merged at \`${head}\`.`,
    );
    expect(world.merged()).toEqual([pr]);
    expect(
      world.github.calls.find((call) => call.route === "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge")?.body,
    ).toMatchObject({ sha: head });
    expect(world.state().batches.api!.status).toBe("accepted");
    expect(world.dashboardText()).toMatch(/- \[x\] \*\*1\.\*\* Notification API — backend · 20 min · ✅ accepted/);
  });

  it("/approve of a pull request that moved since its verdict is refused, naming the head it has now; /approve N <that SHA> merges it", async () => {
    await blocked();
    const pr = world.state().batches.api!.pr!;
    const checked = world.state().batches.api!.head!;
    const now = world.push(
      "parallel-coordinator/1-backend",
      { "backend/api/late.py": "pushed after the check-in\n" },
      "stranger",
    );
    const event = world.comment("/approve 1", "maintainer", at(40));
    await deliver(probot, event);
    expect(world.merged()).toEqual([]);
    expect(answerTo(commentId(event))).toContain(
      `⛔ batch 1 (Notification API) is not merged: #${pr} has moved on since \`${checked}\`: its head is now \`${now}\`. An approval merges only the head it names. ` +
        `Look at the new commits, then \`/approve 1 ${now}\` takes the pull request as it now is, or \`/retry 1\` runs the batch again and checks that in.\n\n${commentMarker(`answer-${commentId(event)}`)}\n`,
    );
    expect(world.state().batches.api).toMatchObject({
      status: "blocked",
      blocker: expect.stringContaining(`its head is now \`${now}\``),
    });

    const named = world.comment(`/approve 1 ${now}`, "maintainer", at(41));
    await deliver(probot, named);
    expect(world.merged()).toEqual([pr]);
    expect(answerTo(commentId(named))).toContain(`is merged at \`${now}\`.`);
    expect(world.state().batches.api!.status).toBe("accepted");
  });

  it("/approve whose step fails after the merge: the retry finds the pull request merged and accepts the batch, no false conflict", async () => {
    await blocked();
    const pr = world.state().batches.api!.pr!;
    world.github.faults.add({ route: `PATCH ${repo}/issues/comments/${world.dashboard()!.id}`, status: 502 });
    const event = world.comment("/approve 1", "maintainer", at(40));
    await expect(deliver(probot, event)).rejects.toThrow();
    expect(world.merged()).toEqual([pr]);
    await deliver(probot, event);
    const state = world.state();
    expect(state.batches.api!.status).toBe("accepted");
    expect(state.batches.api!.blocker).toBeUndefined();
    expect(state.integrationIssues).toBe(0);
    expect(state.head).toBe(world.repo.pulls.get(pr)!.mergeCommitSha);
    expect(world.merged()).toEqual([pr]);
  });

  it("/abort cancels every run and posts the final checkpoint; the dashboard says aborted", async () => {
    await started();
    const event = world.comment("/abort", "maintainer", at(12));
    await deliver(probot, event);
    expect(world.cancelled().sort()).toEqual(
      world
        .dispatches()
        .map((run) => run.id)
        .sort(),
    );
    const answer = answerTo(commentId(event))!;
    expect(answer).toContain("### ⏹ Aborted — final checkpoint");
    expect(answer).toContain("Branches and pull requests are left for people to keep or delete");
    expect(world.dashboardText()).toContain("**Status**: ⏹ aborted");
    expect(world.dashboardText()).toContain(`Aborted by @maintainer at ${at(12)}.`);

    // A new coordination on the issue, by an app with no journal: its states count on from the aborted one's, whose
    // final checkpoint would otherwise outrank them — the dashboard with the plan, then the started one.
    const aborted = world.state().seq;
    await deliver(world.probot(), world.comment("/plan", "maintainer", at(13)));
    expect(world.state()).toMatchObject({ status: "running", seq: aborted + 2 });
  });

  it("/plan on a running coordination says to pause first, and changes nothing", async () => {
    await started();
    const event = world.comment("/plan", "maintainer", at(12));
    await deliver(probot, event);
    expect(answerTo(commentId(event))).toContain("`/pause` it first");
    expect(world.dashboardEdits(from)).toEqual([]);
    expect(world.dispatches()).toHaveLength(2);
  });
});

describe("what is not a command", () => {
  for (const [label, body] of [
    ["in a fenced code block", "To pause, comment:\n\n```\n/pause\n```\n"],
    ["in a tilde fence", "~~~md\n/abort\n~~~"],
    ["in a quote", "> /pause\n\nWhy did you write that?"],
    ["in indented code", "Like this:\n\n    /abort\n"],
    ["in an HTML comment", "<!--\n/abort\n-->\nnothing to see"],
    ["mid-line", "please do not /pause yet"],
  ] as const) {
    it(`a command ${label}: not a single request`, async () => {
      await started();
      await deliver(probot, world.comment(body, "maintainer", at(5)));
      expect(requests()).toEqual([]);
    });
  }

  it("a command from a bot (the app itself included): not a single request", async () => {
    await started();
    await deliver(probot, world.comment("/abort", "renovate[bot]", at(5)));
    await deliver(probot, world.comment("/pause", "parallel-coordinator[bot]", at(6)));
    expect(requests()).toEqual([]);
  });

  it("an edited comment: the handler does not even run, and nothing is requested", async () => {
    await started();
    // A maintainer's comment, delivered before the app was listening, is edited to say /abort.
    const posted = commentId(world.comment("thanks", "maintainer", at(4)));
    from = world.github.calls.length;
    await deliver(probot, world.editComment(posted, "/abort", "maintainer"));
    expect(vi.mocked(onIssueComment)).not.toHaveBeenCalled();
    expect(requests()).toEqual([]);

    // The same comment, new: it is.
    await deliver(probot, world.comment("/help", "maintainer", at(5)));
    expect(vi.mocked(onIssueComment)).toHaveBeenCalledTimes(1);
  });
});

describe("an issue that is not a coordination", () => {
  for (const text of ["/pause", "/status", "/help", "/frobnicate", "/resume"]) {
    it(`${text}: no answer at all, only the permission and the comments read`, async () => {
      await deliver(probot, world.comment(text, "maintainer", T0));
      expect(requests().map((request) => `${request.method} ${request.path}`)).toEqual([
        "POST /app/installations/2/access_tokens",
        `GET ${repo}/collaborators/maintainer/permission`,
        `GET ${repo}/issues/1/comments`,
      ]);
    });
  }

  it("/plan starts one: 👀, the integration branch, the ready batches, the dashboard", async () => {
    const event = world.comment("/plan", "maintainer", T0, { issueBody: ISSUE_BODY });
    await deliver(probot, event);
    expect(world.reactions()).toEqual([{ comment: commentId(event), content: "eyes" }]);
    expect(world.repo.branch("parallel-coordinator/1")).toBeDefined();
    expect(world.dispatches().map((run) => run.inputs.key)).toEqual(["pc-1-api-1", "pc-1-styles-1"]);
    expect(world.state().status).toBe("running");
  });

  it("/plan after /abort starts a new coordination with runs of its own, though the old runs carry the same keys", async () => {
    await deliver(probot, world.labeled(T0));
    const old = world.dispatches().map((run) => run.id);
    await deliver(probot, world.comment("/abort", "maintainer", at(5)));
    // A fresh app: its journal cannot vouch, so it looks for runs by key on the branches the old coordination left.
    probot = world.probot();
    await deliver(probot, world.comment("/plan", "maintainer", at(60)));
    expect(world.dispatches().map((run) => run.inputs.key)).toEqual([
      "pc-1-api-1",
      "pc-1-styles-1",
      "pc-1-api-1",
      "pc-1-styles-1",
    ]);
    const state = world.state();
    expect(state.status).toBe("running");
    const ids = [state.batches.api!.runs[0]!.id, state.batches.styles!.runs[0]!.id];
    expect(ids).toEqual(
      world
        .dispatches()
        .slice(2)
        .map((run) => run.id),
    );
    expect(ids.some((id) => id === undefined || old.includes(id))).toBe(false);
  });

  it("an oversized task: the refusal proposes its split; /plan split starts the coordination with its parts, and runs them", async () => {
    const body = [
      "# Search",
      "",
      "### 1. Search API",
      "- **Domain:** backend",
      "- **Time:** 50 min",
      "- **Files:** `backend/search.py`",
      "- **Tasks:**",
      "  - Index",
      "  - Query",
      "",
      "### 2. Search page",
      "- **Domain:** frontend",
      "- **Time:** 20 min",
      "- **Files:** `frontend/search.tsx`",
    ].join("\n");
    await deliver(probot, world.comment("/plan", "maintainer", T0, { issueBody: body }));
    const refusal = world.appComments().find((comment) => comment.body.includes("cannot plan this issue"))!.body;
    expect(refusal).toContain("#### Proposed split of task 1, by its steps");
    expect(refusal).toContain("### 1.1. Search API (part 1 of 2)");
    expect(world.dispatches()).toEqual([]);

    await deliver(probot, world.comment("/plan split", "maintainer", at(1)));
    expect(world.dispatches().map((run) => run.inputs.key)).toEqual(["pc-1-1.1-1", "pc-1-2-1"]);
    // The plan pinned in the state is the split one, and runs on as such.
    expect(world.state().plan.batches.map((batch) => batch.id)).toEqual(["1.1", "1", "2"]);
    const file = "backend/search.py";
    await deliver(
      probot,
      world.finishRun(world.dispatchOf("1.1"), {
        started: at(1),
        at: at(20),
        files: [file],
        conclusion: "success",
        report: {
          changes: [{ file, line: 1, summary: "index" }],
          integrationPoints: [],
          blockers: [],
          summary: "Indexed.",
        },
      }),
    );
    expect(world.state().batches["1.1"]!.status).toBe("accepted");
    expect(world.dispatches().map((run) => run.inputs.key)).toContain("pc-1-1-1");
  });

  it("/plan from a stranger: a polite answer, nothing started", async () => {
    const event = world.comment("/plan", "stranger", T0);
    await deliver(probot, event);
    expect(answerTo(commentId(event))).toContain("Sorry @stranger");
    expect(world.dashboard()).toBeUndefined();
    expect(world.dispatches()).toEqual([]);
  });
});

describe("the same delivery twice", () => {
  for (const [text, minutes] of [
    ["/pause", 1],
    ["/pause later", 10],
    ["/abort", 5],
    ["/help", 5],
    ["/skip 2", 5],
  ] as const) {
    it(`${text}: answered once, done once`, async () => {
      await started();
      const event = world.comment(text, "maintainer", at(minutes));
      await deliver(probot, event);
      const after = {
        comments: world.appComments().length,
        dashboard: world.dashboard()!.body,
        cancelled: world.cancelled().length,
        dispatches: world.dispatches().length,
      };
      const since = world.github.calls.length;
      await deliver(probot, event);
      expect(world.appComments()).toHaveLength(after.comments);
      expect(world.dashboardEdits(since)).toEqual([]);
      expect(world.dashboard()!.body).toBe(after.dashboard);
      expect(world.cancelled()).toHaveLength(after.cancelled);
      expect(world.dispatches()).toHaveLength(after.dispatches);
    });
  }

  it("/resume: answered once, dispatched once", async () => {
    await started();
    await deliver(probot, world.comment("/pause", "maintainer", at(1)));
    const event = world.comment("/resume", "maintainer", at(5));
    await deliver(probot, event);
    const dispatches = world.dispatches().length;
    const comments = world.appComments().length;
    await deliver(probot, event);
    expect(world.dispatches()).toHaveLength(dispatches);
    expect(world.appComments()).toHaveLength(comments);
  });
});

describe("a delivery repeated after later commands", () => {
  it("the first /resume, delivered again after a second /pause: still paused, nothing posted, nothing dispatched", async () => {
    await started();
    await deliver(probot, world.comment("/pause", "maintainer", at(1)));
    const resume = world.comment("/resume", "maintainer", at(5));
    await deliver(probot, resume);
    await deliver(probot, world.comment("/pause for the night", "maintainer", at(6)));
    expect(world.state().status).toBe("paused");
    const before = {
      comments: world.appComments().length,
      dispatches: world.dispatches().length,
      dashboard: world.dashboard()!.body,
    };

    await deliver(probot, resume);
    expect(world.state().status).toBe("paused");
    expect(world.dispatches()).toHaveLength(before.dispatches);
    expect(world.appComments()).toHaveLength(before.comments);
    expect(world.dashboard()!.body).toBe(before.dashboard);
  });
});

describe("/plan on a paused coordination", () => {
  it("re-plans from the edited issue body, keeps the accepted batches, stays paused; /resume goes on without repeating a run", async () => {
    await started();
    await deliver(probot, finish(world, world.dispatchOf("styles"), T0, at(9)));
    // `icons` (1 min along) is cancelled; `api` finishes at +15 and the pause takes hold.
    await deliver(probot, world.comment("/pause", "maintainer", at(10)));
    await deliver(probot, finish(world, world.dispatchOf("api"), T0, at(15)));
    expect(world.state().status).toBe("paused");

    // The body gains a sixth batch in the frontend.
    const edited = ISSUE_BODY.replace(
      "```\n",
      '  - { id: docs, title: Bell docs, domain: frontend, files: ["frontend/docs/**"], estimate: 20 }\n```\n',
    );
    const seq = world.state().seq;
    const plan = world.comment("/plan", "maintainer", at(20), { issueBody: edited });
    // To an app that has no journal of the writes before (a restart): the state itself carries the count.
    await deliver(world.probot(), plan);
    // The re-planned state counts on from the one it replaces: the snapshots of the paused one are older.
    expect(world.state().seq).toBe(seq + 1);
    expect(answerTo(commentId(plan))).toContain(
      "Re-planned from the edited issue body: 6 batches, 2 kept as they were (api, styles). Still paused",
    );
    const state = world.state();
    expect(state.status).toBe("paused");
    expect(Object.keys(state.batches)).toContain("docs");
    expect(state.batches.api!.status).toBe("accepted");
    expect(world.dashboardText()).toContain("**Status**: ⏸ paused");

    const before = world.dispatches().length;
    await deliver(probot, world.comment("/resume", "maintainer", at(30)));
    const keys = world.dispatches().map((run) => run.inputs.key!);
    expect(new Set(keys).size, keys.join(", ")).toBe(keys.length);
    expect(
      world
        .dispatches()
        .slice(before)
        .map((run) => run.inputs.batch),
    ).not.toContain("api");
    expect(
      world
        .dispatches()
        .slice(before)
        .map((run) => run.inputs.batch),
    ).not.toContain("styles");
  });
  it("an edited body whose state would outgrow the dashboard comment: the answer says why, and nothing changes", async () => {
    await started();
    await deliver(probot, world.comment("/pause", "maintainer", at(1)));
    for (const batch of ["api", "styles"]) await deliver(probot, finish(world, world.dispatchOf(batch), T0, at(15)));
    expect(world.state().status).toBe("paused");
    const before = world.state();
    // Pasted logs in the plan's context: text that does not compress.
    let logs = "";
    for (let n = 0; logs.length < 60_000; n += 1) logs += createHash("sha256").update(String(n)).digest("base64");
    const plan = world.comment("/plan", "maintainer", at(20), {
      issueBody: ISSUE_BODY.replace("```yaml\n", `\`\`\`yaml\ncontext: "${logs.slice(0, 60_000)}"\n`),
    });
    await deliver(probot, plan);
    expect(answerTo(commentId(plan))).toContain("### ⚠ parallel-coordinator cannot re-plan");
    expect(answerTo(commentId(plan))).toContain("Nothing changed; the coordination stays paused on its old plan.");
    expect(world.state()).toEqual(before);
  });
});

describe("/pause racing a workflow_run.completed for the same issue", () => {
  for (const order of ["pause first", "run first"] as const) {
    it(`${order}: one consistent outcome, no double dispatch, every write building on the one before`, async () => {
      await started();
      // `styles` is accepted at +9: `icons` takes the frontend at +9.
      await deliver(probot, finish(world, world.dispatchOf("styles"), T0, at(9)));
      const icons = world.dispatchOf("icons");
      const since = world.github.calls.length;

      const pause = world.comment("/pause review", "maintainer", at(10));
      const run = finish(world, world.dispatchOf("api"), T0, at(10));
      const [first, second] = order === "pause first" ? [pause, run] : [run, pause];
      const one = deliver(probot, first);
      const two = deliver(probot, second);
      await Promise.all([one, two]);

      const state = world.state();
      expect(state.status).toBe("paused");
      expect(state.pause).toMatchObject({ by: "maintainer", at: at(10) });
      expect(state.batches.api!.status).toBe("accepted");
      expect(state.batches.styles!.status).toBe("accepted");
      // Nothing runs: `icons` (1 min along) was cancelled, and whatever `api`'s acceptance started before the pause too.
      expect(
        Object.values(state.batches).filter((batch) => ["dispatched", "running", "checking"].includes(batch.status)),
      ).toEqual([]);
      expect(world.cancelled()).toContain(icons.id);
      const keys = world.dispatches().map((run) => run.inputs.key!);
      expect(new Set(keys).size).toBe(keys.length);
      for (const dispatch of world.dispatches()) {
        const own = state.batches[dispatch.inputs.batch!]!;
        const recorded = own.runs.find((candidate) => candidate.key === dispatch.inputs.key);
        expect(recorded?.id, dispatch.inputs.key).toBe(dispatch.id);
        if (own.status === "pending") expect(world.cancelled(), dispatch.inputs.key).toContain(dispatch.id);
      }
      expect(world.merged()).toHaveLength(2);
      expect(world.appComments().filter((comment) => comment.body.includes("### ⏸ Session checkpoint"))).toHaveLength(
        1,
      );

      const written = world.dashboardEdits(since).map((request) => {
        const decoded = decodeState((request.body as { body: string }).body, key);
        if (!decoded.ok) throw new Error(decoded.reason);
        return decoded.state;
      });
      expect(written.at(-1)).toEqual(state);
      if (order === "pause first") {
        // The pause's step finds api's run ended on GitHub and checks it in before the pause: one write holds both,
        // and the completion's own step finds nothing left to do.
        expect(written).toHaveLength(1);
      } else {
        // Two steps, two dashboard writes, the second holding everything the first did.
        expect(written).toHaveLength(2);
        const [earlier] = written;
        expect(earlier!.pause).toBeUndefined();
        expect(earlier!.batches.api!.status).toBe("accepted");
      }
    });
  }
});
