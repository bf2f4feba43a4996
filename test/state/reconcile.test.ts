import { describe, expect, it } from "vitest";
import { ReportSchema, type ReportInput } from "../../src/report/reportSchema.js";
import { briefFor } from "../../src/render/batchBrief.js";
import { briefContext, dispatchInputs } from "../../src/state/dispatchInputs.js";
import { reconcile, recordsSince, restoreNote, type MergedPull, type RunRecord } from "../../src/state/reconcile.js";
import type { State } from "../../src/state/stateSchema.js";
import { dashboardView } from "../../src/state/dashboardView.js";
import { T0, at, completed, decideAndWrite, dispatches, evidence, play, report, running, setup } from "./support.js";

const { plan, state: planned } = setup();

/** The snapshot: `api` (run 101) and `styles` (run 102) dispatched at T0, nothing else yet. */
const { state: snapshot } = running({ plan, state: planned });

function run(
  id: number,
  key: string,
  created: string,
  done?: { conclusion?: string; at: string; minutes?: number },
): RunRecord {
  return {
    id,
    title: `parallel-coordinator ${key}`,
    createdAt: created,
    ...(done === undefined
      ? {}
      : { completed: { conclusion: done.conclusion ?? "success", at: done.at, minutes: done.minutes ?? 15 } }),
  };
}

function merged(number: number, value: ReportInput, when: string, sha = `merge-${number}`): MergedPull {
  return { number, mergedAt: when, sha, report: ReportSchema.parse(value) };
}

/** The runs GitHub lists for the snapshot itself: the two it knows, still out. */
const known = [run(101, "pc-12-api-1", T0), run(102, "pc-12-styles-1", T0)];

function statuses(state: State): Record<string, string> {
  return Object.fromEntries(Object.entries(state.batches).map(([id, batch]) => [id, batch.status]));
}

