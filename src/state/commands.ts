import type { Plan, Batch } from "../plan/planModel.js";
import type { BudgetRaise, Command } from "../commands/parse.js";
import { budgetView, spentOf } from "./budget.js";
import type { Effect } from "./effects.js";
import type { State } from "./stateSchema.js";
import { inFlight } from "./status.js";
import { domainBranch } from "./names.js";
import { dependenciesSettled, waitsFor } from "./readiness.js";
import {
  batchName,
  nextUp,
  pauseCheckpointMessage,
  position,
  progressOf,
  type BatchName,
  type Message,
  type OlderCheckpoint,
} from "./messages.js";
import type { NamedCheckpoint } from "./events.js";

export interface CommandEvent {
  at: string;
  by: string;
  comment: number;
  command: Command;
  checkpoint?: NamedCheckpoint;
}

/**
 * What a command does to the state, and its answer. The answer is keyed by the
 * command's comment, so a redelivered command is answered once; a command that
 * changes nothing says why.
 */
export function applyCommand(state: State, plan: Plan, event: CommandEvent, effects: Effect[]): void {
  const answer = (message: Message) => effects.push({ kind: "comment", key: `answer-${event.comment}`, message });
  const { command } = event;
  switch (command.name) {
    case "help":
      answer({ kind: "help" });
      return;
    case "status":
      // Answered by the shell, which knows the repository's address for links.
      return;
    case "plan":
      answer({ kind: "planWhileRunning", ended: state.status === "done" || state.status === "aborted" });
      return;
    case "pause":
      pause(state, plan, event, effects, answer);
      return;
    case "resume":
      resume(state, plan, event, answer);
      return;
    case "abort":
      abort(state, plan, event, effects, answer);
      return;
    case "retry":
    case "skip":
    case "approve": {
      const batch = batchNamed(plan, command.batch);
      if (batch === undefined) {
        answer({ kind: "noSuchBatch", name: command.batch, count: plan.batches.length });
        return;
      }
      if (state.status === "done" || state.status === "aborted") {
        answer({ kind: "ended", command: command.name, status: state.status });
        return;
      }
      if (command.name === "retry") retry(state, plan, batch, event, answer);
      else if (command.name === "skip") skip(state, plan, batch, event, effects, answer);
      else approve(state, plan, batch, event, effects, answer);
    }
  }
}

function pause(
  state: State,
  plan: Plan,
  event: CommandEvent,
  effects: Effect[],
  answer: (message: Message) => void,
): void {
  if (state.status === "done" || state.status === "aborted") {
    answer({ kind: "ended", command: "pause", status: state.status });
    return;
  }
  if (state.pause !== undefined) {
    answer(
      state.status === "paused"
        ? {
            kind: "alreadyPaused",
            by: state.pause.by,
            at: state.pause.at,
            ...(state.pause.budget === true ? { budget: true as const } : {}),
          }
        : { kind: "alreadyPausing" },
    );
    return;
  }
  if (state.resumed !== undefined && Date.parse(event.at) < Date.parse(state.resumed.at)) {
    // Written before the /resume that called its pause off: a redelivery, or a comment seen late.
    answer({ kind: "pauseBeforeResume", by: state.resumed.by, at: state.resumed.at });
    return;
  }
  const pause = {
    by: event.by,
    at: event.at,
    ...(event.command.name === "pause" && event.command.reason !== undefined ? { reason: event.command.reason } : {}),
  };
  state.pause = pause;
  delete state.resumed;
  const limit = state.config.pause.cancelWithinMinutes;
  const cancelled: BatchName[] = [];
  const finishing: BatchName[] = [];
  for (const batch of plan.batches) {
    const own = state.batches[batch.id]!;
    if (!inFlight.has(own.status)) continue;
    const run = own.runs[own.runs.length - 1]!;
    const minutes = (Date.parse(event.at) - Date.parse(run.dispatchedAt)) / 60_000;
    // A batch that just started loses little; one further along finishes and is checked in.
    if (own.status !== "checking" && run.id !== undefined && minutes < limit) {
      effects.push({ kind: "cancelRun", batch: batch.id, runId: run.id });
      run.outcome = "cancelled";
      own.status = "pending";
      cancelled.push(batchName(plan, batch.id));
    } else {
      finishing.push(batchName(plan, batch.id));
    }
  }
  if (finishing.length === 0) {
    // Nothing has to finish: the pause takes hold now, and its checkpoint is the answer (a redelivery finds it).
    state.status = "paused";
    answer(pauseCheckpointMessage(plan, state, pause, event.at));
  } else {
    answer({ kind: "pausing", cancelled, finishing, cancelWithinMinutes: limit });
  }
}

