import { describe, expect, it } from "vitest";
import { memoryThrottle } from "../../../src/github/stores/throttle.js";

describe("the in-memory throttle", () => {
  it("takes a key once per window, and again once the window has passed", async () => {
    let now = 0;
    const throttle = memoryThrottle(() => now);
    expect(await throttle.has("refused:o/r#1:bob")).toBe(false);
    expect(await throttle.take("refused:o/r#1:bob", 3_600)).toBe(true);
    expect(await throttle.has("refused:o/r#1:bob")).toBe(true);
    expect(await throttle.take("refused:o/r#1:bob", 3_600)).toBe(false);
    // Another person, or the same person on another issue, is a window of their own.
    expect(await throttle.take("refused:o/r#1:eve", 3_600)).toBe(true);
    expect(await throttle.take("refused:o/r#2:bob", 3_600)).toBe(true);
    now = 3_599_999;
    expect(await throttle.take("refused:o/r#1:bob", 3_600)).toBe(false);
    now = 3_600_000;
    expect(await throttle.has("refused:o/r#1:bob")).toBe(false);
    expect(await throttle.take("refused:o/r#1:bob", 3_600)).toBe(true);
  });
});
