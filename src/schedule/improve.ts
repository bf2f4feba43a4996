import { makespanOf, type JobGraph } from "./graph.js";
import { parallelSchedule } from "./list.js";
import { domainTails, heads } from "./lowerBound.js";
import { serialSchedule } from "./serial.js";

/**
 * The same jobs with every need reversed: a schedule of it read backwards in
 * time is a schedule of the original, which is how jobs get pushed right.
 */
export function reverseGraph(graph: JobGraph): JobGraph {
  return { ...graph, preds: graph.succs, succs: graph.preds, topo: [...graph.topo].reverse() };
}

/**
 * Double justification (forward-backward improvement): push every job as late
 * as it can go, latest finish first, then pull every job as early as it can go,
 * earliest start first. Neither pass lengthens the schedule and together they
 * close gaps a greedy pass leaves; repeat while it helps.
 */
export function justify(graph: JobGraph, reversed: JobGraph, start: Float64Array, rounds = 4): Float64Array {
  const { n, duration } = graph;
  let best = start;
  let bestMakespan = makespanOf(graph, start);
  const jobs = Array.from({ length: n }, (_, i) => i);
  for (let round = 0; round < rounds; round++) {
    const current = best;
    // Later finishes first; a successor always finishes after its preds.
    const backwardOrder = [...jobs].sort(
      (a, b) => current[b]! + duration[b]! - (current[a]! + duration[a]!) || current[b]! - current[a]! || a - b,
    );
    const mirrored = serialSchedule(reversed, backwardOrder);
    const span = makespanOf(reversed, mirrored);
    const late = Float64Array.from(jobs, (i) => span - mirrored[i]! - duration[i]!);
    const forwardOrder = [...jobs].sort((a, b) => late[a]! - late[b]! || a - b);
    const early = serialSchedule(graph, forwardOrder);
    const makespan = makespanOf(graph, early);
    if (makespan >= bestMakespan) break;
    best = early;
    bestMakespan = makespan;
  }
  return best;
}

/**
 * Cheap incumbents for the exact search: list schedules under a few priority
 * rules, each built by both schemes and justified, best kept. The rules add
 * what the critical path misses: a busy domain's jobs should not wait, and a
 * job feeding a busy domain is more urgent than its own chain says.
 */
export function heuristicSchedule(graph: JobGraph): Float64Array {
  const { n, duration, domain } = graph;
  const reversed = reverseGraph(graph);
  const tail = domainTails(graph);
  const head = heads(graph);
  // Work left in the job's domain from its earliest start on.
  const domainLoad = Array.from({ length: n }, (_, i) => {
    let work = 0;
    for (let k = 0; k < n; k++) if (domain[k] === domain[i] && head[k]! >= head[i]!) work += duration[k]!;
    return work;
  });
  const rules: number[][] = [
    tail,
    Array.from({ length: n }, (_, i) => Math.max(tail[i]!, domainLoad[i]!)),
    Array.from({ length: n }, (_, i) => tail[i]! + domainLoad[i]!),
  ];

  let best: Float64Array = new Float64Array(0);
  let bestMakespan = Infinity;
  const consider = (start: Float64Array): void => {
    const improved = justify(graph, reversed, start);
    const makespan = makespanOf(graph, improved);
    if (makespan < bestMakespan) {
      best = improved;
      bestMakespan = makespan;
    }
  };
  for (const priority of rules) {
    consider(parallelSchedule(graph, priority));
    consider(serialSchedule(graph, priorityOrder(graph, priority)));
  }
  return best;
}

/** Jobs by priority (higher first, ties by input order), each after its preds. */
function priorityOrder(graph: JobGraph, priority: readonly number[]): number[] {
  const left = graph.preds.map((p) => p.length);
  const ready: number[] = [];
  for (let i = 0; i < graph.n; i++) if (left[i] === 0) ready.push(i);
  const order: number[] = [];
  while (ready.length > 0) {
    let pick = 0;
    for (let k = 1; k < ready.length; k++) {
      const a = ready[k]!;
      const b = ready[pick]!;
      if (priority[a]! > priority[b]! || (priority[a] === priority[b] && a < b)) pick = k;
    }
    const job = ready.splice(pick, 1)[0]!;
    order.push(job);
    for (const s of graph.succs[job]!) {
      left[s] = left[s]! - 1;
      if (left[s] === 0) ready.push(s);
    }
  }
  return order;
}
