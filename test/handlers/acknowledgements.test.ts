import { describe, expect, it } from "vitest";
import { memoryAcknowledgements } from "../../src/handlers/acknowledgements.js";

/** A start as the test drives it: it shows its dashboard when told, then goes on to its branch. */
function starts() {
  const acknowledgements = memoryAcknowledgements();
  const writes: string[] = [];
  const start = (installation: string, name: string) => {
    let show: () => void = () => {};
    let fail: (error: Error) => void = () => {};
    let end: () => void = () => {};
    const told = new Promise<"show" | "end">((resolve, reject) => {
      show = () => resolve("show");
      end = () => resolve("end");
      fail = reject;
    });
    const step = acknowledgements.pending(installation, async (acknowledged) => {
      // Ended before showing a dashboard: a refusal, a coordination that needs no start.
      if ((await told) === "end") return;
      writes.push(`${name} dashboard`);
      await acknowledged();
      writes.push(`${name} branch`);
    });
    return { show, fail, end, step };
  };
  return { start, writes };
}

/** Lets every start that can go on do so. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("the starts of an installation", () => {
  it("each show their dashboard before any of them goes on to its branch", async () => {
    const { start, writes } = starts();
    const a = start("1", "A");
    const b = start("1", "B");
    const c = start("1", "C");
    a.show();
    await settle();
    c.show();
    await settle();
    expect(writes).toEqual(["A dashboard", "C dashboard"]);
    b.show();
    await Promise.all([a.step, b.step, c.step]);
    expect(writes.slice(0, 3)).toEqual(["A dashboard", "C dashboard", "B dashboard"]);
    expect(writes.slice(3).sort()).toEqual(["A branch", "B branch", "C branch"]);
  });

  it("go on when a start fails or ends before its dashboard: none waits on it", async () => {
    const { start, writes } = starts();
    const a = start("1", "A");
    const b = start("1", "B");
    const c = start("1", "C");
    a.show();
    await settle();
    b.fail(new Error("GitHub answered 502"));
    await expect(b.step).rejects.toThrow("GitHub answered 502");
    await settle();
    expect(writes).toEqual(["A dashboard"]);
    c.end();
    await Promise.all([a.step, c.step]);
    expect(writes).toEqual(["A dashboard", "A branch"]);
  });

  it("wait only for the starts pending when their dashboard was shown, not for later ones", async () => {
    const { start, writes } = starts();
    const a = start("1", "A");
    const b = start("1", "B");
    a.show();
    await settle();
    const later = start("1", "Later");
    b.show();
    await a.step;
    await settle();
    // A waited for B alone; B, shown after Later began, waits for Later too.
    expect(writes).toEqual(["A dashboard", "B dashboard", "A branch"]);
    later.show();
    await Promise.all([b.step, later.step]);
    expect(writes.slice(0, 4)).toEqual(["A dashboard", "B dashboard", "A branch", "Later dashboard"]);
    expect(writes.slice(4).sort()).toEqual(["B branch", "Later branch"]);
  });

  it("of another installation are not waited for", async () => {
    const { start, writes } = starts();
    const a = start("1", "A");
    const other = start("2", "Other");
    a.show();
    await a.step;
    expect(writes).toEqual(["A dashboard", "A branch"]);
    other.end();
    await other.step;
  });
});
