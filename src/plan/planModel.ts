import type { Acceptance } from "./task.js";

/**
 * A batch: one unit of agent work of 15–25 minutes, run as one workflow run on
 * its domain's branch. A batch of one task keeps its task's id; a merged batch
 * takes the id of its first task and lists every source task in `tasks`.
 */
export interface Batch {
  id: string;
  title: string;
  /** The domain as a slug: lower case, `[a-z0-9-]`, at most 40 characters. */
  domain: string;
  agent?: string;
  /** The files the breakdown names for this batch (may be empty). */
  files: string[];
  /** What the batch may change and what it must leave to other domains. */
  scope: { allow: string[]; deny: string[] };
  /** Minutes. */
  estimate: number;
  /** Declared dependencies, as batch ids. */
  needs: string[];
  /** Orderings the planner added (shared files, conflict-zone owners), as batch ids. */
  after: string[];
  /** Source task ids. */
  tasks: string[];
  steps: string[];
  accept: Acceptance[];
  notToDo: string[];
  context: string[];
  output: string[];
  phase?: string;
  line?: number;
}

/** A file (or glob) touched by more than one domain, given to one owner. */
export interface Conflict {
  file: string;
  domains: string[];
  owner: string;
  /** The batches that touch it, in breakdown order. */
  batches: string[];
}

export interface LevelParts {
  scope: number;
  time: number;
  agents: number;
  dependencies: number;
  documentation: number;
}

export interface Level {
  /** The seed family's 0–20 score, for information. */
  score: number;
  /** 1: one agent suffices; 2: this app's job; 3: an epic. */
  level: 1 | 2 | 3;
  parts: LevelParts;
}

export interface Schedule {
  agents: number;
  /** Start minute of every batch, by id. */
  start: Record<string, number>;
  makespan: number;
  /** max(critical path, work ÷ agents, per domain: earliest start + its work). */
  lowerBound: number;
  /** Makespan of the seed's phase-by-phase order, for comparison. */
  phaseMakespan: number;
  /** True when the exact search finished within its budget (the makespan is optimal). */
  optimal: boolean;
}

export interface Plan {
  title?: string;
  level: Level;
  /** In breakdown order: the checklist order. */
  batches: Batch[];
  conflicts: Conflict[];
  schedule: Schedule;
  /** Shared context for every brief. */
  context: string[];
  warnings: string[];
}
