/**
 * A damaged or deleted dashboard, restored from the newest checkpoint comment
 * and brought up to what GitHub records after it: batches accepted since then
 * stay accepted, the run out since then is checked in when it ends, nothing
 * is dispatched twice, and the feature finishes.
 */
import { describe, expect, it } from "vitest";
import type { Probot } from "probot";
import { useGitHubApi } from "../helpers/github.js";
import { R, deliver, useWorlds, type World } from "./world.js";
import { T0, at, finish, notifications } from "./notifications.js";

// No request leaves for the network: the app's Octokit talks to the fake GitHub only.
useGitHubApi();
useWorlds();
const KEYS = ["pc-1-api-1", "pc-1-styles-1", "pc-1-icons-1", "pc-1-icons-2", "pc-1-model-1", "pc-1-ui-1"];

/**
 * Labelled at T0 (api, styles); styles accepted at +9 (icons starts); /pause at +10
 * cancels icons; api accepted at +15, so the pause takes hold with its checkpoint.
 */
async function pausedAfterTwo(world: World, probot: Probot): Promise<void> {
  await deliver(probot, world.labeled(T0));
  await deliver(probot, finish(world, world.dispatchOf("styles"), T0, at(9)));
  const icons = world.dispatchOf("icons");
  await deliver(probot, world.comment("/pause", "maintainer", at(10)));
  await deliver(probot, finish(world, icons, at(9), at(10), {}, "cancelled"));
  await deliver(probot, finish(world, world.dispatchOf("api"), T0, at(15)));
  expect(world.state().status).toBe("paused");
}

function statuses(world: World): Record<string, string> {
  return Object.fromEntries(Object.entries(world.state().batches).map(([id, batch]) => [id, batch.status]));
}

function finished(world: World): void {
  expect(world.state().status).toBe("done");
  expect(Object.values(statuses(world))).toEqual(["accepted", "accepted", "accepted", "accepted", "accepted"]);
  expect(world.dispatches().map((run) => run.inputs.key)).toEqual(KEYS);
  expect(new Set(world.merged()).size).toBe(5);
  expect(world.merged()).toHaveLength(5);
  expect(world.pulls().filter((pull) => pull.base === "master")).toHaveLength(1);
  expect(world.appComments().filter((comment) => comment.body.includes("### ✅ Feature complete"))).toHaveLength(1);
  // No agent is told about the restore: it is for people.
  for (const run of world.dispatches()) expect(run.inputs.brief).not.toContain("restored");
  expect(world.github.problems).toEqual([]);
}

describe("a dashboard deleted after later batches were accepted", () => {
  it("is restored with them accepted and the run out adopted; the run is checked in and the feature finishes", async () => {
    const world = notifications();
    const probot = world.probot();
    await pausedAfterTwo(world, probot);
    // /resume at +75 (its answer carries the state: the newest snapshot): icons runs again, model starts.
    await deliver(probot, world.comment("/resume", "maintainer", at(75)));
    // icons is accepted at +95 (ui takes the frontend), model at +96.
    await deliver(probot, finish(world, world.dispatchOf("icons"), at(75), at(95)));
    await deliver(probot, finish(world, world.dispatchOf("model"), at(75), at(96)));
    expect(statuses(world)).toEqual({
      api: "accepted",
      styles: "accepted",
      icons: "accepted",
      model: "accepted",
      ui: "dispatched",
    });
    const [icons, model, ui] = ["icons", "model", "ui"].map((batch) => world.dispatchOf(batch));
    const [iconsPull, modelPull] = [icons!, model!].map(
      (run) =>
        world.pulls().find((pull) => pull.head === run.headBranch && pull.body.includes(`"run": ${run.id}`))!.number,
    );

    // A person deletes the dashboard.
    world.github.deleteComment(world.repo, world.dashboard()!, "maintainer");
    world.take();
    await deliver(probot, finish(world, ui!, at(95), at(115)));

    const requests = world.take();
    expect(requests.slice(0, 3)).toEqual([
      `GET ${R}/issues/1/comments`,
      `GET ${R}/pulls`,
      `GET ${R}/actions/workflows/parallel-coordinator-agent.yml/runs`,
    ]);
    finished(world);
    const state = world.state();
    expect(state.head).toBe(world.repo.pulls.get(world.merged().at(-1)!)!.mergeCommitSha);
    expect(state.batches.ui!.runs).toMatchObject([{ attempt: 1, id: ui!.id, outcome: "accepted" }]);
    expect(state.restores).toEqual([
      `The dashboard's state was restored from the latest checkpoint comment at ${at(115)}: the dashboard is missing. Recovered from GitHub: run ${icons!.id} of batch 3 adopted and merged in #${iconsPull}; run ${model!.id} of batch 4 adopted and merged in #${modelPull}; run ${ui!.id} of batch 5 adopted.`,
    ]);
    expect(world.dashboardText()).toContain("restored from the latest checkpoint comment");
    // The dashboard was posted again, once.
    expect(
      world.appComments().filter((comment) => comment.body.includes("<!-- parallel-coordinator:dashboard -->")),
    ).toHaveLength(1);
  });
});

