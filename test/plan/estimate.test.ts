import { describe, expect, it } from "vitest";
import { parseEstimate } from "../../src/plan/estimate.js";

describe("parseEstimate", () => {
  it.each([
    ["20 min", 20],
    ["15-20 min", 20],
    ["25-30 min", 30],
    ["15–20 хвилин", 20],
    ["25 хв", 25],
    ["1h", 60],
    ["1.5 hours", 90],
    ["1,5 год", 90],
    ["2 години", 120],
    ["1h 30m", 90],
    ["90", 90],
    ["~20 min (with buffer)", 20],
  ])("%s → %i minutes", (text, minutes) => {
    expect(parseEstimate(text)).toBe(minutes);
  });

  it.each(["soon", "", "3 days", "0 min", "a while"])("%j holds no usable time", (text) => {
    expect(parseEstimate(text)).toBeUndefined();
  });
});
