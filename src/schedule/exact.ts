import { buildGraph, makespanOf, toResult, type JobGraph } from "./graph.js";
import { heuristicSchedule } from "./improve.js";
import { parallelSchedule } from "./list.js";
import { domainTails, graphLowerBound, tails } from "./lowerBound.js";
import type { ScheduleProblem, ScheduleResult } from "./scheduleProblem.js";

export interface ExactOptions {
  /** Search nodes (children evaluated) before giving up the proof; deterministic, unlike a clock. */
  nodes?: number;
}

/**
 * Default search budget. A node costs a few microseconds on a Level-2 plan,
 * so even a plan that spends it all stays in the tens of milliseconds; most
 * finish far sooner because the bound meets an incumbent.
 */
export const DEFAULT_NODE_BUDGET = 10_000;

/** Beyond this many jobs the default budget is zero: list scheduling plus a cheap improvement. */
export const EXACT_JOB_LIMIT = 60;

/** Up to this many jobs the search first tries a few justified list passes (milliseconds at this size). */
export const HEURISTIC_JOB_LIMIT = 150;

/** Domain-aware tails cost O(n²) memory and more time: only up to this many jobs. */
const DOMAIN_TAIL_LIMIT = 200;

export function defaultNodeBudget(jobCount: number): number {
  return jobCount <= EXACT_JOB_LIMIT ? DEFAULT_NODE_BUDGET : 0;
}

export interface SearchOutcome {
  start: Float64Array;
  makespan: number;
  optimal: boolean;
  /** Nodes spent, for the bench. */
  nodes: number;
}

/**
 * Branch-and-bound for the shortest makespan, started from the list schedule.
 * Returns the best schedule found; `optimal` only when the search finished
 * within its node budget or the schedule meets the lower bound.
 */
export function exactSchedule(problem: ScheduleProblem, options: ExactOptions = {}): ScheduleResult {
  const graph = buildGraph(problem);
  const outcome = exactSearch(graph, options.nodes ?? defaultNodeBudget(graph.n));
  return toResult(graph, outcome.start, outcome.optimal);
}

/**
 * The search on an indexed problem; `seeds` are extra complete schedules
 * (start minutes by index) to start from, such as the phase order.
 */
export function exactSearch(graph: JobGraph, budget: number, seeds: readonly Float64Array[] = []): SearchOutcome {
  const bound = graphLowerBound(graph);
  const eps = tolerance(graph);
  let best = parallelSchedule(graph, tails(graph));
  let bestMakespan = makespanOf(graph, best);
  const offer = (start: Float64Array): void => {
    const makespan = makespanOf(graph, start);
    if (makespan < bestMakespan) {
      best = start;
      bestMakespan = makespan;
    }
  };
  for (const seed of seeds) offer(seed);
  if (bestMakespan > bound + eps) {
    // Cheap incumbents first: a good one lets the bound cut most of the tree.
    // Beyond the limit even these passes cost too much; the list (or the phase order) stands.
    if (graph.n <= HEURISTIC_JOB_LIMIT) offer(heuristicSchedule(graph));
  }
  if (bestMakespan <= bound + eps || budget <= 0 || graph.n === 0) {
    return { start: best, makespan: bestMakespan, optimal: bestMakespan <= bound + eps, nodes: 0 };
  }
  return branchAndBound(graph, budget, best);
}

/**
 * The branch-and-bound alone, from an incumbent if given (start minutes by
 * index). Should the budget run out before any schedule is found, the list
 * schedule is returned, not optimal.
 */
export function branchAndBound(graph: JobGraph, budget: number, incumbent?: Float64Array): SearchOutcome {
  const search = new Search(graph, budget);
  if (incumbent !== undefined) search.offer(incumbent);
  const outcome = search.run();
  if (outcome.makespan < Infinity) return outcome;
  const list = parallelSchedule(graph, tails(graph));
  return { start: list, makespan: makespanOf(graph, list), optimal: false, nodes: outcome.nodes };
}

/** Float noise from summing fractional durations is not an improvement. */
function tolerance(graph: JobGraph): number {
  let work = 0;
  for (const d of graph.duration) work += d;
  return 1e-9 * Math.max(1, work);
}

/** Bits per word of the placed-set key; the memo serves up to twice this many jobs. */
const MASK_BITS = 30;
/** Remembered nodes at most, to bound memory on big budgets. */
const MEMO_LIMIT = 200_000;
/** Remembered nodes per placed set: newest kept, so a scan stays short. */
const MEMO_PER_SET = 8;