describe("a dashboard damaged or deleted right after the pause checkpoint", () => {
  it("is restored from the checkpoint with nothing newer: /resume dispatches what it would have, and the feature finishes", async () => {
    const world = notifications();
    const probot = world.probot();
    await pausedAfterTwo(world, probot);
    const before = world.state();
    // A person edits the state block of the dashboard.
    const dashboard = world.dashboard()!;
    const edited = dashboard.body.replace(
      /(parallel-coordinator:state v\d+ )([A-Za-z0-9_-]{12})/,
      (_all, head: string, start: string) => `${head}${start.split("").reverse().join("")}`,
    );
    world.github.editComment(world.repo, dashboard, edited, "maintainer");

    const dispatched = world.dispatches().length;
    await deliver(probot, world.comment("/resume", "maintainer", at(75)));
    // Exactly what the resume of an undamaged dashboard dispatches.
    expect(
      world
        .dispatches()
        .slice(dispatched)
        .map((run) => run.inputs.key),
    ).toEqual(["pc-1-icons-2", "pc-1-model-1"]);
    const state = world.state();
    expect(state.restores).toEqual([
      `The dashboard's state was restored from the latest checkpoint comment at ${at(75)}: the state's signature does not match: it was changed by someone other than the app. GitHub records nothing newer.`,
    ]);
    expect({ ...state.batches.api, ...state.batches.styles }).toEqual({
      ...before.batches.api,
      ...before.batches.styles,
    });

    await deliver(probot, finish(world, world.dispatchOf("icons"), at(75), at(95)));
    await deliver(probot, finish(world, world.dispatchOf("model"), at(75), at(96)));
    await deliver(probot, finish(world, world.dispatchOf("ui"), at(95), at(115)));
    finished(world);
    // The note stays on the dashboard; the restore happened once.
    expect(world.state().restores).toHaveLength(1);
  });

  it("keeps its note through a re-plan", async () => {
    const world = notifications();
    const probot = world.probot();
    await pausedAfterTwo(world, probot);
    world.github.deleteComment(world.repo, world.dashboard()!, "maintainer");
    await deliver(probot, world.comment("/resume", "maintainer", at(75)));
    // Paused again at once (both runs are young, so cancelled), then re-planned.
    await deliver(probot, world.comment("/pause", "maintainer", at(76)));
    await deliver(probot, world.comment("/plan", "maintainer", at(77)));
    const state = world.state();
    expect(state.notes).toEqual([`Re-planned by @maintainer at ${at(77)}.`]);
    expect(state.restores).toEqual([
      expect.stringContaining("the dashboard is missing. GitHub records nothing newer."),
    ]);
    expect(world.github.problems).toEqual([]);
  });
});
