import type { JobGraph } from "./graph.js";

/**
 * Serial schedule generation: take jobs in the given order (every job after
 * its preds) and put each at the earliest minute its preds, its domain and the
 * agents allow, given the jobs already placed, gaps included. Unlike the
 * parallel scheme it may leave an agent idle for a better job later, and over
 * all orders it reaches every active schedule. Returns start minutes by index.
 */
export function serialSchedule(graph: JobGraph, order: ArrayLike<number>): Float64Array {
  const { n, duration, domain, preds, agents } = graph;
  const start = new Float64Array(n);
  const finish = new Float64Array(n);
  const profile = new AgentProfile(agents, n);
  // Placed jobs of each domain as linked lists, newest first.
  const lastInDomain = new Int32Array(graph.domainCount).fill(-1);
  const previous = new Int32Array(n);

  for (let k = 0; k < order.length; k++) {
    const job = order[k]!;
    const d = duration[job]!;
    const dom = domain[job]!;
    let t = 0;
    for (const p of preds[job]!) if (finish[p]! > t) t = finish[p]!;
    // Each conflict rules out every minute before its end; stop when none is left.
    for (;;) {
      let moved = false;
      for (let other = lastInDomain[dom]!; other >= 0; other = previous[other]!) {
        if (start[other]! < t + d && finish[other]! > t) {
          t = finish[other]!;
          moved = true;
        }
      }
      const agentEnd = profile.conflict(t, t + d);
      if (agentEnd >= 0) t = agentEnd;
      else if (!moved) break;
    }
    start[job] = t;
    finish[job] = t + d;
    previous[job] = lastInDomain[dom]!;
    lastInDomain[dom] = job;
    profile.add(t, t + d);
  }
  return start;
}

/** Agents in use over time, as a step function with sorted breakpoints. */
class AgentProfile {
  /** `use[i]` agents are busy on [times[i], times[i + 1]); the last step runs forever. */
  private readonly times: Float64Array;
  private readonly use: Int32Array;
  private steps = 1;

  constructor(
    private readonly agents: number,
    jobs: number,
  ) {
    this.times = new Float64Array(2 * jobs + 1);
    this.use = new Int32Array(2 * jobs + 1);
  }

  /** End of a full step overlapping [from, to), or -1 when an agent is free throughout. */
  conflict(from: number, to: number): number {
    for (let i = this.stepAt(from); i < this.steps && this.times[i]! < to; i++) {
      if (this.use[i]! >= this.agents) return i + 1 < this.steps ? this.times[i + 1]! : Infinity;
    }
    return -1;
  }

  add(from: number, to: number): void {
    const first = this.split(from);
    const last = this.split(to);
    for (let i = first; i < last; i++) this.use[i]!++;
  }

  /** Index of the step containing `t`. */
  private stepAt(t: number): number {
    let lo = 0;
    let hi = this.steps - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.times[mid]! <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Make `t` a breakpoint; returns its index. */
  private split(t: number): number {
    const i = this.stepAt(t);
    if (this.times[i] === t) return i;
    this.times.copyWithin(i + 2, i + 1, this.steps);
    this.use.copyWithin(i + 2, i + 1, this.steps);
    this.times[i + 1] = t;
    this.use[i + 1] = this.use[i]!;
    this.steps++;
    return i + 1;
  }
}
