import type { TestModule } from "vitest/node";
import { describe, expect, it } from "vitest";
import { skippedLines } from "../helpers/skipped.js";

/** A test module as the reporter sees it: only what it reads. */
function module(file: string, tests: { name: string; mode?: "skip" | "todo"; note?: string }[]): TestModule {
  const cases = tests.map((test) => ({
    fullName: test.name,
    options: { mode: test.mode ?? "skip" },
    result: () => ({ state: "skipped", note: test.note }),
  }));
  return {
    relativeModuleId: file,
    children: { allTests: (state: string) => (state === "skipped" ? cases.values() : [].values()) },
  } as unknown as TestModule;
}

describe("the skipped-tests reporter", () => {
  it("names every test that did not run, with its note, and prints nothing when all ran", () => {
    expect(skippedLines([module("test/a.test.ts", [])])).toEqual([]);
    expect(
      skippedLines([
        module("test/a.test.ts", [{ name: "real cases > plans topics" }, { name: "later", mode: "todo" }]),
        module("test/b.test.ts", [{ name: "redis", note: "no REDIS_URL" }]),
      ]),
    ).toEqual([
      "3 tests did not run:",
      "  skipped: test/a.test.ts > real cases > plans topics",
      "  todo: test/a.test.ts > later",
      "  skipped: test/b.test.ts > redis (no REDIS_URL)",
    ]);
  });

  it("lists at most 20, then how many more (a run filtered by name skips the rest)", () => {
    const lines = skippedLines([
      module(
        "test/a.test.ts",
        Array.from({ length: 25 }, (_, n) => ({ name: `t${n}` })),
      ),
    ]);
    expect(lines).toHaveLength(22);
    expect(lines[0]).toBe("25 tests did not run:");
    expect(lines.at(-1)).toBe("  … and 5 more");
  });
});
