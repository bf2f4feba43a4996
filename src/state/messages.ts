import type { Problem } from "../base/problem.js";
import type { Plan } from "../plan/planModel.js";
import type { Splits } from "../schedule/planner.js";
import type { ChangeRef } from "./dispatchInputs.js";
import { isReady } from "./readiness.js";
import type { Decision, Run, State } from "./stateSchema.js";
import { scorecard, tried, type AgentFigures } from "./scorecard.js";
import { budgetView, type BudgetView } from "./budget.js";
import { inFlight, type BatchStatus, type CoordinationStatus } from "./status.js";

/**
 * What the app says to people, as data: the engine decides what a comment says
 * (which batches, which figures, which way on), src/render/ words it in
 * Markdown. Each message is taken at the moment it is decided, since the state
 * moves on before the shell posts it.
 */

/** A batch as people name it: its number on the checklist, its title and its domain. */
export interface BatchName {
  number: number;
  title: string;
  domain: string;
}

/**
 * A `/resume` that named a checkpoint older than the latest: the coordination
 * goes on from the latest, and these are the batches whose status differs
 * (`then` undefined: the batch is new in the plan since).
 */
export interface OlderCheckpoint {
  at: string;
  latestAt: string;
  changes: Array<{ batch: BatchName; then?: BatchStatus; now: BatchStatus }>;
}

/** An integration point an accepted batch reported, with that batch's number. */
export interface PointOf {
  point: string;
  batch: number;
}

/** Where a coordination stands, batch by batch, and the context it has gathered. */
export interface Progress {
  /** Accepted. */
  done: BatchName[];
  skipped: BatchName[];
  /** Dispatched, running or being checked in. */
  current: BatchName[];
  blocked: BatchName[];
  /** Pending or waiting for a redo. */
  pending: number;
  total: number;
  notes: string[];
  points: PointOf[];
}

export interface Pause {
  by: string;
  at: string;
  reason?: string;
  /** The budget paused it, not a person. */
  budget?: true;
}

/** One entry of a batch's history: a run's outcome (undefined while it runs), or a person's decision. */
export type HistoryEntry = { run: Run["outcome"] } | { decision: Decision["decision"]; by: string };

export interface FinishedBatch {
  batch: BatchName;
  accepted: boolean;
  pr?: number;
  /** The first changes it reported. */
  changes: ChangeRef[];
}

/** How the feature leaves the app's hands. */
export type FinalStep =
  | { kind: "nothingAccepted" }
  | { kind: "pullRequest"; pr: number; integration: string; base: string }
  /** `reason`: why GitHub opened no final pull request. */
  | { kind: "noPullRequest"; reason?: string; integration: string; base: string };

/** The seed's tier-2 report. */
export interface Finish {
  title: string;
  domains: { domain: string; batches: FinishedBatch[] }[];
  points: PointOf[];
  /** Batches not simply accepted on their first run: their runs and people's decisions, in order. */
  issues: { batch: BatchName; history: HistoryEntry[] }[];
  notes: string[];
  quality: { firstTry: number; accepted: number; rework: number; total: number; integrationIssues: number };
  scorecard: AgentFigures[];
  budget?: BudgetView;
  next: FinalStep;
}

/** The final pull request's description: the checklist, closing the issue. */
export interface FinalPullRequestSummary {
  issue: number;
  accepted: number;
  skipped: number;
  batches: { batch: BatchName; accepted: boolean; pr?: number }[];
}

/** An account of the coordination as a whole, or of one batch that stopped. */
export type Account =
  /** A batch stopped: why, and the three ways on. */
  | {
      kind: "blocker";
      batch: BatchName;
      reason?: string;
      pr?: number;
      held: BatchName[];
      settled: number;
      total: number;
      at: string;
    }
  | { kind: "finish"; finish: Finish }
  | { kind: "pauseCheckpoint"; at: string; pause: Pause; progress: Progress; next: BatchName[]; integration: string }
  | { kind: "abortCheckpoint"; at: string; by: string; progress: Progress; integration: string }
  | { kind: "resume"; by: string; progress: Progress; next: BatchName[]; older?: OlderCheckpoint; budget?: BudgetView }
  | {
      kind: "status";
      status: CoordinationStatus;
      pausing: boolean;
      progress: Progress;
      running: { batch: BatchName; minutes: number; estimate: number; link?: string }[];
      blockers: { batch: BatchName; reason?: string }[];
    };

