import { describe, expect, it } from "vitest";
import { dashboardBody } from "../../src/github/stores/dashboardComment.js";
import { dashboardMarker } from "../../src/github/stores/markers.js";
import { decodeState } from "../../src/state/codec.js";
import { planOf } from "../../src/state/pinnedPlan.js";
import { fixtureKey, stateFixtures } from "./stateFixtures.js";

/** What people see of a comment: everything before the app's hidden markers. */
function visible(body: string): string {
  return body.slice(0, body.indexOf("<!-- parallel-coordinator:"));
}

describe("the states kept as fixtures (test/fixtures/states/)", () => {
  const fixtures = stateFixtures();

  it("are there, from every version", () => {
    expect(fixtures.map((fixture) => fixture.name)).toContain("v1-running.txt");
  });

  it.each(fixtures.map((fixture) => [fixture.name, fixture] as const))("%s loads, with the plan it ran", (_, fixture) => {
    const decoded = decodeState(fixture.body, fixtureKey);
    if (!decoded.ok) throw new Error(decoded.reason);
    const plan = planOf(decoded.state);
    expect(plan.batches.map((batch) => batch.id).sort()).toEqual(Object.keys(decoded.state.batches).sort());
    // A dashboard shows, from the state loaded, exactly what the version that wrote it showed.
    if (fixture.body.includes(dashboardMarker)) expect(visible(dashboardBody(plan, decoded.state, "https://github.com/acme/shop", fixtureKey))).toBe(visible(fixture.body));
  });
});
