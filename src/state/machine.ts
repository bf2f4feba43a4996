import { keptBlocker, keptConflictFiles, keptFindings, keptReport } from "./kept.js";
import type { Batch, Plan } from "../plan/planModel.js";
import type { Run, State } from "./stateSchema.js";
import type { Effect } from "./effects.js";
import type { Event } from "./events.js";
import { checkIn, type CheckIn } from "./checkIn.js";
import { runScope } from "../schedule/runScope.js";
import { dispatchInputs } from "./dispatchInputs.js";
import { domainBranch, runKey } from "./names.js";
import {
  headMovedBlocker,
  mergeConflictBlocker,
  syncConflictBlocker,
  type FileOwner,
  type Stopped,
} from "./blockerReasons.js";
import { ownerOf } from "../schedule/fileOwner.js";
import {
  batchName,
  blockerMessage,
  finalPullRequestSummary,
  finishMessage,
  pauseCheckpointMessage,
  position,
} from "./messages.js";
import { applyCommand } from "./commands.js";
import { inFlight } from "./status.js";
import { isReady, isSettled } from "./readiness.js";
import { budgetPassed } from "./budget.js";

export interface Decision {
  state: State;
  effects: Effect[];
}

/**
 * The coordination's state machine: what an event changes and what must happen
 * on GitHub. Pure: no I/O, no clock (`at` comes from the event), no randomness,
 * so a restarted app, another replica and the simulator decide the same thing.
 */
export function decide(state: State, event: Event, plan: Plan): Decision {
  // Copy on write: only batches, synced and notes are changed in place; the rest (the
  // pinned plan, above all) is replaced when it changes, never edited, so it is shared.
  const next: State = {
    ...state,
    batches: structuredClone(state.batches),
    synced: { ...state.synced },
    notes: [...state.notes],
    updatedAt: event.at,
  };
  const effects: Effect[] = [];
  switch (event.kind) {
    case "start":
      effects.push({ kind: "createBranch", branch: next.integration, sha: next.head });
      break;
    case "advance":
      break;
    case "dispatched": {
      const run = lastRun(next, event.batch);
      if (run === undefined || run.attempt !== event.attempt) return { state, effects: [] };
      if (event.runId !== undefined) run.id = event.runId;
      break;
    }
    case "dispatchRefused":
      block(
        next,
        event.batch,
        `GitHub refused to dispatch the agent workflow: ${event.reason}`,
        plan,
        effects,
        event.at,
      );
      break;
    case "syncConflict": {
      const own = next.batches[event.batch]!;
      // The run was never dispatched: it is no run. The commits kept for it are what conflicts.
      if (lastRun(next, event.batch)?.id === undefined) own.runs.pop();
      delete own.pushed;
      conflicted(
        next,
        plan,
        event.batch,
        event,
        (stopped, files) => syncConflictBlocker({ ...stopped, branch: event.branch }, files),
        effects,
      );
      break;
    }
    case "runCompleted": {
      const found = runById(next, event.runId);
      if (found === undefined) return { state, effects: [] };
      // A run /pause cancelled that finished first (GitHub answered the cancel with 409):
      // its work is done, so it is checked in, unless the batch has been dispatched again.
      const finishedFirst =
        found.run.outcome === "cancelled" &&
        event.conclusion === "success" &&
        found.run.completedAt === undefined &&
        next.batches[found.batch]!.status === "pending" &&
        lastRun(next, found.batch) === found.run;
      // A run the app never dispatched, or one already checked in: nothing to do.
      if (found.run.outcome !== undefined && !finishedFirst) return { state, effects: [] };
      if (finishedFirst) {
        delete found.run.outcome;
        next.batches[found.batch]!.status = "dispatched";
      }
      found.run.completedAt = event.at;
      found.run.minutes = event.minutes;
      completeRun(next, plan, found.batch, found.run, event, effects);
      break;
    }
    case "merged": {
      const batch = next.batches[event.batch];
      if (batch === undefined || batch.status !== "checking") return { state, effects: [] };
      batch.status = "accepted";
      delete batch.conflict;
      const domain = planBatch(plan, event.batch).domain;
      // The domain's own pull request merged with a merge commit: its branch already has
      // everything the new head has. A squash or rebase makes new commits it lacks.
      if (next.synced[domain] === next.head && next.config.mergeMethod === "merge") next.synced[domain] = event.sha;
      next.head = event.sha;
      if (event.approval !== undefined) {
        effects.push({
          kind: "comment",
          key: `answer-${event.approval.comment}`,
          message: { kind: "approved", batch: batchName(plan, event.batch), pr: batch.pr!, head: event.approval.sha },
        });
      }
      break;
    }
    case "mergeRefused": {
      const stopped = stoppedBatch(next, plan, event.batch);
      const pr = next.batches[event.batch]!.pr;
      // The agent's work conflicts: back to the agent once. A person's approval that conflicts is the person's to settle.
      if (event.cause === "conflict" && event.approval === undefined) {
        conflicted(
          next,
          plan,
          event.batch,
          event,
          (_stopped, files) => mergeConflictBlocker(stopped, pr, files, true),
          effects,
        );
        break;
      }
      // A moved head is no integration issue: what was checked in is not what would merge.
      if (event.cause === "conflict") next.integrationIssues += 1;
      // Commits a person pushed: a /retry builds on them.
      if (event.cause === "moved") next.batches[event.batch]!.pushed = true;
      const reason =
        event.cause === "conflict"
          ? mergeConflictBlocker(stopped, pr, ownedFiles(plan, event.files), false)
          : event.cause === "moved"
            ? headMovedBlocker(stopped, pr, event.head)
            : `GitHub refused to merge the pull request: ${event.reason}`;
      if (event.approval === undefined || pr === undefined) {
        block(next, event.batch, reason, plan, effects, event.at);
        break;
      }
      // An approval that GitHub would not carry out: blocked again, and its answer says why (the blocker was posted already).
      setBlocked(next, event.batch, reason);
      const { comment, sha } = event.approval;
      effects.push({
        kind: "comment",
        key: `answer-${comment}`,
        message: {
          kind: "approveRefused",
          batch: batchName(plan, event.batch),
          pr,
          head: sha,
          cause: event.cause,
          ...(event.head === undefined ? {} : { now: event.head }),
          reason,
        },
      });
      break;
    }
    // The finish comment comes once the final pull request is open (or refused), so it can point at it.
    case "finalPullRequest":
      next.finalPr = event.number;
      effects.push({ kind: "comment", key: "finish", message: finishMessage(plan, next) });
      return { state: next, effects };
    case "finalPullRequestRefused":
      effects.push({ kind: "comment", key: "finish", message: finishMessage(plan, next, event.reason) });
      return { state: next, effects };
    case "command":
      applyCommand(next, plan, event, effects);
      break;
  }
  advance(next, plan, effects, event.at);
  // A command that only answers (`/help`, a refusal, "already paused") changes nothing, not even the time: the dashboard is not rewritten.
  if (event.kind === "command" && JSON.stringify({ ...next, updatedAt: state.updatedAt }) === JSON.stringify(state))
    return { state, effects };
  return { state: next, effects };
}

