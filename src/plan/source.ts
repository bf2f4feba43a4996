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
  /** Shared context for every brief: the feature's own text and the sections before its first task. */
  context: string[];
  /**
   * Text that is no agent's context: sections after the tasks they sit among
   * (a parallelization matrix, success criteria, notes, a manual checklist),
   * a SYNC POINT no later task builds on.
   */
  notes?: string[];
  problems: Problem[];
  /** Written as a YAML plan: what is proposed back (a split) is written so too. Markdown otherwise. */
  format?: "yaml";
}
