/** Which completed run of the agent workflow is the app's: a rule the workflow_run handler once held. */
import { describe, expect, it } from "vitest";
import { roleOfCompletedRun } from "../../src/state/completedRun.js";
import { at, completed, decideAndWrite, running, setup, T0 } from "./support.js";

describe("roleOfCompletedRun", () => {
  const key = { issue: 12, batch: "api", attempt: 1 };

  it("checks in a run the app recorded, once", () => {
    const { plan, state } = running();
    expect(roleOfCompletedRun(state, { id: 101, key, conclusion: "success", createdAt: T0 })).toBe("checkIn");
    const checked = decideAndWrite(state, completed(101, 10, at(10), { conclusion: "failure" }), plan).state;
    expect(roleOfCompletedRun(checked, { id: 101, key, conclusion: "failure", createdAt: T0 })).toBeUndefined();
  });

  it("adopts a run dispatched with no id learnt, only when made since the coordination started", () => {
    const { plan, state } = setup();
    const dispatched = decideAndWrite(state, { kind: "start", at: T0 }, plan).state;
    expect(roleOfCompletedRun(dispatched, { id: 555, key, conclusion: "success", createdAt: at(1) })).toBe("adopt");
    expect(
      roleOfCompletedRun(dispatched, { id: 555, key, conclusion: "success", createdAt: "2025-12-31T00:00:00Z" }),
    ).toBeUndefined();
    expect(
      roleOfCompletedRun(dispatched, { id: 555, key: { ...key, attempt: 2 }, conclusion: "success", createdAt: at(1) }),
    ).toBeUndefined();
  });

  it("checks in a run /pause cancelled that finished first, and no other cancelled run", () => {
    const { plan, state } = running();
    const paused = decideAndWrite(
      state,
      { kind: "command", at: at(1), by: "alice", comment: 1, command: { name: "pause" } },
      plan,
    ).state;
    expect(roleOfCompletedRun(paused, { id: 101, key, conclusion: "success", createdAt: T0 })).toBe("checkIn");
    expect(roleOfCompletedRun(paused, { id: 101, key, conclusion: "cancelled", createdAt: T0 })).toBeUndefined();
  });
});
