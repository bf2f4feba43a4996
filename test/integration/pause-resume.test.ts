/**
 * /pause, then the app is restarted (a brand-new Probot instance: nothing of the
 * old one survives but what GitHub holds), then /resume — an hour or days
 * later — and the feature runs to its final pull request, with no batch run
 * twice and none lost.
 */
import { describe, expect, it } from "vitest";
import type { Probot } from "probot";
import { useGitHubApi } from "../helpers/github.js";
import { testProbot } from "./app.js";
import { CommandsHub, at, T0, type Dispatch } from "./commandsHub.js";

useGitHubApi();

/** When each dispatch happened, by run id: the run starts then. */
function startedAt(hub: CommandsHub, times: Map<number, string>, when: string): void {
  for (const dispatch of hub.dispatches) if (!times.has(dispatch.runId)) times.set(dispatch.runId, when);
}

describe("pause, restart, resume", () => {
  for (const [label, later, restart] of [
    ["an hour later", 60, "after the checkpoint"],
    ["three days later", 3 * 24 * 60, "after the checkpoint"],
    ["three days later", 3 * 24 * 60, "while the pause waits for a running batch"],
  ] as const) {
    it(`restarted ${restart}, resumed ${label}: the feature finishes, no batch ran twice, none was lost`, async () => {
      const hub = new CommandsHub();
      hub.install();
      const started = new Map<number, string>();
      let probot: Probot = testProbot();

      // Labelled at T0: `api` (backend) and `styles` (frontend) start.
      await hub.deliver(probot, hub.labeled(T0));
      startedAt(hub, started, T0);
      expect(hub.dispatches.map((dispatch) => dispatch.inputs.key)).toEqual(["pc-1-api-1", "pc-1-styles-1"]);

      // `styles` is accepted at +9: `icons` takes the frontend.
      await hub.deliver(probot, hub.finishRun(hub.dispatchOf("styles"), T0, at(9)));
      startedAt(hub, started, at(9));
      expect(hub.dispatchOf("icons").inputs.key).toBe("pc-1-icons-1");
      const icons = hub.dispatchOf("icons");

      // /pause at +10: `icons` (1 min along) is cancelled, `api` (10 min along) finishes.
      await hub.deliver(probot, hub.comment("/pause waiting for the API review", "maintainer", at(10)));
      expect(hub.cancelled).toEqual([icons.runId]);
      expect(hub.appComments().at(-1)!.body).toContain("⏸ Pausing: no new batches start.");
      // GitHub reports the cancelled run; the app has recorded it already.
      const before = hub.dispatches.length;
      const writes = hub.writes().length;
      await hub.deliver(probot, hub.finishRun(icons, at(9), at(10), {}, "cancelled"));
      expect(hub.writes()).toHaveLength(writes);
      if (restart === "while the pause waits for a running batch") probot = testProbot();
      // `api` is accepted at +15: nothing runs any more, so the pause takes hold with its checkpoint.
      await hub.deliver(probot, hub.finishRun(hub.dispatchOf("api"), T0, at(15)));
      expect(hub.dispatches).toHaveLength(before);
      expect(hub.state().status).toBe("paused");
      const checkpoints = hub.appComments().filter((comment) => comment.body.includes("### ⏸ Session checkpoint"));
      expect(checkpoints).toHaveLength(1);
      expect(checkpoints[0]!.body).toContain(`Paused by @maintainer at ${at(10)}: waiting for the API review`);
      expect(checkpoints[0]!.body).toContain("- ✅ Completed: 2 batches");
      expect(checkpoints[0]!.body).toContain("- ⏳ Pending: 3 batches");
      expect(hub.dashboardText()).toContain("**Status**: ⏸ paused");
      expect(hub.dashboardText()).toContain(`Paused by @maintainer at ${at(10)}: waiting for the API review`);

      // The app is restarted: a new instance, with nothing but what GitHub holds.
      if (restart === "after the checkpoint") probot = testProbot();
      const resumeAt = at(15 + later);
      const resumedFrom = hub.dispatches.length;
      await hub.deliver(probot, hub.comment("/resume", "maintainer", resumeAt));
      startedAt(hub, started, resumeAt);
      const resumed = hub.appComments().find((comment) => comment.body.includes("### 🔄 Resumed by @maintainer"));
      expect(resumed?.body).toContain("#### Previous progress");
      expect(resumed?.body).toContain("✅ Completed (2):");
      expect(resumed?.body).toContain("#### Continuing from");
      expect(resumed?.body).toContain("#### Context loaded");
      expect(resumed?.body).toContain("api: exports apiClient (batch 1)");
      // The cancelled batch goes on from its branch with its next attempt; the backend takes `model`.
      expect(hub.dispatches.slice(resumedFrom).map((dispatch) => [dispatch.inputs.key, dispatch.ref])).toEqual([
        ["pc-1-icons-2", "parallel-coordinator/1-frontend"],
        ["pc-1-model-1", "parallel-coordinator/1-backend"],
      ]);
      expect(hub.state().status).toBe("running");
      expect(hub.dashboardText()).toContain(`Resumed by @maintainer at ${resumeAt}`);

      // Every run that is out ends well, in turn, twenty minutes after it started, until nothing runs.
      const done = new Set<number>([icons.runId, hub.dispatchOf("api").runId, hub.dispatchOf("styles").runId]);
      for (let round = 0; round < 10; round++) {
        const open: Dispatch | undefined = hub.dispatches.find((dispatch) => !done.has(dispatch.runId));
        if (open === undefined) break;
        done.add(open.runId);
        const start = started.get(open.runId)!;
        const end = new Date(Date.parse(start) + 20 * 60_000).toISOString().replace(/\.000Z$/, "Z");
        await hub.deliver(probot, hub.finishRun(open, start, end));
        startedAt(hub, started, end);
      }

      const state = hub.state();
      expect(state.status).toBe("done");
      expect(Object.fromEntries(Object.entries(state.batches).map(([id, batch]) => [id, batch.status]))).toEqual({
        api: "accepted",
        styles: "accepted",
        icons: "accepted",
        model: "accepted",
        ui: "accepted",
      });
      // No batch ran twice: every dispatch key is new, and only the cancelled `icons` had a second attempt.
      const keys = hub.dispatches.map((dispatch) => dispatch.inputs.key!);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys).toEqual(["pc-1-api-1", "pc-1-styles-1", "pc-1-icons-1", "pc-1-icons-2", "pc-1-model-1", "pc-1-ui-1"]);
      expect(new Set(hub.merged).size).toBe(hub.merged.length);
      expect(hub.merged).toHaveLength(5);
      // None was lost: the final pull request holds all five.
      expect(hub.finalPulls).toHaveLength(1);
      expect(hub.finalPulls[0]).toMatchObject({ head: "parallel-coordinator/1", base: "master" });
      expect(hub.finalPulls[0]!.body).toContain("5 batches accepted");
      expect(hub.appComments().filter((comment) => comment.body.includes("### ✅ Feature complete"))).toHaveLength(1);
      expect(hub.unknown).toEqual([]);
    });
  }
});