/** Dispatches what is ready, within the agents and one run per domain, and finishes when all is done. */
function advance(state: State, plan: Plan, effects: Effect[], at: string): void {
  if (state.status === "paused" || state.status === "aborted" || state.status === "done") return;
  // Only while a batch is still to start: a budget passed by the last runs lets the feature finish.
  const toStart = plan.batches.some((batch) => ["pending", "redo"].includes(state.batches[batch.id]!.status));
  const over = state.pause === undefined && toStart ? budgetPassed(state) : undefined;
  if (over !== undefined) {
    // Once per budget: a /resume that does not raise it goes on past it.
    state.budget = { ...state.budget, passed: true };
    state.pause = { by: "budget", at, reason: over, budget: true };
  }
  if (state.pause !== undefined) {
    // Pausing: nothing new starts; once nothing runs, the pause takes hold with a checkpoint.
    if (!plan.batches.some((batch) => inFlight.has(state.batches[batch.id]!.status))) {
      state.status = "paused";
      effects.push({
        kind: "comment",
        key: `checkpoint-${state.pause.at}`,
        message: pauseCheckpointMessage(plan, state, state.pause, at),
      });
    }
    return;
  }
  const running = plan.batches.filter((batch) => inFlight.has(state.batches[batch.id]!.status));
  const busy = new Set(running.map((batch) => batch.domain));
  // A batch's unmerged work is on its domain branch, in its open pull request: the domain's other batches would carry it.
  const holders = new Map(
    plan.batches.filter((batch) => holdsBranch(state, batch.id)).map((batch) => [batch.domain, batch.id]),
  );
  let free = plan.schedule.agents - running.length;
  // In the schedule's order: the planner's optimum is the order to aim for.
  const ready = plan.batches
    .filter((batch) => isReady(state, batch))
    .sort((a, b) => (plan.schedule.start[a.id] ?? 0) - (plan.schedule.start[b.id] ?? 0));
  for (const batch of ready) {
    if (free <= 0) break;
    if (busy.has(batch.domain) || (holders.get(batch.domain) ?? batch.id) !== batch.id) continue;
    dispatch(state, plan, batch, effects, at);
    busy.add(batch.domain);
    free -= 1;
  }

  const settled = plan.batches.every((batch) => isSettled(state.batches[batch.id]!.status));
  if (settled) {
    state.status = "done";
    if (!plan.batches.some((batch) => state.batches[batch.id]!.status === "accepted")) {
      effects.push({ kind: "comment", key: "finish", message: finishMessage(plan, state) });
    } else if (state.finalPr === undefined) {
      effects.push({
        kind: "openFinalPullRequest",
        head: state.integration,
        base: state.base,
        title: plan.title === undefined ? `Coordinated feature (#${state.issue})` : `${plan.title} (#${state.issue})`,
        summary: finalPullRequestSummary(plan, state),
      });
    }
    return;
  }
  const moving = plan.batches.some((batch) => inFlight.has(state.batches[batch.id]!.status));
  state.status = moving
    ? "running"
    : plan.batches.some((batch) => state.batches[batch.id]!.status === "blocked")
      ? "blocked"
      : "running";
}

