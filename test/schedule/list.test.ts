import { describe, expect, it } from "vitest";
import { listSchedule, validateSchedule } from "../../src/schedule/scheduler.js";
import { job, makespanOf, nonDelayTrap, prng, randomProblem } from "./support.js";

describe("listSchedule", () => {
  it("starts a job only after its preds finish", () => {
    const problem = { agents: 3, jobs: [job("a", 4, "X"), job("b", 2, "Y", ["a"]), job("c", 3, "Z", ["a", "b"])] };
    const result = listSchedule(problem);
    expect(result.start).toEqual({ a: 0, b: 4, c: 6 });
    expect(result.makespan).toBe(9);
  });

  it("runs no more jobs at once than agents", () => {
    const problem = { agents: 2, jobs: ["a", "b", "c", "d"].map((id) => job(id, 5, id)) };
    const result = listSchedule(problem);
    expect(validateSchedule(problem, result.start)).toEqual([]);
    expect(result.makespan).toBe(10);
  });

  it("runs one job per domain at a time", () => {
    const problem = { agents: 4, jobs: [job("a", 5, "X"), job("b", 5, "X"), job("c", 5, "X")] };
    const result = listSchedule(problem);
    expect(validateSchedule(problem, result.start)).toEqual([]);
    expect(result.makespan).toBe(15);
  });

  it("starts the job with the longest tail first, ties in input order", () => {
    const problem = {
      agents: 1,
      jobs: [job("short", 2, "X"), job("long", 2, "Y"), job("after", 6, "Z", ["long"]), job("tie", 2, "W")],
    };
    const result = listSchedule(problem);
    expect(result.start.long).toBe(0);
    expect(result.start.short).toBeLessThan(result.start.tie!);
  });

  it("is deterministic", () => {
    const problem = randomProblem(prng(3), { jobs: 30, domains: 4, agents: 3, density: 0.1, maxDuration: 30 });
    expect(listSchedule(problem)).toEqual(listSchedule(problem));
  });

  it("never leaves an agent idle when a job could start, even when that costs time", () => {
    const result = listSchedule(nonDelayTrap);
    expect(result.start.x).toBe(0);
    expect(result.makespan).toBe(25);
  });

  it("always returns a feasible schedule on random instances", () => {
    const rand = prng(5);
    for (let k = 0; k < 100; k++) {
      const problem = randomProblem(rand, {
        jobs: 20,
        domains: 1 + (k % 5),
        agents: 1 + (k % 4),
        density: 0.15,
        maxDuration: 40,
      });
      const result = listSchedule(problem);
      expect(validateSchedule(problem, result.start)).toEqual([]);
      expect(result.makespan).toBe(makespanOf(problem, result.start));
    }
  });
});