describe("reconcile", () => {
  it("with nothing newer than the snapshot, the snapshot is the state, and nothing is recovered", () => {
    expect(reconcile(snapshot, plan, { merged: [], runs: known })).toEqual({ state: snapshot, recovered: [] });
    expect(reconcile(snapshot, plan, { merged: [], runs: [] })).toEqual({ state: snapshot, recovered: [] });
  });

  it("a batch whose run's pull request merged after the snapshot is accepted with the report; the head moves to the merge", () => {
    const records = {
      merged: [merged(21, report("api", 101), at(20))],
      runs: [run(101, "pc-12-api-1", T0, { at: at(18), minutes: 18 }), known[1]!],
    };
    const { state, recovered } = reconcile(snapshot, plan, records);
    expect(recovered).toEqual(["batch 1 accepted from merged #21"]);
    expect(state.head).toBe("merge-21");
    expect(state.batches.api).toMatchObject({
      status: "accepted",
      pr: 21,
      summary: "Finished api.",
      integrationPoints: ["api: GET /api/api returns {id, text}"],
      changes: [{ file: "api/file.ts", line: 3, summary: "api done" }],
      findings: [],
    });
    expect(state.batches.api!.runs).toEqual([
      {
        attempt: 1,
        key: "pc-12-api-1",
        id: 101,
        dispatchedAt: T0,
        completedAt: at(18),
        minutes: 18,
        outcome: "accepted",
      },
    ]);
    // The snapshot itself is left as it was.
    expect(snapshot.batches.api!.status).toBe("dispatched");

    // What the next event decides goes on from there: the backend's next batch, with api's contract in ui's brief later.
    const next = decideAndWrite(state, { kind: "advance", at: at(21) }, plan);
    expect(dispatches(next.effects).map((effect) => effect.key)).toEqual(["pc-12-model-1"]);
    // The batch is not merged again, nor dispatched again, when its own completion arrives late.
    expect(
      decideAndWrite(
        next.state,
        completed(101, 18, at(18), { evidence: evidence(21, ["backend/api/a.py"], report("api", 101), true) }),
        plan,
      ).effects,
    ).toEqual([]);
  });

  it("a run dispatched after the snapshot is recorded with its id: not dispatched again, and its completion is checked in", () => {
    const records = {
      merged: [merged(21, report("api", 101), at(20))],
      runs: [run(101, "pc-12-api-1", T0, { at: at(18) }), known[1]!, run(103, "pc-12-model-1", at(20))],
    };
    const { state, recovered } = reconcile(snapshot, plan, records);
    expect(recovered).toEqual(["batch 1 accepted from merged #21", "run 103 of batch 3 adopted"]);
    expect(statuses(state)).toEqual({ api: "accepted", styles: "dispatched", model: "dispatched", ui: "pending" });
    expect(state.batches.model!.runs).toEqual([{ attempt: 1, key: "pc-12-model-1", id: 103, dispatchedAt: at(20) }]);

    expect(dispatches(decideAndWrite(state, { kind: "advance", at: at(21) }, plan).effects)).toEqual([]);
    const checked = decideAndWrite(
      state,
      completed(103, 15, at(35), { evidence: evidence(22, ["backend/models/n.py"], report("model", 103)) }),
      plan,
    );
    expect(checked.state.batches.model!.status).toBe("checking");
    expect(checked.effects.map((effect) => effect.kind)).toEqual(["checkRun", "merge"]);
  });

  it("a run the snapshot knows without an id (a server without return_run_details) gets its id", () => {
    const noIds = play(plan, planned, [{ kind: "start", at: T0 }]).state;
    const { state, recovered } = reconcile(noIds, plan, { merged: [], runs: known });
    expect(recovered).toEqual(["run 101 of batch 1 adopted", "run 102 of batch 2 adopted"]);
    expect(state.batches.api!.runs).toEqual([{ attempt: 1, key: "pc-12-api-1", id: 101, dispatchedAt: T0 }]);
    expect(statuses(state)).toEqual(statuses(noIds));
  });

  it("a redo dispatched after the snapshot settles the run before it, whose completion is then not checked in twice", () => {
    const records = {
      merged: [],
      runs: [run(101, "pc-12-api-1", T0, { at: at(18), minutes: 18 }), known[1]!, run(105, "pc-12-api-2", at(18))],
    };
    const { state, recovered } = reconcile(snapshot, plan, records);
    expect(recovered).toEqual(["run 105 of batch 1 adopted"]);
    expect(state.batches.api).toMatchObject({ status: "dispatched", redos: 1 });
    expect(state.batches.api!.runs).toEqual([
      { attempt: 1, key: "pc-12-api-1", id: 101, dispatchedAt: T0, completedAt: at(18), minutes: 18, outcome: "redo" },
      { attempt: 2, key: "pc-12-api-2", id: 105, dispatchedAt: at(18) },
    ]);
    const late = decideAndWrite(
      state,
      completed(101, 18, at(18), { evidence: evidence(21, ["backend/api/a.py"], report("api", 101)) }),
      plan,
    );
    expect(late).toEqual({ state, effects: [] });
  });

  it("a failed run followed by a retry counts against the retries; an attempt GitHub has no run of keeps its number", () => {
    const records = {
      merged: [],
      runs: [
        run(101, "pc-12-api-1", T0, { conclusion: "failure", at: at(5) }),
        known[1]!,
        run(107, "pc-12-api-3", at(30)),
      ],
    };
    const { state } = reconcile(snapshot, plan, records);
    expect(state.batches.api!.runs.map((entry) => [entry.attempt, entry.key, entry.id, entry.outcome])).toEqual([
      [1, "pc-12-api-1", 101, "failed"],
      [2, "pc-12-api-2", undefined, "failed"],
      [3, "pc-12-api-3", 107, undefined],
    ]);
    expect(state.batches.api!.retries).toBe(1);
    // Its next attempt is a new one.
    const failed = decideAndWrite(state, completed(107, 5, at(40), { conclusion: "failure" }), plan);
    expect(failed.state.batches.api!.status).toBe("blocked");
  });

  it("a batch blocked at the snapshot whose pull request was merged after it (/approve) is accepted", () => {
    const blocked = play(plan, snapshot, [
      completed(101, 10, at(10), {
        evidence: evidence(21, ["backend/api/a.py"], report("api", 101, { status: "Blocked" })),
      }),
    ]).state;
    expect(blocked.batches.api!.status).toBe("blocked");
    const { state } = reconcile(blocked, plan, {
      merged: [merged(21, report("api", 101, { status: "Blocked" }), at(30))],
      runs: [known[1]!],
    });
    expect(state.batches.api).toMatchObject({ status: "accepted", pr: 21 });
    expect(state.batches.api!.blocker).toBeUndefined();
  });

  it("a blocked batch run again after the snapshot (/retry) is running again", () => {
    const blocked = play(plan, snapshot, [
      completed(101, 10, at(10), {
        evidence: evidence(21, ["backend/api/a.py"], report("api", 101, { status: "Blocked" })),
      }),
    ]).state;
    const { state } = reconcile(blocked, plan, { merged: [], runs: [run(109, "pc-12-api-2", at(40))] });
    expect(state.batches.api!.status).toBe("dispatched");
    expect(state.batches.api!.blocker).toBeUndefined();
    expect(state.batches.api!.runs.map((entry) => [entry.id, entry.outcome])).toEqual([
      [101, "blocked"],
      [109, undefined],
    ]);
  });

  it("merged pull requests of another run, another issue or a settled batch, and runs of other issues, change nothing", () => {
    const accepted = reconcile(snapshot, plan, { merged: [merged(21, report("api", 101), at(20))], runs: known }).state;
    const records = {
      merged: [
        // An earlier coordination's run of the same batch, another issue's batch, a batch already accepted, no batch at all.
        merged(5, report("styles", 77), at(20)),
        merged(6, report("styles", 102, { issue: 13 }), at(20)),
        merged(7, report("api", 101), at(25)),
        merged(8, report("nothing", 102), at(25)),
      ],
      runs: [
        ...known,
        run(300, "pc-13-model-1", at(20)),
        run(301, "Nightly build", at(20)),
        run(302, "pc-12-unknown-1", at(20)),
      ],
    };
    expect(reconcile(accepted, plan, records)).toEqual({ state: accepted, recovered: [] });
  });

  it("the head is the newest merge, whatever the order of the pull requests", () => {
    const records = {
      merged: [merged(30, report("styles", 102), at(25)), merged(29, report("api", 101), at(20))],
      runs: known,
    };
    const { state, recovered } = reconcile(snapshot, plan, records);
    expect(recovered).toEqual(["batch 1 accepted from merged #29", "batch 2 accepted from merged #30"]);
    expect(state.head).toBe("merge-30");
  });
});

