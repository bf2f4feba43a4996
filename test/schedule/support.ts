import type { Job, ScheduleProblem } from "../../src/schedule/scheduleProblem.js";

import { prng } from "../../bench/schedule.js";

/** Seeded PRNG (mulberry32) so every random instance is reproducible: the bench's own. */
export { prng };

export interface RandomShape {
  jobs: number;
  domains: number;
  agents: number;
  /** Chance that an earlier job is a pred of a later one. */
  density: number;
  maxDuration: number;
}

/** A random DAG: preds only point to earlier jobs, so there is never a cycle. */
export function randomProblem(rand: () => number, shape: RandomShape): ScheduleProblem {
  const jobs: Job[] = [];
  for (let i = 0; i < shape.jobs; i++) {
    const preds: string[] = [];
    for (let p = 0; p < i; p++) if (rand() < shape.density) preds.push(`j${p}`);
    const level = Math.max(0, ...preds.map((id) => (jobs.find((job) => job.id === id)?.phase ?? 0) + 1));
    jobs.push({
      id: `j${i}`,
      duration: 1 + Math.floor(rand() * shape.maxDuration),
      domain: `d${Math.floor(rand() * shape.domains)}`,
      preds,
      phase: level,
    });
  }
  return { jobs, agents: shape.agents };
}

/**
 * The optimum by brute force, written apart from the schedulers: place jobs
 * one by one at the earliest feasible minute (serial scheme) for every order
 * that respects preds. Some active schedule is optimal and every active
 * schedule comes out of some order, so the minimum over all orders is optimal.
 */
export function bruteForceOptimum(problem: ScheduleProblem): number {
  const { jobs, agents } = problem;
  const index = new Map(jobs.map((job, i) => [job.id, i]));
  const preds = jobs.map((job) => job.preds.map((id) => index.get(id) ?? -1));
  const start = new Array<number>(jobs.length).fill(0);
  const placed: number[] = [];
  let best = Infinity;

  const fits = (j: number, t: number): boolean => {
    const end = t + jobs[j]!.duration;
    const points = [t, ...placed.map((k) => start[k]!).filter((s) => s > t && s < end)];
    for (const k of placed) {
      const overlap = start[k]! < end && start[k]! + jobs[k]!.duration > t;
      if (overlap && jobs[k]!.domain === jobs[j]!.domain) return false;
    }
    for (const p of points) {
      const load = placed.filter((k) => start[k]! <= p && start[k]! + jobs[k]!.duration > p).length;
      if (load >= agents) return false;
    }
    return true;
  };

  const walk = (): void => {
    if (placed.length === jobs.length) {
      best = Math.min(best, Math.max(...placed.map((k) => start[k]! + jobs[k]!.duration)));
      return;
    }
    for (let j = 0; j < jobs.length; j++) {
      if (placed.includes(j) || !preds[j]!.every((p) => placed.includes(p))) continue;
      const release = Math.max(0, ...preds[j]!.map((p) => start[p]! + jobs[p]!.duration));
      const candidates = [release, ...placed.map((k) => start[k]! + jobs[k]!.duration).filter((f) => f > release)];
      candidates.sort((a, b) => a - b);
      start[j] = candidates.find((t) => fits(j, t)) ?? Infinity;
      placed.push(j);
      walk();
      placed.pop();
    }
  };
  walk();
  return best;
}

export function makespanOf(problem: ScheduleProblem, start: Record<string, number>): number {
  return Math.max(0, ...problem.jobs.map((job) => (start[job.id] ?? 0) + job.duration));
}

/** Shorthand for a job in hand-built cases. */
export function job(id: string, duration: number, domain: string, preds: string[] = [], phase = 0): Job {
  return { id, duration, domain, preds, phase };
}

/**
 * A trap for every non-delay scheme: at minute 0 both `a` and `x` are ready
 * and an agent is free for each, so a non-delay scheme starts `x`, which
 * holds domain X while `b` (on the critical path) waits. Leaving X idle for
 * one minute gives 21; starting `x` at once gives 25.
 */
export const nonDelayTrap: ScheduleProblem = {
  agents: 2,
  jobs: [job("a", 1, "P"), job("b", 10, "X", ["a"]), job("c", 10, "Q", ["b"]), job("x", 5, "X")],
};

/** Small random instances for brute-force comparisons: at most 7 jobs. */
export function tinyInstances(seed: number, count: number): ScheduleProblem[] {
  const rand = prng(seed);
  return Array.from({ length: count }, () => {
    const problem = randomProblem(rand, {
      jobs: 1 + Math.floor(rand() * 7),
      domains: 1 + Math.floor(rand() * 3),
      agents: 1 + Math.floor(rand() * 3),
      density: rand() * 0.5,
      maxDuration: 9,
    });
    return problem;
  });
}
