/**
 * The plan mirrored as sub-issues (`subIssues.mirror`): one per batch under
 * the feature issue, blocked by the batches it waits for, showing each
 * batch's status; a maintainer's close is `/skip`, a stranger's is undone.
 * What a person sees on GitHub, through the one fake GitHub.
 */
import { describe, expect, it } from "vitest";
import { Probot } from "probot";
import { APP_LOGIN } from "../../src/fakeGitHub/conventions.js";
import { coordinatorWorkflow } from "../../src/onboarding/actionsFiles.js";
import { createActionsApp } from "../../src/probotApp.js";
import { stateSecret } from "./appHarness.js";
import type { Issue } from "../../src/fakeGitHub/repository.js";
import { useGitHubApi } from "../helpers/github.js";
import { ISSUE, MAINTAINER, deliver, useWorlds, type World } from "./world.js";
import { STEPS, at, feature, statuses } from "./feature.js";

useGitHubApi();
useWorlds();

const MIRROR = "subIssues:\n  mirror: true\n";

/** The feature issue's sub-issues as a person sees them: number, title, state (with its reason), labels, blocked by. */
function subIssues(world: World) {
  return world.issue.subIssues.map((number) => {
    const sub = world.repo.issues.get(number)!;
    return {
      number,
      title: sub.title,
      state: sub.state === "open" ? "open" : `closed ${sub.stateReason}`,
      labels: sub.labels,
      blockedBy: sub.blockedBy,
    };
  });
}

function subIssue(world: World, title: string): Issue {
  const found = world.issue.subIssues
    .map((number) => world.repo.issues.get(number)!)
    .find((sub) => sub.title.includes(title));
  if (found === undefined) throw new Error(`no sub-issue titled ${title}`);
  return found;
}

/** The webhook GitHub sent last for an issue's close. */
function closedDelivery(world: World, number: number) {
  return world.sent.findLast(
    (delivery) =>
      delivery.name === "issues" && delivery.payload.action === "closed" && delivery.payload.issue.number === number,
  )!;
}

