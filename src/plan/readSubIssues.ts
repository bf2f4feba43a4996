import type { Problem } from "../base/problem.js";
import type { PlanSource } from "./source.js";
import type { Task } from "./task.js";
import { readTaskText } from "./readMarkdown.js";

/** A feature issue's sub-issue, as GitHub lists it, with the issues it is blocked by. */
export interface SubIssue {
  number: number;
  title: string;
  body: string;
  labels: string[];
  state: "open" | "closed";
  /** Numbers of the issues it is blocked by (any repository's). */
  blockedBy: number[];
  /** Who opened it: its body's acceptance commands are trusted as far as they are. */
  author: string;
}

/**
 * A feature planned from its sub-issues, in their order: each open sub-issue
 * is a task, its id its number, its title the title, its body read as a task's
 * fields; its "blocked by" links to open siblings are its dependencies, with
 * any its body writes; a label `<domainLabel><name>` is its domain when its
 * body names none. A closed sub-issue is done: no task, and no dependency.
 */
export function readSubIssues(title: string, subIssues: readonly SubIssue[], domainLabel: string): PlanSource {
  const open = subIssues.filter((sub) => sub.state === "open");
  const closed = new Set(subIssues.filter((sub) => sub.state === "closed").map((sub) => String(sub.number)));
  const siblings = new Set(open.map((sub) => sub.number));
  const problems: Problem[] = [];
  const tasks = open.map((sub): Task => {
    const id = String(sub.number);
    const read = readTaskText({ id, title: sub.title, line: 1 }, sub.body);
    // Lines are of the sub-issue's own body: `Task #12, line 3` says whose.
    problems.push(...read.problems.map((problem) => ({ ...problem, task: `#${sub.number}` })));
    const labelled = sub.labels
      .find((label) => label.startsWith(domainLabel) && label.length > domainLabel.length)
      ?.slice(domainLabel.length)
      .trim();
    const blockers = sub.blockedBy.filter((number) => siblings.has(number)).map(String);
    const needs = [...new Set([...blockers, ...read.task.needs.filter((need) => !closed.has(need))])];
    const { line: _line, fieldLines: _fieldLines, ...task } = read.task;
    return {
      ...task,
      ...(task.domain === undefined && labelled !== undefined && labelled !== "" ? { domain: labelled } : {}),
      needs,
    };
  });
  return { title, tasks, context: [], problems };
}