function dispatch(state: State, plan: Plan, batch: Batch, effects: Effect[], at: string): void {
  const own = state.batches[batch.id]!;
  const attempt = own.runs.length + 1;
  const key = runKey(state.issue, batch.id, attempt);
  const ref = domainBranch(state.issue, batch.domain);
  const start = branchStart(state, batch);
  own.status = "dispatched";
  own.runs.push({ attempt, key, dispatchedAt: at });
  state.synced[batch.domain] = state.head;
  if ("reset" in start) {
    // The pull request closes with the rejected work: the run opens another.
    delete own.pr;
    delete own.head;
  }
  delete own.pushed;
  effects.push({
    kind: "dispatch",
    batch: batch.id,
    attempt,
    key,
    ref,
    ...start,
    ...dispatchInputs(plan, state, batch, attempt, key),
  });
}

/**
 * How the domain branch is made ready for a run. Made at the integration head the
 * first time. Later it is moved back to the integration head (refs API) whenever it
 * is behind or the batch has run before: what is on it then that the integration
 * branch lacks is never accepted work — a batch is accepted only once its pull
 * request has merged into the integration branch, and no batch of the domain runs
 * or holds the branch while another is dispatched (see `holdsBranch`) — so only a
 * rejected run's commits leave, with the pull request that showed them, and a redo
 * starts clean. The one exception: commits a person pushed to the pull request
 * after its check-in, which a `/retry` builds on, brought up to date through the
 * Merges API.
 */
function branchStart(
  state: State,
  batch: Batch,
): { create: string } | { reset: string; close?: number } | { sync: string } | Record<string, never> {
  const own = state.batches[batch.id]!;
  const synced = state.synced[batch.domain];
  if (synced === undefined) return { create: state.head };
  if (own.pushed === true) return synced === state.head ? {} : { sync: state.integration };
  if (own.runs.length === 0 && synced === state.head) return {};
  return { reset: state.head, ...(own.pr === undefined ? {} : { close: own.pr }) };
}

function completeRun(
  state: State,
  plan: Plan,
  id: string,
  run: Run,
  event: Extract<Event, { kind: "runCompleted" }>,
  effects: Effect[],
): void {
  const own = state.batches[id]!;
  const batch = planBatch(plan, id);
  if (event.conclusion !== "success") {
    const why =
      event.conclusion === "cancelled"
        ? "was cancelled"
        : event.conclusion === "timed_out"
          ? "timed out"
          : `ended with ${event.conclusion}`;
    if (own.retries < state.config.retries) {
      run.outcome = event.conclusion === "cancelled" ? "cancelled" : "failed";
      own.retries += 1;
      own.findings = [`The previous run ${why}; this is automatic retry ${own.retries} of ${state.config.retries}.`];
      own.status = "pending";
      return;
    }
    run.outcome = event.conclusion === "cancelled" ? "cancelled" : "failed";
    block(
      state,
      id,
      `The run ${why}${own.retries > 0 ? ` again after ${own.retries} automatic retr${own.retries === 1 ? "y" : "ies"}` : ""}.`,
      plan,
      effects,
      event.at,
    );
    return;
  }
  const evidence = event.evidence ?? { report: { ok: false as const, reason: "no report was found" } };
  const result = checkIn(batch, runScope(batch, state.config), own, evidence, event.minutes, event.runId);
  if (result.outOfScope.length > 0) own.scopeStrikes += 1;
  if (evidence.pr !== undefined) {
    own.pr = evidence.pr.number;
    own.head = evidence.pr.headSha;
    // A merged pull request had its check run before its merge, in a step that then failed.
    if (!evidence.pr.merged) effects.push(checkRunEffect(batch, evidence.pr.headSha, result, event.runId));
  }
  own.findings = keptFindings(result.findings);
  // What the runner says of the run itself, only from a report of this run.
  if (result.report?.agent !== undefined) run.agent = result.report.agent;
  if (result.report?.usage !== undefined) run.usage = result.report.usage;
  if (result.verdict === "accept") {
    run.outcome = "accepted";
    own.status = "checking";
    if (result.report !== undefined) Object.assign(own, keptReport(result.report));
    if (result.slow)
      state.notes.push(
        `Batch ${position(plan, id)} took ${Math.round(event.minutes)} min for a ${batch.estimate}-minute estimate.`,
      );
    if (evidence.pr === undefined) {
      own.status = "accepted";
    } else if (evidence.pr.merged) {
      own.status = "accepted";
      if (evidence.pr.baseSha !== undefined) state.head = evidence.pr.baseSha;
    } else {
      effects.push({
        kind: "merge",
        batch: id,
        pr: evidence.pr.number,
        sha: evidence.pr.headSha,
        title: `Batch ${position(plan, id)} of ${plan.batches.length}: ${batch.title}`,
        head: domainBranch(state.issue, batch.domain),
        base: state.integration,
      });
    }
    return;
  }
  if (result.verdict === "minor") {
    run.outcome = "redo";
    own.redos += 1;
    own.status = "redo";
    return;
  }
  run.outcome = "blocked";
  block(state, id, result.findings.join(" "), plan, effects, event.at);
}

