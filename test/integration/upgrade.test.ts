/**
 * A coordination across releases of the app: it runs the plan it was started
 * with whatever the issue body says later; a state an older release wrote is
 * taken up; one a newer release wrote is left alone, and people are told so.
 */
import { describe, expect, it } from "vitest";
import { APP_LOGIN } from "../../src/fakeGitHub/conventions.js";
import { stateKey } from "../../src/state/codec.js";
import { stateVersion } from "../../src/state/stateSchema.js";
import { useGitHubApi } from "../helpers/github.js";
import { asVersion1, stateBlock, withBlock } from "../state/stateFixtures.js";
import { stateSecret } from "./appHarness.js";
import { ISSUE_BODY, T0, at, finish, notifications } from "./notifications.js";
import { deliver, useWorlds, type World } from "./world.js";

useGitHubApi();
useWorlds();

const key = stateKey(stateSecret);

/** The app's dashboard, its state block replaced by `value`, signed as the app signs. */
function rewriteState(world: World, value: Parameters<typeof stateBlock>[0]): void {
  const dashboard = world.dashboard()!;
  world.github.editComment(world.repo, dashboard, withBlock(dashboard.body, stateBlock(value, key)), APP_LOGIN);
}

function statuses(world: World): Record<string, string> {
  return Object.fromEntries(Object.entries(world.state().batches).map(([id, batch]) => [id, batch.status]));
}

describe("an issue body edited while its coordination runs", () => {
  // Only `/plan` on a paused coordination reads the body again (commands.test.ts, "/plan on a paused coordination").
  it("changes nothing: the coordination runs the plan it was started with to its end", async () => {
    const world = notifications();
    const probot = world.probot();
    await deliver(probot, world.labeled(T0));
    const dashboard = world.dashboardText();
    // `ui` taken out, `docs` added, `model` renamed and moved to the frontend.
    const edited = ISSUE_BODY.replace(
      /^ {2}- \{ id: ui,.*\n/m,
      '  - { id: docs, title: Bell docs, domain: frontend, files: ["frontend/docs/**"], estimate: 20 }\n',
    ).replace("title: Notification model, domain: backend", "title: Notification store, domain: frontend");
    expect(edited).not.toContain("id: ui");
    world.github.editIssue(world.repo, world.issue, edited, "maintainer");

    await deliver(probot, world.comment("/status", "maintainer", at(1)));
    expect(world.dashboardText()).toBe(dashboard);
    for (const [batch, ended] of [
      ["api", 15],
      ["styles", 16],
      ["model", 35],
      ["icons", 36],
      ["ui", 56],
    ] as const) {
      await deliver(probot, finish(world, world.dispatchOf(batch), at(ended - 15), at(ended)));
    }
    expect(world.state().status).toBe("done");
    expect(world.dispatches().map((run) => run.inputs.batch)).toEqual(["api", "styles", "model", "icons", "ui"]);
    // `model` ran in the backend, as planned, after `api` on the same branch.
    expect(world.dispatchOf("model").headBranch).toBe(world.dispatchOf("api").headBranch);
    expect(world.dashboardText()).toContain("Notification model");
    expect(world.dashboardText()).not.toContain("Bell docs");
    expect(world.github.problems).toEqual([]);
  });
});

describe("a state written by the previous version of the app (v1: the body as planned, no plan)", () => {
  it("is taken up as it is: the coordination goes on with the plan that body gave, and the state is written back in this version", async () => {
    const world = notifications();
    const probot = world.probot();
    await deliver(probot, world.labeled(T0));
    const before = world.state();
    // What v1 wrote at this moment; the issue body has been edited since, which v1 did not read either.
    rewriteState(world, asVersion1(before, ISSUE_BODY));
    world.github.editIssue(world.repo, world.issue, "# Notifications\n\nNothing to plan any more.\n", "maintainer");
    expect(world.dashboard()!.body).toContain("parallel-coordinator:state v1 ");

    await deliver(probot, finish(world, world.dispatchOf("api"), T0, at(15)));
    expect(world.dashboard()!.body).toContain(`parallel-coordinator:state v${stateVersion} `);
    expect(world.state().plan).toEqual(before.plan);
    // `api` accepted: `model` takes the backend; `ui` waits for the frontend, where `styles` runs.
    expect(statuses(world)).toEqual({
      api: "accepted",
      styles: "dispatched",
      icons: "pending",
      model: "dispatched",
      ui: "pending",
    });
    expect(world.dispatches().map((run) => run.inputs.batch)).toEqual(["api", "styles", "model"]);
    expect(world.github.problems).toEqual([]);
  });
});

describe("a state written by a newer version of the app (after a rollback, or on an old replica during a deploy)", () => {
  it("is left untouched: nothing is dispatched, merged or answered, and people are told why, once", async () => {
    const world = notifications();
    const probot = world.probot();
    await deliver(probot, world.labeled(T0));
    rewriteState(world, { ...world.state(), version: stateVersion + 1 });
    const dashboard = world.dashboard()!.body;
    const comments = world.appComments().length;
    const dispatched = world.dispatches().length;

    world.take();
    await deliver(probot, finish(world, world.dispatchOf("api"), T0, at(15)));
    await deliver(probot, world.comment("/status", "maintainer", at(16)));
    await deliver(probot, world.comment("/abort", "maintainer", at(17)));

    expect(world.dashboard()!.body).toBe(dashboard);
    expect(world.dispatches()).toHaveLength(dispatched);
    expect(world.merged()).toEqual([]);
    expect(world.cancelled()).toEqual([]);
    expect(world.reactions()).toEqual([]);
    const told = world.appComments().slice(comments);
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toContain("### ⚠ parallel-coordinator cannot read this coordination's state");
    expect(told[0]!.body).toContain(
      `It was written by a newer version of the app (state v${stateVersion + 1}) than the one running now, which reads states up to v${stateVersion}.`,
    );
    expect(world.github.problems).toEqual([]);
  });
});