/** The answer to a command: what it did, or why it did nothing. */
export type Answer =
  | { kind: "help" }
  | { kind: "unknownCommand"; error: string }
  | { kind: "commandRefused"; by: string; permission: string }
  | { kind: "labelRefused"; by: string; permission: string; label: string; how: "labeled" | "opened" }
  | { kind: "planWhileRunning"; ended: boolean }
  | { kind: "replanned"; batches: number; kept: string[] }
  | { kind: "noSuchBatch"; name: string; count: number }
  | { kind: "ended"; command: "pause" | "resume" | "abort" | "retry" | "skip" | "approve"; status: "done" | "aborted" }
  | { kind: "alreadyPaused"; by: string; at: string; budget?: true }
  | { kind: "alreadyPausing" }
  | { kind: "pauseBeforeResume"; by: string; at: string }
  | { kind: "pausing"; cancelled: BatchName[]; finishing: BatchName[]; cancelWithinMinutes: number }
  | { kind: "notPaused" }
  | { kind: "noSuchCheckpoint"; comment: number }
  | { kind: "resumeBeforePause"; by: string; at: string; budget?: true }
  | { kind: "pauseCalledOff" }
  | { kind: "retryRepeated"; batch: BatchName }
  | { kind: "notRetriable"; batch: BatchName; status: BatchStatus }
  | { kind: "retrying"; batch: BatchName; paused: boolean }
  | { kind: "alreadySettled"; batch: BatchName; status: BatchStatus }
  | { kind: "skipped"; batch: BatchName; unblocked: BatchName[]; waiting: BatchName[] }
  | { kind: "notApprovable"; batch: BatchName; status: BatchStatus }
  /** `pr` merged at `head`, the head approved; neither when the batch had no pull request. */
  /** Who pressed which button of a batch's check run, and the command it gives: the answer to that command follows. */
  | { kind: "buttonPressed"; by: string; button: string; batch: BatchName; command: string }
  | { kind: "approved"; batch: BatchName; pr?: number; head?: string }
  /** The batch's pull request has no checked-in head to merge (a state from before heads were kept): the person names it. */
  | { kind: "approveNeedsHead"; batch: BatchName; pr: number }
  /**
   * GitHub would not merge `pr` at the approved `head`: it moved since (`now`, when known),
   * a conflict (the blocker's `reason` names the files), or another refusal.
   */
  | {
      kind: "approveRefused";
      batch: BatchName;
      pr: number;
      head: string;
      cause: "conflict" | "moved" | "refused";
      now?: string;
      reason: string;
    };

/** Why nothing was started, re-planned or done. */
export type Refusal =
  /** `splits`: those proposed for oversized tasks, shown as fragments to paste (or `/plan split`). */
  | { kind: "planProblems"; problems: readonly Problem[]; what: "breakdown" | "config"; splits?: Splits }
  /**
   * The issue's state is the app's own, of `version`, but this version (which
   * writes `reads`) cannot take it: newer, or older and not to be brought up
   * (`reason`). The issue is left alone.
   */
  | { kind: "unreadableState"; version: number; reads: number; reason?: string }
  /** The state would outgrow its dashboard comment. */
  | { kind: "stateTooLarge"; size: number; limit: number; when: "start" | "replan" }
  /** GitHub refused the integration branch. */
  | { kind: "startRefused"; reason: string }
  /**
   * No comment carries the coordination's state any more (`reason`: what
   * happened), and it cannot be rebuilt: its runs name batches the breakdown no
   * longer plans (`unknown`), or, when none, the issue does not carry the label
   * (`label`) that lets the app rebuild it.
   */
  | { kind: "stateLost"; reason: string; unknown: string[]; label: string }
  /** The Actions bot lacks what only a maintainer can give it. */
  | { kind: "setupMissing"; gap: SetupGap }
  /** Planning the breakdown was stopped: it took longer (ms), or more heap (MB), than a plan may. */
  | { kind: "planStopped"; stopped: "time" | "memory"; limit: number; when: "start" | "replan" };

