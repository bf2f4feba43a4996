/**
 * Which node must come before which, for a growing acyclic graph of n nodes:
 * ancestor sets as bitsets, so that "is a already before b?" is O(1) and adding
 * an edge updates only the nodes after it.
 */
export class Reachability {
  private readonly words: number;
  private readonly ancestors: Uint32Array[];
  private readonly successors: number[][];

  /** `preds[i]` are the nodes that must come before node i; the graph must be acyclic. */
  constructor(private readonly preds: number[][]) {
    const n = preds.length;
    this.words = Math.ceil(n / 32) || 1;
    this.ancestors = preds.map(() => new Uint32Array(this.words));
    this.successors = preds.map(() => []);
    preds.forEach((list, node) => list.forEach((pred) => this.successors[pred]!.push(node)));
    for (const node of this.topologicalOrder()) {
      for (const pred of preds[node]!) this.absorb(node, pred);
    }
  }

  /** Whether `a` must come before `b`. */
  reaches(a: number, b: number): boolean {
    return (this.ancestors[b]![a >>> 5]! & (1 << (a & 31))) !== 0;
  }

  /** Adds "a before b". The caller checks first that b does not reach a. */
  add(a: number, b: number): void {
    this.preds[b]!.push(a);
    this.successors[a]!.push(b);
    const queue = [b];
    this.absorb(b, a);
    while (queue.length > 0) {
      const node = queue.pop()!;
      for (const next of this.successors[node]!) {
        if (this.absorb(next, node)) queue.push(next);
      }
    }
  }

  /** Nodes in an order that respects every edge, ties broken by node number. */
  topologicalOrder(): number[] {
    const n = this.preds.length;
    const waiting = this.preds.map((list) => new Set(list).size);
    const order: number[] = [];
    // A binary heap would be asymptotically better; breakdowns are small enough
    // that a sorted ready list keeps the code plain.
    let ready = waiting.flatMap((count, node) => (count === 0 ? [node] : []));
    const done = new Uint8Array(n);
    while (ready.length > 0) {
      const node = ready.shift()!;
      order.push(node);
      done[node] = 1;
      const next: number[] = [];
      for (const succ of new Set(this.successors[node])) {
        if (--waiting[succ]! === 0) next.push(succ);
      }
      if (next.length > 0) ready = [...ready, ...next].sort((a, b) => a - b);
    }
    return order;
  }

  /** ancestors[node] |= ancestors[pred] ∪ {pred}; true when something changed. */
  private absorb(node: number, pred: number): boolean {
    const target = this.ancestors[node]!;
    const source = this.ancestors[pred]!;
    let changed = false;
    for (let word = 0; word < this.words; word++) {
      // `>>> 0`: bit 31 makes an int32 negative, and a Uint32Array holds it unsigned.
      const merged = (target[word]! | source[word]! | (word === pred >>> 5 ? 1 << (pred & 31) : 0)) >>> 0;
      if (merged !== target[word]) {
        target[word] = merged;
        changed = true;
      }
    }
    return changed;
  }
}
