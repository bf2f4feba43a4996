import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/base/config.js";
import { planFromSource } from "../../src/schedule/planner.js";
import { readBreakdown } from "../../src/plan/readBreakdown.js";
import { outcomesByBatch, scenarioFromYaml } from "../../src/sim/scenario.js";

const plan = planFromSource(
  readBreakdown(readFileSync(new URL("../../examples/notifications.md", import.meta.url), "utf8")),
  defaultConfig,
).plan!;

describe("scenarioFromYaml", () => {
  it("reads outcomes and steps", () => {
    const parsed = scenarioFromYaml(`
outcomes:
  "3": [out-of-scope, accept]
  5: [fail, fail]
steps:
  - when: { accepted: 2 }
    comment: /pause
  - restart: true
  - comment: /resume
    by: reader
`);
    expect(parsed).toEqual({
      ok: true,
      scenario: {
        outcomes: { "3": ["out-of-scope", "accept"], "5": ["fail", "fail"] },
        steps: [{ when: { accepted: 2 }, comment: "/pause" }, { restart: true }, { comment: "/resume", by: "reader" }],
      },
    });
    expect(scenarioFromYaml("")).toEqual({ ok: true, scenario: { outcomes: {}, steps: [] } });
  });

  it("names every problem with its place", () => {
    const parsed = scenarioFromYaml(`
outcomes:
  "3": [explode]
steps:
  - comment: /pause
    restart: true
  - when: { accepted: -1 }
    comment: x
extra: 1
`);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const text = parsed.problems.map((problem) => `${problem.field ?? ""}: ${problem.message}`);
    expect(text).toHaveLength(4);
    expect(text[0]).toMatch(/^outcomes\.3\.0: .*"accept"/);
    expect(text).toContain("steps.0: a step either posts a `comment` or is `restart: true`");
    expect(text.some((line) => line.startsWith("steps.1.when.accepted"))).toBe(true);
    expect(text.some((line) => /extra/.test(line))).toBe(true);
    expect(scenarioFromYaml("outcomes: [").ok).toBe(false);
  });
});

describe("outcomesByBatch", () => {
  it("takes a key as a batch id first, else as a checklist number", () => {
    const ids = planFromSource(
      readBreakdown(
        "```yaml\ntasks:\n  - { id: models, title: M, domain: backend, estimate: 20 }\n  - { id: ui, title: U, domain: frontend, estimate: 20 }\n```",
      ),
      defaultConfig,
    ).plan!;
    const resolved = outcomesByBatch({ outcomes: { "2": ["fail"], models: ["slow"] }, steps: [] }, ids);
    expect(resolved.ok && [...resolved.outcomes]).toEqual([
      ["ui", ["fail"]],
      ["models", ["slow"]],
    ]);
    const same = outcomesByBatch({ outcomes: { "3": ["blocked"] }, steps: [] }, plan);
    expect(same.ok && [...same.outcomes]).toEqual([["3", ["blocked"]]]);
  });

  it("refuses a batch the plan does not have, and one named twice", () => {
    const missing = outcomesByBatch({ outcomes: { "9": ["fail"] }, steps: [] }, plan);
    expect(missing.ok).toBe(false);
    expect(!missing.ok && missing.problems[0]!.message).toMatch(
      /^no batch has the id or checklist number "9"; the batches are 1 \(1\), 2 \(2\)/,
    );
    const ids = planFromSource(
      readBreakdown(
        "```yaml\ntasks:\n  - { id: models, title: M, domain: backend, estimate: 20 }\n  - { id: ui, title: U, domain: frontend, estimate: 20 }\n```",
      ),
      defaultConfig,
    ).plan!;
    const twice = outcomesByBatch({ outcomes: { "1": ["fail"], models: ["slow"] }, steps: [] }, ids);
    expect(!twice.ok && twice.problems[0]!.message).toBe('batch 1 is "models", which the scenario names too');
  });
});
