import { keptReport } from "./kept.js";
import type { Plan } from "../plan/planModel.js";
import type { ReportResult } from "../report/reportBlock.js";
import type { Event } from "./events.js";
import { decide } from "./machine.js";
import { position } from "./messages.js";
import { domainBranch, parseRunKey, runKey } from "./names.js";
import { namesRun, pullOfRun, type PullRecord } from "./runPull.js";
import type { BatchState, Run, State } from "./stateSchema.js";

/** A run of the agent workflow; its name carries the key it was dispatched with. */
export interface RunRecord {
  id: number;
  title: string;
  createdAt: string;
  /** Once the run has completed. */
  completed?: { conclusion: string; at: string; minutes: number };
}

/** What GitHub holds of a coordination, read to compare with its state. */
export interface Records {
  /**
   * The agent workflow's dispatched runs since `recordsSince`; absent when they
   * were not read (the journal vouches that the state holds every run the app
   * dispatched: see `mayHaveMissed`).
   */
  runs?: RunRecord[];
  /** The run an event is about (a `workflow_run` webhook), newer than any list. */
  event?: RunRecord;
  /** The pull requests into the integration branch. */
  pulls: PullRecord[];
  /** Reports the runner posted on the issue (a run that committed nothing). */
  posted: ReportResult[];
  /** What the check runs of `lostCheckIns` found: whether each run's changes went outside its scope. */
  lostVerdicts?: LostVerdict[];
}

/** A run checked in by a step whose state was lost: where its check run is. */
export interface LostCheckIn {
  batch: string;
  runId: number;
  /** The head of the run's pull request, which the check run is on. */
  sha: string;
}

export interface LostVerdict {
  runId: number;
  outOfScope: boolean;
}

/** A run GitHub shows ended that the state has not checked in: what its check-in reads. */
export interface Completion {
  batch: string;
  runId: number;
  at: string;
  conclusion: string;
  minutes: number;
  /** The run's pull request (`pullOfRun`), when it has one. */
  pull?: PullRecord;
  /** The report: the pull request's, or one posted on the issue. */
  report: ReportResult;
}

export interface Reconciled {
  /** The state with what GitHub records brought in: runs adopted, batches accepted from merged pull requests. */
  state: State;
  /** Runs to check in, oldest end first: each becomes a `runCompleted` once its evidence is read. */
  completions: Completion[];
  /** What the records added, in people's words, for the log and a restore note. */
  recovered: string[];
}

/**
 * Since when GitHub may hold what a state lacks: the state's own time, or the
 * dispatch of a run still out in it, whichever is earlier.
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
 * Whether the runs must be read although the journal vouches for the state:
 * a pull request names a run the state holds as still out, other than
 * `except` (the run an event is about), so that run's completion was lost.
 */
export function mayHaveMissed(state: State, pulls: readonly PullRecord[], except?: number): boolean {
  return Object.entries(state.batches).some(([batch, own]) =>
    own.runs.some(
      (run) =>
        run.outcome === undefined &&
        run.id !== undefined &&
        run.id !== except &&
        pulls.some((pull) => namesRun(pull.report, state.issue, batch, run.id!)),
    ),
  );
}

/**
 * Whether a run's completion is news to a state that holds every run the app
 * dispatched (the journal vouches for it): a run it has not checked in, one
 * `/pause` cancelled that finished first, or one it may know without its id
 * (a server without `return_run_details`). A redelivered completion, or a run
 * the app never dispatched, is not.
 */
export function isNews(state: State, run: RunRecord): boolean {
  const key = parseRunKey(run.title);
  const own = key === undefined ? undefined : state.batches[key.batch];
  if (own === undefined) return false;
  const recorded = own.runs.find((candidate) => candidate.id === run.id);
  if (recorded === undefined)
    return own.runs.some((candidate) => candidate.id === undefined && candidate.outcome === undefined);
  return recorded.outcome === undefined || finishedFirst(own, recorded, run);
}

