import type { Task } from "./task.js";
import type { Problem } from "../base/problem.js";

/**
 * What a reader (Markdown, YAML, sub-issues) makes of a breakdown: the tasks in
 * breakdown order, the agent count it asks for, context sections that are not
 * tasks (phases, SYNC POINTs, research notes) and every problem it found.
 */
export interface PlanSource {
  title?: string;
  agents?: number;
  tasks: Task[];
  /** Shared context for every brief: text of SYNC POINT and other non-task sections. */
  context: string[];
  problems: Problem[];
}
