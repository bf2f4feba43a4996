import { describe, expect, it } from "vitest";
import { buildGraph } from "../../src/schedule/graph.js";
import { domainTails, heads, lowerBound, tails } from "../../src/schedule/lowerBound.js";
import { bruteForceOptimum, job, tinyInstances } from "./support.js";

describe("heads and tails", () => {
  const graph = buildGraph({
    agents: 2,
    jobs: [job("a", 3, "X"), job("b", 4, "Y", ["a"]), job("c", 2, "Z", ["a"]), job("d", 1, "X", ["b", "c"])],
  });

  it("head is the longest chain of work before the job", () => {
    expect(heads(graph)).toEqual([0, 3, 3, 7]);
  });

  it("tail is the longest chain from the job to the end, the job included", () => {
    expect(tails(graph)).toEqual([8, 5, 3, 1]);
  });

  it("domain-aware tails add a busy domain's descendants, run one at a time", () => {
    // a feeds b, c and d, all in domain Y: 4 + 4 + 4 must follow a, not just one chain of 4.
    const fan = buildGraph({
      agents: 3,
      jobs: [job("a", 1, "X"), job("b", 4, "Y", ["a"]), job("c", 4, "Y", ["a"]), job("d", 4, "Y", ["a"])],
    });
    expect(tails(fan)[0]).toBe(5);
    expect(domainTails(fan)[0]).toBe(13);
  });
});

describe("lowerBound", () => {
  it("is the critical path when that dominates", () => {
    expect(lowerBound({ agents: 4, jobs: [job("a", 5, "X"), job("b", 7, "Y", ["a"]), job("c", 1, "Z")] })).toBe(12);
  });

  it("is the total work over the agents when that dominates, rounded up for whole minutes", () => {
    const jobs = ["a", "b", "c", "d", "e"].map((id) => job(id, 3, id));
    expect(lowerBound({ agents: 2, jobs })).toBe(8);
  });

  it("is a domain's earliest start plus its work when that dominates", () => {
    const jobs = [job("p", 6, "Y"), job("a", 4, "X", ["p"]), job("b", 4, "X", ["p"]), job("c", 4, "X", ["p"])];
    expect(lowerBound({ agents: 4, jobs })).toBe(18);
  });

  it("is zero for no jobs", () => {
    expect(lowerBound({ agents: 2, jobs: [] })).toBe(0);
  });

  it("never exceeds the optimum on random instances", () => {
    for (const problem of tinyInstances(11, 150)) {
      expect(lowerBound(problem)).toBeLessThanOrEqual(bruteForceOptimum(problem));
    }
  });
});
