import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/base/config.js";
import { readBreakdown } from "../../src/plan/readBreakdown.js";
import { planFromSource } from "../../src/schedule/planner.js";
import { pinPlan, planOf } from "../../src/state/pinnedPlan.js";
import { StateSchema } from "../../src/state/stateSchema.js";
import { FEATURE_YAML, setup } from "./support.js";

const examples = new URL("../../examples/", import.meta.url);
const names = readdirSync(examples).filter((name) => name.endsWith(".md"));

describe("the pinned plan", () => {
  it.each(names)("of examples/%s is the very plan it was pinned from, read back from a state", (name) => {
    const result = planFromSource(readBreakdown(readFileSync(new URL(name, examples), "utf8")), defaultConfig, {
      force: true,
    });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const { state } = setup(FEATURE_YAML);
    const pinned = StateSchema.parse(JSON.parse(JSON.stringify({ ...state, plan: pinPlan(result.plan) })));
    expect(planOf(pinned)).toEqual(result.plan);
  });

  it("keeps a deny list once however many batches share it, and a batch's tasks only when they are not its own id alone", () => {
    const { plan } = setup(`title: Shared
agents: 2
tasks:
  - { id: a, title: A, domain: backend, files: ["backend/a/**"], estimate: 5 }
  - { id: b, title: B, domain: backend, files: ["backend/b/**"], estimate: 5 }
  - { id: c, title: C, domain: backend, files: ["backend/c/**"], estimate: 20 }
  - { id: d, title: D, domain: frontend, files: ["frontend/d/**"], estimate: 20 }
  - { id: e, title: E, domain: frontend, files: ["frontend/e/**"], estimate: 20 }
`);
    const pinned = pinPlan(plan);
    expect(plan.batches.map((batch) => batch.tasks)).toEqual([["a", "b"], ["c"], ["d"], ["e"]]);
    expect(pinned.batches.map((batch) => batch.tasks)).toEqual([["a", "b"], undefined, undefined, undefined]);
    expect(new Set(plan.batches.map((batch) => JSON.stringify(batch.scope.deny))).size).toBe(pinned.denies.length);
    expect(pinned.denies.length).toBeLessThan(plan.batches.length);
  });

  it("is refused when its start minutes or deny lists do not match its batches", () => {
    const { state } = setup(FEATURE_YAML);
    expect(
      StateSchema.safeParse({ ...state, plan: { ...state.plan, schedule: { ...state.plan.schedule, start: [0] } } })
        .success,
    ).toBe(false);
    expect(StateSchema.safeParse({ ...state, plan: { ...state.plan, denies: [] } }).success).toBe(false);
  });
});
