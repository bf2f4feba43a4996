import { createHash } from "node:crypto";
/**
 * The commands through the real app in a real Probot, against an in-test GitHub
 * (nock): who may give them, what they answer, what they change on the issue's
 * dashboard, and what never counts as a command.
 */
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Probot } from "probot";
import { useGitHubApi } from "../helpers/github.js";
import { payload, stateSecret, testProbot } from "./app.js";
import { CommandsHub, ISSUE_BODY, at, T0 } from "./commandsHub.js";
import { commentMarker } from "../../src/github/stores/markers.js";
import { decodeState, stateKey } from "../../src/state/codec.js";
import { onIssueComment } from "../../src/handlers/issueComment.js";

// The real handler, watched: an edited comment must not reach it at all.
vi.mock(import("../../src/handlers/issueComment.js"), async (importOriginal) => {
  const original = await importOriginal();
  return { ...original, onIssueComment: vi.fn(original.onIssueComment) };
});

useGitHubApi();

const repo = "/repos/Codertocat/Hello-World";
const key = stateKey(stateSecret);

let hub: CommandsHub;
let probot: Probot;

beforeEach(() => {
  hub = new CommandsHub();
  hub.install();
  probot = testProbot();
  vi.mocked(onIssueComment).mockClear();
});

/** Labelled at T0: `api` (backend) and `styles` (frontend) run; the requests so far are forgotten. */
async function started(): Promise<void> {
  await hub.deliver(probot, hub.labeled(T0));
  expect(hub.dispatches.map((dispatch) => dispatch.inputs.key)).toEqual(["pc-1-api-1", "pc-1-styles-1"]);
  hub.requests.length = 0;
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
  await hub.deliver(probot, hub.labeled(T0, `# Notifications\n\n\`\`\`yaml\n${yaml}\`\`\`\n`));
  await hub.deliver(probot, hub.finishRun(hub.dispatchOf("api"), T0, at(18), { status: "Blocked", blockers: ["the API spec is ambiguous"] }));
  expect(Object.fromEntries(Object.entries(hub.state().batches).map(([id, batch]) => [id, batch.status]))).toEqual({ api: "blocked", styles: "dispatched", ui: "pending" });
  hub.requests.length = 0;
}

/** The app's answer to comment `id`, as a person reads it. */
function answerTo(id: number): string | undefined {
  return hub
    .appComments()
    .find((comment) => comment.body.includes(commentMarker(`answer-${id}`)))
    ?.body.replaceAll("\u2060", "");
}

function commentId(event: { payload: { comment: { id: number } } }): number {
  return event.payload.comment.id;
}


const changes = ["/plan", "/pause not now", "/resume", "/retry 1", "/skip 1", "/approve 1", "/abort", "/пауза"];
const asks = ["/status", "/help", "/frobnicate"];

/** The writes since request `from`, but for the app's own token. */
function writesSince(from: number) {
  return hub.requests.slice(from).filter((request) => request.method !== "GET" && !request.path.startsWith("/app/"));
}

