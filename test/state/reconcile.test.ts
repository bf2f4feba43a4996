import { describe, expect, it } from "vitest";
import { ReportSchema, type ReportInput } from "../../src/report/reportSchema.js";
import { briefFor } from "../../src/render/batchBrief.js";
import { briefContext, dispatchInputs } from "../../src/state/dispatchInputs.js";
import {
  isNews,
  mayHaveMissed,
  reconcile,
  recordsSince,
  restoreNote,
  stalledEvent,
  type RunRecord,
} from "../../src/state/reconcile.js";
import type { PullRecord } from "../../src/state/runPull.js";
import type { Event } from "../../src/state/events.js";
import type { State } from "../../src/state/stateSchema.js";
import { dashboardView } from "../../src/state/dashboardView.js";
import { T0, at, completed, decideAndWrite, evidence, play, report, running, setup } from "./support.js";

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

/** A batch pull request from `batch`'s domain branch whose report names `run`. */
function pull(
  number: number,
  batch: string,
  run: number,
  fields: Partial<Omit<PullRecord, "merged" | "report">> & { merged?: string; report?: Partial<ReportInput> } = {},
): PullRecord {
  const { merged, report: reported, ...rest } = fields;
  const domain = plan.batches.find((candidate) => candidate.id === batch)!.domain;
  return {
    number,
    head: `parallel-coordinator/12-${domain}`,
    headSha: `head-${number}`,
    open: merged === undefined,
    merged: merged !== undefined,
    ...(merged === undefined ? {} : { mergedAt: merged, mergeSha: `merge-${number}` }),
    report: { ok: true, report: ReportSchema.parse(report(batch, run, reported)) },
    ...rest,
  };
}

/** The runs GitHub lists for the snapshot itself: the two it knows, still out. */
const known = [run(101, "pc-12-api-1", T0), run(102, "pc-12-styles-1", T0)];
const nothing = { pulls: [], posted: [] };

function statuses(state: State): Record<string, string> {
  return Object.fromEntries(Object.entries(state.batches).map(([id, batch]) => [id, batch.status]));
}

