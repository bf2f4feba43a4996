import { defaultNodeBudget, exactSearch } from "./exact.js";
import { buildGraph, makespanOf, toResult } from "./graph.js";
import { graphLowerBound } from "./lowerBound.js";
import { phaseStarts } from "./phases.js";
import type { ScheduleProblem, ScheduleResult } from "./scheduleProblem.js";

export type { Job, ScheduleProblem, ScheduleResult } from "./scheduleProblem.js";
export { validateSchedule } from "./validateSchedule.js";
export { lowerBound } from "./lowerBound.js";
export { listSchedule } from "./list.js";
export { exactSchedule, defaultNodeBudget, DEFAULT_NODE_BUDGET, EXACT_JOB_LIMIT, type ExactOptions } from "./exact.js";
export { phaseSchedule } from "./phases.js";

export interface ScheduleOptions {
  /** Search nodes for the exact search; defaults by problem size (see `defaultNodeBudget`). */
  nodes?: number;
}

export type Schedule = ScheduleResult & {
  /** The static bound of `lowerBound`: critical path, work per agent, work per domain. */
  lowerBound: number;
  /** Makespan of the seed's phase-by-phase order, which the result never exceeds. */
  phaseMakespan: number;
};

/**
 * Schedule a batch: the exact search from the list schedule, never worse
 * than running phase after phase. Throws on an unknown pred or a cycle.
 */
export function scheduleJobs(problem: ScheduleProblem, options: ScheduleOptions = {}): Schedule {
  const graph = buildGraph(problem);
  const bound = graphLowerBound(graph);
  const phases = phaseStarts(graph);
  const phaseMakespan = makespanOf(graph, phases);
  // The phase order seeds the search, so the search starts no worse than it.
  const outcome = exactSearch(graph, options.nodes ?? defaultNodeBudget(graph.n), [phases]);
  // Belt and braces: should the search ever return something longer, the baseline wins.
  const result =
    phaseMakespan < outcome.makespan
      ? toResult(graph, phases, phaseMakespan <= bound)
      : toResult(graph, outcome.start, outcome.optimal);
  return { ...result, lowerBound: bound, phaseMakespan };
}
