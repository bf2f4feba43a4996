import type { Config } from "../base/config.js";
import type { Problem } from "../base/problem.js";
import type { Task } from "./task.js";
import { globProblem } from "./glob.js";
import { MISSING_ESTIMATE } from "./estimate.js";
import { truncate } from "../base/markdownText.js";

/**
 * The config's globs (each domain's files, each owner's path) that the
 * matcher refuses: it would match nothing with them, and a deny list would
 * silently let through what they name.
 */
export function configGlobProblems(config: Config): Problem[] {
  const globs = [
    ...Object.entries(config.domains).flatMap(([name, domain]) =>
      domain.files.map((glob) => ({ field: `domains.${name}.files`, glob })),
    ),
    ...Object.keys(config.owners).map((glob) => ({ field: "owners", glob })),
  ];
  return globs.flatMap(({ field, glob }) => {
    const problem = globProblem(glob);
    return problem === undefined
      ? []
      : [
          {
            field,
            message: `"${truncate(glob, 100)}" in .github/parallel-coordinator.yml is not usable: expected ${problem}`,
          },
        ];
  });
}

/**
 * Every problem in a list of tasks that makes it unplannable: none at all,
 * duplicate ids, missing estimates, invalid globs, unknown dependencies and
 * dependency cycles. Sizes are the planner's concern, not this one's.
 */
export function taskProblems(tasks: readonly Task[]): Problem[] {
  if (tasks.length === 0) {
    return [
      {
        message:
          "no tasks found. Write numbered headings such as `### 1. Title` or `### Batch 1: Title` with an estimate, or a fenced `yaml` block with `tasks:`.",
      },
    ];
  }
  const problems: Problem[] = [];
  const byId = new Map<string, Task>();
  for (const task of tasks) {
    const place = placeOf(task);
    if (!/^[\w.-]{1,64}$/.test(task.id)) {
      // Ids name branches' run keys and commands (`/retry 3`): keep them plain.
      problems.push({
        ...place,
        field: "id",
        message: `"${task.id}" is not a usable id: expected up to 64 letters, digits, \`.\`, \`_\` or \`-\``,
      });
    }
    const earlier = byId.get(task.id);
    if (earlier !== undefined) {
      problems.push({
        ...place,
        field: "id",
        message: `the id "${task.id}" is used twice${earlier.line === undefined ? "" : ` (first at line ${earlier.line})`}; give every task its own id`,
      });
      continue;
    }
    byId.set(task.id, task);
  }
  for (const task of tasks) {
    // A task with an estimate field but no estimate was reported by its reader, at the field.
    if (task.estimate === undefined && task.fieldLines?.estimate === undefined) {
      problems.push({ ...placeOf(task), field: "Estimate", message: MISSING_ESTIMATE });
    }
    for (const file of task.files) {
      const problem = globProblem(file);
      if (problem !== undefined)
        problems.push({
          ...placeOf(task, "files"),
          field: "Files",
          message: `"${truncate(file, 100)}" is not usable: expected ${problem}`,
        });
    }
    for (const need of task.needs) {
      if (need === task.id) {
        problems.push({ ...placeOf(task, "needs"), field: "Dependencies", message: "a task cannot depend on itself" });
      } else if (!byId.has(need)) {
        problems.push({
          ...placeOf(task, "needs"),
          field: "Dependencies",
          message: `unknown dependency "${need}"; known ids: ${[...byId.keys()].join(", ")}`,
        });
      }
    }
  }
  for (const cycle of dependencyCycles(tasks, byId)) {
    const first = byId.get(cycle[0] ?? "");
    problems.push({
      ...(first === undefined ? {} : placeOf(first, "needs")),
      field: "Dependencies",
      message: `dependency cycle: ${[...cycle, cycle[0]].join(" → ")} (each needs the next); remove one of these dependencies`,
    });
  }
  return problems;
}

/** The task and the line of its field when the source says where it is, of the task's heading otherwise. */
function placeOf(task: Task, field?: keyof NonNullable<Task["fieldLines"]>): Pick<Problem, "task" | "line"> {
  const line = (field === undefined ? undefined : task.fieldLines?.[field]) ?? task.line;
  return line === undefined ? { task: task.id } : { task: task.id, line };
}

/** Each cycle once, its members in dependency order (each needs the one after it). */
function dependencyCycles(tasks: readonly Task[], byId: ReadonlyMap<string, Task>): string[][] {
  const state = new Map<string, "open" | "done">();
  const cycles: string[][] = [];
  const path: string[] = [];
  // Iterative DFS: breakdowns of thousands of tasks must not overflow the stack.
  for (const root of tasks) {
    if (state.has(root.id)) continue;
    const stack: Array<{ id: string; next: number }> = [{ id: root.id, next: 0 }];
    state.set(root.id, "open");
    path.push(root.id);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const needs = (byId.get(frame.id)?.needs ?? []).filter((need) => need !== frame.id && byId.has(need));
      if (frame.next < needs.length) {
        const need = needs[frame.next++]!;
        const seen = state.get(need);
        if (seen === undefined) {
          state.set(need, "open");
          path.push(need);
          stack.push({ id: need, next: 0 });
        } else if (seen === "open") {
          cycles.push(path.slice(path.indexOf(need)));
        }
      } else {
        state.set(frame.id, "done");
        path.pop();
        stack.pop();
      }
    }
  }
  return cycles;
}
