import type { Config } from "../base/config.js";
import type { Task } from "../plan/task.js";
import { normalizePattern, patternsOverlap } from "../plan/glob.js";
import { slug } from "../plan/slug.js";

/** What an oversized task is divided by: its steps (`Tasks:` items), its files, or its acceptance items. */
export type SplitBy = "steps" | "files" | "acceptance";

/**
 * An oversized task divided into parts of `batch.min`–`batch.max` minutes, or
 * why it cannot be divided mechanically.
 */
export type SplitProposal =
  { ok: true; task: string; by: SplitBy; parts: Task[] } | { ok: false; task: string; why: string };

/**
 * The split of a task into `ceil(estimate / batch.max)` parts, by the first of
 * its steps, files or acceptance items that has an item for every part, in
 * their order; with too few items of every kind, into as many parts as the
 * kind with the most has, when that keeps each within `batch.refuse` (parts
 * over `batch.max` are then planned with a warning). Each part keeps the task's domain, agent, phase, what not to do
 * and context; its files are the task's (split by files: its share of them);
 * its acceptance items are its share (split by acceptance), else the last part
 * holds the task's. The first part takes the task's dependencies, and so does
 * any later part that shares no file with an earlier one; a later part
 * depends on the earlier ones it shares files with (a part without files
 * shares with every part). The last part keeps the task's id, so every
 * dependent of the task depends on it; the others are `3.1`, `3.2` (a numbered
 * id) or a slug of their title (`rate-limiter-part-1-of-3`).
 */
export function proposeSplit(task: Task, config: Config, taken: ReadonlySet<string>): SplitProposal {
  const minutes = task.estimate ?? 0;
  const wanted = Math.max(2, Math.ceil(minutes / config.batch.max));
  const least = Math.max(2, Math.ceil(minutes / config.batch.refuse));
  const sources: Array<[SplitBy, readonly unknown[]]> = [
    ["steps", task.steps.filter((step) => step.trim() !== "")],
    ["files", task.files],
    ["acceptance", task.accept],
  ];
  const most = sources.reduce((best, source) => (source[1].length > best[1].length ? source : best));
  const chosen = sources.find(([, items]) => items.length >= wanted) ?? (most[1].length >= least ? most : undefined);
  if (chosen === undefined) return { ok: false, task: task.id, why: unsplittable(task, least, config.batch.refuse) };
  const [by, items] = chosen;
  const count = Math.min(wanted, items.length);
  const shares = chunks(items, count);
  const durations = evenly(minutes, count);

  const numbered = /^\d+(?:\.\d+)*$/u.test(task.id);
  const titleOf = (k: number) => (k === count && !numbered ? task.title : `${task.title} (part ${k} of ${count})`);
  const idOf = (k: number) =>
    k === count ? task.id : numbered ? `${task.id}.${k}` : slug(titleOf(k), 64, `${task.id}-${k}`);
  const ids = Array.from({ length: count }, (_, index) => idOf(index + 1));
  const clash = ids.slice(0, -1).find((id) => taken.has(id));
  if (clash !== undefined)
    return { ok: false, task: task.id, why: `the id ${clash} its part would take is another task's` };

  const filesOf = (k: number) => (by === "files" ? (shares[k - 1] as string[]) : task.files);
  const sharesFiles = (a: number, b: number) => {
    const left = filesOf(a).map(normalizePattern);
    const right = filesOf(b).map(normalizePattern);
    return (
      left.length === 0 ||
      right.length === 0 ||
      left.some((file) => right.some((other) => file === other || patternsOverlap(file, other)))
    );
  };

  const parts = ids.map((id, index): Task => {
    const k = index + 1;
    const earlier = Array.from({ length: index }, (_, j) => j + 1).filter((j) => sharesFiles(j, k));
    // The nearest of the earlier parts it shares files with: those before that one are reached through it when they share too.
    const needs = earlier
      .filter((j) => !earlier.some((other) => other > j && sharesFiles(j, other)))
      .map((j) => ids[j - 1]!);
    const last = k === count;
    return {
      id,
      title: titleOf(k),
      ...(task.domain === undefined ? {} : { domain: task.domain }),
      ...(task.agent === undefined ? {} : { agent: task.agent }),
      estimate: durations[index]!,
      files: filesOf(k),
      needs: needs.length > 0 ? needs : task.needs,
      steps: by === "steps" ? (shares[index] as string[]) : task.steps,
      accept: by === "acceptance" ? (shares[index] as Task["accept"]) : last ? task.accept : [],
      notToDo: task.notToDo,
      context: task.context,
      ...(task.around === undefined ? {} : { around: task.around }),
      output: last ? task.output : [],
      ...(task.phase === undefined ? {} : { phase: task.phase }),
      ...(task.line === undefined ? {} : { line: task.line }),
    };
  });
  return { ok: true, task: task.id, by, parts };
}

/** Why a task has too few items of any kind to divide into `count` parts of at most `refuse` minutes. */
function unsplittable(task: Task, count: number, refuse: number): string {
  const what = [
    `${task.steps.length} step${task.steps.length === 1 ? "" : "s"}`,
    `${task.files.length} file${task.files.length === 1 ? "" : "s"}`,
    `${task.accept.length} acceptance item${task.accept.length === 1 ? "" : "s"}`,
  ];
  return `it has ${what.join(", ")}, and parts of at most ${refuse} minutes need ${count} of one kind to divide. List its steps under \`Tasks:\` (one a part), or split it by hand`;
}

/** `total` in `count` whole shares, as even as can be (the larger first). */
function evenly(total: number, count: number): number[] {
  return Array.from({ length: count }, (_, k) => Math.floor(total / count) + (k < total % count ? 1 : 0));
}

/** `items` in `count` runs, in order, as even as can be (the longer runs first). */
function chunks<T>(items: readonly T[], count: number): T[][] {
  let start = 0;
  return evenly(items.length, count).map((size) => items.slice(start, (start += size)));
}

/**
 * The proposals for every task over `batch.refuse` minutes, and the tasks with
 * each one that could be divided replaced by its parts, in its place.
 */
export function splitOversized(tasks: readonly Task[], config: Config): { tasks: Task[]; proposals: SplitProposal[] } {
  const taken = new Set(tasks.map((task) => task.id));
  const proposals: SplitProposal[] = [];
  const out: Task[] = [];
  for (const task of tasks) {
    if ((task.estimate ?? 0) <= config.batch.refuse) {
      out.push(task);
      continue;
    }
    const proposal = proposeSplit(task, config, taken);
    proposals.push(proposal);
    if (proposal.ok) {
      for (const part of proposal.parts) taken.add(part.id);
      out.push(...proposal.parts);
    } else out.push(task);
  }
  return { tasks: out, proposals };
}
