import type { Plan } from "../plan/planModel.js";
import type { State } from "../state/stateSchema.js";
import { inlineText } from "../base/markdownText.js";
import { progressBar } from "./progress.js";
import { inFlight } from "../state/status.js";
import { isReady } from "../state/readiness.js";


function numbered(plan: Plan, id: string): string {
  const index = plan.batches.findIndex((batch) => batch.id === id);
  const batch = plan.batches[index]!;
  return `Batch ${index + 1} — ${inlineText(batch.title)} (${batch.domain})`;
}

function groups(plan: Plan, state: State) {
  const of = (test: (status: string) => boolean) => plan.batches.filter((batch) => test(state.batches[batch.id]!.status)).map((batch) => batch.id);
  return {
    done: of((status) => status === "accepted"),
    skipped: of((status) => status === "skipped"),
    current: of((status) => inFlight.has(status)),
    blocked: of((status) => status === "blocked"),
    pending: of((status) => status === "pending" || status === "redo"),
  };
}

/** Batches that would start first. */
function nextUp(plan: Plan, state: State): string[] {
  return plan.batches.filter((batch) => isReady(state, batch)).map((batch) => batch.id);
}

function contextNotes(plan: Plan, state: State): string[] {
  const points = plan.batches.flatMap((batch) => state.batches[batch.id]!.integrationPoints.map((point) => `${inlineText(point)} (batch ${plan.batches.indexOf(batch) + 1})`));
  return [...state.notes.map(inlineText), ...points];
}

/** The seed's checkpoint summary, written when a pause has taken hold. */
export function pauseCheckpoint(plan: Plan, state: State, at: string): string {
  const pause = state.pause;
  const next = nextUp(plan, state);
  return checkpoint(plan, state, {
    head: [
      `### ⏸ Session checkpoint — ${at}`,
      "",
      pause === undefined ? "Paused." : `Paused by @${pause.by} at ${pause.at}${pause.reason === undefined ? "" : `: ${inlineText(pause.reason)}`}`,
    ],
    idle: "none (paused cleanly)",
    ready: [
      "#### Ready for resume",
      "",
      ...(next.length > 0 ? next.map((id) => `- Next: ${numbered(plan, id)}`) : ["- Nothing is ready: see the blockers above."]),
      `- Integration branch \`${state.integration}\` holds every accepted batch.`,
      "",
    ],
    end: [
      "#### To resume",
      "",
      "Comment `/resume`: the coordination goes on from this checkpoint, whenever that is, whatever happened to the app meanwhile.",
    ],
  });
}

/** `/abort`'s final checkpoint: where the coordination ended, with nothing to resume. */
export function abortCheckpoint(plan: Plan, state: State, at: string, by: string): string {
  return checkpoint(plan, state, {
    head: [`### ⏹ Aborted — final checkpoint — ${at}`, "", `Aborted by @${by} at ${at}.`],
    idle: "none",
    ready: [],
    end: [`Branches and pull requests are left for people to keep or delete: the integration branch \`${state.integration}\` holds every accepted batch.`],
  });
}

/** The sections every checkpoint shares, between its own head, readiness and end. */
function checkpoint(plan: Plan, state: State, parts: { head: string[]; idle: string; ready: string[]; end: string[] }): string {
  const { head, idle, ready, end } = parts;
  const { done, skipped, current, blocked, pending } = groups(plan, state);
  const notes = contextNotes(plan, state);
  return [
    ...head,
    "",
    "#### Progress",
    "",
    `- ✅ Completed: ${done.length} batch${done.length === 1 ? "" : "es"}${done.length > 0 ? ` (${done.map((id) => numbered(plan, id)).join("; ")})` : ""}`,
    ...(skipped.length > 0 ? [`- ⏭ Skipped: ${skipped.map((id) => numbered(plan, id)).join("; ")}`] : []),
    `- 🔄 Current: ${current.length === 0 ? idle : current.map((id) => numbered(plan, id)).join("; ")}`,
    ...(blocked.length > 0 ? [`- ⛔ Blocked: ${blocked.map((id) => numbered(plan, id)).join("; ")}`] : []),
    `- ⏳ Pending: ${pending.length} batch${pending.length === 1 ? "" : "es"}`,
    "",
    ...ready,
    "#### Context notes",
    "",
    ...(notes.length > 0 ? notes.map((note) => `- ${note}`) : ["- None recorded."]),
    "",
    ...end,
    "",
    progressBar(done.length + skipped.length, plan.batches.length),
  ].join("\n");
}