/**
 * A batch's work conflicts with the integration branch (its pull request will not merge, or the
 * commits kept on its branch cannot be brought up to date). The first time it goes back to its
 * agent: it runs again on the integration branch as it is now (its branch moved there, its pull
 * request closed), its brief naming the conflicting files and the merged work to keep. The second
 * time it is a blocker naming both sides: this batch's branch, and the domain owning each file.
 */
function conflicted(
  state: State,
  plan: Plan,
  id: string,
  event: { at: string; files?: string[]; integrationHead?: string },
  blocker: (stopped: Stopped, files: FileOwner[] | undefined) => string,
  effects: Effect[],
): void {
  const own = state.batches[id]!;
  state.integrationIssues += 1;
  // The integration branch as the comparison saw it: the hand-back starts on it, whoever moved it.
  if (event.integrationHead !== undefined) state.head = event.integrationHead;
  if (own.handBacks < 1) {
    own.handBacks += 1;
    own.conflict = event.files === undefined ? {} : { files: keptConflictFiles(event.files) };
    own.findings = [];
    own.status = "redo";
    return;
  }
  block(state, id, blocker(stoppedBatch(state, plan, id), ownedFiles(plan, event.files)), plan, effects, event.at);
}

/** Conflicting files with the domain owning each, for a blocker. */
function ownedFiles(plan: Plan, files: readonly string[] | undefined): FileOwner[] | undefined {
  return files?.map((file) => {
    const owner = ownerOf(plan, file);
    return owner === undefined ? { file } : { file, owner };
  });
}

function setBlocked(state: State, id: string, reason: string): void {
  const own = state.batches[id]!;
  own.status = "blocked";
  own.blocker = keptBlocker(reason);
}

function block(state: State, id: string, reason: string, plan: Plan, effects: Effect[], at: string): void {
  setBlocked(state, id, reason);
  state.batches[id]!.blocked += 1;
  const attempt = state.batches[id]!.runs.length;
  effects.push({ kind: "comment", key: `blocker-${id}-${attempt}`, message: blockerMessage(plan, state, id, at) });
}

/** A batch whose branch would not merge into the integration branch, for its blocker. */
function stoppedBatch(state: State, plan: Plan, id: string): Stopped {
  const batch = planBatch(plan, id);
  return {
    batch,
    number: position(plan, id),
    branch: domainBranch(state.issue, batch.domain),
    integration: state.integration,
  };
}

function checkRunEffect(batch: Batch, sha: string, result: CheckIn, run: number): Effect {
  return {
    kind: "checkRun",
    batch: batch.id,
    run,
    sha,
    verdict: result.verdict,
    slow: result.slow,
    findings: result.findings,
    outOfScope: result.outOfScope,
  };
}

function runById(state: State, runId: number): { batch: string; run: Run } | undefined {
  for (const [batch, own] of Object.entries(state.batches)) {
    const run = own.runs.find((candidate) => candidate.id === runId);
    if (run !== undefined) return { batch, run };
  }
  return undefined;
}

function lastRun(state: State, id: string): Run | undefined {
  const runs = state.batches[id]?.runs ?? [];
  return runs[runs.length - 1];
}

function planBatch(plan: Plan, id: string): Batch {
  const batch = plan.batches.find((candidate) => candidate.id === id);
  if (batch === undefined) throw new Error(`batch ${id} is not in the plan`);
  return batch;
}

/**
 * A pull request not yet merged: its commits stay on the domain branch until
 * the batch is accepted (merged) or a person decides (blocked, then /approve
 * or /skip); meanwhile only this batch may run on that branch again.
 */
export function holdsBranch(state: State, id: string): boolean {
  const own = state.batches[id]!;
  return own.pr !== undefined && own.status !== "accepted" && own.status !== "skipped";
}
