import { buildGraph, makespanOf, toResult, type JobGraph } from "./graph.js";
import { graphLowerBound, tails } from "./lowerBound.js";
import type { ScheduleProblem, ScheduleResult } from "./scheduleProblem.js";

/**
 * Critical-path list scheduling: whenever an agent and a job's domain are
 * free and its preds are done, start the ready job with the longest tail
 * (ties by input order). Fast and usually close; the exact search starts from it.
 */
export function listSchedule(problem: ScheduleProblem): ScheduleResult {
  const graph = buildGraph(problem);
  const start = parallelSchedule(graph, tails(graph));
  // Optimal is only claimed when it meets the bound; the list itself proves nothing.
  const makespan = makespanOf(graph, start);
  return toResult(graph, start, makespan <= graphLowerBound(graph));
}

/**
 * Parallel schedule generation: walk time forward from finish to finish and at
 * each moment start ready jobs in priority order (higher first, ties by input
 * order) while an agent is free and the job's domain is idle. Never leaves an
 * agent idle when a job could run (non-delay), so it is quick but not always
 * optimal. Returns start minutes by job index.
 */
export function parallelSchedule(graph: JobGraph, priority: readonly number[]): Float64Array {
  const { n, duration, domain, succs } = graph;
  const byRank = Array.from({ length: n }, (_, i) => i).sort((a, b) => priority[b]! - priority[a]! || a - b);
  const rank = new Int32Array(n);
  byRank.forEach((job, r) => (rank[job] = r));

  const start = new Float64Array(n);
  const predsLeft = Int32Array.from(graph.preds, (p) => p.length);
  const domainBusy = new Uint8Array(graph.domainCount);
  // Ready jobs kept sorted by rank so one pass starts them in priority order.
  let ready: number[] = byRank.filter((i) => predsLeft[i] === 0);
  const running: number[] = [];
  const finish = new Float64Array(n);
  let free = graph.agents;
  let now = 0;
  let started = 0;

  while (started < n) {
    if (free > 0 && ready.length > 0) {
      const waiting: number[] = [];
      for (const job of ready) {
        const d = domain[job]!;
        if (free > 0 && domainBusy[d] === 0) {
          start[job] = now;
          finish[job] = now + duration[job]!;
          domainBusy[d] = 1;
          free--;
          started++;
          running.push(job);
        } else {
          waiting.push(job);
        }
      }
      ready = waiting;
    }
    if (started === n) break;
    // Advance to the next finish and release everything that ends then.
    now = Infinity;
    for (const job of running) now = Math.min(now, finish[job]!);
    for (let k = running.length - 1; k >= 0; k--) {
      const job = running[k]!;
      if (finish[job]! > now) continue;
      running.splice(k, 1);
      domainBusy[domain[job]!] = 0;
      free++;
      for (const s of succs[job]!) {
        predsLeft[s] = predsLeft[s]! - 1;
        if (predsLeft[s] === 0) insertByRank(ready, s, rank);
      }
    }
  }
  return start;
}

function insertByRank(ready: number[], job: number, rank: Int32Array): void {
  let lo = 0;
  let hi = ready.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rank[ready[mid]!]! < rank[job]!) lo = mid + 1;
    else hi = mid;
  }
  ready.splice(lo, 0, job);
}
