/**
 * Every event that names a coordination brings its state up to what GitHub
 * holds before it is decided on: a run the state does not record is adopted,
 * not dropped; a completion that never arrived is checked in on its own pull
 * request; nothing is dispatched twice and no blocker is false.
 */
import { describe, expect, it } from "vitest";
import { useGitHubApi } from "../helpers/github.js";
import { deliver, useWorlds, type World } from "./world.js";
import { DASHBOARD, at, feature, statuses } from "./feature.js";

// No request leaves for the network: the app's Octokit talks to the fake GitHub only.
useGitHubApi();
useWorlds();

/** The whole feature is done: every batch accepted once, one dispatch each, one ✓ check run each, no blocker. */
function finished(world: World): void {
  const state = world.state();
  expect(state.status).toBe("done");
  expect(statuses(state)).toEqual({ api: "accepted", styles: "accepted", ui: "accepted" });
  expect(
    world
      .dispatches()
      .map((run) => run.inputs.key)
      .sort(),
  ).toEqual(["pc-1-api-1", "pc-1-styles-1", "pc-1-ui-1"]);
  expect(world.checkRuns().map((run) => run.conclusion)).toEqual(["success", "success", "success"]);
  expect(world.merged()).toHaveLength(3);
  expect(world.appComments().some((comment) => comment.body.includes("Blocker"))).toBe(false);
  expect(world.appComments().filter((comment) => comment.body.includes("### ✅ Feature complete"))).toHaveLength(1);
}

describe("a step that never wrote the state", () => {
  for (const restart of [false, true]) {
    it(`after the merge and the next batch's dispatch: the next run's completion, to ${restart ? "a restarted app" : "the same app"}, adopts that batch, checks in the lost one first, and the feature finishes`, async () => {
      const world = feature();
      let probot = world.probot();
      await deliver(probot, world.labeled(at(0)));
      await deliver(probot, world.finishRun("pc-1-api-1", { files: ["backend/api/routes.py"], at: at(10) }));
      // styles is accepted, merged, ui dispatched on the frontend branch: then the step dies before the dashboard.
      world.github.faults.add({ route: DASHBOARD, status: 500 });
      await expect(
        deliver(probot, world.finishRun("pc-1-styles-1", { files: ["frontend/styles/bell.css"], at: at(15) })),
      ).rejects.toThrow();
      expect(statuses(world.state())).toEqual({ api: "accepted", styles: "dispatched", ui: "pending" });
      if (restart) probot = world.probot();
      // Nobody redelivers styles' completion: ui's own brings the coordination up to date.
      await deliver(probot, world.finishRun("pc-1-ui-1", { files: ["frontend/bell/Bell.tsx"], at: at(30) }));
      finished(world);
      expect(world.state().batches.ui!.runs).toMatchObject([
        { attempt: 1, id: world.runOf("pc-1-ui-1").id, outcome: "accepted" },
      ]);
    });
  }
});

describe("a completion GitHub never delivered", () => {
  it("of a run that opened its pull request: the next event sees the pull request name a run still out, and checks it in first", async () => {
    const world = feature();
    const probot = world.probot();
    await deliver(probot, world.labeled(at(0)));
    world.github.faults.dropWebhook({ event: "workflow_run.completed" });
    world.finishRun("pc-1-styles-1", { files: ["frontend/styles/bell.css"], at: at(15) });
    expect(world.state().batches.styles!.status).toBe("dispatched");
    await deliver(probot, world.finishRun("pc-1-api-1", { files: ["backend/api/routes.py"], at: at(18) }));
    expect(statuses(world.state())).toEqual({ api: "accepted", styles: "accepted", ui: "dispatched" });
    await deliver(probot, world.finishRun("pc-1-ui-1", { files: ["frontend/bell/Bell.tsx"], at: at(40) }));
    finished(world);
  });

  it("of a run that failed: a person's /status after a restart finds it, retries it, and answers with what holds now", async () => {
    const world = feature();
    let probot = world.probot();
    await deliver(probot, world.labeled(at(0)));
    world.github.faults.dropWebhook({ event: "workflow_run.completed" });
    world.finishRun("pc-1-api-1", { at: at(5), conclusion: "failure" });
    probot = world.probot();
    await deliver(probot, world.comment("/status", "maintainer", at(6)));
    const api = world.state().batches.api!;
    expect(api.runs.map((run) => [run.key, run.outcome])).toEqual([
      ["pc-1-api-1", "failed"],
      ["pc-1-api-2", undefined],
    ]);
    expect(world.dispatchOf("api").inputs.key).toBe("pc-1-api-2");
  });
});