/**
 * A state brought up to what GitHub records: the difference between them, in
 * the core's terms, before any event is decided on. A run the state does not
 * record (dispatched by a step that failed or was killed before it wrote the
 * state) is adopted on its batch, so it is checked in and not dispatched
 * again; a run GitHub shows ended that the state has not checked in (its
 * completion was lost, or its step never finished) is a completion to decide
 * on, judged on its own pull request; a batch whose latest run's pull request
 * was merged after the state last saw it (`/approve` in a lost step, a person)
 * is accepted with that run's report, and the integration head moves to the
 * newest such merge. An ended coordination is left as it is.
 */
export function reconcile(state: State, plan: Plan, records: Records): Reconciled {
  if (state.status === "done" || state.status === "aborted") return { state, completions: [], recovered: [] };
  const next = structuredClone(state);
  const reconciled: Reconciled = { state: next, completions: [], recovered: [] };
  const runs = [
    ...(records.runs ?? []).filter((record) => record.id !== records.event?.id),
    ...(records.event === undefined ? [] : [records.event]),
  ];
  let newest: PullRecord | undefined;
  for (const batch of plan.batches) {
    const merged = reconcileBatch(next, plan, batch.id, { ...records, runs }, records.runs !== undefined, reconciled);
    if (
      merged?.mergeSha !== undefined &&
      (newest === undefined || Date.parse(merged.mergedAt!) > Date.parse(newest.mergedAt!))
    )
      newest = merged;
  }
  if (newest?.mergeSha !== undefined) next.head = newest.mergeSha;
  reconciled.completions.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  // The state itself when GitHub added nothing to it: nothing to write.
  return { ...reconciled, state: JSON.stringify(next) === JSON.stringify(state) ? state : next };
}

/**
 * One batch of `reconcile`, in `state` (a copy) and `into`: its runs adopted
 * (only from the whole list: a run missing from one event says nothing), its
 * latest run's completion found. The merged pull request it was accepted
 * from, when it was.
 */
function reconcileBatch(
  state: State,
  plan: Plan,
  id: string,
  records: Records & { runs: RunRecord[] },
  whole: boolean,
  into: Reconciled,
): PullRecord | undefined {
  const own = state.batches[id]!;
  if (own.status === "accepted" || own.status === "skipped") return undefined;
  const { domain } = plan.batches.find((batch) => batch.id === id)!;
  const { runs } = records;
  const number = position(plan, id);
  const known = own.runs.length;
  const adopted = whole
    ? runsOf(runs, state, id).filter(({ attempt, record }) => adopt(own, state.issue, id, attempt, record))
    : [];
  if (whole) settleEarlierRuns(own, runs, records.lostVerdicts ?? []);
  if (own.runs.length > known) {
    // Dispatched after the state was written: out, or done and still to be checked in.
    own.status = "dispatched";
    delete own.blocker;
    // Its step made the domain branch ready at the head the state holds before it dispatched: a redo moves it back.
    state.synced[domain] = state.head;
  }
  const latest = own.runs[own.runs.length - 1];
  // Each run is named once: adopted, and what became of it.
  const named = (run: number, what: string | undefined) => {
    const adoptedToo = adopted.some(({ record }) => record.id === run);
    if (adoptedToo || what !== undefined)
      into.recovered.push(
        `run ${run} of batch ${number} ${[adoptedToo ? "adopted" : undefined, what].filter(Boolean).join(" and ")}`,
      );
  };
  for (const { record } of adopted) if (record.id !== latest?.id) named(record.id, undefined);
  if (latest?.id === undefined) return undefined;
  const runId = latest.id;
  const record = runs.find((candidate) => candidate.id === runId);
  const pull = pullOfRun(records.pulls, domainBranch(state.issue, domain), state.issue, id, runId);
  if (latest.outcome !== undefined && !finishedFirst(own, latest, record)) {
    if (pull?.merged !== true || !pull.report.ok) return undefined;
    // Decided on already, and merged since: accepted by `/approve` in a step whose state was lost, or by a person.
    latest.outcome = "accepted";
    own.status = "accepted";
    own.pr = pull.number;
    Object.assign(own, keptReport(pull.report.report));
    own.findings = [];
    delete own.blocker;
    into.recovered.push(`batch ${number} accepted from merged #${pull.number}`);
    return pull;
  }
  // Merged: the runner published and the app accepted it, in a step that then failed.
  const ended =
    record?.completed ??
    (pull?.merged === true
      ? { conclusion: "success", at: pull.mergedAt!, minutes: minutesBetween(latest.dispatchedAt, pull.mergedAt!) }
      : undefined);
  // The event's own run ending is the news it brings, not something the state missed.
  const news =
    ended === undefined || runId === records.event?.id
      ? undefined
      : pull?.merged === true
        ? `merged in #${pull.number}`
        : `ended (${ended.conclusion})`;
  named(runId, news);
  if (ended === undefined) return undefined;
  const report =
    pull?.report ?? records.posted.filter((posted) => namesRun(posted, state.issue, id, runId)).at(-1) ?? noReport;
  into.completions.push({
    batch: id,
    runId,
    at: ended.at,
    conclusion: ended.conclusion,
    minutes: ended.minutes,
    ...(pull === undefined ? {} : { pull }),
    report,
  });
  return undefined;
}

