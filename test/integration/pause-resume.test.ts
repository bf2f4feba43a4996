/**
 * /pause, then the app is restarted (a brand-new Probot instance: nothing of the
 * old one survives but what GitHub holds), then /resume — an hour or days
 * later — and the feature runs to its final pull request, with no batch run
 * twice and none lost.
 */
import { describe, expect, it } from "vitest";
import type { Probot } from "probot";
import type { WorkflowRun } from "../../src/fakeGitHub/repository.js";
import { useGitHubApi } from "../helpers/github.js";
import { deliver, useWorlds, type World } from "./world.js";
import { T0, at, finish, notifications } from "./notifications.js";

// No request leaves for the network: the app's Octokit talks to the fake GitHub only.
useGitHubApi();
useWorlds();

/** When each dispatch happened, by run id: the run starts then. */
function startedAt(world: World, times: Map<number, string>, when: string): void {
  for (const run of world.dispatches()) if (!times.has(run.id)) times.set(run.id, when);
}

describe("pause, restart, resume", () => {
  for (const [label, later, restart] of [
    ["an hour later", 60, "after the checkpoint"],
    ["three days later", 3 * 24 * 60, "after the checkpoint"],
    ["three days later", 3 * 24 * 60, "while the pause waits for a running batch"],
  ] as const) {
    it(`restarted ${restart}, resumed ${label}: the feature finishes, no batch ran twice, none was lost`, async () => {
      const world = notifications();
      const started = new Map<number, string>();
      let probot: Probot = world.probot();

      // Labelled at T0: `api` (backend) and `styles` (frontend) start.
      await deliver(probot, world.labeled(T0));
      startedAt(world, started, T0);
      expect(world.dispatches().map((run) => run.inputs.key)).toEqual(["pc-1-api-1", "pc-1-styles-1"]);

      // `styles` is accepted at +9: `icons` takes the frontend.
      await deliver(probot, finish(world, world.dispatchOf("styles"), T0, at(9)));
      startedAt(world, started, at(9));
      expect(world.dispatchOf("icons").inputs.key).toBe("pc-1-icons-1");
      const icons = world.dispatchOf("icons");

      // /pause at +10: `icons` (1 min along) is cancelled, `api` (10 min along) finishes.
      await deliver(probot, world.comment("/pause waiting for the API review", "maintainer", at(10)));
      expect(world.cancelled()).toEqual([icons.id]);
      expect(world.appComments().at(-1)!.body).toContain("⏸ Pausing: no new batches start.");
      // GitHub reports the cancelled run; the app has recorded it already.
      const before = world.dispatches().length;
      const writes = world.writes().length;
      await deliver(probot, finish(world, icons, at(9), at(10), {}, "cancelled"));
      expect(world.writes()).toHaveLength(writes);
      if (restart === "while the pause waits for a running batch") probot = world.probot();
      // `api` is accepted at +15: nothing runs any more, so the pause takes hold with its checkpoint.
      await deliver(probot, finish(world, world.dispatchOf("api"), T0, at(15)));
      expect(world.dispatches()).toHaveLength(before);
      expect(world.state().status).toBe("paused");
      const checkpoints = world.appComments().filter((comment) => comment.body.includes("### ⏸ Session checkpoint"));
      expect(checkpoints).toHaveLength(1);
      expect(checkpoints[0]!.body).toContain(`Paused by @maintainer at ${at(10)}: waiting for the API review`);
      expect(checkpoints[0]!.body).toContain("- ✅ Completed: 2 batches");
      expect(checkpoints[0]!.body).toContain("- ⏳ Pending: 3 batches");
      expect(world.dashboardText()).toContain("**Status**: ⏸ paused");
      expect(world.dashboardText()).toContain(`Paused by @maintainer at ${at(10)}: waiting for the API review`);

      // The app is restarted: a new instance, with nothing but what GitHub holds.
      if (restart === "after the checkpoint") probot = world.probot();
      const resumeAt = at(15 + later);
      const resumedFrom = world.dispatches().length;
      await deliver(probot, world.comment("/resume", "maintainer", resumeAt));
      startedAt(world, started, resumeAt);
      const resumed = world.appComments().find((comment) => comment.body.includes("### 🔄 Resumed by @maintainer"));
      expect(resumed?.body).toContain("#### Previous progress");
      expect(resumed?.body).toContain("✅ Completed (2):");
      expect(resumed?.body).toContain("#### Continuing from");
      expect(resumed?.body).toContain("#### Context loaded");
      expect(resumed?.body).toContain("api: exports apiClient (batch 1)");
      // The cancelled batch goes on from its branch with its next attempt; the backend takes `model`.
      expect(
        world
          .dispatches()
          .slice(resumedFrom)
          .map((run) => [run.inputs.key, run.headBranch]),
      ).toEqual([
        ["pc-1-icons-2", "parallel-coordinator/1-frontend"],
        ["pc-1-model-1", "parallel-coordinator/1-backend"],
      ]);
      expect(world.state().status).toBe("running");
      expect(world.dashboardText()).toContain(`Resumed by @maintainer at ${resumeAt}`);

      // Every run that is out ends well, in turn, twenty minutes after it started, until nothing runs.
      const done = new Set<number>([icons.id, world.dispatchOf("api").id, world.dispatchOf("styles").id]);
      for (let round = 0; round < 10; round++) {
        const open: WorkflowRun | undefined = world.dispatches().find((run) => !done.has(run.id));
        if (open === undefined) break;
        done.add(open.id);
        const start = started.get(open.id)!;
        const end = new Date(Date.parse(start) + 20 * 60_000).toISOString().replace(/\.000Z$/, "Z");
        await deliver(probot, finish(world, open, start, end));
        startedAt(world, started, end);
      }

      const state = world.state();
      expect(state.status).toBe("done");
      expect(Object.fromEntries(Object.entries(state.batches).map(([id, batch]) => [id, batch.status]))).toEqual({
        api: "accepted",
        styles: "accepted",
        icons: "accepted",
        model: "accepted",
        ui: "accepted",
      });
      // No batch ran twice: every dispatch key is new, and only the cancelled `icons` had a second attempt.
      const keys = world.dispatches().map((run) => run.inputs.key!);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys).toEqual([
        "pc-1-api-1",
        "pc-1-styles-1",
        "pc-1-icons-1",
        "pc-1-icons-2",
        "pc-1-model-1",
        "pc-1-ui-1",
      ]);
      expect(new Set(world.merged()).size).toBe(world.merged().length);
      expect(world.merged()).toHaveLength(5);
      // None was lost: the final pull request holds all five.
      const finalPulls = world.pulls().filter((pull) => pull.base === "master");
      expect(finalPulls).toHaveLength(1);
      expect(finalPulls[0]).toMatchObject({ head: "parallel-coordinator/1", base: "master" });
      expect(finalPulls[0]!.body).toContain("5 batches accepted");
      expect(world.appComments().filter((comment) => comment.body.includes("### ✅ Feature complete"))).toHaveLength(1);
      expect(world.github.problems).toEqual([]);
    });
  }
});
