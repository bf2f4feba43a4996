/**
 * `simulate` with `subIssues.mirror` in the config: the batches' sub-issues
 * are made, kept and closed in both shells, and the timeline shows them.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { simulationJson, simulationText } from "../../src/cli/simulateCommand.js";
import { simulate } from "../../src/sim/run.js";

const notifications = readFileSync(new URL("../../examples/notifications.md", import.meta.url), "utf8");
const config = "subIssues:\n  mirror: true\n";

describe("the simulator with the plan mirrored as sub-issues", () => {
  for (const mode of ["app", "actions"] as const)
    it(`keeps one sub-issue per batch, each closed as completed once merged (${mode})`, async () => {
      const simulation = await simulate({ breakdown: notifications, config, mode });
      expect(simulation.problems).toEqual([]);
      expect(simulation.errors).toEqual([]);
      expect(simulation.status).toBe("done");
      const feature = simulation.repo.issues.get(simulation.issue)!;
      const subs = feature.subIssues.map((number) => simulation.repo.issues.get(number)!);
      expect(subs.map((sub) => [sub.title, sub.state, sub.stateReason, sub.labels])).toEqual(
        simulation.plan!.batches.map((batch, index) => [
          `[#1] Batch ${index + 1} of 6: ${batch.title}`,
          "closed",
          "completed",
          ["batch: accepted"],
        ]),
      );
      // --json carries them too, with the "blocked by" links in the plan's order.
      expect(
        simulationJson(simulation).subIssues.map(({ number, state, blockedBy }) => [number, state, blockedBy]),
      ).toEqual(subs.map((sub) => [sub.number, "closed", sub.blockedBy]));
      expect(simulationJson(simulation).subIssues[1]!.blockedBy).toEqual([subs[0]!.number]);
      const text = simulationText("notifications.md", simulation, false, 200);
      expect(text).toContain(`issue #${subs[0]!.number} sub-issue of #1`);
      expect(text).toContain(`issue #${subs[0]!.number} labels [batch: accepted], closed (completed)`);
    });
});
