import { inflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { dashboardBody } from "../../src/github/stores/dashboardComment.js";
import { dashboardMarker } from "../../src/github/stores/markers.js";
import { decodeState } from "../../src/state/codec.js";
import { planOf } from "../../src/state/pinnedPlan.js";
import { stateVersion } from "../../src/state/stateSchema.js";
import { fixtureKey, stateBlock, stateFixtures, withBlock, type StateFixture } from "./stateFixtures.js";

/** What people see of a comment: everything before the app's hidden markers. */
function visible(body: string): string {
  return body.slice(0, body.indexOf("<!-- parallel-coordinator:"));
}

/** The JSON inside a comment's state block, as its version wrote it. */
function written(body: string): Record<string, unknown> {
  const payload = /parallel-coordinator:state v\d+ ([A-Za-z0-9_-]+)\./.exec(body)![1]!;
  return JSON.parse(inflateRawSync(Buffer.from(payload, "base64url")).toString("utf8")) as Record<string, unknown>;
}

const fixtures = stateFixtures();

function fixture(name: string): StateFixture {
  return fixtures.find((each) => each.name === `${name}.txt`)!;
}

describe("the states kept as fixtures (test/fixtures/states/)", () => {
  it("are there from every version this app reads (scripts/state-fixtures.ts writes the current one's)", () => {
    expect([...new Set(fixtures.map((each) => each.version))]).toEqual(
      Array.from({ length: stateVersion }, (_, index) => index + 1),
    );
  });

  it.each(fixtures.map((each) => [each.name, each] as const))("%s loads, with the plan it ran", (_, each) => {
    const decoded = decodeState(each.body, fixtureKey);
    if (!decoded.ok) throw new Error(decoded.reason);
    expect(decoded.state.version).toBe(stateVersion);
    const plan = planOf(decoded.state);
    expect(plan.batches.map((batch) => batch.id).sort()).toEqual(Object.keys(decoded.state.batches).sort());
    // A dashboard shows, from the state loaded, exactly what the version that wrote it showed.
    if (each.body.includes(dashboardMarker))
      expect(visible(dashboardBody(plan, decoded.state, "https://github.com/acme/shop", fixtureKey))).toBe(
        visible(each.body),
      );
  });

  const moments = fixtures
    .filter((each) => each.version === 1)
    .map((each) => each.name.replace(/^v1-(.+)\.txt$/, "$1"));
  it.each(moments)("v1-%s is, once brought up, the very state v2 wrote at the same moment", (moment) => {
    const v1 = decodeState(fixture(`v1-${moment}`).body, fixtureKey);
    const v2 = decodeState(fixture(`v2-${moment}`).body, fixtureKey);
    expect(v1.ok && v2.ok).toBe(true);
    expect(v1).toEqual(v2);
  });
});

describe("a state of version 1 (the issue body as planned, no plan)", () => {
  const v1 = fixture("v1-running");
  const state = written(v1.body) as { version: number; issue: number; source: { body: string } };

  it("gets the plan its body gave, pinned", () => {
    expect(state.version).toBe(1);
    expect(state).not.toHaveProperty("plan");
    const decoded = decodeState(v1.body, fixtureKey);
    if (!decoded.ok) throw new Error(decoded.reason);
    expect(decoded.state.plan.batches.map((batch) => batch.id)).toEqual(["1", "2", "3", "4", "5", "6"]);
    expect(decoded.state).not.toHaveProperty("source");
  });

  it("whose body now plans other batches is refused, and said why: it is never run with another plan", () => {
    // Batch 6, the last section, left out: as if the planner had merged it into another.
    const body = state.source.body.slice(0, state.source.body.indexOf("### Batch 6:"));
    expect(body).toContain("### Batch 5:");
    const changed = withBlock(v1.body, stateBlock({ ...state, source: { ...state.source, body } }, fixtureKey));
    expect(decodeState(changed, fixtureKey)).toEqual({
      ok: false,
      reason: expect.stringContaining("its issue body now plans other batches than the state's"),
      unreadable: { version: 1, issue: state.issue, reason: expect.stringContaining("now plans other batches") },
    });
  });

  it("whose body no longer plans at all is refused, naming the problems", () => {
    const changed = withBlock(
      v1.body,
      stateBlock({ ...state, source: { ...state.source, body: "No breakdown here." } }, fixtureKey),
    );
    const decoded = decodeState(changed, fixtureKey);
    expect(decoded).toMatchObject({ ok: false, unreadable: { version: 1, issue: state.issue } });
    expect(!decoded.ok && decoded.reason).toMatch(
      /^the state \(v1\) holds no plan, and its issue body no longer plans: .+/,
    );
  });
});

describe("a state of version 3 (who decided a batch's fate last, no decisions of their own)", () => {
  it("loads without the name, every batch with an empty history of decisions; the notes still say who decided what", () => {
    const v3 = fixture("v3-done");
    const state = written(v3.body) as { batches: Record<string, Record<string, unknown>>; notes: string[] };
    const [first] = Object.keys(state.batches);
    const decided = {
      ...state,
      batches: { ...state.batches, [first!]: { ...state.batches[first!], decidedBy: "alice" } },
    };
    const decoded = decodeState(withBlock(v3.body, stateBlock({ ...decided, version: 3 }, fixtureKey)), fixtureKey);
    if (!decoded.ok) throw new Error(decoded.reason);
    expect(decoded.state.version).toBe(4);
    expect(decoded.state.batches[first!]).not.toHaveProperty("decidedBy");
    expect(Object.values(decoded.state.batches).map((batch) => batch.decisions)).toEqual(
      Object.keys(state.batches).map(() => []),
    );
    expect(decoded.state.notes).toEqual(state.notes);
  });
});

describe("a state of a version newer than this app's", () => {
  it("is refused, saying which version wrote it and which this one reads; it is never taken for damage", () => {
    const newer = {
      ...written(fixture(`v${stateVersion}-running`).body),
      version: stateVersion + 1,
      somethingNew: true,
    };
    const decoded = decodeState(
      withBlock(fixture(`v${stateVersion}-running`).body, stateBlock(newer, fixtureKey)),
      fixtureKey,
    );
    expect(decoded).toEqual({
      ok: false,
      reason: `the state was written by a newer version of the app (state v${stateVersion + 1}; this one reads up to v${stateVersion})`,
      unreadable: { version: stateVersion + 1, issue: 1 },
    });
  });

  it("whose signature fails is damage, as any other", () => {
    const body = withBlock(
      fixture(`v${stateVersion}-running`).body,
      stateBlock({ version: stateVersion + 1, issue: 1 }, Buffer.from("another key")),
    );
    expect(decodeState(body, fixtureKey)).toEqual({
      ok: false,
      reason: expect.stringContaining("signature does not match"),
    });
  });
});