/** The seed's resume display: what was done, where it goes on, what context it carries. */
export function resumeComment(plan: Plan, state: State, by: string): string {
  const { done } = groups(plan, state);
  const next = nextUp(plan, state);
  const notes = contextNotes(plan, state);
  return [
    `### 🔄 Resumed by @${by}`,
    "",
    `#### Previous progress`,
    "",
    `✅ Completed (${done.length}):`,
    ...done.map((id) => `- ${numbered(plan, id)}`),
    "",
    "#### Continuing from",
    "",
    ...(next.length > 0 ? next.map((id) => `- 📍 ${numbered(plan, id)}`) : ["- Nothing is ready to run: see the blockers on the dashboard."]),
    "",
    "#### Context loaded",
    "",
    ...(notes.length > 0 ? notes.map((note) => `- ${note}`) : ["- No contracts or notes yet."]),
    "",
    next.length > 0 ? "Ready to continue: dispatching." : "",
  ].join("\n").trimEnd();
}

/** `/status`: progress, what runs (with links and time against the estimate), blockers. */
export function statusComment(plan: Plan, state: State, at: string, repoUrl: string): string {
  const { done, skipped, current, blocked, pending } = groups(plan, state);
  const now = Date.parse(at);
  const lines = [`**Status**: ${state.status}${state.pause !== undefined && state.status !== "paused" ? " (pausing: waiting for running batches)" : ""}`, "", progressBar(done.length + skipped.length, plan.batches.length), ""];
  for (const id of current) {
    const own = state.batches[id]!;
    const run = own.runs[own.runs.length - 1];
    const minutes = run === undefined ? 0 : Math.max(0, Math.round((now - Date.parse(run.dispatchedAt)) / 60_000));
    const estimate = plan.batches.find((batch) => batch.id === id)!.estimate;
    const link = run?.id === undefined ? "" : ` · [run](${repoUrl}/actions/runs/${run.id})`;
    lines.push(`- 🔄 ${numbered(plan, id)}: ${minutes} of ${estimate} min${minutes > estimate * 1.5 ? " ⚠ over 150 %" : ""}${link}`);
  }
  for (const id of blocked) lines.push(`- ⛔ ${numbered(plan, id)}: ${inlineText(state.batches[id]!.blocker ?? "blocked")}`);
  lines.push(`- ⏳ ${pending.length} pending, ✅ ${done.length} accepted${skipped.length > 0 ? `, ⏭ ${skipped.length} skipped` : ""}`);
  return lines.join("\n");
}

export const helpText = [
  "**parallel-coordinator commands** (a comment line that starts with the command; people with write access, and anyone who can read the issue for `/status` and `/help`):",
  "",
  "- `/plan` — start a coordination on this issue, or re-plan a paused one from the edited body (`/plan --force` plans an epic)",
  "- `/status` — progress, running batches, blockers",
  "- `/pause [reason]` (`/пауза`) — stop new dispatches; batches that just started go back to pending, the rest finish; then a checkpoint",
  "- `/resume` (`/продовжити`) — go on from the last checkpoint",
  "- `/retry N` — run batch N again",
  "- `/skip N` — leave batch N out (its open pull request closes unmerged); its dependents go on",
  "- `/approve N` — take blocked batch N as it is",
  "- `/abort` — cancel every run and stop; branches and pull requests stay",
  "- `/help` — this list",
].join("\n");
