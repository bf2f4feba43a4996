import { describe, expect, it } from "vitest";
import { validateSchedule } from "../../src/schedule/scheduler.js";
import { job } from "./support.js";

const problem = {
  agents: 2,
  jobs: [job("a", 10, "X"), job("b", 5, "X", ["a"]), job("c", 5, "Y"), job("d", 5, "Z")],
};

describe("validateSchedule", () => {
  it("accepts a feasible schedule", () => {
    expect(validateSchedule(problem, { a: 0, b: 10, c: 0, d: 5 })).toEqual([]);
  });

  it("lets a job start the minute its pred, its domain or its agent frees up", () => {
    expect(validateSchedule(problem, { a: 0, b: 10, c: 0, d: 10 })).toEqual([]);
  });

  it("reports a job that starts before its pred finishes", () => {
    const violations = validateSchedule(problem, { a: 0, b: 9, c: 0, d: 20 });
    expect(violations.some((v) => v.includes('"b"') && v.includes('"a"'))).toBe(true);
  });

  it("reports two jobs of one domain at once", () => {
    const violations = validateSchedule({ agents: 3, jobs: [job("a", 10, "X"), job("b", 5, "X")] }, { a: 0, b: 9 });
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatch(/domain "X"/);
  });

  it("reports more jobs at once than agents", () => {
    const violations = validateSchedule(problem, { a: 0, b: 10, c: 0, d: 0 });
    expect(violations.some((v) => v.includes("more than 2 agents"))).toBe(true);
  });

  it("reports a missing start, a negative start and a start for an unknown job", () => {
    const violations = validateSchedule(problem, { a: -1, b: 10, c: 0, e: 3 });
    expect(violations).toContain('job "d" has no start');
    expect(violations.some((v) => v.includes('"a"') && v.includes("before minute 0"))).toBe(true);
    expect(violations).toContain('start given for unknown job "e"');
  });
});