interface MemoEntry {
  maskHi: number;
  now: number;
  lastJob: number;
  startSum: number;
  /** Job, finish pairs of the jobs still running at `now`. */
  running: number[];
}

/**
 * The search builds schedules job by job with the serial scheme: each job goes
 * at the earliest minute its preds, its domain and the agents allow, given
 * the jobs already placed. Over all orders that yields every active schedule,
 * and some active schedule is optimal (a pure non-delay scheme would not
 * guarantee that). Each active schedule is reached once, through the order of
 * its start minutes (ties by input order), so a branch whose job would land
 * before the last placed start is skipped: another branch builds that
 * schedule. A node is cut when
 * - its bound cannot beat the incumbent,
 * - a ready job would fit entirely before the current minute (the schedule
 *   could not be active: that job could move left),
 * - it places a job before an identical lower-numbered twin (swapping twins
 *   changes nothing),
 * - a node seen before with the same jobs placed leaves at least as much room
 *   (see `dominatedByMemo`).
 */
class Search {
  private readonly n: number;
  private readonly agents: number;
  private readonly dur: Float64Array;
  private readonly dom: Int32Array;
  private readonly domainCount: number;
  /** Tail including the job, and the part after it. */
  private readonly tail: Float64Array;
  private readonly after: Float64Array;
  private readonly preds: readonly (readonly number[])[];
  private readonly succs: readonly (readonly number[])[];
  private readonly topo: Int32Array;
  private readonly twinBefore: Int32Array;
  private readonly integral: boolean;
  private readonly eps: number;

  // Partial schedule.
  private readonly placed: Uint8Array;
  private readonly start: Float64Array;
  private readonly finish: Float64Array;
  private readonly predsLeft: Int32Array;
  private readonly domFree: Float64Array;
  private readonly order: Int32Array;
  private depth = 0;
  private readonly savedDomFree: Float64Array;
  /** Earliest start of every ready job in the partial schedule at each depth; NaN when not ready. */
  private readonly rows: Float64Array[];
  /** Per depth: candidate jobs, their bounds and their rows, so ordering costs no recomputation. */
  private readonly candJobs: Int32Array[];
  private readonly candBounds: Float64Array[];
  private readonly candRows: Float64Array[];
  private readonly candRank: Int32Array[];

  // Memo: placed jobs as two 30-bit words and the sum of their starts.
  private maskLo = 0;
  private maskHi = 0;
  private startSum = 0;
  private readonly memo = new Map<number, MemoEntry[]>();
  private memoSize = 0;
  private readonly useMemo: boolean;
  /** 2^(job mod 30), the job's bit in its word. */
  private readonly bit: Float64Array;

  // Node scratch.
  private now = 0;
  private agentFree = 0;
  private maxFinish = 0;
  /** When each agent frees up, ascending. */
  private readonly freeAt: Float64Array;
  private readonly head: Float64Array;
  private readonly byHead: Int32Array;
  private readonly domainSeen: Int32Array;
  private readonly domainStart: Int32Array;
  private readonly byDomain: Int32Array;
  private readonly jpsLeft: Float64Array;

  private best = Infinity;
  private readonly bestStart: Float64Array;
  private readonly rootBound: number;
  private nodes = 0;
  private readonly budget: number;
  private exhausted = false;
  private done = false;

  constructor(graph: JobGraph, budget: number) {
    const n = graph.n;
    this.n = n;
    this.agents = graph.agents;
    this.budget = budget;
    this.dur = Float64Array.from(graph.duration);
    this.dom = Int32Array.from(graph.domain);
    this.domainCount = graph.domainCount;
    this.tail = Float64Array.from(n <= DOMAIN_TAIL_LIMIT ? domainTails(graph) : tails(graph));
    this.after = this.tail.map((q, i) => q - this.dur[i]!);
    this.preds = graph.preds;
    this.succs = graph.succs;
    this.topo = Int32Array.from(graph.topo);
    this.integral = graph.integral;
    this.eps = tolerance(graph);

    this.twinBefore = new Int32Array(n).fill(-1);
    const lastOfKind = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const kind = `${this.dur[i]}|${this.dom[i]}|${graph.preds[i]!.join(",")}|${graph.succs[i]!.join(",")}`;
      const twin = lastOfKind.get(kind);
      if (twin !== undefined) this.twinBefore[i] = twin;
      lastOfKind.set(kind, i);
    }

