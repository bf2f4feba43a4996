import type { ScheduleProblem, ScheduleResult } from "./scheduleProblem.js";

/**
 * The problem indexed once: jobs by position (input order, which is also the
 * tie-break everywhere, so results are deterministic), domains as dense
 * numbers, predecessor and successor lists, and one topological order. Every
 * algorithm here works on indices; ids come back only in the result.
 */
export interface JobGraph {
  readonly n: number;
  readonly agents: number;
  readonly ids: readonly string[];
  readonly duration: readonly number[];
  /** Dense domain number per job. */
  readonly domain: readonly number[];
  readonly domainCount: number;
  readonly preds: readonly (readonly number[])[];
  readonly succs: readonly (readonly number[])[];
  /** Every job after all its preds; among free choices, input order. */
  readonly topo: readonly number[];
  /** True when every duration is a whole number, so bounds may round up. */
  readonly integral: boolean;
  /** The job's phase, for the phase-by-phase baseline. */
  readonly phase: readonly number[];
}

/**
 * Index and check a problem. Callers validate plans first; this is a guard so a
 * bad problem fails loudly here instead of producing a schedule that lies.
 */
export function buildGraph(problem: ScheduleProblem): JobGraph {
  const { jobs } = problem;
  if (!Number.isFinite(problem.agents) || problem.agents < 1) {
    throw new Error(`Schedule problem: agents must be at least 1, got ${problem.agents}`);
  }
  // A fractional agent cannot run a job: only whole agents count.
  const agents = Math.floor(problem.agents);
  const n = jobs.length;
  const index = new Map<string, number>();
  const domainIndex = new Map<string, number>();
  const ids: string[] = [];
  const duration: number[] = [];
  const domain: number[] = [];
  jobs.forEach((job, i) => {
    if (index.has(job.id)) throw new Error(`Schedule problem: duplicate job id "${job.id}"`);
    if (!Number.isFinite(job.duration) || job.duration <= 0) {
      throw new Error(`Schedule problem: job "${job.id}" has duration ${job.duration}; durations must be positive`);
    }
    index.set(job.id, i);
    ids.push(job.id);
    duration.push(job.duration);
    let d = domainIndex.get(job.domain);
    if (d === undefined) {
      d = domainIndex.size;
      domainIndex.set(job.domain, d);
    }
    domain.push(d);
  });

  const preds: number[][] = [];
  const succs: number[][] = jobs.map(() => []);
  jobs.forEach((job, i) => {
    const own = new Set<number>();
    for (const predId of job.preds) {
      const p = index.get(predId);
      if (p === undefined) throw new Error(`Schedule problem: job "${job.id}" needs unknown job "${predId}"`);
      if (p === i) throw new Error(`Schedule problem: dependency cycle: "${job.id}" needs itself`);
      own.add(p);
    }
    const list = [...own].sort((a, b) => a - b);
    preds.push(list);
    for (const p of list) succs[p]?.push(i);
  });

  const topo = topologicalOrder(n, preds, succs);
  if (topo.length < n) {
    throw new Error(`Schedule problem: dependency cycle among ${describeCycle(n, preds, topo, ids)}`);
  }
  return {
    n,
    agents,
    ids,
    duration,
    domain,
    domainCount: domainIndex.size,
    preds,
    succs,
    topo,
    integral: duration.every((d) => Number.isInteger(d)),
    phase: jobs.map((job) => job.phase),
  };
}

/**
 * The jobs at `members` (indices, ascending) as a problem of their own, with
 * needs outside the subset dropped: the caller has already met them.
 */
const topoRanks = new WeakMap<JobGraph, Int32Array>();

/** Each job's place in the graph's topological order, computed once per graph. */
function topoRank(graph: JobGraph): Int32Array {
  let rank = topoRanks.get(graph);
  if (rank === undefined) {
    rank = new Int32Array(graph.n);
    graph.topo.forEach((job, place) => (rank![job] = place));
    topoRanks.set(graph, rank);
  }
  return rank;
}

export function subGraph(graph: JobGraph, members: readonly number[]): JobGraph {
  const rank = topoRank(graph);
  const local = new Map(members.map((job, k) => [job, k]));
  const preds = members.map((job) => graph.preds[job]!.flatMap((p) => local.get(p) ?? []));
  const succs = members.map((job) => graph.succs[job]!.flatMap((s) => local.get(s) ?? []));
  return {
    n: members.length,
    agents: graph.agents,
    ids: members.map((job) => graph.ids[job]!),
    duration: members.map((job) => graph.duration[job]!),
    domain: members.map((job) => graph.domain[job]!),
    domainCount: graph.domainCount,
    preds,
    succs,
    // The parent's order restricted to the subset still puts preds first.
    topo: members.map((_, k) => k).sort((a, b) => rank[members[a]!]! - rank[members[b]!]!),
    integral: members.every((job) => Number.isInteger(graph.duration[job])),
    phase: members.map((job) => graph.phase[job]!),
  };
}

/** Kahn's algorithm, releasing jobs in input order so the order is stable. */
function topologicalOrder(
  n: number,
  preds: readonly (readonly number[])[],
  succs: readonly (readonly number[])[],
): number[] {
  const left = preds.map((p) => p.length);
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (left[i] === 0) order.push(i);
  for (let head = 0; head < order.length; head++) {
    for (const s of succs[order[head] ?? 0] ?? []) {
      const remaining = (left[s] ?? 0) - 1;
      left[s] = remaining;
      if (remaining === 0) order.push(s);
    }
  }
  return order;
}

/** Name the jobs of one cycle, so the message points at something fixable. */
function describeCycle(
  n: number,
  preds: readonly (readonly number[])[],
  topo: readonly number[],
  ids: readonly string[],
): string {
  const done = new Set(topo);
  // Every job left over has a leftover pred; walking preds must revisit one.
  let at = 0;
  while (done.has(at) && at < n) at++;
  const seen = new Map<number, number>();
  const path: number[] = [];
  while (!seen.has(at)) {
    seen.set(at, path.length);
    path.push(at);
    at = (preds[at] ?? []).find((p) => !done.has(p)) ?? at;
  }
  const cycle = path.slice(seen.get(at)).reverse();
  return [...cycle, cycle[0] ?? at].map((i) => `"${ids[i]}"`).join(" -> ");
}

/** Turn start minutes by index into the public result. */
export function toResult(graph: JobGraph, start: ArrayLike<number>, optimal: boolean): ScheduleResult {
  const byId: Record<string, number> = {};
  let makespan = 0;
  for (let i = 0; i < graph.n; i++) {
    const s = start[i] ?? 0;
    byId[graph.ids[i] ?? ""] = s;
    makespan = Math.max(makespan, s + (graph.duration[i] ?? 0));
  }
  return { start: byId, makespan, optimal };
}

/** Makespan of start minutes by index. */
export function makespanOf(graph: JobGraph, start: ArrayLike<number>): number {
  let makespan = 0;
  for (let i = 0; i < graph.n; i++) makespan = Math.max(makespan, (start[i] ?? 0) + (graph.duration[i] ?? 0));
  return makespan;
}
