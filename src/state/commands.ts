import type { Plan, Batch } from "../plan/planModel.js";
import type { Command } from "../commands/parse.js";
import { abortCheckpoint, helpText, pauseCheckpoint, resumeComment } from "../render/checkpoint.js";
import { inlineText } from "../base/markdownText.js";
import type { Effect } from "./effects.js";
import type { State } from "./stateSchema.js";
import { inFlight } from "./status.js";
import { domainBranch } from "./names.js";
import { dependenciesSettled, waitsFor } from "./readiness.js";


export interface CommandEvent {
  at: string;
  by: string;
  comment: number;
  command: Command;
}

/**
 * What a command does to the state, and its answer. The answer is keyed by the
 * command's comment, so a redelivered command is answered once; a command that
 * changes nothing says why.
 */
export function applyCommand(state: State, plan: Plan, event: CommandEvent, effects: Effect[]): void {
  const answer = (body: string) => effects.push({ kind: "comment", key: `answer-${event.comment}`, body });
  const { command } = event;
  switch (command.name) {
    case "help":
      answer(helpText);
      return;
    case "status":
      // Answered by the shell, which knows the repository's address for links.
      return;
    case "plan":
      answer(
        state.status === "done" || state.status === "aborted"
          ? "This coordination has ended; `/plan` starts a new one only on an issue without a running coordination — remove the label and add it again, or open a new issue."
          : "A coordination is running on this issue. `/pause` it first: `/plan` re-plans a paused coordination from the edited issue body.",
      );
      return;
    case "pause":
      pause(state, plan, event, effects, answer);
      return;
    case "resume":
      resume(state, plan, event, effects, answer);
      return;
    case "abort":
      abort(state, plan, event, effects);
      return;
    case "retry":
    case "skip":
    case "approve": {
      const batch = batchNamed(plan, command.batch);
      if (batch === undefined) {
        answer(`There is no batch ${inlineText(command.batch)}: name one by its number on the checklist (1–${plan.batches.length}) or its id.`);
        return;
      }
      if (state.status === "done" || state.status === "aborted") {
        answer(`This coordination has ${state.status === "done" ? "finished" : "been aborted"}: nothing to ${command.name}.`);
        return;
      }
      if (command.name === "retry") retry(state, plan, batch, event, answer);
      else if (command.name === "skip") skip(state, plan, batch, event, effects, answer);
      else approve(state, plan, batch, event, effects, answer);
    }
  }
}

function pause(state: State, plan: Plan, event: CommandEvent, effects: Effect[], answer: (body: string) => void): void {
  if (state.status === "done" || state.status === "aborted") {
    answer(`This coordination has ${state.status === "done" ? "finished" : "been aborted"}: there is nothing to pause.`);
    return;
  }
  if (state.pause !== undefined) {
    answer(state.status === "paused" ? `Already paused (by @${state.pause.by} at ${state.pause.at}). \`/resume\` goes on.` : "Already pausing: the checkpoint follows when the running batches finish.");
    return;
  }
  if (state.resumed !== undefined && Date.parse(event.at) < Date.parse(state.resumed.at)) {
    // Written before the /resume that called its pause off: a redelivery, or a comment seen late.
    answer(`This \`/pause\` was written before the \`/resume\` by @${state.resumed.by} at ${state.resumed.at}: nothing changes. Comment \`/pause\` again to pause now.`);
    return;
  }
  state.pause = { by: event.by, at: event.at, ...(event.command.name === "pause" && event.command.reason !== undefined ? { reason: event.command.reason } : {}) };
  delete state.resumed;
  const limit = state.source.config.pause.cancelWithinMinutes;
  const cancelled: string[] = [];
  const finishing: string[] = [];
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
      cancelled.push(batch.id);
    } else {
      finishing.push(batch.id);
    }
  }
  if (finishing.length === 0) {
    // Nothing has to finish: the pause takes hold now, and its checkpoint is the answer (a redelivery finds it).
    state.status = "paused";
    answer(pauseCheckpoint(plan, state, event.at));
  } else {
    answer(
      [
        `⏸ Pausing: no new batches start.`,
        cancelled.length > 0 ? `Cancelled and back to pending (started under ${limit} min ago): ${cancelled.map((id) => name(plan, id)).join("; ")}.` : "",
        `Finishing and checked in as usual: ${finishing.map((id) => name(plan, id)).join("; ")}. The checkpoint follows when they are done.`,
      ]
        .filter(Boolean)
        .join("\n\n"),
    );
  }
}

function resume(state: State, plan: Plan, event: CommandEvent, effects: Effect[], answer: (body: string) => void): void {
  if (state.status === "done" || state.status === "aborted") {
    answer(`This coordination has ${state.status === "done" ? "finished" : "been aborted"}: there is nothing to resume.`);
    return;
  }
  if (state.pause === undefined) {
    answer("Not paused: the coordination is running. `/status` shows where it is.");
    return;
  }
  if (Date.parse(event.at) < Date.parse(state.pause.at)) {
    // Written before the pause in force: it resumed an earlier one (a redelivery), or it was seen late.
    answer(`This \`/resume\` was written before the pause by @${state.pause.by} at ${state.pause.at}: nothing changes. Comment \`/resume\` again to go on.`);
    return;
  }
  const wasPaused = state.status === "paused";
  delete state.pause;
  state.resumed = { by: event.by, at: event.at };
  state.status = "running";
  if (wasPaused) effects.push({ kind: "comment", key: `answer-${event.comment}`, body: resumeComment(plan, state, event.by) });
  else answer("The pause is called off before it took hold: going on.");
}

