import { keptReport } from "./kept.js";
import type { Plan } from "../plan/planModel.js";
import type { Report } from "../report/reportSchema.js";
import { position } from "./messages.js";
import { parseRunKey, runKey } from "./names.js";
import type { BatchState, Run, State } from "./stateSchema.js";

/** A batch pull request merged into the integration branch, with the runner's report from its body. */
export interface MergedPull {
  number: number;
  mergedAt: string;
  /** The integration branch's head right after the merge. */
  sha?: string;
  report: Report;
}

/** A run of the agent workflow; its name carries the key it was dispatched with. */
export interface RunRecord {
  id: number;
  title: string;
  createdAt: string;
  /** Once the run has completed. */
  completed?: { conclusion: string; at: string; minutes: number };
}

/** What GitHub records of a coordination since a snapshot (see `recordsSince`). */
export interface Records {
  merged: MergedPull[];
  runs: RunRecord[];
}

export interface Reconciled {
  state: State;
  /** What the records added, in people's words, for the restore note. */
  recovered: string[];
}

/**
 * Since when GitHub may hold what a snapshot lacks: the snapshot's own time,
 * or the dispatch of a run still out at the snapshot, whichever is earlier.
 */
export function recordsSince(state: State): string {
  let since = state.updatedAt;
  for (const own of Object.values(state.batches)) {
    for (const run of own.runs)
      if (run.outcome === undefined && Date.parse(run.dispatchedAt) < Date.parse(since)) since = run.dispatchedAt;
  }
  return since;
}

/**
 * A snapshot restored from a checkpoint, brought up to what GitHub records
 * after it. Runs the app dispatched are recorded on their batch with their id,
 * so that their completion is checked in and the batch is not dispatched
 * again; a batch whose latest run's pull request was merged is accepted with
 * that run's report, and the integration head moves to the newest such merge.
 */
export function reconcile(state: State, plan: Plan, records: Records): Reconciled {
  const next = structuredClone(state);
  const recovered: string[] = [];
  let newest: MergedPull | undefined;
  for (const batch of plan.batches) {
    const own = next.batches[batch.id]!;
    if (own.status === "accepted" || own.status === "skipped") continue;
    const number = position(plan, batch.id);
    const known = own.runs.length;
    const adopted = runsOf(records.runs, state.issue, batch.id).filter(({ attempt, record }) =>
      adopt(own, state.issue, batch.id, attempt, record),
    );
    if (own.runs.length > known) {
      // Dispatched after the snapshot: out, or done and still to be checked in.
      own.status = "dispatched";
      delete own.blocker;
    }
    settleEarlierRuns(own, records.runs);
    const latest = own.runs[own.runs.length - 1];
    const merged = records.merged.find(
      (pull) => pull.report.issue === state.issue && pull.report.batch === batch.id && pull.report.run === latest?.id,
    );
    if (latest === undefined || merged === undefined) {
      recovered.push(...adopted.map(({ record }) => `run ${record.id} of batch ${number} adopted`));
      continue;
    }
    latest.outcome = "accepted";
    recordCompletion(latest, records.runs);
    own.status = "accepted";
    own.pr = merged.number;
    Object.assign(own, keptReport(merged.report));
    own.findings = [];
    delete own.blocker;
    recovered.push(`batch ${number} accepted from merged #${merged.number}`);
    if (merged.sha !== undefined && (newest === undefined || Date.parse(merged.mergedAt) > Date.parse(newest.mergedAt)))
      newest = merged;
  }
  if (newest?.sha !== undefined) next.head = newest.sha;
  return { state: next, recovered };
}

/** The batch's runs among the records, by attempt; of two runs with one key (a repeated dispatch), the later. */
function runsOf(runs: RunRecord[], issue: number, batch: string): Array<{ attempt: number; record: RunRecord }> {
  const byAttempt = new Map<number, RunRecord>();
  for (const record of runs) {
    const key = parseRunKey(record.title);
    if (key === undefined || key.issue !== issue || key.batch !== batch) continue;
    const other = byAttempt.get(key.attempt);
    if (other === undefined || other.id < record.id) byAttempt.set(key.attempt, record);
  }
  return [...byAttempt.entries()].sort(([a], [b]) => a - b).map(([attempt, record]) => ({ attempt, record }));
}

/** Records a run on its batch; false when the batch knows it already. */
function adopt(own: BatchState, issue: number, batch: string, attempt: number, record: RunRecord): boolean {
  const known = own.runs.find((run) => run.attempt === attempt);
  if (known !== undefined) {
    // Dispatched before the snapshot, whose id the snapshot lacks (a server without `return_run_details`).
    if (known.id !== undefined) return false;
    known.id = record.id;
    return true;
  }
  // Attempts GitHub holds no run of (their dispatch was refused) keep their numbers: a key is never used twice.
  for (let missing = own.runs.length + 1; missing < attempt; missing++) {
    own.runs.push({
      attempt: missing,
      key: runKey(issue, batch, missing),
      dispatchedAt: record.createdAt,
      outcome: "failed",
    });
  }
  own.runs.push({ attempt, key: runKey(issue, batch, attempt), id: record.id, dispatchedAt: record.createdAt });
  return true;
}

/**
 * A run a later attempt followed was checked in after the snapshot: it gets an
 * outcome, so that its completion, delivered again, is not checked in twice.
 * It counts against the batch's redo or retry allowance, to stay on the safe
 * side: the next ⚠ or failure goes to a person sooner, never later.
 */
function settleEarlierRuns(own: BatchState, runs: RunRecord[]): void {
  for (const run of own.runs.slice(0, -1)) {
    if (run.outcome !== undefined) continue;
    const conclusion = recordCompletion(run, runs);
    if (conclusion === "success") {
      run.outcome = "redo";
      own.redos += 1;
    } else if (conclusion === "cancelled") {
      run.outcome = "cancelled";
    } else {
      run.outcome = "failed";
      own.retries += 1;
    }
  }
}

/** Copies a run's completion from its record onto it; its conclusion, once it has completed. */
function recordCompletion(run: Run, runs: RunRecord[]): string | undefined {
  const done = runs.find((record) => record.id === run.id)?.completed;
  if (done === undefined) return undefined;
  run.completedAt = done.at;
  run.minutes = done.minutes;
  return done.conclusion;
}

/** The note people read on the dashboard after a restore: why, and what GitHub's records added. */
export function restoreNote(reason: string, at: string | undefined, recovered: string[]): string {
  const found =
    recovered.length === 0 ? "GitHub records nothing newer." : `Recovered from GitHub: ${recovered.join("; ")}.`;
  return `The dashboard's state was restored from the latest checkpoint comment${at === undefined ? "" : ` at ${at}`}: ${reason}. ${found}`;
}
