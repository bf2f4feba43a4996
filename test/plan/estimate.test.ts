import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readEstimate } from "../../src/plan/estimate.js";

/** Every form of estimate the README shows, and more that people write, with the minutes each means. */
const FORMS: ReadonlyArray<readonly [string, number]> = [
  ["20 min", 20],
  ["20m", 20],
  ["90", 90],
  ["25 хв", 25],
  ["15-20 min", 20],
  ["25-30 min", 30],
  ["15–20 хвилин", 20],
  ["10–20 min", 20],
  ["10 min to 20 min", 20],
  ["від 10 до 20 хв", 20],
  ["1-2 hours", 120],
  ["1h", 60],
  ["1 hour", 60],
  ["1.5 hours", 90],
  ["1,5 год", 90],
  ["2 години", 120],
  ["1h 30m", 90],
  ["1h30", 90],
  ["1:30", 90],
  ["0:45", 45],
  ["½ h", 30],
  ["1½ hours", 90],
  ["half an hour", 30],
  ["пів години", 30],
  ["~20 min (with buffer)", 20],
  ["20 min — with review", 20],
];

describe("readEstimate", () => {
  it.each(FORMS)("%s → %i minutes", (text, minutes) => {
    expect(readEstimate(text)).toEqual({ ok: true, minutes });
  });

  it("reads every form the README's field table lists, as the table above does", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const row = readme.split("\n").find((line) => line.startsWith("| estimate |"));
    const shown = [...(row ?? "").matchAll(/`([^`]+)`/g)].map((match) => match[1]!.replace(/ \(→ \d+\)$/, ""));
    expect(shown.length).toBeGreaterThan(8);
    for (const form of shown)
      expect(
        FORMS.map(([text]) => text),
        form,
      ).toContain(form);
  });

  it.each(["soon", "", "3 days", "a while", "-", "—"])("%j holds no time", (text) => {
    expect(readEstimate(text)).toEqual({ ok: false, why: "unreadable" });
  });

  it.each([
    ["0 min", "zero"],
    ["0", "zero"],
    ["0:00", "zero"],
    ["-5 min", "negative"],
    ["−1h", "negative"],
  ] as const)("refuses %j as a %s time, never reads it as its size", (text, why) => {
    expect(readEstimate(text)).toEqual({ ok: false, why });
  });

  it("takes numbers as minutes and refuses zero and negative ones", () => {
    expect(readEstimate(20)).toEqual({ ok: true, minutes: 20 });
    expect(readEstimate(0)).toEqual({ ok: false, why: "zero" });
    expect(readEstimate(-5)).toEqual({ ok: false, why: "negative" });
  });
});
