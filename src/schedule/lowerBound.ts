import { buildGraph, type JobGraph } from "./graph.js";
import type { ScheduleProblem } from "./scheduleProblem.js";

/**
 * Earliest start of every job if only precedence mattered: the longest chain
 * of durations before it. A job can never start sooner, whatever the agents.
 */
export function heads(graph: JobGraph): number[] {
  const head = new Array<number>(graph.n).fill(0);
  for (const i of graph.topo) {
    let h = 0;
    for (const p of graph.preds[i]!) h = Math.max(h, head[p]! + graph.duration[p]!);
    head[i] = h;
  }
  return head;
}

/**
 * Longest chain of durations from the job to the end, the job included: the
 * least time the plan still needs once the job starts. Also the list priority.
 */
export function tails(graph: JobGraph): number[] {
  const tail = new Array<number>(graph.n).fill(0);
  for (let k = graph.n - 1; k >= 0; k--) {
    const i = graph.topo[k]!;
    let q = 0;
    for (const s of graph.succs[i]!) q = Math.max(q, tail[s]!);
    tail[i] = q + graph.duration[i]!;
  }
  return tail;
}

/**
 * A makespan no schedule can beat: the critical path, the total work spread
 * over every agent, and for each domain (which runs one job at a time) its
 * total work after the earliest any of its jobs can start.
 */
export function lowerBound(problem: ScheduleProblem): number {
  return graphLowerBound(buildGraph(problem));
}

export function graphLowerBound(graph: JobGraph): number {
  const head = heads(graph);
  const tail = tails(graph);
  let bound = 0;
  let work = 0;
  const domainWork = new Array<number>(graph.domainCount).fill(0);
  const domainHead = new Array<number>(graph.domainCount).fill(Infinity);
  for (let i = 0; i < graph.n; i++) {
    bound = Math.max(bound, head[i]! + tail[i]!);
    work += graph.duration[i]!;
    const d = graph.domain[i]!;
    domainWork[d] = domainWork[d]! + graph.duration[i]!;
    domainHead[d] = Math.min(domainHead[d]!, head[i]!);
  }
  if (graph.n > 0) bound = Math.max(bound, work / graph.agents);
  for (let d = 0; d < graph.domainCount; d++) bound = Math.max(bound, domainHead[d]! + domainWork[d]!);
  return roundBound(graph, bound);
}

/**
 * With whole-minute durations every makespan is a whole number, so a bound
 * may round up; the tolerance keeps float noise from adding a minute.
 */
export function roundBound(graph: JobGraph, bound: number): number {
  return graph.integral ? Math.max(0, Math.ceil(bound - 1e-9)) : bound;
}

/**
 * Tails that also see domains: all of a job's descendants in one domain run
 * one at a time after it, so the job needs at least their total work (from the
 * earliest any of them can start, to the last one's own tail) after it ends.
 * Never below the plain tail; sharper when a job feeds a busy domain. Costs
 * O(n²) memory and more time, so only for problems the exact search takes.
 */
export function domainTails(graph: JobGraph): number[] {
  const { n, duration, domain } = graph;
  const tail = tails(graph);
  const after = tail.map((q, i) => q - duration[i]!);
  // gap[j][k]: longest chain of work strictly between j's end and descendant k's start; -1 when k is not below j.
  const gap: Float64Array[] = Array.from({ length: n }, () => new Float64Array(n).fill(-1));
  const jobs: { release: number; work: number; after: number }[] = [];
  for (let k = n - 1; k >= 0; k--) {
    const j = graph.topo[k]!;
    const row = gap[j]!;
    for (const s of graph.succs[j]!) {
      row[s] = Math.max(row[s]!, 0);
      const below = gap[s]!;
      for (let m = 0; m < n; m++) if (below[m]! >= 0) row[m] = Math.max(row[m]!, below[m]! + duration[s]!);
    }
    let best = after[j]!;
    for (let dom = 0; dom < graph.domainCount; dom++) {
      jobs.length = 0;
      for (let m = 0; m < n; m++) {
        if (row[m]! >= 0 && domain[m] === dom) jobs.push({ release: row[m]!, work: duration[m]!, after: after[m]! });
      }
      if (jobs.length > 1) best = Math.max(best, preemptiveOneMachine(jobs));
    }
    after[j] = best;
    tail[j] = best + duration[j]!;
  }
  return tail;
}

/**
 * Jackson's preemptive schedule: jobs on one machine with release times and
 * tails, always running the released job with the longest tail. Its result,
 * the latest end plus tail, is the best any schedule of them can do.
 */
export function preemptiveOneMachine(jobs: readonly { release: number; work: number; after: number }[]): number {
  const byRelease = [...jobs].sort((a, b) => a.release - b.release);
  const left = byRelease.map((job) => job.work);
  let t = byRelease[0]?.release ?? 0;
  let released = 0;
  let remaining = byRelease.length;
  let bound = 0;
  while (remaining > 0) {
    while (released < byRelease.length && byRelease[released]!.release <= t) released++;
    let pick = -1;
    for (let k = 0; k < released; k++) {
      if (left[k]! > 0 && (pick < 0 || byRelease[k]!.after > byRelease[pick]!.after)) pick = k;
    }
    if (pick < 0) {
      t = byRelease[released]!.release;
      continue;
    }
    const nextRelease = released < byRelease.length ? byRelease[released]!.release : Infinity;
    const run = Math.min(left[pick]!, nextRelease - t);
    t += run;
    left[pick] = left[pick]! - run;
    if (left[pick]! <= 0) {
      remaining--;
      bound = Math.max(bound, t + byRelease[pick]!.after);
    }
  }
  return bound;
}