describe("a plan mirrored as sub-issues", () => {
  it("makes one sub-issue per batch in the plan's order, blocked by what each waits for, and the dashboard links them", async () => {
    const world = feature({ config: MIRROR });
    const probot = world.probot();
    await deliver(probot, world.labeled(at(0)));

    expect(subIssues(world)).toEqual([
      {
        number: 2,
        title: "[#1] Batch 1 of 3: Notification API",
        state: "open",
        labels: ["batch: running"],
        blockedBy: [],
      },
      { number: 3, title: "[#1] Batch 2 of 3: Bell styles", state: "open", labels: ["batch: running"], blockedBy: [] },
      {
        number: 4,
        title: "[#1] Batch 3 of 3: Notification bell",
        state: "open",
        labels: ["batch: pending"],
        blockedBy: [2],
      },
    ]);
    const api = world.repo.issues.get(2)!;
    expect(api.user).toBe(APP_LOGIN);
    await expect(api.body).toMatchFileSnapshot("../fixtures/comments/mirror-sub-issue.md");
    const dashboard = world.dashboardText();
    expect(dashboard).toContain("**1.** Notification API — backend · 20 min · 🔄 dispatched · [details](");
    expect(dashboard).toMatch(/\*\*1\.\*\* Notification API .*· #2$/m);
    expect(dashboard).toMatch(/\*\*3\.\*\* Notification bell .*· #4$/m);
    expect(world.github.problems).toEqual([]);
  });

  it("shows each batch's status as it runs, is redone and merges, and closes it as completed once merged", async () => {
    const world = feature({ config: MIRROR });
    const probot = world.probot();
    const seen: Record<string, string[]> = {};
    for (const step of STEPS) {
      await deliver(probot, step.make(world));
      seen[step.id] = subIssues(world).map((sub) => `${sub.state} ${sub.labels.join(",")}`);
    }
    expect(seen).toEqual({
      "d-start": ["open batch: running", "open batch: running", "open batch: pending"],
      // styles merged: closed as completed.
      "d-styles": ["open batch: running", "closed completed batch: accepted", "open batch: pending"],
      // api's first run is ⚠ and redone at once: its sub-issue stays open, running again.
      "d-api-1": ["open batch: running", "closed completed batch: accepted", "open batch: pending"],
      "d-api-2": ["closed completed batch: accepted", "closed completed batch: accepted", "open batch: running"],
      "d-ui": [
        "closed completed batch: accepted",
        "closed completed batch: accepted",
        "closed completed batch: accepted",
      ],
    });
    expect(world.state().status).toBe("done");
    // The app's own closes are no command: delivered, they change nothing.
    const before = world.comments().length;
    await deliver(probot, closedDelivery(world, 3));
    expect(world.comments()).toHaveLength(before);
  });

  it("makes nothing twice when a delivery comes again, and finishes the mirror after a step stopped between two writes", async () => {
    const world = feature({ config: MIRROR });
    const probot = world.probot();
    // The step stops right after making the second sub-issue, before adding it under the feature issue.
    world.github.faults.add({
      route: "POST /repos/{owner}/{repo}/issues/{issue_number}/sub_issues",
      call: 2,
      status: 502,
    });
    const start = world.labeled(at(0));
    await expect(deliver(probot, start)).rejects.toThrow();
    expect(world.issue.subIssues).toEqual([2]);
    expect([...world.repo.issues.keys()]).toEqual([1, 2, 3]);

    await deliver(probot, world.github.redeliver(start.id));
    await deliver(probot, world.github.redeliver(start.id));
    // The issue made before the stop is found again by its marker, not made a second time.
    expect([...world.repo.issues.keys()]).toEqual([1, 2, 3, 4]);
    expect(subIssues(world).map((sub) => [sub.number, sub.title, sub.blockedBy])).toEqual([
      [2, "[#1] Batch 1 of 3: Notification API", []],
      [3, "[#1] Batch 2 of 3: Bell styles", []],
      [4, "[#1] Batch 3 of 3: Notification bell", [2]],
    ]);
    expect(world.dispatches()).toHaveLength(2);
    expect(world.github.problems).toEqual([]);
  });

  it("takes a maintainer's close of a sub-issue as /skip of its batch, said on the feature issue once", async () => {
    const world = feature({ config: MIRROR });
    const probot = world.probot();
    await deliver(probot, world.labeled(at(0)));
    const ui = subIssue(world, "Notification bell");
    world.now = at(5);
    world.github.closeIssue(world.repo, ui, MAINTAINER);
    const closed = closedDelivery(world, ui.number);
    await deliver(probot, closed);
    await deliver(probot, world.github.redeliver(closed.id));

    expect(statuses(world.state()).ui).toBe("skipped");
    const said = world.appComments().filter((comment) => !comment.body.includes("parallel-coordinator:dashboard"));
    expect(said.map((comment) => comment.body.split("\n")[0])).toEqual([
      `🔘 @${MAINTAINER} closed #${ui.number}, the issue of batch 3 (Notification bell): \`/skip 3\`.`,
      expect.stringContaining("skipped"),
    ]);
    // Closed as the maintainer closed it; its label says skipped.
    expect(ui.state).toBe("closed");
    expect(ui.stateReason).toBe("completed");
    expect(ui.labels).toEqual(["batch: skipped"]);
    expect(world.dashboardText()).toMatch(/\*\*3\.\*\* Notification bell .*⏭.*#4/);
  });

  it("opens a stranger's close again and tells them once, on the sub-issue; the batch goes on", async () => {
    const world = feature({ config: MIRROR });
    const probot = world.probot();
    await deliver(probot, world.labeled(at(0)));
    const ui = subIssue(world, "Notification bell");
    for (const minute of [5, 6]) {
      world.now = at(minute);
      world.github.closeIssue(world.repo, ui, "triager");
      await deliver(probot, closedDelivery(world, ui.number));
      expect(ui.state).toBe("open");
    }
    expect(statuses(world.state()).ui).toBe("pending");
    const told = [...world.repo.comments.values()].filter((comment) => comment.issue === ui.number);
    expect(told).toHaveLength(1);
    await expect(told[0]!.body.replace(/\n\n<!--.*-->$/, "")).toMatchFileSnapshot(
      "../fixtures/comments/mirror-close-refused.md",
    );
    // Nothing was said on the feature issue but the dashboard.
    expect(world.comments().filter((comment) => comment.issue === ISSUE)).toHaveLength(1);
  });

  it("says once that a plan needing more sub-issues than GitHub holds under one issue is not mirrored, and runs it", async () => {
    const world = feature({ config: MIRROR });
    // 98 sub-issues of people's already: room for 2, and the plan needs 3.
    for (let index = 0; index < 98; index++) {
      const sub = world.github.createIssue(world.repo, { title: `Chore ${index}`, body: "", user: MAINTAINER });
      world.github.addSubIssue(world.repo, world.issue, sub);
    }
    const probot = world.probot();
    const start = world.labeled(at(0));
    await deliver(probot, start);
    await deliver(probot, world.github.redeliver(start.id));
    expect(world.issue.subIssues).toHaveLength(98);
    const notes = world.appComments().filter((comment) => !comment.body.includes("parallel-coordinator:dashboard"));
    expect(notes).toHaveLength(1);
    await expect(notes[0]!.body.replace(/\n\n<!--.*-->$/, "")).toMatchFileSnapshot(
      "../fixtures/comments/mirror-too-many.md",
    );
    expect(world.dispatches().map((run) => run.inputs.key)).toEqual(["pc-1-api-1", "pc-1-styles-1"]);
    expect(world.state().status).toBe("running");
  });

  it("labels a blocked batch's sub-issue so, running again on /retry, and opens again what the app closed too early", async () => {
    const world = feature({ config: MIRROR });
    const probot = world.probot();
    await deliver(probot, world.labeled(at(0)));
    const api = subIssue(world, "Notification API");
    await deliver(probot, world.finishRun("pc-1-api-1", { at: at(5), conclusion: "failure" }));
    expect(api.labels).toEqual(["batch: running"]);
    await deliver(probot, world.finishRun("pc-1-api-2", { at: at(10), conclusion: "failure" }));
    expect(statuses(world.state()).api).toBe("blocked");
    expect([api.state, api.labels]).toEqual(["open", ["batch: blocked"]]);
    // A person's own labels stay; the app's status label is the one it changes.
    world.github.addLabel(world.repo, api, "needs-design", MAINTAINER);
    await deliver(probot, world.comment("/retry 1", MAINTAINER, at(12)));
    expect(api.labels).toEqual(["needs-design", "batch: running"]);

    // The bell's sub-issue closed by the app's own hand while its batch is to run: the next step opens it again.
    const ui = subIssue(world, "Notification bell");
    world.github.closeIssue(world.repo, ui, APP_LOGIN);
    await deliver(probot, world.finishRun("pc-1-styles-1", { files: ["frontend/styles/bell.css"], at: at(15) }));
    expect([ui.state, ui.stateReason, ui.labels]).toEqual(["open", "reopened", ["batch: pending"]]);
    expect(world.github.problems).toEqual([]);
  });

  it("says once when GitHub refuses the mirror for good, and the coordination runs without it", async () => {
    const world = feature({ config: MIRROR });
    world.github.faults.add({
      route: "POST /repos/{owner}/{repo}/issues",
      status: 410,
      body: { message: "Issues are disabled for this repo", documentation_url: "https://docs.github.com/rest" },
      times: Infinity,
    });
    const probot = world.probot();
    await deliver(probot, world.labeled(at(0)));
    await deliver(probot, world.finishRun("pc-1-styles-1", { files: ["frontend/styles/bell.css"], at: at(15) }));
    expect(world.issue.subIssues).toEqual([]);
    const notes = world.appComments().filter((comment) => !comment.body.includes("parallel-coordinator:dashboard"));
    expect(notes).toHaveLength(1);
    await expect(notes[0]!.body.replace(/\n\n<!--.*-->$/, "")).toMatchFileSnapshot(
      "../fixtures/comments/mirror-refused.md",
    );
    expect(statuses(world.state())).toEqual({ api: "dispatched", styles: "accepted", ui: "pending" });
  });

  it("in the Actions bot, a close nudges the feature issue's coordinator run, which takes it as /skip", async () => {
    const COORDINATOR = ".github/workflows/parallel-coordinator.yml";
    const world = feature({ config: MIRROR, files: { [COORDINATOR]: coordinatorWorkflow() } });
    const bot = new Probot(world.probotOptions());
    void bot.load(
      createActionsApp({ stateSecret, wait: true, workflow: "parallel-coordinator.yml", clock: () => world.now }),
    );
    await deliver(bot, world.labeled(at(0)));
    const ui = subIssue(world, "Notification bell");
    world.now = at(5);
    world.github.closeIssue(world.repo, ui, MAINTAINER);
    // The close's own run holds the sub-issue's concurrency group: it changes nothing, and nudges the feature issue.
    await deliver(bot, closedDelivery(world, ui.number));
    expect(statuses(world.state()).ui).toBe("pending");
    const nudge = [...world.repo.runs.values()].findLast(
      (run) => run.path === COORDINATOR && run.event === "workflow_dispatch",
    )!;
    expect(nudge).toMatchObject({ group: "parallel-coordinator-1" });
    expect((nudge.payload as { inputs: unknown }).inputs).toEqual({ issue: "1" });
    await deliver(bot, { id: "nudge-1", name: "workflow_dispatch", payload: nudge.payload } as never);
    expect(statuses(world.state()).ui).toBe("skipped");
    expect(ui.labels).toEqual(["batch: skipped"]);
    expect(world.github.problems).toEqual([]);
  });

  it("never starts a coordination on a batch's sub-issue, whatever label it is given", async () => {
    const world = feature({ config: MIRROR });
    const probot = world.probot();
    await deliver(probot, world.labeled(at(0)));
    const api = subIssue(world, "Notification API");
    const calls = world.github.calls.length;
    world.github.addLabel(world.repo, api, "parallel-coordinator", MAINTAINER);
    await deliver(probot, world.sent.at(-1)!);
    expect(world.github.calls).toHaveLength(calls);
    expect([...world.repo.comments.values()].filter((comment) => comment.issue === api.number)).toEqual([]);
  });

  it("takes no close of an issue that only copies a batch's marker as anything", async () => {
    const world = feature({ config: MIRROR });
    const probot = world.probot();
    await deliver(probot, world.labeled(at(0)));
    const body = world.repo.issues.get(2)!.body;
    // A person's copy, and a bot's issue that is no sub-issue of the feature: neither is the mirror's.
    const copy = world.github.createIssue(world.repo, { title: "Copy", body, user: MAINTAINER });
    const stray = world.github.createIssue(world.repo, { title: "Stray", body, user: APP_LOGIN });
    for (const issue of [copy, stray]) {
      world.github.closeIssue(world.repo, issue, MAINTAINER);
      await deliver(probot, closedDelivery(world, issue.number));
    }
    expect(statuses(world.state())).toEqual({ api: "dispatched", styles: "dispatched", ui: "pending" });
    expect([copy.state, stray.state]).toEqual(["closed", "closed"]);
    expect(world.comments()).toHaveLength(1);
  });

  it("reads the sub-issues as a conditional request: a step that finds them unchanged costs no rate limit", async () => {
    const world = feature({ config: MIRROR });
    const probot = world.probot();
    await deliver(probot, world.labeled(at(0)));
    // Runs older than pause.cancelWithinMinutes go on: no batch changes, so neither does any sub-issue.
    await deliver(probot, world.comment("/pause", MAINTAINER, at(5)));
    await deliver(probot, world.comment("/resume", MAINTAINER, at(6)));
    const lists = world.github.calls.filter(
      (call) => call.route === "GET /repos/{owner}/{repo}/issues/{issue_number}/sub_issues",
    );
    expect(lists.map((call) => call.status).slice(-2)).toEqual([200, 304]);
  });

  it("mirrors nothing without the config's say-so", async () => {
    const world = feature();
    const probot = world.probot();
    await deliver(probot, world.labeled(at(0)));
    expect(world.issue.subIssues).toEqual([]);
    expect(world.github.calls.some((call) => call.route.includes("sub_issues"))).toBe(false);
  });
});