function abort(state: State, plan: Plan, event: CommandEvent, effects: Effect[]): void {
  if (state.status === "done" || state.status === "aborted") {
    effects.push({ kind: "comment", key: `answer-${event.comment}`, body: `This coordination has already ${state.status === "done" ? "finished" : "been aborted"}.` });
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
  effects.push({ kind: "comment", key: `answer-${event.comment}`, body: abortCheckpoint(plan, state, event.at, event.by) });
}

function retry(state: State, plan: Plan, batch: Batch, event: CommandEvent, answer: (body: string) => void): void {
  const own = state.batches[batch.id]!;
  const note = `@${event.by} asked to retry batch ${number(plan, batch.id)} at ${event.at}.`;
  if (state.notes.includes(note)) {
    // This very request was carried out already (a redelivery): the batch ran again, whatever became of it.
    answer(`${name(plan, batch.id)} was sent to run again for this request already.`);
    return;
  }
  if (!["blocked", "redo", "pending"].includes(own.status) || (own.status === "pending" && own.runs.length === 0)) {
    answer(`${name(plan, batch.id)} is ${own.status}: only a failed, blocked or redo batch can be retried.`);
    return;
  }
  own.status = "pending";
  delete own.blocker;
  own.decidedBy = event.by;
  state.notes.push(note);
  answer(`🔁 ${name(plan, batch.id)} will run again${state.pause !== undefined ? " once the coordination is resumed" : ""}.`);
}

function skip(state: State, plan: Plan, batch: Batch, event: CommandEvent, effects: Effect[], answer: (body: string) => void): void {
  const own = state.batches[batch.id]!;
  if (own.status === "accepted" || own.status === "skipped") {
    answer(`${name(plan, batch.id)} is already ${own.status}.`);
    return;
  }
  if (inFlight.has(own.status)) {
    const run = own.runs[own.runs.length - 1]!;
    if (run.id !== undefined) effects.push({ kind: "cancelRun", batch: batch.id, runId: run.id });
    run.outcome = "cancelled";
  }
  if (own.pr !== undefined) {
    // Its commits are on the domain branch: the domain's next batch must not build on them.
    effects.push({ kind: "withdraw", batch: batch.id, pr: own.pr, branch: domainBranch(state.issue, batch.domain), sha: state.head });
    state.synced[batch.domain] = state.head;
  }
  own.status = "skipped";
  delete own.blocker;
  own.decidedBy = event.by;
  state.notes.push(`@${event.by} skipped batch ${number(plan, batch.id)} at ${event.at}.`);
  const dependents = plan.batches.filter((other) => waitsFor(other).includes(batch.id));
  const unblocked = dependents.filter((other) => dependenciesSettled(state, other)).map((other) => name(plan, other.id));
  const waiting = dependents.filter((other) => !unblocked.includes(name(plan, other.id))).map((other) => name(plan, other.id));
  answer(
    [
      `⏭ ${name(plan, batch.id)} is skipped.`,
      unblocked.length > 0 ? `Now unblocked: ${unblocked.join("; ")}.` : "",
      waiting.length > 0 ? `Still waiting for other batches: ${waiting.join("; ")}.` : "",
      dependents.length === 0 ? "No batch depends on it." : "",
    ]
      .filter(Boolean)
      .join("\n\n"),
  );
}

function approve(state: State, plan: Plan, batch: Batch, event: CommandEvent, effects: Effect[], answer: (body: string) => void): void {
  const own = state.batches[batch.id]!;
  if (own.status !== "blocked") {
    answer(`${name(plan, batch.id)} is ${own.status}: only a blocked batch can be approved as it is.`);
    return;
  }
  delete own.blocker;
  own.decidedBy = event.by;
  state.notes.push(`@${event.by} approved batch ${number(plan, batch.id)} as it is at ${event.at}.`);
  const run = own.runs[own.runs.length - 1];
  if (run !== undefined && run.outcome === "blocked") run.outcome = "accepted";
  if (own.pr !== undefined) {
    own.status = "checking";
    effects.push({
      kind: "merge",
      batch: batch.id,
      pr: own.pr,
      title: `Batch ${number(plan, batch.id)} of ${plan.batches.length}: ${batch.title}`,
      head: domainBranch(state.issue, batch.domain),
      base: state.integration,
    });
  } else {
    own.status = "accepted";
  }
  answer(`✅ ${name(plan, batch.id)} is approved as it is${own.pr === undefined ? "" : `: merging #${own.pr}`}.`);
}

/** A batch by its checklist number or its id. */
export function batchNamed(plan: Plan, text: string): Batch | undefined {
  const byId = plan.batches.find((batch) => batch.id === text);
  if (byId !== undefined) return byId;
  const index = /^\d+$/.test(text) ? Number(text) - 1 : -1;
  return plan.batches[index];
}

function number(plan: Plan, id: string): number {
  return plan.batches.findIndex((batch) => batch.id === id) + 1;
}

function name(plan: Plan, id: string): string {
  return `batch ${number(plan, id)} (${inlineText(plan.batches.find((batch) => batch.id === id)!.title)})`;
}