    this.useMemo = n <= 2 * MASK_BITS;
    this.bit = Float64Array.from({ length: n }, (_, i) => 2 ** (i % MASK_BITS));
    this.placed = new Uint8Array(n);
    this.start = new Float64Array(n);
    this.finish = new Float64Array(n);
    this.predsLeft = Int32Array.from(graph.preds, (p) => p.length);
    this.domFree = new Float64Array(graph.domainCount);
    this.order = new Int32Array(n);
    this.savedDomFree = new Float64Array(n + 1);
    this.rows = Array.from({ length: n + 1 }, () => new Float64Array(n));
    this.candJobs = Array.from({ length: n + 1 }, () => new Int32Array(n));
    this.candBounds = Array.from({ length: n + 1 }, () => new Float64Array(n));
    this.candRank = Array.from({ length: n + 1 }, () => new Int32Array(n));
    this.candRows = Array.from({ length: n + 1 }, () => new Float64Array(0));
    this.freeAt = new Float64Array(this.agents);
    this.head = new Float64Array(n);
    this.byHead = new Int32Array(n);
    this.domainSeen = new Int32Array(graph.domainCount);
    this.domainStart = new Int32Array(graph.domainCount + 1);
    this.byDomain = new Int32Array(n);
    this.jpsLeft = new Float64Array(n);
    this.bestStart = new Float64Array(n);
    // The node bound at the empty schedule, with domain-aware tails, is often sharper than the static one.
    this.prepare(0);
    this.rootBound = Math.max(graphLowerBound(graph), this.bound());
  }

  /** Take a complete feasible schedule as incumbent if it is better. */
  offer(start: Float64Array): void {
    let makespan = 0;
    for (let i = 0; i < this.n; i++) makespan = Math.max(makespan, start[i]! + this.dur[i]!);
    if (makespan < this.best) {
      this.best = makespan;
      this.bestStart.set(start);
    }
  }

  /** The incumbent meets the lower bound: nothing left to search. */
  solved(): boolean {
    return this.n === 0 || this.best <= this.rootBound + this.eps;
  }

  run(): SearchOutcome {
    if (!this.solved() && this.budget > 0) {
      const row = this.rows[0]!;
      for (let i = 0; i < this.n; i++) row[i] = this.predsLeft[i] === 0 ? 0 : NaN;
      this.now = 0;
      this.expand(-1);
    }
    return {
      start: this.bestStart,
      makespan: this.n === 0 ? 0 : this.best,
      optimal: this.solved() || (this.budget > 0 && !this.exhausted),
      nodes: this.nodes,
    };
  }

  /** Try every canonical next job from the current node, best bound first. */
  private expand(lastJob: number): void {
    const depth = this.depth;
    const n = this.n;
    const row = this.rows[depth]!;
    const now = this.now;
    if (this.useMemo && this.dominatedByMemo(lastJob)) return;

    const jobs = this.candJobs[depth]!;
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (this.placed[i] === 1 || this.predsLeft[i] !== 0) continue;
      const twin = this.twinBefore[i]!;
      if (twin >= 0 && this.placed[twin] === 0) continue;
      const e = row[i]!;
      if (e > now || (e === now && i > lastJob)) jobs[count++] = i;
    }
    if (count === 0) return;

    let buffer = this.candRows[depth]!;
    if (buffer.length < count * n) {
      buffer = new Float64Array(n * n);
      this.candRows[depth] = buffer;
    }
    const bounds = this.candBounds[depth]!;
    for (let k = 0; k < count; k++) {
      if (this.nodes >= this.budget) {
        this.exhausted = true;
        return;
      }
      this.nodes++;
      const job = jobs[k]!;
      this.place(job, row[job]!);
      let bound = Infinity;
      if (this.childRow(row, buffer, k * n, job)) {
        bound = this.bound();
        if (this.depth === n && bound < this.best) {
          this.best = bound;
          this.bestStart.set(this.start);
        }
      }
      this.unplace(job);
      bounds[k] = bound;
      if (this.solved()) {
        this.done = true;
        return;
      }
    }
    if (depth + 1 === n) return;

    // Lowest bound first, then earliest start, then longest tail, then input order.
    const rank = this.candRank[depth]!;
    for (let k = 0; k < count; k++) {
      let at = k;
      while (at > 0 && this.before(jobs, bounds, row, k, rank[at - 1]!)) {
        rank[at] = rank[at - 1]!;
        at--;
      }
      rank[at] = k;
    }
    for (let r = 0; r < count; r++) {
      const k = rank[r]!;
      if (bounds[k]! >= this.best - this.eps) break;
      const job = jobs[k]!;
      this.place(job, row[job]!);
      const child = this.rows[depth + 1]!;
      for (let i = 0, at = k * n; i < n; i++, at++) child[i] = buffer[at]!;
      this.now = this.start[job]!;
      this.expand(job);
      this.unplace(job);
      this.now = now;
      if (this.done || this.exhausted) return;
    }
  }

  private before(jobs: Int32Array, bounds: Float64Array, row: Float64Array, a: number, b: number): boolean {
    if (bounds[a] !== bounds[b]) return bounds[a]! < bounds[b]!;
    const ja = jobs[a]!;
    const jb = jobs[b]!;
    if (row[ja] !== row[jb]) return row[ja]! < row[jb]!;
    if (this.tail[ja] !== this.tail[jb]) return this.tail[ja]! > this.tail[jb]!;
    return ja < jb;
  }

  /**
   * Cut-set dominance. This node is dropped when a node met earlier placed the
   * same jobs with no later current minute (on a tie, no later last job in
   * input order, so the same canonical orders continue it), no larger sum of
   * starts, and every job still running there ending no later than here.
   * Whatever completes this node also completes that one, no longer. The sum
   * of starts keeps the argument for active schedules sound: among optimal
   * active schedules, the one with the least sum of starts (then the deepest
   * cut) is never dropped, so the search still meets an optimum. Otherwise
   * the node is remembered.
   */
  private dominatedByMemo(lastJob: number): boolean {
    const now = this.now;
    const key = this.maskLo + (this.maskHi % 2 ** 23) * 2 ** MASK_BITS;
    const entries = this.memo.get(key);
    if (entries !== undefined) {
      for (const entry of entries) {
        if (entry.maskHi !== this.maskHi || entry.now > now || entry.startSum > this.startSum) continue;
        if (entry.now === now && entry.lastJob > lastJob) continue;
        if (this.runningCovered(entry.running, now)) return true;
      }
    }
    if (this.memoSize >= MEMO_LIMIT) return false;
    const running: number[] = [];
    for (let k = 0; k < this.depth; k++) {
      const job = this.order[k]!;
      if (this.finish[job]! > now) running.push(job, this.finish[job]!);
    }
    const entry: MemoEntry = { maskHi: this.maskHi, now, lastJob, startSum: this.startSum, running };
    if (entries === undefined) {
      this.memo.set(key, [entry]);
      this.memoSize++;
    } else {
      entries.push(entry);
      if (entries.length > MEMO_PER_SET) entries.shift();
      else this.memoSize++;
    }
    return false;
  }

  /** Every job running in a remembered node ends no later than it does now, or by `now`. */
  private runningCovered(running: readonly number[], now: number): boolean {
    for (let k = 0; k < running.length; k += 2) {
      const f = running[k + 1]!;
      if (f > now && f > this.finish[running[k]!]!) return false;
    }
    return true;
  }

  private place(job: number, at: number): void {
    const d = this.dom[job]!;
    this.placed[job] = 1;
    this.start[job] = at;
    this.finish[job] = at + this.dur[job]!;
    this.savedDomFree[this.depth] = this.domFree[d]!;
    this.domFree[d] = Math.max(this.domFree[d]!, this.finish[job]!);
    for (const s of this.succs[job]!) this.predsLeft[s] = this.predsLeft[s]! - 1;
    this.order[this.depth] = job;
    this.depth++;
    if (job < MASK_BITS) this.maskLo += this.bit[job]!;
    else this.maskHi += this.bit[job]!;
    this.startSum += at;
  }

  private unplace(job: number): void {
    this.depth--;
    this.domFree[this.dom[job]!] = this.savedDomFree[this.depth]!;
    for (const s of this.succs[job]!) this.predsLeft[s] = this.predsLeft[s]! + 1;
    this.placed[job] = 0;
    if (job < MASK_BITS) this.maskLo -= this.bit[job]!;
    else this.maskHi -= this.bit[job]!;
    this.startSum -= this.start[job]!;
  }

  /**
   * Earliest starts of the ready jobs after `job` was placed, from the
   * parent's (they only move later). False when a ready job would fit
   * entirely before the new current minute: the node is dominated.
   */
  private childRow(parent: Float64Array, child: Float64Array, offset: number, job: number): boolean {
    const now = this.start[job]!;
    const end = this.finish[job]!;
    this.prepare(now);
    for (let i = 0; i < this.n; i++) {
      if (this.placed[i] === 1 || this.predsLeft[i] !== 0) {
        child[offset + i] = NaN;
        continue;
      }
      let e = parent[i]!;
      const d = this.dur[i]!;
      if (Number.isNaN(e)) {
        // Newly ready: its preds end after `now`, where only running jobs matter.
        let release = 0;
        for (const p of this.preds[i]!) if (this.finish[p]! > release) release = this.finish[p]!;
        e = this.earliestFrom(i, release);
      } else if (e < end && e + d > now) {
        e = this.earliestFrom(i, this.dom[i] === this.dom[job] ? end : e);
      }
      child[offset + i] = e;
      if (e + d <= now) return false;
    }
    return true;
  }

  /** Running jobs at the current minute: when agents free up, latest finish. */
  private prepare(now: number): void {
    this.now = now;
    const freeAt = this.freeAt;
    let running = 0;
    let maxFinish = 0;
    for (let k = 0; k < this.depth; k++) {
      const f = this.finish[this.order[k]!]!;
      if (f > maxFinish) maxFinish = f;
      if (f > now && running < this.agents) {
        // Insertion sort: at most `agents` entries.
        let at = running++;
        while (at > 0 && freeAt[at - 1]! > f) {
          freeAt[at] = freeAt[at - 1]!;
          at--;
        }
        freeAt[at] = f;
      }
    }
    // Idle agents are free now; shift running finishes to the back.
    const idle = this.agents - running;
    for (let k = running - 1; k >= 0; k--) freeAt[k + idle] = freeAt[k]!;
    for (let k = 0; k < idle; k++) freeAt[k] = now;
    this.agentFree = freeAt[0]!;
    this.maxFinish = maxFinish;
  }

  /** Earliest feasible start of ready job `i` at or after `from` in the partial schedule. */
  private earliestFrom(i: number, from: number): number {
    const d = this.dur[i]!;
    const dom = this.dom[i]!;
    let t = from;
    while (t < this.now) {
      if (this.fits(t, d, dom)) return t;
      // The next candidate is the next finish: starts only move at finishes.
      let next = Infinity;
      for (let k = 0; k < this.depth; k++) {
        const f = this.finish[this.order[k]!]!;
        if (f > t && f < next) next = f;
      }
      t = next;
    }
    // From the current minute on, only jobs still running matter, and they only end.
    return Math.max(t, this.domFree[dom]!, this.agentFree);
  }

  /** Whether a job of `dom` lasting `d` fits at `t` among the placed jobs. */
  private fits(t: number, d: number, dom: number): boolean {
    const tEnd = t + d;
    for (let k = 0; k < this.depth; k++) {
      const job = this.order[k]!;
      const s = this.start[job]!;
      if (s >= tEnd) break; // placed in start order
      if (this.finish[job]! <= t) continue;
      if (this.dom[job] === dom) return false;
      // Agent load peaks at the window start or at a start inside it.
      if (this.loadAt(s > t ? s : t) >= this.agents) return false;
    }
    return true;
  }

  private loadAt(p: number): number {
    let load = 0;
    for (let k = 0; k < this.depth; k++) {
      const job = this.order[k]!;
      if (this.start[job]! > p) break;
      if (this.finish[job]! > p) load++;
    }
    return load;
  }

  /**
   * A makespan no completion of the node beats: the latest finish so far; per
   * job, its earliest start plus its tail; per domain, a one-machine bound
   * (preemptive, with heads and tails); and for the jobs that cannot start
   * before each head, their work poured over the agents (no more at once than
   * domains they span) plus the shortest tail after them. Cheapest first: a
   * node already cut by the first parts skips the rest.
   */
  private bound(): number {
    const n = this.n;
    const head = this.head;
    let lb = this.maxFinish;
    let count = 0;
    for (let k = 0; k < n; k++) {
      const i = this.topo[k]!;
      if (this.placed[i] === 1) continue;
      let h = this.agentFree > this.domFree[this.dom[i]!]! ? this.agentFree : this.domFree[this.dom[i]!]!;
      for (const p of this.preds[i]!) {
        const r = this.placed[p] === 1 ? this.finish[p]! : head[p]! + this.dur[p]!;
        if (r > h) h = r;
      }
      head[i] = h;
      const q = h + this.tail[i]!;
      if (q > lb) lb = q;
      count++;
    }
    if (count === 0 || lb >= this.best - this.eps) return this.round(lb);

    // The other parts want the remaining jobs by decreasing head (ties by index).
    const byHead = this.byHead;
    let filled = 0;
    for (let i = 0; i < n; i++) {
      if (this.placed[i] === 1) continue;
      const h = head[i]!;
      let at = filled++;
      while (at > 0 && head[byHead[at - 1]!]! < h) {
        byHead[at] = byHead[at - 1]!;
        at--;
      }
      byHead[at] = i;
    }
    lb = Math.max(lb, this.energyBound(count));
    if (lb >= this.best - this.eps) return this.round(lb);
    lb = Math.max(lb, this.domainBound(count));
    return this.round(lb);
  }

  private round(lb: number): number {
    return this.integral ? Math.max(0, Math.ceil(lb - 1e-9)) : lb;
  }

  /** Jackson's preemptive schedule per domain: the best a domain could do on its own. */
  private domainBound(count: number): number {
    const { byHead, byDomain, domainStart, head, after, jpsLeft } = this;
    const seen = this.domainSeen;
    seen.fill(0);
    for (let k = 0; k < count; k++) seen[this.dom[byHead[k]!]!]!++;
    domainStart[0] = 0;
    for (let dom = 0; dom < this.domainCount; dom++) domainStart[dom + 1] = domainStart[dom]! + seen[dom]!;
    // Walk byHead backwards so each domain's jobs come by increasing head.
    seen.fill(0);
    for (let k = count - 1; k >= 0; k--) {
      const i = byHead[k]!;
      const dom = this.dom[i]!;
      byDomain[domainStart[dom]! + seen[dom]!] = i;
      seen[dom]!++;
      jpsLeft[i] = this.dur[i]!;
    }

    let lb = 0;
    for (let dom = 0; dom < this.domainCount; dom++) {
      const first = domainStart[dom]!;
      const end = domainStart[dom + 1]!;
      if (first === end) continue;
      if (end - first === 1) {
        const i = byDomain[first]!;
        lb = Math.max(lb, head[i]! + this.tail[i]!);
        continue;
      }
      let t = head[byDomain[first]!]!;
      let released = first;
      let remaining = end - first;
      while (remaining > 0) {
        while (released < end && head[byDomain[released]!]! <= t) released++;
        let pick = -1;
        for (let k = first; k < released; k++) {
          const i = byDomain[k]!;
          if (jpsLeft[i]! > 0 && (pick < 0 || after[i]! > after[pick]!)) pick = i;
        }
        if (pick < 0) {
          t = head[byDomain[released]!]!;
          continue;
        }
        const nextRelease = released < end ? head[byDomain[released]!]! : Infinity;
        const run = Math.min(jpsLeft[pick]!, nextRelease - t);
        t += run;
        jpsLeft[pick] = jpsLeft[pick]! - run;
        if (jpsLeft[pick]! <= 0) {
          remaining--;
          if (t + after[pick]! > lb) lb = t + after[pick]!;
        }
      }
    }
    return lb;
  }

  private energyBound(count: number): number {
    const { byHead, head, freeAt } = this;
    let lb = 0;
    let work = 0;
    let minAfter = Infinity;
    let spanned = 0;
    const seen = this.domainSeen;
    seen.fill(0);
    for (let k = 0; k < count; k++) {
      const i = byHead[k]!;
      work += this.dur[i]!;
      if (this.after[i]! < minAfter) minAfter = this.after[i]!;
      if (seen[this.dom[i]!] === 0) {
        seen[this.dom[i]!] = 1;
        spanned++;
      }
      const theta = head[i]!;
      // Once per distinct head: the set is every job with head >= theta.
      if (k + 1 < count && head[byHead[k + 1]!] === theta) continue;
      const m = Math.min(this.agents, spanned);
      let sum = 0;
      let level = theta;
      for (let a = 0; a < m; a++) {
        sum += Math.max(freeAt[a]!, theta);
        level = (work + sum) / (a + 1);
        const next = a + 1 < m ? Math.max(freeAt[a + 1]!, theta) : Infinity;
        if (level <= next) break;
      }
      if (level + minAfter > lb) lb = level + minAfter;
    }
    return lb;
  }
}
