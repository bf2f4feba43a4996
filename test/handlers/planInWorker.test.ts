/**
 * The app plans in a worker with limits (issue #13, findings 3 and 4). The
 * bodies that once froze the app or blew up its memory are planned here in
 * that worker: should the exponential matching or the aliases come back, the
 * worker is stopped by its budget and the test fails on that, not on a hang.
 * The budget here is above the app's 2 s, for a busy test machine; the bodies
 * of the finding took 12.9 s and 43 s, and these take minutes on the old code.
 */
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/base/config.js";
import { formatProblem } from "../../src/base/problem.js";
import { workerPlanner } from "../../src/handlers/planInWorker.js";
import type { PlanOutcome } from "../../src/schedule/planRequest.js";
import { BODY_LIMIT } from "../../src/schedule/planRequest.js";
import { aliasBody, globBodies, globsAtTheLimit, largestOrdinaryBody } from "../fixtures/untrustedBodies.js";

const planner = workerPlanner({ budgetMs: 5_000 });
const plan = (body: string) => planner({ body, config: defaultConfig, force: false });

/** What a refusal says, one line a problem; a plan the budget stopped fails here by name. */
function refusal(outcome: PlanOutcome): string[] {
  if ("stopped" in outcome) throw new Error(`planning was stopped by its limit (${outcome.stopped}, ${outcome.limit})`);
  if ("noBreakdown" in outcome) throw new Error("the body held no breakdown");
  if (outcome.ok) throw new Error("the body planned");
  return outcome.problems.map(formatProblem);
}

describe("planning in a worker with limits", () => {
  it("refuses the finding's glob breakdowns at the pattern's line, within the budget", async () => {
    expect(refusal(await plan(globBodies.markdown))).toEqual([
      `Task 1, line 4, field "Files": "${"*a".repeat(16)}b" is not usable: expected at most 6 wildcards (\`*\` or \`**\`) in one pattern, not 16`,
    ]);
    expect(refusal(await plan(globBodies.yaml))).toEqual([
      `Task patterns, line 7, field "Files": "src/${"*a".repeat(24)}b" is not usable: expected at most 6 wildcards (\`*\` or \`**\`) in one pattern, not 24`,
    ]);
  });

  it("plans globs at the wildcard limit against long names in linear time", async () => {
    const outcome = await plan(globsAtTheLimit);
    expect(
      "stopped" in outcome || "noBreakdown" in outcome
        ? outcome
        : { ok: outcome.ok, conflicts: outcome.plan?.conflicts },
    ).toEqual({ ok: true, conflicts: [] });
  });

  it("refuses the alias body at its first anchor, within the budget and the heap", async () => {
    const body = aliasBody();
    expect(body.length).toBeGreaterThan(60_000);
    expect(refusal(await plan(body))[0]).toBe(
      "line 2: the plan uses the YAML anchor `&l0`: anchors and aliases (`*name`) are not read in a plan, since one alias can stand for megabytes; write each value where it is used",
    );
  });

  it("plans the largest ordinary body GitHub accepts", async () => {
    const body = largestOrdinaryBody();
    expect(body.length).toBe(BODY_LIMIT);
    const outcome = await plan(body);
    expect(
      "stopped" in outcome || "noBreakdown" in outcome
        ? outcome
        : { ok: outcome.ok, batches: outcome.plan?.batches.length },
    ).toEqual({ ok: true, batches: 20 });
  });

  it("keeps the event loop free while it plans", async () => {
    let turns = 0;
    const tick = setInterval(() => turns++, 1);
    try {
      const outcome = await plan(largestOrdinaryBody());
      expect(outcome.ok).toBe(true);
    } finally {
      clearInterval(tick);
    }
    // Planned on this thread, the body would hold the loop from start to end: no turn at all.
    expect(turns).toBeGreaterThan(5);
  });

  it("stops a plan that takes longer than its budget, and plans the next one in a new worker", async () => {
    expect(
      await workerPlanner({ budgetMs: 1 })({ body: largestOrdinaryBody(), config: defaultConfig, force: false }),
    ).toEqual({ ok: false, stopped: "time", limit: 1 });
    expect(refusal(await plan(globBodies.markdown))).toHaveLength(1);
  });

  it("stops a plan that needs more heap than it may have", async () => {
    // 24 MB holds the planner and a small plan, not the largest body's.
    const small = workerPlanner({ budgetMs: 30_000, heapMb: 24 });
    expect(refusal(await small({ body: globBodies.markdown, config: defaultConfig, force: false }))).toHaveLength(1);
    expect(await small({ body: largestOrdinaryBody(), config: defaultConfig, force: false })).toEqual({
      ok: false,
      stopped: "memory",
      limit: 24,
    });
  });

  it("plans many bodies asked for at once in turn, none refused for the others' load", async () => {
    // The app's own budget: 50 features labelled at once once ran 50 workers side by side, and most were stopped by it.
    const appPlanner = workerPlanner();
    const outcomes = await Promise.all(
      Array.from({ length: 24 }, () =>
        appPlanner({ body: largestOrdinaryBody(), config: defaultConfig, force: false }),
      ),
    );
    expect(outcomes.map((outcome) => ("stopped" in outcome ? `stopped (${outcome.stopped})` : outcome.ok))).toEqual(
      Array(24).fill(true),
    );
    // 24 plans of the largest ordinary body take a few seconds in turn, and far longer on a machine shared with others.
  }, 120_000);
});
