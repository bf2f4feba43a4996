import { describe, expect, it } from "vitest";
import { branchAndBound } from "../../src/schedule/exact.js";
import { buildGraph, toResult } from "../../src/schedule/graph.js";
import { exactSchedule, listSchedule, lowerBound, validateSchedule } from "../../src/schedule/scheduler.js";
import type { ScheduleProblem } from "../../src/schedule/scheduleProblem.js";
import { bruteForceOptimum, makespanOf, nonDelayTrap, prng, randomProblem, tinyInstances } from "./support.js";

describe("exactSchedule", () => {
  it("leaves an agent idle when waiting pays: beats every non-delay schedule", () => {
    const result = exactSchedule(nonDelayTrap);
    expect(result.makespan).toBe(21);
    expect(result.optimal).toBe(true);
    expect(result.start.x).toBeGreaterThanOrEqual(1);
    expect(validateSchedule(nonDelayTrap, result.start)).toEqual([]);
    expect(listSchedule(nonDelayTrap).makespan).toBeGreaterThan(result.makespan);
  });

  it("matches a brute force over all orders on 200 random instances of up to 7 jobs", () => {
    for (const problem of tinyInstances(42, 200)) {
      const result = exactSchedule(problem, { nodes: 1_000_000 });
      expect(validateSchedule(problem, result.start)).toEqual([]);
      expect(result.makespan).toBe(makespanOf(problem, result.start));
      expect(result.makespan).toBe(bruteForceOptimum(problem));
      expect(result.optimal).toBe(true);
    }
  });

  it("the branch-and-bound alone, with no incumbent, matches the brute force", () => {
    // Without the list and heuristic incumbents most of these would be settled before any search.
    for (const problem of tinyInstances(44, 200)) {
      const graph = buildGraph(problem);
      const outcome = branchAndBound(graph, 1_000_000);
      const result = toResult(graph, outcome.start, outcome.optimal);
      expect(validateSchedule(problem, result.start)).toEqual([]);
      expect(outcome.optimal).toBe(true);
      expect(outcome.makespan).toBe(bruteForceOptimum(problem));
    }
  });

  it("finds the optimum with the default budget on the same instances", () => {
    for (const problem of tinyInstances(43, 100)) {
      expect(exactSchedule(problem).makespan).toBe(bruteForceOptimum(problem));
    }
  });

  it("finds the optimum with fractional durations", () => {
    const rand = prng(8);
    for (let k = 0; k < 60; k++) {
      const problem = randomProblem(rand, { jobs: 6, domains: 2, agents: 2, density: 0.25, maxDuration: 9 });
      for (const j of problem.jobs) j.duration = j.duration * 0.7 + 0.15;
      const optimum = bruteForceOptimum(problem);
      const result = exactSchedule(problem, { nodes: 1_000_000 });
      expect(validateSchedule(problem, result.start)).toEqual([]);
      expect(result.makespan).toBeCloseTo(optimum, 9);
      expect(branchAndBound(buildGraph(problem), 1_000_000).makespan).toBeCloseTo(optimum, 9);
    }
  });

  it("handles identical jobs (twins) without losing the optimum", () => {
    const rand = prng(9);
    for (let k = 0; k < 40; k++) {
      const problem = randomProblem(rand, { jobs: 4, domains: 2, agents: 2, density: 0.3, maxDuration: 8 });
      const twin = problem.jobs[0]!;
      problem.jobs.push({ ...twin, id: "twin-1" }, { ...twin, id: "twin-2" });
      const optimum = bruteForceOptimum(problem);
      const result = exactSchedule(problem, { nodes: 1_000_000 });
      expect(validateSchedule(problem, result.start)).toEqual([]);
      expect(result.makespan).toBe(optimum);
      expect(branchAndBound(buildGraph(problem), 1_000_000).makespan).toBe(optimum);
    }
  });

  it("returns a valid schedule with optimal false when the budget runs out", () => {
    const rand = prng(21);
    let hard: ScheduleProblem | undefined;
    for (let k = 0; k < 400 && hard === undefined; k++) {
      const problem = randomProblem(rand, { jobs: 22, domains: 3, agents: 2, density: 0.12, maxDuration: 40 });
      if (!exactSchedule(problem, { nodes: 1 }).optimal) hard = problem;
    }
    expect(hard).toBeDefined();
    const cut = exactSchedule(hard!, { nodes: 1 });
    expect(cut.optimal).toBe(false);
    expect(validateSchedule(hard!, cut.start)).toEqual([]);
    expect(cut.makespan).toBe(makespanOf(hard!, cut.start));
    expect(cut.makespan).toBeGreaterThanOrEqual(lowerBound(hard!));
    expect(cut.makespan).toBeLessThanOrEqual(listSchedule(hard!).makespan);
  });

  it("the branch-and-bound alone falls back to the list schedule when it finds nothing in budget", () => {
    const problem = randomProblem(prng(2), { jobs: 20, domains: 3, agents: 2, density: 0.1, maxDuration: 30 });
    const graph = buildGraph(problem);
    const outcome = branchAndBound(graph, 1);
    expect(outcome.optimal).toBe(false);
    expect(validateSchedule(problem, toResult(graph, outcome.start, false).start)).toEqual([]);
  });

  it("with no budget still returns the best cheap schedule, optimal only at the bound", () => {
    const result = exactSchedule(nonDelayTrap, { nodes: 0 });
    expect(validateSchedule(nonDelayTrap, result.start)).toEqual([]);
    expect(result.optimal).toBe(result.makespan <= lowerBound(nonDelayTrap));
  });

  it("claims optimality only when the makespan is the optimum", () => {
    const rand = prng(77);
    for (let k = 0; k < 80; k++) {
      const problem = randomProblem(rand, { jobs: 7, domains: 3, agents: 2, density: 0.2, maxDuration: 20 });
      const result = exactSchedule(problem, { nodes: 3 });
      if (result.optimal) expect(result.makespan).toBe(bruteForceOptimum(problem));
    }
  });

  it("is deterministic", () => {
    const problem = randomProblem(prng(4), { jobs: 20, domains: 4, agents: 3, density: 0.15, maxDuration: 40 });
    expect(exactSchedule(problem, { nodes: 500 })).toEqual(exactSchedule(problem, { nodes: 500 }));
  });

  it("is never worse than list scheduling", () => {
    const rand = prng(6);
    for (let k = 0; k < 60; k++) {
      const problem = randomProblem(rand, { jobs: 15, domains: 3, agents: 2, density: 0.15, maxDuration: 40 });
      const result = exactSchedule(problem);
      expect(validateSchedule(problem, result.start)).toEqual([]);
      expect(result.makespan).toBeLessThanOrEqual(listSchedule(problem).makespan);
    }
  });

  it("returns a valid schedule for problems beyond the exact-search size", () => {
    const problem = randomProblem(prng(12), { jobs: 120, domains: 8, agents: 3, density: 0.03, maxDuration: 40 });
    const result = exactSchedule(problem);
    expect(validateSchedule(problem, result.start)).toEqual([]);
    expect(result.makespan).toBeLessThanOrEqual(listSchedule(problem).makespan);
  });
});