describe("a person without write access", () => {
  for (const text of changes) {
    it(`${text}: one polite answer, nothing changed`, async () => {
      await started();
      const dashboard = hub.dashboard()!.body;
      for (const [who, role] of [
        ["stranger", "not a collaborator"],
        ["reader", "read"],
      ] as const) {
        const from = hub.requests.length;
        const event = hub.comment(text, who, at(5));
        await hub.deliver(probot, event);
        const answer = answerTo(commentId(event));
        expect(answer, role).toContain(`Sorry @${who}, only people with write access to this repository can command parallel-coordinator. Nothing was changed.`);
        // The only write is that answer: no reaction, no cancelled run, no dispatch, no dashboard edit.
        expect(writesSince(from), role).toEqual([{ method: "POST", path: `${repo}/issues/1/comments`, body: { body: expect.stringContaining("Sorry") } }]);
      }
      expect(hub.reactions).toEqual([]);
      expect(hub.dashboard()!.body).toBe(dashboard);
      expect(hub.dispatches).toHaveLength(2);
      expect(hub.cancelled).toEqual([]);
    });
  }

  for (const text of asks) {
    it(`${text}: anyone who can read the issue is answered, but a stranger to a private repository is refused`, async () => {
      await started();
      const dashboard = hub.dashboard()!.body;
      for (const [who, privately] of [
        ["reader", true],
        ["stranger", false],
      ] as const) {
        const event = hub.comment(text, who, at(5), { private: privately });
        await hub.deliver(probot, event);
        expect(answerTo(commentId(event)), who).toContain(text === "/status" ? "**Status**: running" : "**parallel-coordinator commands**");
        expect(hub.reactions.at(-1), who).toEqual({ comment: commentId(event), content: "eyes" });
      }
      const refused = hub.comment(text, "stranger", at(6), { private: true });
      await hub.deliver(probot, refused);
      expect(answerTo(commentId(refused))).toContain("Sorry @stranger");
      expect(hub.dashboard()!.body).toBe(dashboard);
      expect(hub.dispatches).toHaveLength(2);
    });
  }

  it("a reader's /status is answered once in ten minutes; a maintainer's every time", async () => {
    await started();
    const first = hub.comment("/status", "reader", at(5));
    await hub.deliver(probot, first);
    const from = hub.requests.length;
    const again = hub.comment("/status", "reader", at(6));
    await hub.deliver(probot, again);
    expect(answerTo(commentId(first))).toBeDefined();
    expect(answerTo(commentId(again))).toBeUndefined();
    expect(writesSince(from)).toEqual([]);
    for (const minute of [7, 8]) {
      const asked = hub.comment("/status", "maintainer", at(minute));
      await hub.deliver(probot, asked);
      expect(answerTo(commentId(asked))).toBeDefined();
    }
  });

  it("a refused person gets one answer per issue and hour: the later commands cost only the permission check", async () => {
    await started();
    const first = hub.comment("/pause", "stranger", at(5));
    await hub.deliver(probot, first);
    expect(answerTo(commentId(first))).toContain("Sorry @stranger");
    const from = hub.requests.length;
    for (const [minute, text] of [
      [6, "/pause"],
      [7, "/abort"],
      [8, "/retry 1"],
    ] as const) {
      const event = hub.comment(text, "stranger", at(minute));
      await hub.deliver(probot, event);
      expect(answerTo(commentId(event))).toBeUndefined();
    }
    expect(hub.requests.slice(from).map((request) => `${request.method} ${request.path}`)).toEqual(
      Array.from({ length: 3 }, () => `GET ${repo}/collaborators/stranger/permission`),
    );
  });

  it("an admin may command, as a maintainer may", async () => {
    await started();
    const event = hub.comment("/help", "admin", at(5));
    await hub.deliver(probot, event);
    expect(answerTo(commentId(event))).toContain("**parallel-coordinator commands**");
  });
});

