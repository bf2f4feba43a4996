/** Whether a request (the label, `/plan`) starts a coordination: a rule the start handler once held. */
import { describe, expect, it } from "vitest";
import { mayStart } from "../../src/state/startState.js";
import { at, decideAndWrite, running, T0 } from "./support.js";

describe("mayStart", () => {
  it("starts on an issue with no coordination, or after one ended, for a later request only", () => {
    const { plan, state } = running();
    expect(mayStart(undefined, T0)).toBe(true);
    expect(mayStart(state, at(30))).toBe(false);
    const aborted = decideAndWrite(
      state,
      { kind: "command", at: at(5), by: "alice", comment: 1, command: { name: "abort" } },
      plan,
    ).state;
    expect(mayStart(aborted, T0)).toBe(false);
    expect(mayStart(aborted, at(30))).toBe(true);
  });
});
