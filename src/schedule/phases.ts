import { buildGraph, makespanOf, subGraph, toResult, type JobGraph } from "./graph.js";
import { parallelSchedule } from "./list.js";
import { graphLowerBound, tails } from "./lowerBound.js";
import type { ScheduleProblem, ScheduleResult } from "./scheduleProblem.js";

/**
 * The seed's order: phase after phase, each starting only once every job of
 * the earlier phases has finished, and list scheduling inside a phase. Kept as
 * the baseline: whatever we return must never take longer than this.
 */
export function phaseSchedule(problem: ScheduleProblem): ScheduleResult {
  const graph = buildGraph(problem);
  const start = phaseStarts(graph);
  return toResult(graph, start, makespanOf(graph, start) <= graphLowerBound(graph));
}

/** Start minutes by index of the phase-by-phase schedule. */
export function phaseStarts(graph: JobGraph): Float64Array {
  // A job cannot run in an earlier phase than a job it needs; lift it so the
  // baseline stays feasible even when phases and needs disagree.
  const phase = new Array<number>(graph.n).fill(0);
  for (const i of graph.topo) {
    let p = graph.phase[i]!;
    for (const pred of graph.preds[i]!) p = Math.max(p, phase[pred]!);
    phase[i] = p;
  }
  const members = new Map<number, number[]>();
  for (let i = 0; i < graph.n; i++) {
    const list = members.get(phase[i]!);
    if (list === undefined) members.set(phase[i]!, [i]);
    else list.push(i);
  }

  const start = new Float64Array(graph.n);
  let phaseStart = 0;
  for (const value of [...members.keys()].sort((a, b) => a - b)) {
    const jobs = members.get(value)!;
    // Needs on earlier phases are met by the phase boundary; only in-phase ones remain.
    const sub = subGraph(graph, jobs);
    const subStart = parallelSchedule(sub, tails(sub));
    jobs.forEach((i, k) => (start[i] = phaseStart + subStart[k]!));
    phaseStart += makespanOf(sub, subStart);
  }
  return start;
}
