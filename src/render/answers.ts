import { inlineText } from "../base/markdownText.js";
import type { Answer, BatchName } from "../state/messages.js";
import { inSentence } from "./batchNames.js";

const helpText = [
  "**parallel-coordinator commands** (a comment line that starts with the command; people with write access, and anyone who can read the issue for `/status` and `/help`):",
  "",
  "- `/plan` — start a coordination on this issue, or re-plan a paused one from the edited body (`/plan --force` plans an epic; `/plan split` plans each oversized task as the parts proposed)",
  "- `/status` — progress, running batches, blockers",
  "- `/pause [reason]` (`/пауза`) — stop new dispatches; batches that just started go back to pending, the rest finish; then a checkpoint",
  "- `/resume` (`/продовжити`) — go on from the last checkpoint; `/resume @<link of a checkpoint comment>` names one, and an older one is answered with what differs",
  "- `/retry N` — run batch N again",
  "- `/skip N` — leave batch N out (its open pull request closes unmerged); its dependents go on",
  "- `/approve N [SHA]` — take blocked batch N as it is: its pull request merges at the head its check-in judged (or the one named)",
  "- `/abort` — cancel every run and stop; branches and pull requests stay",
  "- `/help` — this list",
].join("\n");

function list(batches: readonly BatchName[]): string {
  return batches.map(inSentence).join("; ");
}

function ended(message: Extract<Answer, { kind: "ended" }>): string {
  const how = message.status === "done" ? "finished" : "been aborted";
  switch (message.command) {
    case "abort":
      return `This coordination has already ${how}.`;
    case "pause":
    case "resume":
      return `This coordination has ${how}: there is nothing to ${message.command}.`;
    default:
      return `This coordination has ${how}: nothing to ${message.command}.`;
  }
}

/** The answer to a command that only answers, or that says what it did. */
export function answerText(message: Answer): string {
  switch (message.kind) {
    case "help":
      return helpText;
    case "unknownCommand":
      return `${message.error}.\n\n${helpText}`;
    case "commandRefused":
      return `Sorry @${message.by}, only people with ${message.permission} access to this repository can command parallel-coordinator. Nothing was changed.`;
    case "labelRefused":
      return `${message.how === "labeled" ? `The \`${message.label}\` label from @${message.by}` : `This issue, opened by @${message.by} with the \`${message.label}\` label,`} does not start parallel-coordinator: only people with ${message.permission} access to this repository start a coordination. Nothing was started. A maintainer can add the label again, or comment \`/plan\`.`;
    case "planWhileRunning":
      return message.ended
        ? "This coordination has ended; `/plan` starts a new one only on an issue without a running coordination — remove the label and add it again, or open a new issue."
        : "A coordination is running on this issue. `/pause` it first: `/plan` re-plans a paused coordination from the edited issue body.";
    case "replanned": {
      const { batches, kept } = message;
      return `🗺 Re-planned from the edited issue body: ${batches} batches${kept.length > 0 ? `, ${kept.length} kept as they were (${kept.join(", ")})` : ""}. Still paused: \`/resume\` goes on.`;
    }
    case "noSuchBatch":
      return `There is no batch ${inlineText(message.name)}: name one by its number on the checklist (1–${message.count}) or its id.`;
    case "ended":
      return ended(message);
    case "alreadyPaused":
      return `Already paused (by ${pausedBy(message)} at ${message.at}). \`/resume\` goes on${message.budget === true ? "; `/resume budget +60m` raises the budget too" : ""}.`;
    case "alreadyPausing":
      return "Already pausing: the checkpoint follows when the running batches finish.";
    case "pauseBeforeResume":
      return `This \`/pause\` was written before the \`/resume\` by @${message.by} at ${message.at}: nothing changes. Comment \`/pause\` again to pause now.`;
    case "pausing":
      return [
        `⏸ Pausing: no new batches start.`,
        message.cancelled.length > 0
          ? `Cancelled and back to pending (started under ${message.cancelWithinMinutes} min ago): ${list(message.cancelled)}.`
          : "",
        `Finishing and checked in as usual: ${list(message.finishing)}. The checkpoint follows when they are done.`,
      ]
        .filter(Boolean)
        .join("\n\n");
    case "notPaused":
      return "Not paused: the coordination is running. `/status` shows where it is.";
    case "noSuchCheckpoint":
      return `Comment ${message.comment} is no checkpoint of this issue: nothing changes. Name one of this issue's checkpoint comments (\`### ⏸ Session checkpoint\`) by its link, or comment \`/resume\` to go on from the latest.`;
    case "resumeBeforePause":
      return `This \`/resume\` was written before the pause by ${pausedBy(message)} at ${message.at}: nothing changes. Comment \`/resume\` again to go on.`;
    case "pauseCalledOff":
      return "The pause is called off before it took hold: going on.";
    case "retryRepeated":
      return `${inSentence(message.batch)} was sent to run again for this request already.`;
    case "notRetriable":
      return `${inSentence(message.batch)} is ${message.status}: only a failed, blocked or redo batch can be retried.`;
    case "retrying":
      return `🔁 ${inSentence(message.batch)} will run again${message.paused ? " once the coordination is resumed" : ""}.`;
    case "alreadySettled":
      return `${inSentence(message.batch)} is already ${message.status}.`;
    case "skipped": {
      const { unblocked, waiting } = message;
      return [
        `⏭ ${inSentence(message.batch)} is skipped.`,
        unblocked.length > 0 ? `Now unblocked: ${list(unblocked)}.` : "",
        waiting.length > 0 ? `Still waiting for other batches: ${list(waiting)}.` : "",
        unblocked.length + waiting.length === 0 ? "No batch depends on it." : "",
      ]
        .filter(Boolean)
        .join("\n\n");
    }
    case "notApprovable":
      return `${inSentence(message.batch)} is ${message.status}: only a blocked batch, or one waiting for its redo, can be approved as it is.`;
    case "buttonPressed":
      return `🔘 @${message.by} pressed **${message.button}** on the check-in of ${inSentence(message.batch)}: \`${message.command}\`.`;
    case "approved":
      return `✅ ${inSentence(message.batch)} is approved as it is${message.pr === undefined ? "" : `: #${message.pr} is merged at \`${message.head ?? ""}\``}.`;
    case "approveNeedsHead":
      return `${inSentence(message.batch)} has no checked-in head of #${message.pr} to approve: name the one you approve, \`/approve ${message.batch.number} <full commit SHA>\`.`;
    case "approveRefused": {
      const { number } = message.batch;
      const why =
        message.cause === "moved"
          ? `#${message.pr} has moved on since \`${message.head}\`${message.now === undefined ? "" : `: its head is now \`${message.now}\``}. An approval merges only the head it names. Look at the new commits, then \`/approve ${number}${message.now === undefined ? " <full commit SHA>" : ` ${message.now}`}\` takes the pull request as it now is, or \`/retry ${number}\` runs the batch again and checks that in.`
          : message.reason;
      return `⛔ ${inSentence(message.batch)} is not merged: ${why}`;
    }
  }
}

/** Who paused: a person, or the budget. */
export function pausedBy(pause: { by: string; budget?: true }): string {
  return pause.budget === true ? "the budget" : `@${pause.by}`;
}