const noReport: ReportResult = { ok: false, reason: "no pull request and no report comment for this run" };

/**
 * What to decide on when nothing happened but the state may be stuck: a start
 * whose first writes never happened (the dashboard was posted first), or a
 * coordination that would dispatch, pause or finish now. Undefined when it is
 * where it should be.
 */
export function stalledEvent(state: State, plan: Plan, at: string): Event | undefined {
  if (state.status === "planned") return { kind: "start", at };
  const advance: Event = { kind: "advance", at };
  return decide(state, advance, plan).effects.length > 0 ? advance : undefined;
}

/** A run `/pause` cancelled whose work was done before the cancel reached it: still to be checked in. */
function finishedFirst(own: BatchState, run: Run, record: RunRecord | undefined): boolean {
  return (
    run.outcome === "cancelled" &&
    run.completedAt === undefined &&
    record?.completed?.conclusion === "success" &&
    own.status === "pending"
  );
}

function minutesBetween(from: string, to: string): number {
  return Math.max(0, (Date.parse(to) - Date.parse(from)) / 60_000);
}

/**
 * The batch's runs among the records, by attempt, made since the coordination
 * started (an earlier coordination of the issue used the same keys); of two
 * runs with one key (a repeated dispatch), the later.
 */
function runsOf(runs: RunRecord[], state: State, batch: string): Array<{ attempt: number; record: RunRecord }> {
  const byAttempt = new Map<number, RunRecord>();
  for (const record of runs) {
    const key = parseRunKey(record.title);
    if (
      key === undefined ||
      key.issue !== state.issue ||
      key.batch !== batch ||
      Date.parse(record.createdAt) < Date.parse(state.startedAt)
    )
      continue;
    const other = byAttempt.get(key.attempt);
    if (other === undefined || other.id < record.id) byAttempt.set(key.attempt, record);
  }
  return [...byAttempt.entries()].sort(([a], [b]) => a - b).map(([attempt, record]) => ({ attempt, record }));
}

