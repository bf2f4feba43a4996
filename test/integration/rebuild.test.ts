/**
 * A dashboard deleted, or its signed state edited, by a person: the webhook
 * says who and carries the state it held, and the dashboard is written again
 * from it at once. When that webhook never came and no checkpoint carries the
 * state, the state is rebuilt from the issue's breakdown and what GitHub
 * records when the next event names the coordination; a state that cannot be
 * rebuilt gets one clear comment, never silence.
 */
import { describe, expect, it } from "vitest";
import { useGitHubApi } from "../helpers/github.js";
import { deliver, useWorlds, type World } from "./world.js";
import { BODY, at, feature, statuses } from "./feature.js";

// No request leaves for the network: the app's Octokit talks to the fake GitHub only.
useGitHubApi();
useWorlds();

const DASHBOARDS = "<!-- parallel-coordinator:dashboard -->";

/** The rest of the feature from api and styles running: each batch's run ends, and the feature finishes. */
async function finishes(world: World, probot: ReturnType<World["probot"]>): Promise<void> {
  await deliver(probot, world.finishRun("pc-1-styles-1", { files: ["frontend/styles/bell.css"], at: at(15) }));
  await deliver(probot, world.finishRun("pc-1-api-1", { files: ["backend/api/routes.py"], at: at(18) }));
  await deliver(probot, world.finishRun("pc-1-ui-1", { files: ["frontend/bell/Bell.tsx"], at: at(30) }));
  const state = world.state();
  expect(state.status).toBe("done");
  expect(statuses(state)).toEqual({ api: "accepted", styles: "accepted", ui: "accepted" });
  expect(world.dispatches().map((run) => run.inputs.key)).toEqual(["pc-1-api-1", "pc-1-styles-1", "pc-1-ui-1"]);
  expect(world.appComments().some((comment) => comment.body.includes("Blocker"))).toBe(false);
  expect(world.appComments().filter((comment) => comment.body.includes(DASHBOARDS))).toHaveLength(1);
}

/** Labelled at 0: api and styles run; the app wrote only the dashboard, so no checkpoint carries the state. */
async function running(): Promise<{ world: World; probot: ReturnType<World["probot"]> }> {
  const world = feature();
  const probot = world.probot();
  await deliver(probot, world.labeled(at(0)));
  expect(world.appComments()).toHaveLength(1);
  return { world, probot };
}

describe("a person deletes the dashboard while nothing else happens", () => {
  it("it is posted again at once from the state it held, saying who deleted it; the feature finishes", async () => {
    const { world, probot } = await running();
    const before = world.state();
    world.github.deleteComment(world.repo, world.dashboard()!, "maintainer");
    await deliver(probot, world.sent.at(-1)!);
    const state = world.state();
    expect(state.restores).toEqual([
      "The dashboard was written again from the state it last held: the dashboard was deleted by @maintainer. GitHub records nothing newer.",
    ]);
    // The state it held, written once more (its count of the app's writes one up).
    expect({ ...state, restores: undefined, updatedAt: before.updatedAt, seq: before.seq }).toEqual({
      ...before,
      restores: undefined,
    });
    expect(state.seq).toBe(before.seq + 1);
    expect(world.dashboardText()).toContain("deleted by @maintainer");
    await finishes(world, probot);
  });
});

describe("a person edits the dashboard's signed state", () => {
  it("it is put back in place from the state it held before the edit, saying who changed it", async () => {
    const { world, probot } = await running();
    const dashboard = world.dashboard()!;
    const id = dashboard.id;
    world.github.editComment(
      world.repo,
      dashboard,
      dashboard.body.replace(
        /(parallel-coordinator:state v\d+ )([A-Za-z0-9_-]{12})/,
        (_all, head: string, start: string) => `${head}${start.split("").reverse().join("")}`,
      ),
      "maintainer",
    );
    await deliver(probot, world.sent.at(-1)!);
    expect(world.dashboard()!.id).toBe(id);
    expect(world.state().restores).toEqual([
      "The dashboard was written again from the state it last held: its signed state was changed by @maintainer. GitHub records nothing newer.",
    ]);
    await finishes(world, probot);
  });

  it("ticking a box leaves the state as it was: nothing is written", async () => {
    const { world, probot } = await running();
    const dashboard = world.dashboard()!;
    world.github.editComment(world.repo, dashboard, dashboard.body.replace("- [ ]", "- [x]"), "maintainer");
    const from = world.github.calls.length;
    await deliver(probot, world.sent.at(-1)!);
    expect(world.writes(from)).toEqual([]);
  });
});