describe("reconcile", () => {
  it("with nothing newer than the state, the state is left as it is, and nothing is recovered", () => {
    const same = { state: snapshot, completions: [], recovered: [] };
    expect(reconcile(snapshot, plan, { ...nothing, runs: known })).toEqual(same);
    expect(reconcile(snapshot, plan, { ...nothing, runs: [] })).toEqual(same);
    expect(reconcile(snapshot, plan, nothing)).toEqual(same);
  });

  it("a run that ended is a completion judged on its own pull request, not on the domain's next one; the event's own is no news", () => {
    const api = pull(21, "api", 101, { merged: at(20) });
    const model = pull(22, "model", 103);
    const records = {
      runs: [run(101, "pc-12-api-1", T0, { at: at(18), minutes: 18 }), known[1]!],
      pulls: [model, api],
      posted: [],
    };
    const { state, completions, recovered } = reconcile(snapshot, plan, records);
    expect(state).toEqual(snapshot);
    expect(completions).toEqual([
      { batch: "api", runId: 101, at: at(18), conclusion: "success", minutes: 18, pull: api, report: api.report },
    ]);
    expect(recovered).toEqual(["run 101 of batch 1 merged in #21"]);
    expect(reconcile(snapshot, plan, { ...records, event: records.runs[0]! }).recovered).toEqual([]);

    // Decided on, the merged pull request is accepted as it is: not checked, merged or run again.
    const { evidence: _evidence, ...ended } = completed(101, 18, at(18)) as Extract<Event, { kind: "runCompleted" }>;
    const decided = decideAndWrite(
      snapshot,
      {
        ...ended,
        evidence: {
          pr: {
            number: 21,
            headSha: "head-21",
            files: [{ path: "backend/api/a.py", mode: "100644" }],
            changedFiles: 1,
            merged: true,
            baseSha: "merge-21",
          },
          report: api.report,
        },
      },
      plan,
    );
    expect(decided.state.batches.api).toMatchObject({ status: "accepted", pr: 21 });
    expect(decided.state.head).toBe("merge-21");
    expect(decided.effects.map((effect) => effect.kind)).toEqual(["dispatch"]);
  });

  it("a pull request merged for a run the list does not show ended yet is that run's completion, from the merge", () => {
    const api = pull(21, "api", 101, { merged: at(20) });
    const { completions } = reconcile(snapshot, plan, { runs: known, pulls: [api], posted: [] });
    expect(completions).toEqual([
      { batch: "api", runId: 101, at: at(20), conclusion: "success", minutes: 20, pull: api, report: api.report },
    ]);
  });

  it("a run that failed is a completion without a pull request; one that committed nothing brings the report it posted on the issue", () => {
    const posted = [
      { ok: true as const, report: ReportSchema.parse(report("styles", 999)) },
      { ok: true as const, report: ReportSchema.parse(report("styles", 102, { changes: [] })) },
    ];
    const records = {
      runs: [
        run(101, "pc-12-api-1", T0, { conclusion: "failure", at: at(5), minutes: 5 }),
        run(102, "pc-12-styles-1", T0, { at: at(9), minutes: 9 }),
      ],
      pulls: [],
      posted,
    };
    const { completions } = reconcile(snapshot, plan, records);
    expect(completions).toEqual([
      {
        batch: "api",
        runId: 101,
        at: at(5),
        conclusion: "failure",
        minutes: 5,
        report: { ok: false, reason: "no pull request and no report comment for this run" },
      },
      { batch: "styles", runId: 102, at: at(9), conclusion: "success", minutes: 9, report: posted[1] },
    ]);
  });

  it("a run dispatched by a step whose state was lost is adopted: not dispatched again when that step's completion is decided, and checked in when it ends", () => {
    // api ended and was merged, and model dispatched, in a step killed before it wrote the state.
    const api = pull(21, "api", 101, { merged: at(19) });
    const records = {
      runs: [run(101, "pc-12-api-1", T0, { at: at(18), minutes: 18 }), known[1]!, run(103, "pc-12-model-1", at(19))],
      pulls: [api],
      posted: [],
    };
    const { state, recovered, completions } = reconcile(snapshot, plan, records);
    expect(recovered).toEqual(["run 101 of batch 1 merged in #21", "run 103 of batch 3 adopted"]);
    expect(statuses(state)).toEqual({ api: "dispatched", styles: "dispatched", model: "dispatched", ui: "pending" });
    expect(state.batches.model!.runs).toEqual([{ attempt: 1, key: "pc-12-model-1", id: 103, dispatchedAt: at(19) }]);
    expect(completions.map((completion) => completion.runId)).toEqual([101]);
    const decided = decideAndWrite(
      state,
      completed(101, 18, at(18), {
        evidence: {
          pr: {
            number: 21,
            headSha: "head-21",
            files: [{ path: "backend/api/a.py", mode: "100644" }],
            changedFiles: 1,
            merged: true,
            baseSha: "merge-21",
          },
          report: api.report,
        },
      }),
      plan,
    );
    expect(statuses(decided.state)).toEqual({
      api: "accepted",
      styles: "dispatched",
      model: "dispatched",
      ui: "pending",
    });
    expect(decided.effects).toEqual([]);
    const checked = decideAndWrite(
      decided.state,
      completed(103, 15, at(35), { evidence: evidence(22, ["backend/models/n.py"], report("model", 103)) }),
      plan,
    );
    expect(checked.state.batches.model!.status).toBe("checking");
  });

  it("runs are adopted only from the whole list: the run of an event alone adopts nothing and settles nothing", () => {
    const records = { event: run(105, "pc-12-api-2", at(18), { at: at(30) }), pulls: [], posted: [] };
    expect(reconcile(snapshot, plan, records)).toEqual({ state: snapshot, completions: [], recovered: [] });
  });

  it("runs made before the coordination started (an earlier one of the same issue) are not adopted", () => {
    const records = { runs: [...known, run(90, "pc-12-model-1", "2025-12-31T00:00:00Z")], pulls: [], posted: [] };
    expect(reconcile(snapshot, plan, records).state).toEqual(snapshot);
  });

  it("a run the state knows without an id (a server without return_run_details) gets its id, and is checked in when it ends", () => {
    const noIds = play(plan, planned, [{ kind: "start", at: T0 }]).state;
    const { state, recovered } = reconcile(noIds, plan, { runs: known, pulls: [], posted: [] });
    expect(recovered).toEqual(["run 101 of batch 1 adopted", "run 102 of batch 2 adopted"]);
    expect(state.batches.api!.runs).toEqual([{ attempt: 1, key: "pc-12-api-1", id: 101, dispatchedAt: T0 }]);
    expect(statuses(state)).toEqual(statuses(noIds));
    const ended = reconcile(noIds, plan, {
      runs: [run(101, "pc-12-api-1", T0, { at: at(9) }), known[1]!],
      event: run(101, "pc-12-api-1", T0, { at: at(9) }),
      pulls: [],
      posted: [],
    });
    expect(ended.completions.map((completion) => completion.runId)).toEqual([101]);
  });

  it("a redo dispatched after the state settles the run before it, whose completion is then not checked in twice", () => {
    const records = {
      runs: [run(101, "pc-12-api-1", T0, { at: at(18), minutes: 18 }), known[1]!, run(105, "pc-12-api-2", at(18))],
      pulls: [],
      posted: [],
    };
    const { state, recovered, completions } = reconcile(snapshot, plan, records);
    expect(recovered).toEqual(["run 105 of batch 1 adopted"]);
    expect(completions).toEqual([]);
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
      runs: [
        run(101, "pc-12-api-1", T0, { conclusion: "failure", at: at(5) }),
        known[1]!,
        run(107, "pc-12-api-3", at(30)),
      ],
      pulls: [],
      posted: [],
    };
    const { state } = reconcile(snapshot, plan, records);
    expect(state.batches.api!.runs.map((entry) => [entry.attempt, entry.key, entry.id, entry.outcome])).toEqual([
      [1, "pc-12-api-1", 101, "failed"],
      [2, "pc-12-api-2", undefined, "failed"],
      [3, "pc-12-api-3", 107, undefined],
    ]);
    expect(state.batches.api!.retries).toBe(1);
    const failed = decideAndWrite(state, completed(107, 5, at(40), { conclusion: "failure" }), plan);
    expect(failed.state.batches.api!.status).toBe("blocked");
  });

  it("a run /pause cancelled that finished first is checked in; one that really stopped, or one already checked in, is not", () => {
    const paused = decideAndWrite(
      snapshot,
      { kind: "command", at: at(1), by: "alice", comment: 1, command: { name: "pause" } },
      plan,
    ).state;
    const finished = { runs: [run(101, "pc-12-api-1", T0, { at: at(2) }), known[1]!], pulls: [], posted: [] };
    expect(reconcile(paused, plan, finished).completions.map((completion) => completion.runId)).toEqual([101]);
    const stopped = {
      runs: [run(101, "pc-12-api-1", T0, { conclusion: "cancelled", at: at(2) }), known[1]!],
      pulls: [],
      posted: [],
    };
    expect(reconcile(paused, plan, stopped).completions).toEqual([]);
    const checked = play(plan, snapshot, [completed(101, 10, at(10), { conclusion: "failure" })]).state;
    expect(
      reconcile(checked, plan, {
        runs: [run(101, "pc-12-api-1", T0, { conclusion: "failure", at: at(10) }), known[1]!],
        pulls: [],
        posted: [],
      }).completions,
    ).toEqual([]);
  });

  it("a batch blocked in the state whose pull request was merged since (/approve in a lost step, a person) is accepted", () => {
    const blocked = play(plan, snapshot, [
      completed(101, 10, at(10), {
        evidence: evidence(21, ["backend/api/a.py"], report("api", 101, { status: "Blocked" })),
      }),
    ]).state;
    expect(blocked.batches.api!.status).toBe("blocked");
    const { state, recovered } = reconcile(blocked, plan, {
      runs: [known[1]!],
      pulls: [pull(21, "api", 101, { merged: at(30), report: { status: "Blocked" } })],
      posted: [],
    });
    expect(recovered).toEqual(["batch 1 accepted from merged #21"]);
    expect(state.batches.api).toMatchObject({ status: "accepted", pr: 21, summary: "Finished api." });
    expect(state.batches.api!.blocker).toBeUndefined();
    expect(state.head).toBe("merge-21");
  });

  it("a blocked batch run again after the state (/retry) is running again", () => {
    const blocked = play(plan, snapshot, [
      completed(101, 10, at(10), {
        evidence: evidence(21, ["backend/api/a.py"], report("api", 101, { status: "Blocked" })),
      }),
    ]).state;
    const { state } = reconcile(blocked, plan, { runs: [run(109, "pc-12-api-2", at(40))], pulls: [], posted: [] });
    expect(state.batches.api!.status).toBe("dispatched");
    expect(state.batches.api!.blocker).toBeUndefined();
    expect(state.batches.api!.runs.map((entry) => [entry.id, entry.outcome])).toEqual([
      [101, "blocked"],
      [109, undefined],
    ]);
  });

  it("pull requests of another run, another issue or a settled batch, and runs of other issues, change nothing", () => {
    const accepted = play(plan, snapshot, [
      completed(101, 18, at(18), { evidence: evidence(21, ["backend/api/a.py"], report("api", 101), true) }),
    ]).state;
    const records = {
      pulls: [
        pull(5, "styles", 77, { merged: at(20) }),
        pull(6, "styles", 102, { merged: at(20), report: { issue: 13 } }),
        pull(7, "api", 101, { merged: at(25) }),
        pull(8, "styles", 102, { report: { batch: "nothing" } }),
      ],
      runs: [
        ...known,
        run(300, "pc-13-model-1", at(20)),
        run(301, "Nightly build", at(20)),
        run(302, "pc-12-unknown-1", at(20)),
      ],
      posted: [],
    };
    expect(reconcile(accepted, plan, records)).toEqual({ state: accepted, completions: [], recovered: [] });
  });

  it("leaves an ended coordination as it is", () => {
    const aborted = decideAndWrite(
      snapshot,
      { kind: "command", at: at(1), by: "alice", comment: 1, command: { name: "abort" } },
      plan,
    ).state;
    expect(
      reconcile(aborted, plan, { runs: [...known, run(103, "pc-12-model-1", at(20))], pulls: [], posted: [] }).state,
    ).toBe(aborted);
  });
});