function resume(state: State, plan: Plan, event: CommandEvent, answer: (message: Message) => void): void {
  if (state.status === "done" || state.status === "aborted") {
    answer({ kind: "ended", command: "resume", status: state.status });
    return;
  }
  if (state.pause === undefined) {
    answer({ kind: "notPaused" });
    return;
  }
  const named = event.checkpoint;
  if (named !== undefined && !named.found) {
    answer({ kind: "noSuchCheckpoint", comment: named.comment });
    return;
  }
  if (Date.parse(event.at) < Date.parse(state.pause.at)) {
    // Written before the pause in force: it resumed an earlier one (a redelivery), or it was seen late.
    answer({
      kind: "resumeBeforePause",
      by: state.pause.by,
      at: state.pause.at,
      ...(state.pause.budget === true ? { budget: true as const } : {}),
    });
    return;
  }
  // Raised only as the pause ends, so a redelivered /resume (nothing to resume then) raises nothing twice.
  const raise = event.command.name === "resume" ? event.command.raise : undefined;
  if (raise !== undefined) state.budget = raised(state, raise);
  const wasPaused = state.status === "paused";
  delete state.pause;
  state.resumed = { by: event.by, at: event.at };
  state.status = "running";
  const older = named?.found === true && named.at < named.latestAt ? olderCheckpoint(plan, state, named) : undefined;
  const budget = budgetView(state);
  answer(
    wasPaused
      ? {
          kind: "resume",
          by: event.by,
          progress: progressOf(plan, state),
          next: nextUp(plan, state),
          ...(older === undefined ? {} : { older }),
          ...(budget === undefined ? {} : { budget }),
        }
      : { kind: "pauseCalledOff" },
  );
}

/** The budget raised from the one in force (from what is spent, where there is none): it may pause the coordination again. */
function raised(state: State, raise: BudgetRaise): NonNullable<State["budget"]> {
  const spent = spentOf(state);
  const { passed: _passed, ...budget } = state.budget ?? {};
  return {
    ...budget,
    ...(raise.minutes === undefined ? {} : { minutes: (budget.minutes ?? spent.minutes) + raise.minutes }),
    ...(raise.usd === undefined ? {} : { usd: (budget.usd ?? spent.usd ?? 0) + raise.usd }),
  };
}

/** What differs between a checkpoint older than the latest and the state the coordination goes on from. */
function olderCheckpoint(plan: Plan, state: State, named: Extract<NamedCheckpoint, { found: true }>): OlderCheckpoint {
  const changes = plan.batches.flatMap((batch) => {
    const then = named.batches[batch.id];
    const now = state.batches[batch.id]!.status;
    return then === now ? [] : [{ batch: batchName(plan, batch.id), ...(then === undefined ? {} : { then }), now }];
  });
  return { at: named.at, latestAt: named.latestAt, changes };
}

function abort(
  state: State,
  plan: Plan,
  event: CommandEvent,
  effects: Effect[],
  answer: (message: Message) => void,
): void {
  if (state.status === "done" || state.status === "aborted") {
    answer({ kind: "ended", command: "abort", status: state.status });
    return;
  }
  for (const batch of plan.batches) {
    const own = state.batches[batch.id]!;
    if (!inFlight.has(own.status)) continue;
    const run = own.runs[own.runs.length - 1]!;
    if (run.id !== undefined) effects.push({ kind: "cancelRun", batch: batch.id, runId: run.id });
    run.outcome = "cancelled";
    own.status = "pending";
  }
  state.status = "aborted";
  state.notes.push(`Aborted by @${event.by} at ${event.at}.`);
  answer({
    kind: "abortCheckpoint",
    at: event.at,
    by: event.by,
    progress: progressOf(plan, state),
    integration: state.integration,
  });
}

function retry(state: State, plan: Plan, batch: Batch, event: CommandEvent, answer: (message: Message) => void): void {
  const own = state.batches[batch.id]!;
  const note = `@${event.by} asked to retry batch ${position(plan, batch.id)} at ${event.at}.`;
  if (state.notes.includes(note)) {
    // This very request was carried out already (a redelivery): the batch ran again, whatever became of it.
    answer({ kind: "retryRepeated", batch: batchName(plan, batch.id) });
    return;
  }
  if (!["blocked", "redo", "pending"].includes(own.status) || (own.status === "pending" && own.runs.length === 0)) {
    answer({ kind: "notRetriable", batch: batchName(plan, batch.id), status: own.status });
    return;
  }
  own.status = "pending";
  delete own.blocker;
  own.decisions.push({ decision: "retry", by: event.by, at: event.at });
  state.notes.push(note);
  answer({ kind: "retrying", batch: batchName(plan, batch.id), paused: state.pause !== undefined });
}