describe("the dashboard deleted, the webhook lost, no checkpoint", () => {
  it("the next completion rebuilds the state from the breakdown and GitHub's records, says so, and the feature finishes", async () => {
    const { world, probot } = await running();
    world.github.deleteComment(world.repo, world.dashboard()!, "maintainer");
    const restarted = world.probot();
    await deliver(restarted, world.finishRun("pc-1-styles-1", { files: ["frontend/styles/bell.css"], at: at(15) }));
    const state = world.state();
    expect(state.restores).toEqual([
      `The dashboard's state was rebuilt at ${at(15)} from the issue's breakdown and GitHub's records, since no comment carries it: its dashboard was deleted or damaged, and no checkpoint comment carries the state. Recovered from GitHub: run ${world.runOf("pc-1-api-1").id} of batch 1 adopted; run ${world.runOf("pc-1-styles-1").id} of batch 2 adopted and ended (success).`,
    ]);
    expect(statuses(state)).toEqual({ api: "dispatched", styles: "accepted", ui: "pending" });
    await deliver(probot, world.finishRun("pc-1-api-1", { files: ["backend/api/routes.py"], at: at(18) }));
    await deliver(probot, world.finishRun("pc-1-ui-1", { files: ["frontend/bell/Bell.tsx"], at: at(30) }));
    expect(world.state().status).toBe("done");
    expect(world.dispatches().map((run) => run.inputs.key)).toEqual(["pc-1-api-1", "pc-1-styles-1", "pc-1-ui-1"]);
    expect(world.checkRuns()).toHaveLength(3);
  });

  it("when the breakdown no longer plans the batches its runs are of, one comment says the state cannot be rebuilt and how to go on; nothing is dispatched", async () => {
    const { world, probot } = await running();
    world.github.deleteComment(world.repo, world.dashboard()!, "maintainer");
    world.github.editIssue(world.repo, world.issue, BODY.replace("id: styles", "id: theme"), "maintainer");
    const completion = world.finishRun("pc-1-styles-1", { files: ["frontend/styles/bell.css"], at: at(15) });
    await deliver(probot, completion);
    await deliver(probot, completion);
    expect(world.dashboard()).toBeUndefined();
    const lost = world.appComments();
    expect(lost).toHaveLength(1);
    expect(lost[0]!.body).toContain("### ⚠ parallel-coordinator lost this coordination's state");
    expect(lost[0]!.body).toContain(
      "this coordination's runs are of batch `styles`, which the breakdown no longer plans",
    );
    expect(world.dispatches()).toHaveLength(2);

    // /plan starts the coordination over from the breakdown as it is now.
    await deliver(probot, world.comment("/plan", "maintainer", at(20)));
    expect(world.state()).toMatchObject({ status: "running", startedAt: at(20) });
    expect(world.dispatches().map((run) => run.inputs.key)).toEqual([
      "pc-1-api-1",
      "pc-1-styles-1",
      "pc-1-api-1",
      "pc-1-theme-1",
    ]);
  });

  it("on an issue that no longer carries the label, one comment says how to go on", async () => {
    const { world, probot } = await running();
    world.github.deleteComment(world.repo, world.dashboard()!, "maintainer");
    world.github.removeLabel(world.repo, world.issue, "parallel-coordinator", "maintainer");
    await deliver(probot, world.finishRun("pc-1-styles-1", { files: ["frontend/styles/bell.css"], at: at(15) }));
    const lost = world.appComments();
    expect(lost).toHaveLength(1);
    expect(lost[0]!.body).toContain("once the issue carries the label `parallel-coordinator`");
    expect(world.dispatches()).toHaveLength(2);

    // A maintainer adds the label: the state is rebuilt, nothing is dispatched again, and the feature finishes.
    await deliver(probot, world.labeled(at(20)));
    const state = world.state();
    expect(statuses(state)).toEqual({ api: "dispatched", styles: "accepted", ui: "pending" });
    expect(state.restores).toEqual([expect.stringContaining("rebuilt")]);
    await deliver(probot, world.finishRun("pc-1-api-1", { files: ["backend/api/routes.py"], at: at(25) }));
    await deliver(probot, world.finishRun("pc-1-ui-1", { files: ["frontend/bell/Bell.tsx"], at: at(40) }));
    expect(world.state().status).toBe("done");
    expect(world.dispatches().map((run) => run.inputs.key)).toEqual(["pc-1-api-1", "pc-1-styles-1", "pc-1-ui-1"]);
  });
});
