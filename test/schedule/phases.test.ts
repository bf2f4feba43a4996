import { describe, expect, it } from "vitest";
import { exactSchedule, phaseSchedule, validateSchedule } from "../../src/schedule/scheduler.js";
import { bruteForceOptimum, job, prng, randomProblem, tinyInstances } from "./support.js";

describe("phaseSchedule", () => {
  it("starts a phase only when every job of the earlier phases has finished", () => {
    const problem = {
      agents: 3,
      jobs: [job("a", 10, "X", [], 0), job("b", 2, "Y", [], 0), job("c", 3, "Z", [], 1), job("d", 4, "Y", [], 1)],
    };
    const result = phaseSchedule(problem);
    expect(result.start.c).toBe(10);
    expect(result.start.d).toBe(10);
    expect(result.makespan).toBe(14);
    expect(validateSchedule(problem, result.start)).toEqual([]);
  });

  it("orders phases by number, not by input order", () => {
    const problem = { agents: 2, jobs: [job("late", 5, "X", [], 2), job("early", 5, "Y", [], 0)] };
    const result = phaseSchedule(problem);
    expect(result.start).toEqual({ early: 0, late: 5 });
  });

  it("respects needs and every constraint inside a phase", () => {
    const problem = {
      agents: 2,
      jobs: [job("a", 3, "X"), job("b", 3, "X"), job("c", 2, "Y", ["a"]), job("d", 2, "Z"), job("e", 2, "W")],
    };
    const result = phaseSchedule(problem);
    expect(validateSchedule(problem, result.start)).toEqual([]);
  });

  it("lifts a job whose need sits in a later phase, so the baseline stays feasible", () => {
    const problem = { agents: 2, jobs: [job("a", 4, "X", [], 1), job("b", 3, "Y", ["a"], 0)] };
    const result = phaseSchedule(problem);
    expect(validateSchedule(problem, result.start)).toEqual([]);
    expect(result.start.b).toBe(4);
  });

  it("is never better than the exact search", () => {
    for (const problem of tinyInstances(31, 100)) {
      const phases = phaseSchedule(problem);
      expect(validateSchedule(problem, phases.start)).toEqual([]);
      expect(phases.makespan).toBeGreaterThanOrEqual(bruteForceOptimum(problem));
      expect(phases.makespan).toBeGreaterThanOrEqual(exactSchedule(problem).makespan);
    }
  });

  it("is feasible on larger random plans with random phases", () => {
    const rand = prng(17);
    for (let k = 0; k < 30; k++) {
      const problem = randomProblem(rand, { jobs: 40, domains: 5, agents: 3, density: 0.08, maxDuration: 40 });
      for (const j of problem.jobs) j.phase = Math.floor(rand() * 4);
      expect(validateSchedule(problem, phaseSchedule(problem).start)).toEqual([]);
    }
  });
});
