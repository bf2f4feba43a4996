import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decide } from "../../src/state/machine.js";
import { dashboardBody } from "../../src/github/stores/dashboardComment.js";
import { decodeState, stateKey } from "../../src/state/codec.js";
import { limits } from "../../src/state/kept.js";
import { at, completed, evidence, report, running } from "./support.js";

const key = stateKey("kept");

/** Text that does not compress: what an agent's words look like to deflate, at worst. */
function noise(length: number, seed: number): string {
  let out = "";
  for (let n = seed; out.length < length; n += 1) out += createHash("sha256").update(String(n)).digest("base64");
  return out.slice(0, length);
}

describe("what the state keeps of an agent's report", () => {
  /** A report as long as an agent could make it: the state must still fit its comment. */
  const huge = (batch: string, run: number) =>
    report(batch, run, {
      summary: noise(50_000, 1),
      integrationPoints: Array.from({ length: 200 }, (_, n) => `point ${n} ${noise(2_000, 1_000 * n)}`),
      changes: Array.from({ length: 500 }, (_, n) => ({
        file: `backend/api/f${n}.py`,
        line: n + 1,
        summary: noise(1_000, 7_000_000 + 100 * n),
      })),
    });

  it("bounds an accepted batch's summary, integration points and changes, and says how many changes were left out", () => {
    const { plan, state: started } = running();
    const next = decide(
      started,
      completed(101, 15, at(15), { evidence: evidence(501, ["backend/api/routes.py"], huge("api", 101)) }),
      plan,
    ).state;
    const api = next.batches.api!;
    expect(api.summary!.length).toBeLessThanOrEqual(limits.summary);
    expect(api.integrationPoints).toHaveLength(limits.integrationPoints);
    expect(Math.max(...api.integrationPoints.map((point) => point.length))).toBeLessThanOrEqual(limits.point);
    expect(api.changes).toHaveLength(limits.changes + 1);
    expect(api.changes.at(-1)).toEqual({ file: "…", summary: "and 480 more changes (see the pull request)" });
    expect(dashboardBody(plan, next, "https://github.com/o/r", key).length).toBeLessThanOrEqual(65_536);
  });

  it("bounds a blocker's reason: an agent's endless Blocked report still leaves a state that fits", () => {
    const { plan, state: started } = running();
    const blockers = Array.from({ length: 300 }, (_, n) => `blocker ${n}: ${noise(1_000, 100 * n)}`);
    const next = decide(
      started,
      completed(101, 15, at(15), {
        evidence: evidence(501, ["backend/api/routes.py"], report("api", 101, { status: "Blocked", blockers })),
      }),
      plan,
    ).state;
    expect(next.batches.api!.status).toBe("blocked");
    expect(next.batches.api!.blocker!.length).toBeLessThanOrEqual(limits.blocker);
    expect(next.batches.api!.findings.length).toBeLessThanOrEqual(limits.findings);
    const body = dashboardBody(plan, next, "https://github.com/o/r", key);
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(decodeState(body, key).ok).toBe(true);
  });
});