describe("a maintainer", () => {
  it("/pause with a reason, while both runs just started: 👀, both cancelled, the checkpoint as the answer, the dashboard paused with who, when and why", async () => {
    await started();
    const event = hub.comment("/pause waiting for the API review", "maintainer", at(1));
    await hub.deliver(probot, event);

    expect(hub.reactions).toEqual([{ comment: commentId(event), content: "eyes" }]);
    expect(hub.cancelled.sort()).toEqual(hub.dispatches.map((dispatch) => dispatch.runId).sort());
    const answer = answerTo(commentId(event))!;
    expect(answer).toContain("### ⏸ Session checkpoint");
    expect(answer).toContain(`Paused by @maintainer at ${at(1)}: waiting for the API review`);
    expect(answer).toContain("Comment `/resume`");
    // The checkpoint carries the state snapshot too.
    expect(decodeState(answer, key).ok).toBe(true);
    expect(hub.appComments()).toHaveLength(2);
    expect(hub.dashboardEdits()).toHaveLength(1);
    expect(hub.dashboardText()).toContain("**Status**: ⏸ paused");
    expect(hub.dashboardText()).toContain(`Paused by @maintainer at ${at(1)}: waiting for the API review`);
    expect(hub.state().pause).toEqual({ by: "maintainer", at: at(1), reason: "waiting for the API review" });
  });

  it("/пауза is /pause", async () => {
    await started();
    await hub.deliver(probot, hub.comment("/пауза", "maintainer", at(1)));
    expect(hub.state().status).toBe("paused");
  });

  it("/pause while runs are well along: they finish; the answer says so; the dashboard shows who paused, when and why", async () => {
    await started();
    const event = hub.comment("/pause lunch", "maintainer", at(10));
    await hub.deliver(probot, event);
    expect(hub.cancelled).toEqual([]);
    expect(answerTo(commentId(event))).toContain("⏸ Pausing: no new batches start.");
    expect(hub.dashboardEdits()).toHaveLength(1);
    expect(hub.dashboardText()).toContain(`Pausing (asked by @maintainer at ${at(10)}: lunch): no new batches start; waiting for 2 running batches to finish`);

    // /pause again while pausing: says so, and the dashboard is not touched.
    const again = hub.comment("/pause", "admin", at(11));
    await hub.deliver(probot, again);
    expect(answerTo(commentId(again))).toContain("Already pausing");
    expect(hub.dashboardEdits()).toHaveLength(1);
  });

  it("/resume after a pause: 👀, the resume comment, the cancelled batches dispatched again, the dashboard shows who resumed and when", async () => {
    await started();
    await hub.deliver(probot, hub.comment("/pause", "maintainer", at(1)));
    const from = hub.requests.length;
    const event = hub.comment("/resume", "admin", at(30));
    await hub.deliver(probot, event);

    expect(hub.reactions.at(-1)).toEqual({ comment: commentId(event), content: "eyes" });
    const answer = answerTo(commentId(event))!;
    expect(answer).toContain("### 🔄 Resumed by @admin");
    expect(answer).toContain("#### Continuing from");
    expect(hub.dispatches.slice(2).map((dispatch) => dispatch.inputs.key)).toEqual(["pc-1-api-2", "pc-1-styles-2"]);
    expect(hub.dashboardEdits(from)).toHaveLength(1);
    expect(hub.dashboardText()).toContain("**Status**: ▶️ running");
    expect(hub.dashboardText()).toContain(`Resumed by @admin at ${at(30)}`);
    expect(hub.dashboardText()).not.toContain("Paused by");
  });

  it("/resume when not paused says so and changes nothing", async () => {
    await started();
    const event = hub.comment("/resume", "maintainer", at(5));
    await hub.deliver(probot, event);
    expect(answerTo(commentId(event))).toContain("Not paused");
    expect(hub.dashboardEdits()).toEqual([]);
    expect(hub.dispatches).toHaveLength(2);
  });

  it("/status: 👀 and a short answer with the runs and their links; the dashboard is not touched", async () => {
    await started();
    const event = hub.comment("/status", "maintainer", at(12));
    await hub.deliver(probot, event);
    expect(hub.reactions).toHaveLength(1);
    const answer = answerTo(commentId(event))!;
    expect(answer).toContain("**Status**: running");
    expect(answer).toContain(`Batch 1 — Notification API (backend): 12 of 20 min · [run](https://github.com/Codertocat/Hello-World/actions/runs/${hub.dispatchOf("api").runId})`);
    expect(answer).toContain("⏳ 3 pending, ✅ 0 accepted");
    expect(hub.dashboardEdits()).toEqual([]);
  });

  it("/help and an unknown command: 👀 and the list of commands; the dashboard is not touched", async () => {
    await started();
    const help = hub.comment("/help", "maintainer", at(5));
    await hub.deliver(probot, help);
    expect(answerTo(commentId(help))).toContain("- `/pause [reason]`");
    const unknown = hub.comment("/frobnicate now", "maintainer", at(6));
    await hub.deliver(probot, unknown);
    expect(answerTo(commentId(unknown))).toMatch(/^`\/frobnicate` is not a command\.\n\n\*\*parallel-coordinator commands\*\*/);
    const bad = hub.comment("/retry", "maintainer", at(7));
    await hub.deliver(probot, bad);
    expect(answerTo(commentId(bad))).toContain("`/retry` needs one batch");
    expect(hub.reactions).toHaveLength(3);
    expect(hub.dashboardEdits()).toEqual([]);
  });

  it("/retry N on a blocked batch dispatches it again; the dashboard shows it running", async () => {
    await blocked();
    const event = hub.comment("/retry 1", "maintainer", at(40));
    await hub.deliver(probot, event);
    expect(answerTo(commentId(event))).toMatch(/^🔁 batch 1 \(Notification API\) will run again\.\n/);
    expect(hub.dispatchOf("api").inputs.key).toBe("pc-1-api-2");
    expect(hub.dashboardText()).toMatch(/\*\*1\.\*\* Notification API — backend · 20 min · 🔄 dispatched/);
    expect(hub.dashboardText()).toContain(`@maintainer asked to retry batch 1 at ${at(40)}.`);
  });

  it("/skip N skips a blocked batch, says which dependents it unblocks, and takes its work off the domain branch", async () => {
    await blocked();
    const pr = hub.state().batches.api!.pr!;
    const event = hub.comment("/skip api", "maintainer", at(40));
    await hub.deliver(probot, event);
    const answer = answerTo(commentId(event))!;
    expect(answer).toContain("⏭ batch 1 (Notification API) is skipped.");
    expect(answer).toContain("Now unblocked: batch 3 (Notification bell).");
    expect(hub.state().batches.api!.status).toBe("skipped");
    expect(hub.dashboardText()).toMatch(/- \[x\] \*\*1\.\*\* Notification API — backend · 20 min · ⏭ skipped/);
    // Its pull request is closed, unmerged, and the backend branch is back at the integration head.
    expect(hub.pulls.find((pull) => pull.number === pr)!.state).toBe("closed");
    expect(hub.merged).toEqual([]);
    expect(hub.refs.get("parallel-coordinator/1-backend")).toBe(hub.state().head);
  });

  it("/skip whose step fails after the withdraw: the retry leaves the branch to the domain's next batch", async () => {
    await blocked();
    hub.faults.push({ method: "PATCH", path: new RegExp(`/issues/comments/${hub.dashboard()!.id}$`), status: 502, times: 1 });
    const event = hub.comment("/skip api", "maintainer", at(40));
    await expect(hub.deliver(probot, event)).rejects.toThrow();
    // Meanwhile the backend's next batch, dispatched in that step, pushed its work.
    hub.refs.set("parallel-coordinator/1-backend", "next-batch-sha");
    await hub.deliver(probot, event);
    expect(hub.state().batches.api!.status).toBe("skipped");
    expect(hub.refs.get("parallel-coordinator/1-backend")).toBe("next-batch-sha");
  });

  it("/approve N merges a blocked batch's pull request as it is", async () => {
    await blocked();
    const pr = hub.state().batches.api!.pr!;
    const event = hub.comment("/approve 1", "maintainer", at(40));
    await hub.deliver(probot, event);
    expect(answerTo(commentId(event))).toContain(`✅ batch 1 (Notification API) is approved as it is: merging #${pr}.`);
    expect(hub.merged).toEqual([pr]);
    expect(hub.state().batches.api!.status).toBe("accepted");
    expect(hub.dashboardText()).toMatch(/- \[x\] \*\*1\.\*\* Notification API — backend · 20 min · ✅ accepted/);
  });

  it("/approve whose step fails after the merge: the retry finds the pull request merged and accepts the batch, no false conflict", async () => {
    await blocked();
    const pr = hub.state().batches.api!.pr!;
    hub.faults.push({ method: "PATCH", path: new RegExp(`/issues/comments/${hub.dashboard()!.id}$`), status: 502, times: 1 });
    const event = hub.comment("/approve 1", "maintainer", at(40));
    await expect(hub.deliver(probot, event)).rejects.toThrow();
    expect(hub.merged).toEqual([pr]);
    await hub.deliver(probot, event);
    const state = hub.state();
    expect(state.batches.api!.status).toBe("accepted");
    expect(state.batches.api!.blocker).toBeUndefined();
    expect(state.integrationIssues).toBe(0);
    expect(state.head).toBe(`merge-${pr}`);
    expect(hub.merged).toEqual([pr]);
  });

  it("/abort cancels every run and posts the final checkpoint; the dashboard says aborted", async () => {
    await started();
    const event = hub.comment("/abort", "maintainer", at(12));
    await hub.deliver(probot, event);
    expect(hub.cancelled.sort()).toEqual(hub.dispatches.map((dispatch) => dispatch.runId).sort());
    const answer = answerTo(commentId(event))!;
    expect(answer).toContain("### ⏹ Aborted — final checkpoint");
    expect(answer).toContain("Branches and pull requests are left for people to keep or delete");
    expect(hub.dashboardText()).toContain("**Status**: ⏹ aborted");
    expect(hub.dashboardText()).toContain(`Aborted by @maintainer at ${at(12)}.`);
  });

  it("/plan on a running coordination says to pause first, and changes nothing", async () => {
    await started();
    const event = hub.comment("/plan", "maintainer", at(12));
    await hub.deliver(probot, event);
    expect(answerTo(commentId(event))).toContain("`/pause` it first");
    expect(hub.dashboardEdits()).toEqual([]);
    expect(hub.dispatches).toHaveLength(2);
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
      await hub.deliver(probot, hub.comment(body, "maintainer", at(5)));
      expect(hub.requests).toEqual([]);
    });
  }

  it("a command from a bot (the app itself included): not a single request", async () => {
    await started();
    await hub.deliver(probot, hub.comment("/abort", "renovate[bot]", at(5), { bot: true }));
    await hub.deliver(probot, hub.comment("/pause", "parallel-coordinator[bot]", at(6), { bot: true }));
    expect(hub.requests).toEqual([]);
  });

  it("an edited comment: the handler does not even run, and nothing is requested", async () => {
    await started();
    const edited = payload("issue_comment", "edited", (value) => {
      value.issue.number = 1;
      value.comment.body = "/abort";
      value.comment.user.login = "maintainer";
      value.sender.login = "maintainer";
    });
    await hub.deliver(probot, { id: "edited-1", name: "issue_comment", payload: edited });
    expect(vi.mocked(onIssueComment)).not.toHaveBeenCalled();
    expect(hub.requests).toEqual([]);

    // The same comment, new: it is.
    await hub.deliver(probot, hub.comment("/help", "maintainer", at(5)));
    expect(vi.mocked(onIssueComment)).toHaveBeenCalledTimes(1);
  });
});