describe("recordsSince", () => {
  it("is the snapshot's time, or the dispatch of a run still out at it if that is earlier", () => {
    const later = { ...snapshot, updatedAt: at(12) };
    expect(recordsSince(later)).toBe(T0);
    const settled = play(plan, snapshot, [
      completed(101, 10, at(10), { conclusion: "failure" }),
      completed(102, 11, at(11), { conclusion: "failure" }),
    ]).state;
    // Both retried at +10 and +11: the newer runs are the ones still out.
    expect(recordsSince(settled)).toBe(at(10));
    expect(recordsSince(planned)).toBe(T0);
  });
});

describe("the restore note", () => {
  const note = restoreNote("the dashboard is missing", at(30), [
    "batch 3 accepted from merged #12",
    "run 456 of batch 4 adopted",
  ]);

  it("says why and what GitHub's records added", () => {
    expect(note).toBe(
      `The dashboard's state was restored from the latest checkpoint comment at ${at(30)}: the dashboard is missing. Recovered from GitHub: batch 3 accepted from merged #12; run 456 of batch 4 adopted.`,
    );
    expect(restoreNote("the dashboard is missing", undefined, [])).toBe(
      "The dashboard's state was restored from the latest checkpoint comment: the dashboard is missing. GitHub records nothing newer.",
    );
  });

  it("is shown on the dashboard, but never reaches an agent's brief", () => {
    const state: State = { ...snapshot, notes: ["Use httpOnly cookies"], restores: [note] };
    expect(dashboardView(plan, state, "https://github.com/acme/app").notes).toEqual([note, "Use httpOnly cookies"]);
    const ui = plan.batches.find((batch) => batch.id === "ui")!;
    expect(briefContext(plan, state, ui).decisions).toEqual(["Use httpOnly cookies"]);
    const request = dispatchInputs(plan, state, ui, 1, "pc-12-ui-1").brief;
    const brief = briefFor(plan, ui.id, request.context, request.limit);
    expect(brief).toContain("Use httpOnly cookies");
    expect(brief).not.toContain("restored");
  });
});
