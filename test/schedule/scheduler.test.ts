import { describe, expect, it } from "vitest";
import { lowerBound, phaseSchedule, scheduleJobs, validateSchedule } from "../../src/schedule/scheduler.js";
import type { Job } from "../../src/schedule/scheduleProblem.js";
import { bruteForceOptimum, job, makespanOf, nonDelayTrap, prng, randomProblem, tinyInstances } from "./support.js";

describe("scheduleJobs", () => {
  it("returns the optimum with the bound and the phase makespan", () => {
    const result = scheduleJobs(nonDelayTrap);
    expect(result.makespan).toBe(21);
    expect(result.optimal).toBe(true);
    expect(result.lowerBound).toBe(lowerBound(nonDelayTrap));
    expect(result.phaseMakespan).toBe(phaseSchedule(nonDelayTrap).makespan);
    expect(validateSchedule(nonDelayTrap, result.start)).toEqual([]);
  });

  it("is optimal on tiny random instances and never worse than the phase order", () => {
    for (const problem of tinyInstances(5, 100)) {
      const result = scheduleJobs(problem);
      expect(validateSchedule(problem, result.start)).toEqual([]);
      expect(result.makespan).toBe(bruteForceOptimum(problem));
      expect(result.makespan).toBeLessThanOrEqual(result.phaseMakespan);
      expect(result.lowerBound).toBeLessThanOrEqual(result.makespan);
    }
  });

  it("is never worse than the phase order, even with no search budget", () => {
    const rand = prng(14);
    for (let k = 0; k < 60; k++) {
      const problem = randomProblem(rand, {
        jobs: 18,
        domains: 4,
        agents: 2 + (k % 3),
        density: 0.12,
        maxDuration: 40,
      });
      for (const options of [{}, { nodes: 0 }, { nodes: 5 }]) {
        const result = scheduleJobs(problem, options);
        expect(validateSchedule(problem, result.start)).toEqual([]);
        expect(result.makespan).toBeLessThanOrEqual(result.phaseMakespan);
        expect(result.makespan).toBe(makespanOf(problem, result.start));
      }
    }
  });

  it("schedules 1,000 jobs validly", () => {
    const rand = prng(1000);
    const jobs: Job[] = [];
    for (let i = 0; i < 1000; i++) {
      const preds: string[] = [];
      for (let p = Math.max(0, i - 20); p < i; p++) if (rand() < 0.1) preds.push(`j${p}`);
      jobs.push(job(`j${i}`, 10 + Math.floor(rand() * 35), `d${Math.floor(rand() * 30)}`, preds, Math.floor(i / 100)));
    }
    const problem = { agents: 4, jobs };
    const result = scheduleJobs(problem);
    expect(validateSchedule(problem, result.start)).toEqual([]);
    expect(result.makespan).toBeLessThanOrEqual(result.phaseMakespan);
    expect(result.makespan).toBeGreaterThanOrEqual(result.lowerBound);
  });

  it("handles an empty problem", () => {
    expect(scheduleJobs({ agents: 2, jobs: [] })).toEqual({
      start: {},
      makespan: 0,
      optimal: true,
      lowerBound: 0,
      phaseMakespan: 0,
    });
  });

  it("throws on an unknown pred", () => {
    const problem = { agents: 2, jobs: [job("a", 1, "X"), job("b", 1, "X", ["ghost"])] };
    expect(() => scheduleJobs(problem)).toThrow(/job "b" needs unknown job "ghost"/);
  });

  it("throws on a cycle and names it", () => {
    const problem = {
      agents: 2,
      jobs: [job("a", 1, "X", ["c"]), job("b", 1, "X", ["a"]), job("c", 1, "X", ["b"]), job("d", 1, "Y")],
    };
    expect(() => scheduleJobs(problem)).toThrow(/cycle.*"a".*"b".*"c"|cycle.*"c".*"a".*"b"|cycle.*"b".*"c".*"a"/);
  });

  it("throws on a job that needs itself", () => {
    expect(() => scheduleJobs({ agents: 1, jobs: [job("a", 1, "X", ["a"])] })).toThrow(/cycle.*"a" needs itself/);
  });

  it("throws on a duplicate id, a non-positive duration and no agents", () => {
    expect(() => scheduleJobs({ agents: 1, jobs: [job("a", 1, "X"), job("a", 2, "Y")] })).toThrow(
      /duplicate job id "a"/,
    );
    expect(() => scheduleJobs({ agents: 1, jobs: [job("a", 0, "X")] })).toThrow(/duration/);
    expect(() => scheduleJobs({ agents: 0, jobs: [job("a", 1, "X")] })).toThrow(/agents/);
  });
});