describe("an issue that is not a coordination", () => {
  for (const text of ["/pause", "/status", "/help", "/frobnicate", "/resume"]) {
    it(`${text}: no answer at all, only the permission and the comments read`, async () => {
      await hub.deliver(probot, hub.comment(text, "maintainer", T0));
      expect(hub.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
        "POST /app/installations/2/access_tokens",
        `GET ${repo}/collaborators/maintainer/permission`,
        `GET ${repo}/issues/1/comments`,
      ]);
    });
  }

  it("/plan starts one: 👀, the integration branch, the ready batches, the dashboard", async () => {
    const event = hub.comment("/plan", "maintainer", T0, { issueBody: ISSUE_BODY });
    await hub.deliver(probot, event);
    expect(hub.reactions).toEqual([{ comment: commentId(event), content: "eyes" }]);
    expect(hub.refs.has("parallel-coordinator/1")).toBe(true);
    expect(hub.dispatches.map((dispatch) => dispatch.inputs.key)).toEqual(["pc-1-api-1", "pc-1-styles-1"]);
    expect(hub.state().status).toBe("running");
  });

  it("/plan after /abort starts a new coordination with runs of its own, though the old runs carry the same keys", async () => {
    await hub.deliver(probot, hub.labeled(T0));
    const old = hub.dispatches.map((dispatch) => dispatch.runId);
    await hub.deliver(probot, hub.comment("/abort", "maintainer", at(5)));
    // A fresh app: its journal cannot vouch, so it looks for runs by key on the branches the old coordination left.
    probot = testProbot();
    await hub.deliver(probot, hub.comment("/plan", "maintainer", at(60)));
    expect(hub.dispatches.map((dispatch) => dispatch.inputs.key)).toEqual(["pc-1-api-1", "pc-1-styles-1", "pc-1-api-1", "pc-1-styles-1"]);
    const state = hub.state();
    expect(state.status).toBe("running");
    const ids = [state.batches.api!.runs[0]!.id, state.batches.styles!.runs[0]!.id];
    expect(ids).toEqual(hub.dispatches.slice(2).map((dispatch) => dispatch.runId));
    expect(ids.some((id) => id === undefined || old.includes(id))).toBe(false);
  });

  it("/plan from a stranger: a polite answer, nothing started", async () => {
    const event = hub.comment("/plan", "stranger", T0);
    await hub.deliver(probot, event);
    expect(answerTo(commentId(event))).toContain("Sorry @stranger");
    expect(hub.dashboard()).toBeUndefined();
    expect(hub.dispatches).toEqual([]);
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
      const event = hub.comment(text, "maintainer", at(minutes));
      await hub.deliver(probot, event);
      const after = { comments: hub.appComments().length, dashboard: hub.dashboard()!.body, cancelled: hub.cancelled.length, dispatches: hub.dispatches.length };
      const from = hub.requests.length;
      await hub.deliver(probot, event);
      expect(hub.appComments()).toHaveLength(after.comments);
      expect(hub.dashboardEdits(from)).toEqual([]);
      expect(hub.dashboard()!.body).toBe(after.dashboard);
      expect(hub.cancelled).toHaveLength(after.cancelled);
      expect(hub.dispatches).toHaveLength(after.dispatches);
    });
  }

  it("/resume: answered once, dispatched once", async () => {
    await started();
    await hub.deliver(probot, hub.comment("/pause", "maintainer", at(1)));
    const event = hub.comment("/resume", "maintainer", at(5));
    await hub.deliver(probot, event);
    const dispatches = hub.dispatches.length;
    const comments = hub.appComments().length;
    await hub.deliver(probot, event);
    expect(hub.dispatches).toHaveLength(dispatches);
    expect(hub.appComments()).toHaveLength(comments);
  });
});