/** What the Actions bot's workflow or repository lacks, as GitHub showed it. */
export type SetupGap =
  /** The repository secret that signs the state is not set, or too short to be a key. */
  | { what: "stateKey"; problem: "missing" | "short"; secret: string; least: number }
  /** The workflow's token was refused a request for want of a permission. */
  | { what: "permission"; permission: string; request: string; message: string }
  /** The repository does not let Actions open pull requests. */
  | { what: "pullRequests"; request: string; message: string };

export type Message = Account | Answer | Refusal;

/** The batch's number on the checklist. */
export function position(plan: Plan, id: string): number {
  return plan.batches.findIndex((batch) => batch.id === id) + 1;
}

export function batchName(plan: Plan, id: string): BatchName {
  const number = position(plan, id);
  const batch = plan.batches[number - 1]!;
  return { number, title: batch.title, domain: batch.domain };
}

function namesWhere(plan: Plan, state: State, test: (status: BatchStatus) => boolean): BatchName[] {
  return plan.batches
    .filter((batch) => test(state.batches[batch.id]!.status))
    .map((batch) => batchName(plan, batch.id));
}

function pointsOf(plan: Plan, state: State): PointOf[] {
  return plan.batches.flatMap((batch, index) =>
    state.batches[batch.id]!.integrationPoints.map((point) => ({ point, batch: index + 1 })),
  );
}

export function progressOf(plan: Plan, state: State): Progress {
  return {
    done: namesWhere(plan, state, (status) => status === "accepted"),
    skipped: namesWhere(plan, state, (status) => status === "skipped"),
    current: namesWhere(plan, state, (status) => inFlight.has(status)),
    blocked: namesWhere(plan, state, (status) => status === "blocked"),
    pending: namesWhere(plan, state, (status) => status === "pending" || status === "redo").length,
    total: plan.batches.length,
    notes: [...state.notes],
    points: pointsOf(plan, state),
  };
}

/** The batches that would start first. */
export function nextUp(plan: Plan, state: State): BatchName[] {
  return plan.batches.filter((batch) => isReady(state, batch)).map((batch) => batchName(plan, batch.id));
}

/** The checkpoint of a pause that has taken hold: nothing runs. */
export function pauseCheckpointMessage(plan: Plan, state: State, pause: Pause, at: string): Message {
  return {
    kind: "pauseCheckpoint",
    at,
    pause,
    progress: progressOf(plan, state),
    next: nextUp(plan, state),
    integration: state.integration,
  };
}

function settledCount(plan: Plan, state: State): { accepted: number; skipped: number } {
  const statuses = plan.batches.map((batch) => state.batches[batch.id]!.status);
  return {
    accepted: statuses.filter((status) => status === "accepted").length,
    skipped: statuses.filter((status) => status === "skipped").length,
  };
}

/** The blocker of a batch just stopped. */
export function blockerMessage(plan: Plan, state: State, id: string, at: string): Message {
  const own = state.batches[id]!;
  const batch = batchName(plan, id);
  const { accepted, skipped } = settledCount(plan, state);
  // Its commits are on the domain branch, in its pull request: the domain's next batches would build on them.
  const held =
    own.pr === undefined
      ? []
      : plan.batches
          .filter((other) => other.domain === batch.domain && state.batches[other.id]!.status === "pending")
          .map((other) => batchName(plan, other.id));
  return {
    kind: "blocker",
    batch,
    ...(own.blocker === undefined ? {} : { reason: own.blocker }),
    ...(own.pr === undefined ? {} : { pr: own.pr }),
    held,
    settled: accepted + skipped,
    total: plan.batches.length,
    at,
  };
}

