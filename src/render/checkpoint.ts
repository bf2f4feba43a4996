import { inlineText } from "../base/markdownText.js";
import type { BatchName, Message, OlderCheckpoint, Progress } from "../state/messages.js";
import { numberedInDomain } from "./batchNames.js";
import { progressBar } from "./progress.js";
import { pausedBy } from "./answers.js";
import { budgetText } from "./finish.js";

type Of<K extends Message["kind"]> = Extract<Message, { kind: K }>;

function contextNotes(progress: Progress): string[] {
  return [
    ...progress.notes.map(inlineText),
    ...progress.points.map(({ point, batch }) => `${inlineText(point)} (batch ${batch})`),
  ];
}

function batches(names: readonly BatchName[]): string {
  return names.map(numberedInDomain).join("; ");
}

/** The seed's checkpoint summary, written when a pause has taken hold. */
export function pauseCheckpoint(message: Of<"pauseCheckpoint">): string {
  const { pause, next } = message;
  return checkpoint(message.progress, {
    head: [
      `### ⏸ Session checkpoint — ${message.at}`,
      "",
      `Paused by ${pausedBy(pause)} at ${pause.at}${pause.reason === undefined ? "" : `: ${inlineText(pause.reason)}`}`,
    ],
    idle: "none (paused cleanly)",
    ready: [
      "#### Ready for resume",
      "",
      ...(next.length > 0
        ? next.map((batch) => `- Next: ${numberedInDomain(batch)}`)
        : ["- Nothing is ready: see the blockers above."]),
      `- Integration branch \`${message.integration}\` holds every accepted batch.`,
      "",
    ],
    end: [
      "#### To resume",
      "",
      "Comment `/resume`: the coordination goes on from this checkpoint, whenever that is, whatever happened to the app meanwhile.",
      ...(pause.budget === true
        ? [
            "`/resume` alone goes on past the budget; `/resume budget +60m` (or `+$5`) raises it, and the coordination pauses again when it passes the new one.",
          ]
        : []),
    ],
  });
}

/** `/abort`'s final checkpoint: where the coordination ended, with nothing to resume. */
export function abortCheckpoint(message: Of<"abortCheckpoint">): string {
  const { at, by } = message;
  return checkpoint(message.progress, {
    head: [`### ⏹ Aborted — final checkpoint — ${at}`, "", `Aborted by @${by} at ${at}.`],
    idle: "none",
    ready: [],
    end: [
      `Branches and pull requests are left for people to keep or delete: the integration branch \`${message.integration}\` holds every accepted batch.`,
    ],
  });
}

/** The sections every checkpoint shares, between its own head, readiness and end. */
function checkpoint(
  progress: Progress,
  parts: { head: string[]; idle: string; ready: string[]; end: string[] },
): string {
  const { head, idle, ready, end } = parts;
  const { done, skipped, current, blocked, pending } = progress;
  const notes = contextNotes(progress);
  return [
    ...head,
    "",
    "#### Progress",
    "",
    `- ✅ Completed: ${done.length} batch${done.length === 1 ? "" : "es"}${done.length > 0 ? ` (${batches(done)})` : ""}`,
    ...(skipped.length > 0 ? [`- ⏭ Skipped: ${batches(skipped)}`] : []),
    `- 🔄 Current: ${current.length === 0 ? idle : batches(current)}`,
    ...(blocked.length > 0 ? [`- ⛔ Blocked: ${batches(blocked)}`] : []),
    `- ⏳ Pending: ${pending} batch${pending === 1 ? "" : "es"}`,
    "",
    ...ready,
    "#### Context notes",
    "",
    ...(notes.length > 0 ? notes.map((note) => `- ${note}`) : ["- None recorded."]),
    "",
    ...end,
    "",
    progressBar(done.length + skipped.length, progress.total),
  ].join("\n");
}

/** The seed's resume display: what was done, where it goes on, what context it carries. */
export function resumeComment(message: Of<"resume">): string {
  const { done } = message.progress;
  const { next } = message;
  const notes = contextNotes(message.progress);
  return [
    `### 🔄 Resumed by @${message.by}`,
    "",
    ...(message.older === undefined ? [] : olderCheckpoint(message.older)),
    `#### Previous progress`,
    "",
    `✅ Completed (${done.length}):`,
    ...done.map((batch) => `- ${numberedInDomain(batch)}`),
    "",
    "#### Continuing from",
    "",
    ...(next.length > 0
      ? next.map((batch) => `- 📍 ${numberedInDomain(batch)}`)
      : ["- Nothing is ready to run: see the blockers on the dashboard."]),
    "",
    "#### Context loaded",
    "",
    ...(notes.length > 0 ? notes.map((note) => `- ${note}`) : ["- No contracts or notes yet."]),
    "",
    ...(message.budget === undefined ? [] : [`Budget: ${budgetText(message.budget)}.`, ""]),
    next.length > 0 ? "Ready to continue: dispatching." : "",
  ]
    .join("\n")
    .trimEnd();
}

/** A checkpoint older than the latest was named: what differs, since the coordination goes on from the latest. */
function olderCheckpoint(older: OlderCheckpoint): string[] {
  const status = (word: string | undefined) => word ?? "not in the plan";
  return [
    "#### From an older checkpoint",
    "",
    `The checkpoint named is of ${older.at}; the latest is of ${older.latestAt}. The coordination goes on from the latest, keeping what was done since${older.changes.length === 0 ? ": no batch differs." : ". What differs:"}`,
    "",
    ...older.changes.map(({ batch, then, now }) => `- ${numberedInDomain(batch)}: ${status(then)} then, ${now} now`),
    ...(older.changes.length === 0 ? [] : [""]),
  ];
}

/** `/status`: progress, what runs (with links and time against the estimate), blockers. */
export function statusComment(message: Of<"status">): string {
  const { done, skipped, pending, total } = message.progress;
  const lines = [
    `**Status**: ${message.status}${message.pausing ? " (pausing: waiting for running batches)" : ""}`,
    "",
    progressBar(done.length + skipped.length, total),
    "",
  ];
  for (const { batch, minutes, estimate, link } of message.running) {
    lines.push(
      `- 🔄 ${numberedInDomain(batch)}: ${minutes} of ${estimate} min${minutes > estimate * 1.5 ? " ⚠ over 150 %" : ""}${link === undefined ? "" : ` · [run](${link})`}`,
    );
  }
  for (const { batch, reason } of message.blockers)
    lines.push(`- ⛔ ${numberedInDomain(batch)}: ${inlineText(reason ?? "blocked")}`);
  lines.push(
    `- ⏳ ${pending} pending, ✅ ${done.length} accepted${skipped.length > 0 ? `, ⏭ ${skipped.length} skipped` : ""}`,
  );
  return lines.join("\n");
}