describe("a delivery repeated after later commands", () => {
  it("the first /resume, delivered again after a second /pause: still paused, nothing posted, nothing dispatched", async () => {
    await started();
    await hub.deliver(probot, hub.comment("/pause", "maintainer", at(1)));
    const resume = hub.comment("/resume", "maintainer", at(5));
    await hub.deliver(probot, resume);
    await hub.deliver(probot, hub.comment("/pause for the night", "maintainer", at(6)));
    expect(hub.state().status).toBe("paused");
    const before = { comments: hub.appComments().length, dispatches: hub.dispatches.length, dashboard: hub.dashboard()!.body };

    await hub.deliver(probot, resume);
    expect(hub.state().status).toBe("paused");
    expect(hub.dispatches).toHaveLength(before.dispatches);
    expect(hub.appComments()).toHaveLength(before.comments);
    expect(hub.dashboard()!.body).toBe(before.dashboard);
  });
});

describe("/plan on a paused coordination", () => {
  it("re-plans from the edited issue body, keeps the accepted batches, stays paused; /resume goes on without repeating a run", async () => {
    await started();
    await hub.deliver(probot, hub.finishRun(hub.dispatchOf("styles"), T0, at(9)));
    // `icons` (1 min along) is cancelled; `api` finishes at +15 and the pause takes hold.
    await hub.deliver(probot, hub.comment("/pause", "maintainer", at(10)));
    await hub.deliver(probot, hub.finishRun(hub.dispatchOf("api"), T0, at(15)));
    expect(hub.state().status).toBe("paused");

    // The body gains a sixth batch in the frontend.
    const edited = ISSUE_BODY.replace("```\n", '  - { id: docs, title: Bell docs, domain: frontend, files: ["frontend/docs/**"], estimate: 20 }\n```\n');
    const plan = hub.comment("/plan", "maintainer", at(20), { issueBody: edited });
    await hub.deliver(probot, plan);
    expect(answerTo(commentId(plan))).toContain("Re-planned from the edited issue body: 6 batches, 2 kept as they were (api, styles). Still paused");
    const state = hub.state();
    expect(state.status).toBe("paused");
    expect(Object.keys(state.batches)).toContain("docs");
    expect(state.batches.api!.status).toBe("accepted");
    expect(hub.dashboardText()).toContain("**Status**: ⏸ paused");

    const from = hub.dispatches.length;
    await hub.deliver(probot, hub.comment("/resume", "maintainer", at(30)));
    const keys = hub.dispatches.map((dispatch) => dispatch.inputs.key!);
    expect(new Set(keys).size, keys.join(", ")).toBe(keys.length);
    expect(hub.dispatches.slice(from).map((dispatch) => dispatch.inputs.batch)).not.toContain("api");
    expect(hub.dispatches.slice(from).map((dispatch) => dispatch.inputs.batch)).not.toContain("styles");
  });
  it("an edited body whose state would outgrow the dashboard comment: the answer says why, and nothing changes", async () => {
    await started();
    await hub.deliver(probot, hub.comment("/pause", "maintainer", at(1)));
    for (const batch of ["api", "styles"]) await hub.deliver(probot, hub.finishRun(hub.dispatchOf(batch), T0, at(15)));
    expect(hub.state().status).toBe("paused");
    const before = hub.state();
    // Pasted logs: text that does not compress.
    let logs = "";
    for (let n = 0; logs.length < 60_000; n += 1) logs += createHash("sha256").update(String(n)).digest("base64");
    const plan = hub.comment("/plan", "maintainer", at(20), { issueBody: `${ISSUE_BODY}\n## Logs\n\n${logs.slice(0, 60_000)}\n` });
    await hub.deliver(probot, plan);
    expect(answerTo(commentId(plan))).toContain("### ⚠ parallel-coordinator cannot re-plan");
    expect(answerTo(commentId(plan))).toContain("Nothing changed; the coordination stays paused on its old plan.");
    expect(hub.state()).toEqual(before);
  });
});