/** What the coordination achieved. `refused`: why GitHub opened no final pull request. */
export function finishMessage(plan: Plan, state: State, refused?: string): Message {
  const domains = [...new Set(plan.batches.map((batch) => batch.domain))].map((domain) => ({
    domain,
    batches: plan.batches
      .filter((batch) => batch.domain === domain)
      .map((batch) => {
        const own = state.batches[batch.id]!;
        return {
          batch: batchName(plan, batch.id),
          accepted: own.status === "accepted",
          ...(own.pr === undefined ? {} : { pr: own.pr }),
          changes: own.changes.slice(0, 10),
        };
      }),
  }));
  const issues = plan.batches.flatMap((batch) => {
    const own = state.batches[batch.id]!;
    return own.runs.some((run) => run.outcome !== "accepted") || own.decisions.length > 0
      ? [{ batch: batchName(plan, batch.id), history: historyOf(own.runs, own.decisions) }]
      : [];
  });
  const accepted = plan.batches.filter((batch) => state.batches[batch.id]!.status === "accepted");
  const where = { integration: state.integration, base: state.base };
  const next: FinalStep =
    accepted.length === 0
      ? { kind: "nothingAccepted" }
      : state.finalPr !== undefined
        ? { kind: "pullRequest", pr: state.finalPr, ...where }
        : { kind: "noPullRequest", ...(refused === undefined ? {} : { reason: refused }), ...where };
  return {
    kind: "finish",
    finish: {
      title: plan.title ?? `#${state.issue}`,
      domains,
      points: pointsOf(plan, state),
      issues,
      notes: [...state.notes],
      quality: {
        // Accepted by the check-in on the first run: not by a person, not after a retry.
        firstTry: accepted.filter((batch) => state.batches[batch.id]!.runs.find(tried)?.outcome === "accepted").length,
        accepted: accepted.length,
        rework: plan.batches.filter((batch) => state.batches[batch.id]!.redos > 0).length,
        total: plan.batches.length,
        integrationIssues: state.integrationIssues,
      },
      scorecard: scorecard(plan, state),
      ...withBudget(budgetView(state)),
      next,
    },
  };
}

function withBudget(budget: BudgetView | undefined): { budget?: BudgetView } {
  return budget === undefined ? {} : { budget };
}

/** Runs and decisions in the order they happened: a run when it ended (or started, while it runs). */
function historyOf(runs: readonly Run[], decisions: readonly Decision[]): HistoryEntry[] {
  const timed = [
    ...runs.map((run, index) => ({
      at: Date.parse(run.completedAt ?? run.dispatchedAt),
      order: index,
      entry: { run: run.outcome } as HistoryEntry,
    })),
    ...decisions.map((decision, index) => ({
      at: Date.parse(decision.at),
      order: runs.length + index,
      entry: { decision: decision.decision, by: decision.by } as HistoryEntry,
    })),
  ];
  return timed.sort((a, b) => a.at - b.at || a.order - b.order).map(({ entry }) => entry);
}

export function finalPullRequestSummary(plan: Plan, state: State): FinalPullRequestSummary {
  return {
    issue: state.issue,
    ...settledCount(plan, state),
    batches: plan.batches.map((batch) => {
      const own = state.batches[batch.id]!;
      return {
        batch: batchName(plan, batch.id),
        accepted: own.status === "accepted",
        ...(own.pr === undefined ? {} : { pr: own.pr }),
      };
    }),
  };
}

/** `/status`: what runs, for how long against its estimate, and what is blocked. `repoUrl` links the runs. */
export function statusMessage(plan: Plan, state: State, at: string, repoUrl: string): Message {
  const now = Date.parse(at);
  const running = plan.batches
    .filter((batch) => inFlight.has(state.batches[batch.id]!.status))
    .map((batch) => {
      const run = state.batches[batch.id]!.runs.at(-1);
      const minutes = run === undefined ? 0 : Math.max(0, Math.round((now - Date.parse(run.dispatchedAt)) / 60_000));
      return {
        batch: batchName(plan, batch.id),
        minutes,
        estimate: batch.estimate,
        ...(run?.id === undefined ? {} : { link: `${repoUrl}/actions/runs/${run.id}` }),
      };
    });
  const blockers = plan.batches
    .filter((batch) => state.batches[batch.id]!.status === "blocked")
    .map((batch) => {
      const reason = state.batches[batch.id]!.blocker;
      return { batch: batchName(plan, batch.id), ...(reason === undefined ? {} : { reason }) };
    });
  return {
    kind: "status",
    status: state.status,
    pausing: state.pause !== undefined && state.status !== "paused",
    progress: progressOf(plan, state),
    running,
    blockers,
  };
}
