/**
 * A domain branch serves its domain's batches one after another, so its open
 * pull request may be a later batch's: a run is checked in only on the pull
 * request whose report names it.
 */
import { describe, expect, it } from "vitest";
import { useGitHubApi } from "../helpers/github.js";
import { R, deliver, useWorlds } from "./world.js";
import { DASHBOARD, at, feature, statuses } from "./feature.js";

// No request leaves for the network: the app's Octokit talks to the fake GitHub only.
useGitHubApi();
useWorlds();

describe("a check-in whose step failed after its merge and the next batch's dispatch", () => {
  it("redelivered after the next batch opened its pull request from the same branch: judged on its own merged pull request, nothing run again, no blocker", async () => {
    const world = feature();
    const probot = world.probot();
    await deliver(probot, world.labeled(at(0)));
    // api first: ui (frontend, needs api) waits for styles to free the frontend branch.
    await deliver(probot, world.finishRun("pc-1-api-1", { files: ["backend/api/routes.py"], at: at(10) }));
    // styles is accepted, merged, ui dispatched on the frontend branch: then the dashboard write fails.
    world.github.faults.add({ route: DASHBOARD, status: 500 });
    const styles = world.finishRun("pc-1-styles-1", { files: ["frontend/styles/bell.css"], at: at(15) });
    await expect(deliver(probot, styles)).rejects.toThrow();
    const stylesPull = world.pulls().find((pull) => pull.head === "parallel-coordinator/1-frontend")!;
    expect(stylesPull.merged).toBe(true);
    // ui's run opens its own pull request from the frontend branch before styles' check-in is redelivered.
    const ui = world.finishRun("pc-1-ui-1", { files: ["frontend/bell/Bell.tsx"], at: at(30) });
    const uiPull = world
      .pulls()
      .find((pull) => pull.head === "parallel-coordinator/1-frontend" && pull.state === "open")!;
    await deliver(probot, world.github.redeliver(styles.id));
    await deliver(probot, world.github.redeliver(ui.id));

    const state = world.state();
    expect(statuses(state)).toEqual({ api: "accepted", styles: "accepted", ui: "accepted" });
    expect(state.batches.styles!.pr).toBe(stylesPull.number);
    expect(state.batches.ui!.pr).toBe(uiPull.number);
    expect(state.status).toBe("done");
    expect(world.dispatches().map((run) => run.inputs.key)).toEqual(["pc-1-api-1", "pc-1-styles-1", "pc-1-ui-1"]);
    // One ✓ check run per batch, each on its own pull request's head; no blocker.
    expect(world.checkRuns().map((run) => [run.name, run.conclusion])).toEqual([
      ["parallel-coordinator / batch 1", "success"],
      ["parallel-coordinator / batch 2", "success"],
      ["parallel-coordinator / batch 3", "success"],
    ]);
    expect(world.appComments().some((comment) => comment.body.includes("Blocker"))).toBe(false);
    // Each batch's pull request merged once; styles' merge was not asked for again.
    const apiPull = world.pulls().find((pull) => pull.head === "parallel-coordinator/1-backend")!;
    expect(world.merged()).toEqual([apiPull.number, stylesPull.number, uiPull.number]);
    expect(
      world.github.calls.filter(
        (call) => call.method === "PUT" && call.path === `${R}/pulls/${stylesPull.number}/merge`,
      ),
    ).toHaveLength(1);
  });
});
