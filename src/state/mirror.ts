import type { Plan } from "../plan/planModel.js";
import { batchName, type BatchName } from "./messages.js";
import type { State } from "./stateSchema.js";
import type { BatchStatus } from "./status.js";

/**
 * The mirror of a plan as sub-issues (`subIssues.mirror` in the config): one
 * sub-issue of the feature issue per batch, in the checklist's order, blocked
 * by the sub-issues of the batches it waits for, showing its batch's status.
 * What it should be is a function of the plan and the state (`mirrorOf`); what
 * to change on GitHub is a function of that and what GitHub holds
 * (`mirrorChanges`). The shell (github/effects/mirror.ts) reads, carries the
 * changes out and reads no rule of its own: the mirror is brought up to the
 * state at every step, so a step that stopped half-way is finished by the next.
 */

/** GitHub holds at most 100 sub-issues under one parent, closed ones included. */
export const MAX_SUB_ISSUES = 100;

/** A batch's status as its sub-issue shows it: the batch statuses, with a run's three steps as one. */
export type MirrorStatus = "pending" | "running" | "redo" | "blocked" | "accepted" | "skipped";

/** The label that shows a mirror status: one of them on each sub-issue, the others taken off. */
export function mirrorLabel(status: MirrorStatus): string {
  return `batch: ${status}`;
}

/** Whether a label is one of the mirror's, which the app puts on and takes off; every other label is left alone. */
export function isMirrorLabel(name: string): boolean {
  return (["pending", "running", "redo", "blocked", "accepted", "skipped"] as const).some(
    (status) => mirrorLabel(status) === name,
  );
}

export function mirrorStatus(status: BatchStatus): MirrorStatus {
  return status === "dispatched" || status === "checking" ? "running" : status;
}

/** One batch's sub-issue as it should be. */
export interface MirrorItem {
  batch: string;
  name: BatchName;
  /** Batches in the plan. */
  of: number;
  estimate: number;
  status: MirrorStatus;
  /**
   * Open, or closed with its reason (a merged batch's is `completed`, a skipped one's `not_planned`).
   * `undefined`: either, as a person left it — a batch of a coordination that ended, which nothing settles now.
   */
  open?: boolean;
  reason?: "completed" | "not_planned";
  /** The batches it waits for (its dependencies and the planner's orderings), in checklist order. */
  blockedBy: string[];
}

/**
 * Every batch's sub-issue as it should be, in checklist order. A plan read
 * from its sub-issues is mirrored already: the shell leaves it alone (see
 * `plannedFromSubIssues`).
 */
export function mirrorOf(plan: Plan, state: State): MirrorItem[] {
  const ended = state.status === "done" || state.status === "aborted";
  const order = new Map(plan.batches.map((batch, index) => [batch.id, index]));
  return plan.batches.map((batch) => {
    const status = mirrorStatus(state.batches[batch.id]?.status ?? "pending");
    const settled = status === "accepted" || status === "skipped";
    const blockedBy = [...new Set([...batch.needs, ...batch.after])]
      .filter((id) => id !== batch.id && order.has(id))
      .sort((a, b) => order.get(a)! - order.get(b)!);
    return {
      batch: batch.id,
      name: batchName(plan, batch.id),
      of: plan.batches.length,
      estimate: batch.estimate,
      status,
      ...(settled
        ? { open: false, reason: status === "accepted" ? ("completed" as const) : ("not_planned" as const) }
        : ended
          ? {}
          : { open: true }),
      blockedBy,
    };
  });
}

/**
 * Whether the plan was read from the feature issue's own sub-issues: every
 * task of every batch is one of them (its number is the task's id). Such a
 * feature is mirrored already, by the issues its author wrote.
 */
export function plannedFromSubIssues(plan: Plan, subIssueNumbers: readonly number[]): boolean {
  const numbers = new Set(subIssueNumbers.map(String));
  const tasks = plan.batches.flatMap((batch) => batch.tasks);
  return tasks.length > 0 && tasks.every((task) => numbers.has(task));
}

/** One of the parent's sub-issues that mirrors a batch: the app's, with the batch's marker. */
export interface FoundMirror {
  number: number;
  /** The issue's id, which sub-issue and dependency requests name it by. */
  id: number;
  batch: string;
  title: string;
  open: boolean;
  labels: string[];
  /** How many issues it is blocked by, when GitHub said so (the issue's dependency summary). */
  blockedBy?: number;
}

/** A batch's sub-issue as it should read: the item and what is written from it. */
export interface WantedMirror extends MirrorItem {
  title: string;
  body: string;
}

