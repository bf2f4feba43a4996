import { describe, expect, it } from "vitest";
import { Reachability } from "../../src/schedule/reachability.js";

describe("Reachability", () => {
  it("tracks orderings through added edges", () => {
    const reach = new Reachability([[], [0], []]);
    expect(reach.reaches(0, 1)).toBe(true);
    expect(reach.reaches(1, 2)).toBe(false);
    reach.add(1, 2);
    expect(reach.reaches(0, 2)).toBe(true);
    expect(reach.topologicalOrder()).toEqual([0, 1, 2]);
  });

  it("handles node numbers that fall on a word's sign bit (31, 63) without looping", () => {
    const n = 70;
    const reach = new Reachability(Array.from({ length: n }, () => []));
    for (let node = 1; node < n; node++) reach.add(node - 1, node);
    expect(reach.reaches(31, 32)).toBe(true);
    expect(reach.reaches(0, 69)).toBe(true);
    expect(reach.reaches(63, 31)).toBe(false);
  });
});