describe("isNews", () => {
  it("is a run the state holds as out, and not one it checked in already or never dispatched", () => {
    expect(isNews(snapshot, run(101, "pc-12-api-1", T0, { at: at(9) }))).toBe(true);
    const checked = play(plan, snapshot, [completed(101, 10, at(10), { conclusion: "failure" })]).state;
    expect(isNews(checked, run(101, "pc-12-api-1", T0, { conclusion: "failure", at: at(10) }))).toBe(false);
    expect(isNews(snapshot, run(555, "pc-12-api-1", at(1), { at: at(9) }))).toBe(false);
    expect(isNews(snapshot, run(556, "Nightly build", at(1), { at: at(9) }))).toBe(false);
  });

  it("is a run the state may know without its id (a server without return_run_details)", () => {
    const noIds = play(plan, planned, [{ kind: "start", at: T0 }]).state;
    expect(isNews(noIds, run(555, "pc-12-api-1", at(1), { at: at(9) }))).toBe(true);
  });

  it("is a run /pause cancelled that finished first, and not one that really stopped", () => {
    const paused = decideAndWrite(
      snapshot,
      { kind: "command", at: at(1), by: "alice", comment: 1, command: { name: "pause" } },
      plan,
    ).state;
    expect(isNews(paused, run(101, "pc-12-api-1", T0, { at: at(2) }))).toBe(true);
    expect(isNews(paused, run(101, "pc-12-api-1", T0, { conclusion: "cancelled", at: at(2) }))).toBe(false);
  });
});

