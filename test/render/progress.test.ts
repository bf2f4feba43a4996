import { describe, expect, it } from "vitest";
import { percent, progressBar } from "../../src/render/progress.js";

describe("progressBar", () => {
  it.each([
    [0, 8, "▱▱▱▱▱▱▱▱▱▱ 0/8 batches (0%)"],
    [3, 8, "▰▰▰▰▱▱▱▱▱▱ 3/8 batches (38%)"],
    [4, 8, "▰▰▰▰▰▱▱▱▱▱ 4/8 batches (50%)"],
    [8, 8, "▰▰▰▰▰▰▰▰▰▰ 8/8 batches (100%)"],
    [1, 100, "▰▱▱▱▱▱▱▱▱▱ 1/100 batches (1%)"],
    [99, 100, "▰▰▰▰▰▰▰▰▰▱ 99/100 batches (99%)"],
    [199, 200, "▰▰▰▰▰▰▰▰▰▱ 199/200 batches (99%)"],
    [0, 0, "▱▱▱▱▱▱▱▱▱▱ 0/0 batches (0%)"],
  ])("shows %i of %i", (done, total, expected) => {
    expect(progressBar(done, total)).toBe(expected);
  });

  it("never shows a full bar or 100% before the end, nor an empty one after a start", () => {
    for (let total = 1; total <= 120; total += 1) {
      for (let done = 0; done <= total; done += 1) {
        const bar = progressBar(done, total);
        const filled = [...bar].filter((c) => c === "▰").length;
        expect(filled === 10).toBe(done === total);
        expect(filled === 0).toBe(done === 0);
        expect(percent(done, total) === 100).toBe(done === total);
      }
    }
  });

  it("clamps counts out of range and takes a width and a unit", () => {
    expect(progressBar(12, 8)).toBe("▰▰▰▰▰▰▰▰▰▰ 8/8 batches (100%)");
    expect(progressBar(-1, 8)).toBe("▱▱▱▱▱▱▱▱▱▱ 0/8 batches (0%)");
    expect(progressBar(1, 2, 4, "tasks")).toBe("▰▰▱▱ 1/2 tasks (50%)");
  });
});