function skip(
  state: State,
  plan: Plan,
  batch: Batch,
  event: CommandEvent,
  effects: Effect[],
  answer: (message: Message) => void,
): void {
  const own = state.batches[batch.id]!;
  if (own.status === "accepted" || own.status === "skipped") {
    answer({ kind: "alreadySettled", batch: batchName(plan, batch.id), status: own.status });
    return;
  }
  if (inFlight.has(own.status)) {
    const run = own.runs[own.runs.length - 1]!;
    if (run.id !== undefined) effects.push({ kind: "cancelRun", batch: batch.id, runId: run.id });
    run.outcome = "cancelled";
  }
  if (own.pr !== undefined) {
    // Its commits are on the domain branch: the domain's next batch must not build on them.
    effects.push({
      kind: "withdraw",
      batch: batch.id,
      pr: own.pr,
      branch: domainBranch(state.issue, batch.domain),
      sha: state.head,
    });
    state.synced[batch.domain] = state.head;
  }
  own.status = "skipped";
  delete own.blocker;
  delete own.pushed;
  delete own.conflict;
  own.decisions.push({ decision: "skip", by: event.by, at: event.at });
  state.notes.push(`@${event.by} skipped batch ${position(plan, batch.id)} at ${event.at}.`);
  const dependents = plan.batches.filter((other) => waitsFor(other).includes(batch.id));
  const names = (batches: Batch[]) => batches.map((other) => batchName(plan, other.id));
  answer({
    kind: "skipped",
    batch: batchName(plan, batch.id),
    unblocked: names(dependents.filter((other) => dependenciesSettled(state, other))),
    waiting: names(dependents.filter((other) => !dependenciesSettled(state, other))),
  });
}

/**
 * `/approve N [sha]`: a blocked batch taken as it is. Its pull request merges at
 * the head its check-in judged, or the one the person names — never at
 * whatever it has become since: GitHub refuses a head that moved (the merge's
 * `sha`). The answer waits for the merge, whose outcome it tells.
 */
function approve(
  state: State,
  plan: Plan,
  batch: Batch,
  event: CommandEvent,
  effects: Effect[],
  answer: (message: Message) => void,
): void {
  const own = state.batches[batch.id]!;
  // A ⚠ batch whose redo has not started yet may be taken as its check-in found it, too.
  if (own.status !== "blocked" && own.status !== "redo") {
    answer({ kind: "notApprovable", batch: batchName(plan, batch.id), status: own.status });
    return;
  }
  const named = event.command.name === "approve" ? event.command.sha : undefined;
  const sha = named ?? own.head;
  if (own.pr !== undefined && sha === undefined) {
    answer({ kind: "approveNeedsHead", batch: batchName(plan, batch.id), pr: own.pr });
    return;
  }
  delete own.blocker;
  // Its own entry in the batch's history: the blocked run stays blocked.
  own.decisions.push({ decision: "approve", by: event.by, at: event.at });
  state.notes.push(
    `@${event.by} approved batch ${position(plan, batch.id)} as it is${own.pr === undefined || sha === undefined ? "" : ` (#${own.pr} at ${sha})`} at ${event.at}.`,
  );
  if (own.pr !== undefined && sha !== undefined) {
    own.status = "checking";
    effects.push({
      kind: "merge",
      batch: batch.id,
      pr: own.pr,
      sha,
      title: `Batch ${position(plan, batch.id)} of ${plan.batches.length}: ${batch.title}`,
      head: domainBranch(state.issue, batch.domain),
      base: state.integration,
      approval: { comment: event.comment, by: event.by, sha },
    });
  } else {
    own.status = "accepted";
    answer({ kind: "approved", batch: batchName(plan, batch.id) });
  }
}

/** A batch by its checklist number or its id. */
export function batchNamed(plan: Plan, text: string): Batch | undefined {
  const byId = plan.batches.find((batch) => batch.id === text);
  if (byId !== undefined) return byId;
  const index = /^\d+$/.test(text) ? Number(text) - 1 : -1;
  return plan.batches[index];
}