describe("mayHaveMissed", () => {
  it("is whether a pull request names a run the state holds as still out, other than the event's", () => {
    expect(mayHaveMissed(snapshot, [pull(22, "styles", 102)])).toBe(true);
    expect(mayHaveMissed(snapshot, [pull(22, "styles", 102)], 102)).toBe(false);
    expect(mayHaveMissed(snapshot, [pull(22, "styles", 77)])).toBe(false);
    const checked = play(plan, snapshot, [completed(102, 10, at(10), { conclusion: "failure" })]).state;
    expect(mayHaveMissed(checked, [pull(22, "styles", 102)])).toBe(false);
  });
});

describe("stalledEvent", () => {
  it("starts a state that was only planned, advances one that would dispatch, pause or finish, and leaves a moving one alone", () => {
    expect(stalledEvent(planned, plan, at(1))).toEqual({ kind: "start", at: at(1) });
    expect(stalledEvent(snapshot, plan, at(1))).toBeUndefined();
    // api accepted in a step that never dispatched model: the advance does.
    const accepted = {
      ...snapshot,
      batches: { ...snapshot.batches, api: { ...snapshot.batches.api!, status: "accepted" as const } },
    };
    expect(stalledEvent(accepted, plan, at(1))).toEqual({ kind: "advance", at: at(1) });
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