describe("/pause racing a workflow_run.completed for the same issue", () => {
  for (const order of ["pause first", "run first"] as const) {
    it(`${order}: one consistent outcome, no double dispatch, every write building on the one before`, async () => {
      await started();
      // `styles` is accepted at +9: `icons` takes the frontend at +9.
      await hub.deliver(probot, hub.finishRun(hub.dispatchOf("styles"), T0, at(9)));
      const icons = hub.dispatchOf("icons");
      const from = hub.requests.length;

      const pause = hub.comment("/pause review", "maintainer", at(10));
      const run = hub.finishRun(hub.dispatchOf("api"), T0, at(10));
      const [first, second] = order === "pause first" ? [pause, run] : [run, pause];
      const one = hub.deliver(probot, first);
      const two = hub.deliver(probot, second);
      await Promise.all([one, two]);

      const state = hub.state();
      expect(state.status).toBe("paused");
      expect(state.pause).toMatchObject({ by: "maintainer", at: at(10) });
      expect(state.batches.api!.status).toBe("accepted");
      expect(state.batches.styles!.status).toBe("accepted");
      // Nothing runs: `icons` (1 min along) was cancelled, and whatever `api`'s acceptance started before the pause too.
      expect(Object.values(state.batches).filter((batch) => ["dispatched", "running", "checking"].includes(batch.status))).toEqual([]);
      expect(hub.cancelled).toContain(icons.runId);
      const keys = hub.dispatches.map((dispatch) => dispatch.inputs.key!);
      expect(new Set(keys).size).toBe(keys.length);
      for (const dispatch of hub.dispatches) {
        const own = state.batches[dispatch.inputs.batch!]!;
        const recorded = own.runs.find((candidate) => candidate.key === dispatch.inputs.key);
        expect(recorded?.id, dispatch.inputs.key).toBe(dispatch.runId);
        if (own.status === "pending") expect(hub.cancelled, dispatch.inputs.key).toContain(dispatch.runId);
      }
      expect(hub.merged).toHaveLength(2);
      expect(hub.appComments().filter((comment) => comment.body.includes("### ⏸ Session checkpoint"))).toHaveLength(1);

      // Two steps, two dashboard writes, the second holding everything the first did.
      const written = hub.dashboardEdits(from).map((request) => {
        const decoded = decodeState(request.body.body, key);
        if (!decoded.ok) throw new Error(decoded.reason);
        return decoded.state;
      });
      expect(written).toHaveLength(2);
      expect(written[1]).toEqual(state);
      const [earlier] = written;
      if (order === "pause first") {
        expect(earlier!.pause).toBeDefined();
        expect(earlier!.batches.api!.status).toBe("dispatched");
      } else {
        expect(earlier!.pause).toBeUndefined();
        expect(earlier!.batches.api!.status).toBe("accepted");
      }
    });
  }
});