/** What the shell does on GitHub to bring the mirror up to the state, in this order. */
export type MirrorChange =
  /** No sub-issue mirrors the batch: one is found among the app's issues (a step stopped before adding it) or made, then added. */
  | { kind: "create"; batch: string }
  /** Its title, labels or state differ: one "Update an issue". */
  | {
      kind: "update";
      batch: string;
      number: number;
      title?: string;
      labels?: string[];
      state?: { open: false; reason: "completed" | "not_planned" } | { open: true };
    }
  /** Closed while its batch is still to settle: who closed it decides (a `/skip` from a person who may command). */
  | { kind: "closed"; batch: string; number: number }
  /** Its blocked-by links may differ (GitHub's count does, or is unknown): listed and brought to these batches. */
  | { kind: "link"; batch: string; blockedBy: string[] };

/**
 * The changes that bring what GitHub holds (`found`, the parent's sub-issues
 * that mirror a batch) up to `wanted`. A found sub-issue of a batch no longer
 * in the plan (a re-plan dropped it) is closed as not planned.
 */
export function mirrorChanges(wanted: readonly WantedMirror[], found: readonly FoundMirror[]): MirrorChange[] {
  const byBatch = new Map(found.map((issue) => [issue.batch, issue]));
  const changes: MirrorChange[] = [];
  for (const item of wanted) if (!byBatch.has(item.batch)) changes.push({ kind: "create", batch: item.batch });
  for (const item of wanted) {
    const issue = byBatch.get(item.batch);
    if (issue === undefined) continue;
    const labels = [...issue.labels.filter((name) => !isMirrorLabel(name)), mirrorLabel(item.status)];
    const sameLabels = labels.length === issue.labels.length && labels.every((name) => issue.labels.includes(name));
    if (item.open === true && !issue.open) {
      changes.push({ kind: "closed", batch: item.batch, number: issue.number });
      continue;
    }
    const state =
      item.open === false && issue.open ? { open: false as const, reason: item.reason ?? "completed" } : undefined;
    if (issue.title !== item.title || !sameLabels || state !== undefined)
      changes.push({
        kind: "update",
        batch: item.batch,
        number: issue.number,
        ...(issue.title === item.title ? {} : { title: item.title }),
        ...(sameLabels ? {} : { labels }),
        ...(state === undefined ? {} : { state }),
      });
  }
  const planned = new Set(wanted.map((item) => item.batch));
  for (const issue of found)
    if (!planned.has(issue.batch) && (issue.open || issue.labels.some(isMirrorLabel)))
      changes.push({
        kind: "update",
        batch: issue.batch,
        number: issue.number,
        labels: issue.labels.filter((name) => !isMirrorLabel(name)),
        ...(issue.open ? { state: { open: false as const, reason: "not_planned" as const } } : {}),
      });
  // Links last: every batch has its sub-issue by then.
  for (const item of wanted) {
    const issue = byBatch.get(item.batch);
    if (issue === undefined || issue.blockedBy !== item.blockedBy.length)
      changes.push({ kind: "link", batch: item.batch, blockedBy: item.blockedBy });
  }
  return changes;
}

/**
 * Room for the mirror under the parent: the batches that still need a
 * sub-issue, and how many more GitHub takes. More needed than there is room
 * for: none is made, and the issue is told once.
 */
export function mirrorRoom(
  wanted: readonly MirrorItem[],
  found: readonly FoundMirror[],
  subIssues: number,
): { needed: number; room: number } {
  const have = new Set(found.map((issue) => issue.batch));
  return {
    needed: wanted.filter((item) => !have.has(item.batch)).length,
    room: MAX_SUB_ISSUES - subIssues,
  };
}

/** What the mirror tells people, each once (keyed by a hidden marker). */
export type MirrorMessage =
  /** On the feature issue: a person who may command closed a batch's sub-issue, which is `/skip` of the batch from them. */
  | { kind: "mirrorClosed"; by: string; subIssue: number; batch: BatchName }
  /** On the sub-issue: a person who may not command closed it; it is open again. */
  | { kind: "mirrorCloseRefused"; by: string; issue: number; batch: BatchName; permission: string }
  /** On the feature issue: the plan needs more sub-issues than GitHub holds under one issue; it is not mirrored. */
  | { kind: "mirrorTooMany"; needed: number; room: number; others: number }
  /** On the feature issue: GitHub refused a change of the mirror for good; the coordination goes on without it. */
  | { kind: "mirrorRefused"; status: number; message: string };
