import { describe, expect, it } from "vitest";
import { memoryJournal } from "../../../src/github/stores/journal.js";

describe("memoryJournal", () => {
  it("knows nothing of an issue it never saw: a restart cannot vouch", async () => {
    expect(await memoryJournal().read("o/r#1")).toBeUndefined();
  });

  it("keeps effects noted before any state was written under no state, so they are never trusted as complete", async () => {
    const journal = memoryJournal();
    await journal.note("o/r#1", "dispatch:pc-1-api-1", "1001");
    expect(await journal.read("o/r#1")).toEqual({ state: "", effects: { "dispatch:pc-1-api-1": "1001" } });
  });

  it("forgets the effects once a state holding them is written, and keeps issues apart", async () => {
    const journal = memoryJournal();
    await journal.note("o/r#1", "dispatch:pc-1-api-1", "1001");
    await journal.note("o/r#2", "check:api:7", "");
    await journal.settle("o/r#1", "sig-1", 3);
    await journal.note("o/r#1", "dispatch:pc-1-ui-1", "");
    expect(await journal.read("o/r#1")).toEqual({ state: "sig-1", seq: 3, effects: { "dispatch:pc-1-ui-1": "" } });
    expect(await journal.read("o/r#2")).toEqual({ state: "", effects: { "check:api:7": "" } });
  });

  it("hands out copies: a reader cannot change what it remembers", async () => {
    const journal = memoryJournal();
    await journal.note("o/r#1", "dispatch:pc-1-api-1", "1001");
    const entry = (await journal.read("o/r#1"))!;
    entry.effects["dispatch:pc-1-api-1"] = "9";
    expect((await journal.read("o/r#1"))!.effects["dispatch:pc-1-api-1"]).toBe("1001");
  });

  it("forgets the least recently used issue past its capacity, never the one just used", async () => {
    const journal = memoryJournal();
    await journal.settle("o/r#0", "sig-0", 1);
    for (let issue = 1; issue <= 10_000; issue += 1) {
      await journal.settle(`o/r#${issue}`, `sig-${issue}`, 1);
      // Issue 0 stays in use.
      if (issue === 5_000) await journal.note("o/r#0", "check:a:1", "");
    }
    expect(await journal.read("o/r#1")).toBeUndefined();
    expect((await journal.read("o/r#0"))?.state).toBe("sig-0");
    expect((await journal.read("o/r#10000"))?.state).toBe("sig-10000");
  });
});