/** Records a run on its batch; false when the batch knows it already. */
function adopt(own: BatchState, issue: number, batch: string, attempt: number, record: RunRecord): boolean {
  const known = own.runs.find((run) => run.attempt === attempt);
  if (known !== undefined) {
    // Dispatched where GitHub gave no id (a server without `return_run_details`): found by its key.
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
 * A run a later attempt followed was checked in in a step whose state was
 * lost: it gets an outcome, so that its completion, delivered again, is not
 * checked in twice. It counts against the batch's redo or retry allowance, to
 * stay on the safe side: the next ⚠ or failure goes to a person sooner, never later.
 */
function settleEarlierRuns(own: BatchState, runs: RunRecord[], verdicts: readonly LostVerdict[]): void {
  for (const run of own.runs.slice(0, -1)) {
    if (run.outcome !== undefined) continue;
    const conclusion = recordCompletion(run, runs);
    if (conclusion === "success") {
      run.outcome = "redo";
      own.redos += 1;
      // Its check run kept what the lost state did: the second change outside the scope is ✗, not ⚠ again.
      if (verdicts.some((verdict) => verdict.runId === run.id && verdict.outOfScope)) own.scopeStrikes += 1;
    } else if (conclusion === "cancelled") {
      run.outcome = "cancelled";
    } else {
      run.outcome = "failed";
      own.retries += 1;
    }
  }
}

/**
 * The runs `settleEarlierRuns` will settle that ended with a pull request: a
 * step checked each in and dispatched the next attempt, then died before it
 * wrote the state. Their check runs hold what those check-ins found.
 */
export function lostCheckIns(state: State, plan: Plan, runs: RunRecord[], pulls: readonly PullRecord[]): LostCheckIn[] {
  if (state.status === "done" || state.status === "aborted") return [];
  return plan.batches.flatMap((batch) => {
    const own = state.batches[batch.id]!;
    if (own.status === "accepted" || own.status === "skipped") return [];
    const attempts = runsOf(runs, state, batch.id).map(({ attempt }) => attempt);
    return own.runs.flatMap((run) => {
      if (run.outcome !== undefined || run.id === undefined || !attempts.some((attempt) => attempt > run.attempt))
        return [];
      const pull = pullOfRun(pulls, domainBranch(state.issue, batch.domain), state.issue, batch.id, run.id);
      return pull === undefined ? [] : [{ batch: batch.id, runId: run.id, sha: pull.headSha }];
    });
  });
}

/** Copies a run's completion from its record onto it; its conclusion, once it has completed. */
function recordCompletion(run: Run, runs: RunRecord[]): string | undefined {
  const done = runs.find((record) => record.id === run.id)?.completed;
  if (done === undefined) return undefined;
  run.completedAt = done.at;
  run.minutes = done.minutes;
  return done.conclusion;
}

/**
 * Where a state that was not the dashboard's own came from: the newest
 * checkpoint comment; the dashboard's last state, carried by the webhook of
 * the edit or deletion that damaged it; or rebuilt from the issue's breakdown
 * and GitHub's records, when no comment carries one.
 */
export type RestoredFrom = "checkpoint" | "lastState" | "records";

/** The note people read on the dashboard after a restore: what happened, from what, and what GitHub's records added. */
export function restoreNote(
  reason: string,
  at: string | undefined,
  recovered: string[],
  from: RestoredFrom = "checkpoint",
): string {
  const found =
    recovered.length === 0 ? "GitHub records nothing newer." : `Recovered from GitHub: ${recovered.join("; ")}.`;
  // The webhook of a deletion says who, not when.
  const when = at === undefined || from === "lastState" ? "" : ` at ${at}`;
  const how =
    from === "checkpoint"
      ? `The dashboard's state was restored from the latest checkpoint comment${when}`
      : from === "lastState"
        ? `The dashboard was written again${when} from the state it last held`
        : `The dashboard's state was rebuilt${when} from the issue's breakdown and GitHub's records, since no comment carries it`;
  return `${how}: ${reason}. ${found}`;
}

/**
 * The batches a coordination's runs name that its plan does not have: a plan
 * made again from an edited breakdown is not the one those runs were
 * dispatched for, and a state rebuilt from it would be wrong.
 */
export function unknownBatches(plan: Plan, issue: number, runs: readonly RunRecord[]): string[] {
  const named = runs.flatMap((run) => {
    const key = parseRunKey(run.title);
    return key === undefined || key.issue !== issue ? [] : [key.batch];
  });
  return [...new Set(named)].filter((batch) => !plan.batches.some((candidate) => candidate.id === batch)).sort();
}
