import type { Config } from "../base/config.js";
import type { Problem } from "../base/problem.js";
import type { Task } from "../plan/task.js";
import type { Batch } from "../plan/planModel.js";
import type { SplitProposal } from "./split.js";

/** A batch before the planner adds orderings and scope. */
export type DraftBatch = Omit<Batch, "after" | "scope">;

export interface Batching {
  batches: DraftBatch[];
  problems: Problem[];
  warnings: string[];
}

/**
 * Tasks become batches of medium size: tasks under `batch.merge` minutes in one
 * domain merge (micro-management costs more than it saves), tasks over
 * `batch.refuse` minutes are refused (deep delegation loses control) unless
 * forced, and those over `batch.max` are kept with a warning.
 * Tasks must be valid (see taskProblems) and carry resolved domains.
 */
export function batchTasks(
  tasks: readonly Task[],
  domains: ReadonlyMap<string, string>,
  config: Config,
  force: boolean,
  splits: readonly SplitProposal[] = [],
): Batching {
  const { min, max, merge, refuse } = config.batch;
  const problems: Problem[] = [];
  const warnings: string[] = [];
  const groups = mergeTinyTasks(tasks, domains, merge, max);

  const batchOf = new Map<string, string>();
  for (const group of groups) for (const task of group) batchOf.set(task.id, group[0]!.id);

  const batches = groups.map((group): DraftBatch => {
    const first = group[0]!;
    const ids = group.map((task) => task.id);
    const estimate = group.reduce((sum, task) => sum + (task.estimate ?? 0), 0);
    const needs = unique(group.flatMap((task) => task.needs.map((need) => batchOf.get(need) ?? need))).filter(
      (need) => need !== first.id,
    );
    return {
      id: first.id,
      title: group.map((task) => task.title).join(" + "),
      domain: domains.get(first.id)!,
      ...(first.agent === undefined ? {} : { agent: first.agent }),
      files: unique(group.flatMap((task) => task.files)),
      estimate,
      needs,
      tasks: ids,
      steps:
        group.length === 1
          ? first.steps
          : group.flatMap((task) => [`${task.title}:`, ...task.steps.map((step) => `  ${step}`)]),
      accept: uniqueBy(
        group.flatMap((task) => task.accept),
        (item) => JSON.stringify(item),
      ),
      notToDo: unique(group.flatMap((task) => task.notToDo)),
      context: unique(group.flatMap((task) => [...(task.around ?? []), ...task.context])),
      output: unique(group.flatMap((task) => task.output)),
      ...(first.phase === undefined ? {} : { phase: first.phase }),
      ...(first.line === undefined ? {} : { line: first.line }),
    };
  });

  groups.forEach((group, position) => {
    if (group.length > 1) {
      const batch = batches[position]!;
      warnings.push(
        `Tasks ${list(group.map((task) => task.id))} (${batch.domain}, under ${merge} min each) are merged into batch ${batch.id} (${batch.estimate} min): batches under ${merge} minutes cost more in check-ins than they save.`,
      );
    }
  });
  batches.forEach((batch, position) => {
    if (batch.estimate > refuse) {
      const parts = Math.ceil(batch.estimate / max);
      const split = splits.find((proposal) => proposal.task === batch.id);
      const how =
        split === undefined
          ? ""
          : split.ok
            ? ` A split by its ${split.by} is proposed below: \`/plan split\` (CLI: \`plan --split\`) plans it as ${split.parts.length} parts.`
            : ` It cannot be split mechanically: ${split.why}.`;
      const message = `${batch.estimate} min is over ${refuse} minutes: an agent left alone that long drifts and errors surface late. Split it into ${parts} batches of ${min}–${max} minutes (about ${Math.round(batch.estimate / parts)} min each).${how}`;
      if (force) warnings.push(`Batch ${batch.id}: ${message} Planned anyway (--force).`);
      else {
        // At the estimate's own line when the breakdown says where it is: a batch this large is one task.
        const line = groups[position]![0]!.fieldLines?.estimate ?? batch.line;
        problems.push({ task: batch.id, ...(line === undefined ? {} : { line }), field: "Estimate", message });
      }
    } else if (batch.estimate > max) {
      warnings.push(
        `Batch ${batch.id} (${batch.estimate} min) is over ${max} minutes: consider splitting it so that it is checked in sooner.`,
      );
    } else if (batch.estimate < merge && batch.tasks.length === 1) {
      warnings.push(
        `Batch ${batch.id} (${batch.estimate} min) is under ${merge} minutes with no other small task of ${batch.domain} to merge with.`,
      );
    }
  });
  return { batches, problems, warnings };
}

/**
 * Groups tasks in breakdown order: each tiny task joins the open group of tiny
 * tasks of its domain while the group stays within `max` minutes and the merge
 * creates no dependency cycle; every other task is a group of its own.
 */
function mergeTinyTasks(
  tasks: readonly Task[],
  domains: ReadonlyMap<string, string>,
  merge: number,
  max: number,
): Task[][] {
  const index = new Map(tasks.map((task, position) => [task.id, position]));
  const needs = tasks.map((task) => task.needs.map((need) => index.get(need)!));
  // Every task starts as its own group, named by its position; a merged task takes its group's first member.
  const groupOf = tasks.map((_, position) => position);
  const members = tasks.map((_, position) => [position]);
  const order: number[] = [];
  const open = new Map<string, number>();
  tasks.forEach((task, position) => {
    const minutes = task.estimate ?? 0;
    const domain = domains.get(task.id)!;
    const group = open.get(domain);
    if (minutes < merge && group !== undefined) {
      const total = members[group]!.reduce((sum, member) => sum + (tasks[member]!.estimate ?? 0), 0);
      if (total + minutes <= max && !mergeMakesCycle(group, position, groupOf, members, needs)) {
        groupOf[position] = group;
        members[group]!.push(position);
        members[position] = [];
        return;
      }
    }
    order.push(position);
    if (minutes < merge) open.set(domain, position);
  });
  return order.map((group) => members[group]!.map((position) => tasks[position]!));
}

/**
 * Whether putting `task` into `group` makes the graph of groups cyclic: some
 * other group depends on one of the two and is depended on by the other.
 */
function mergeMakesCycle(
  group: number,
  task: number,
  groupOf: readonly number[],
  members: readonly number[][],
  needs: readonly number[][],
): boolean {
  const inside = (position: number) => groupOf[position] === group || position === task;
  const seen = new Set<number>();
  const queue: number[] = [];
  for (const member of [...members[group]!, task]) {
    for (const need of needs[member]!) {
      const other = groupOf[need]!;
      if (!inside(need) && !seen.has(other)) {
        seen.add(other);
        queue.push(other);
      }
    }
  }
  while (queue.length > 0) {
    const current = queue.pop()!;
    for (const member of members[current]!) {
      for (const need of needs[member]!) {
        if (inside(need)) return true;
        const other = groupOf[need]!;
        if (!seen.has(other)) {
          seen.add(other);
          queue.push(other);
        }
      }
    }
  }
  return false;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(key(item)) && seen.add(key(item)) !== undefined);
}

/** `1, 2 and 3`. */
export function list(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
