/**
 * The GitHub API calls of a coordination that goes well, on the project's
 * examples, may only go down: test/fixtures/calls/happy-path.json records them
 * by route, and a change that makes any route, or the whole, or the calls
 * that cost rate limit (all but those answered `304 Not Modified`) cost more
 * fails here. A change that makes them cost less records the new figures there
 * (`npm run bench` prints them beside those from before issue 17).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { simulate } from "../../src/sim/run.js";

interface Counted {
  batches: number;
  total: number;
  /** The calls that cost rate limit: all but those answered `304 Not Modified`. */
  rateLimited: number;
  byRoute: Record<string, number>;
}

const recorded = JSON.parse(
  readFileSync(new URL("../fixtures/calls/happy-path.json", import.meta.url), "utf8"),
) as Record<string, Counted>;

describe("the happy path's API calls", () => {
  for (const [path, budget] of Object.entries(recorded)) {
    it(`${path}: no route costs more than recorded`, async () => {
      const simulation = await simulate({ breakdown: readFileSync(new URL(`../../${path}`, import.meta.url), "utf8") });
      expect(simulation.status).toBe("done");
      expect(
        simulation.batches.every((batch) => batch.runs.length === 1 && batch.runs[0]!.outcome === "accepted"),
      ).toBe(true);
      const grown = Object.entries(simulation.calls.byRoute).flatMap(([route, count]) =>
        count > (budget.byRoute[route] ?? 0) ? [`${route}: ${budget.byRoute[route] ?? 0} → ${count}`] : [],
      );
      expect(grown).toEqual([]);
      expect(simulation.calls.total).toBeLessThanOrEqual(budget.total);
      expect(simulation.calls.rateLimited).toBeLessThanOrEqual(budget.rateLimited);
    });
  }

  it("covers the three examples that plan", () => {
    expect(Object.keys(recorded)).toEqual([
      "examples/notifications.md",
      "examples/moderation-queue.uk.md",
      "examples/webhook-dedup-pipeline.md",
    ]);
  });
});
