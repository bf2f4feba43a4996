import { describe, expect, it } from "vitest";
import { pullOfRun, type PullRecord } from "../../src/state/runPull.js";
import { ReportSchema } from "../../src/report/reportSchema.js";
import { report } from "./support.js";

const branch = "parallel-coordinator/12-backend";

function pull(number: number, fields: Partial<PullRecord> & { names?: [string, number, number?] }): PullRecord {
  const { names, ...rest } = fields;
  return {
    number,
    head: branch,
    headSha: `head-${number}`,
    open: true,
    merged: false,
    report:
      names === undefined
        ? { ok: false, reason: "no report" }
        : { ok: true, report: ReportSchema.parse({ ...report(names[0], names[1]), issue: names[2] ?? 12 }) },
    ...rest,
  };
}

describe("pullOfRun", () => {
  it("is the pull request whose report names the run, open before merged", () => {
    const open = pull(3, { names: ["model", 103] });
    const merged = pull(2, { names: ["model", 103], open: false, merged: true });
    expect(pullOfRun([merged, open], branch, 12, "model", 103)).toBe(open);
    expect(pullOfRun([merged], branch, 12, "model", 103)).toBe(merged);
  });

  it("is never one that names another run, another batch or another issue, even open on the domain branch", () => {
    for (const names of [
      ["model", 99],
      ["api", 103],
      ["model", 103, 13],
    ] as const) {
      expect(pullOfRun([pull(3, { names: [...names] })], branch, 12, "model", 103)).toBeUndefined();
    }
  });

  it("is an open one without a readable report when none names the run, never a closed one", () => {
    const unreadable = pull(4, {});
    expect(
      pullOfRun([pull(2, { names: ["api", 101], open: false, merged: true }), unreadable], branch, 12, "model", 103),
    ).toBe(unreadable);
    expect(pullOfRun([pull(4, { open: false })], branch, 12, "model", 103)).toBeUndefined();
  });

  it("comes from the run's own domain branch", () => {
    expect(
      pullOfRun(
        [pull(3, { names: ["model", 103], head: "parallel-coordinator/12-frontend" })],
        branch,
        12,
        "model",
        103,
      ),
    ).toBeUndefined();
  });
});
