import type { Batch, Plan } from "../plan/planModel.js";
import type { Usage } from "../report/reportSchema.js";
import type { BatchState, State } from "./stateSchema.js";

/**
 * How one agent did: over its batches that ran (a run finished), the share
 * accepted on their first run, redone after a ⚠, found out of scope, blocked
 * (fractions 0–1), each run's time as a ratio of its batch's estimate (the
 * median and the worst), and what it reported using, when it did.
 */
export interface ScorecardEntry {
  agent: string;
  batches: number;
  firstTry: number;
  redo: number;
  outOfScope: number;
  blocked: number;
  overEstimate: { median: number; worst: number };
  usage?: Usage;
}

/** An agent's scorecard entry, with its accepted batches: what its cost per accepted batch is taken over. */
export interface AgentFigures extends ScorecardEntry {
  accepted: number;
}

/** The name a batch's work is scored under: the batch's agent, else the runner's recipe its runs reported, else its domain. */
export function agentOf(batch: Batch, own: BatchState): string {
  return batch.agent ?? own.runs.find((run) => run.agent !== undefined)?.agent ?? batch.domain;
}

/** The scorecard of a coordination, one entry per agent, in the order the plan first names them. */
export function scorecard(plan: Plan, state: State): AgentFigures[] {
  const byAgent = new Map<string, Array<{ batch: Batch; own: BatchState }>>();
  for (const batch of plan.batches) {
    const own = state.batches[batch.id]!;
    if (!own.runs.some((run) => run.minutes !== undefined)) continue;
    const agent = agentOf(batch, own);
    byAgent.set(agent, [...(byAgent.get(agent) ?? []), { batch, own }]);
  }
  return [...byAgent].map(([agent, batches]) => {
    const share = (test: (own: BatchState) => boolean) =>
      round(batches.filter(({ own }) => test(own)).length / batches.length);
    const ratios = batches
      .flatMap(({ batch, own }) =>
        own.runs.flatMap((run) => (run.minutes === undefined ? [] : [run.minutes / batch.estimate])),
      )
      .sort((a, b) => a - b);
    const usage = usageOf(
      batches.flatMap(({ own }) => own.runs.flatMap((run) => (run.usage === undefined ? [] : [run.usage]))),
    );
    return {
      agent,
      batches: batches.length,
      firstTry: share((own) => own.runs.find(tried)?.outcome === "accepted"),
      redo: share((own) => own.runs.some((run) => run.outcome === "redo")),
      outOfScope: share((own) => own.scopeStrikes > 0),
      blocked: share((own) => own.blocked > 0),
      overEstimate: { median: round(median(ratios)), worst: round(ratios[ratios.length - 1]!) },
      ...(usage === undefined ? {} : { usage }),
      accepted: batches.filter(({ own }) => own.status === "accepted").length,
    };
  });
}

/**
 * Whether a run counts as the agent's try: not one a command (`/pause`, `/skip`,
 * `/abort`) cancelled before it ended, which is a person's doing, not the
 * agent's. A run GitHub ended cancelled (a timeout, a person in the Actions
 * tab) ended: it counts.
 */
export function tried(run: BatchState["runs"][number]): boolean {
  return !(run.outcome === "cancelled" && run.completedAt === undefined);
}

function usageOf(reported: Usage[]): Usage | undefined {
  const tokens = reported.flatMap((usage) => (usage.tokens === undefined ? [] : [usage.tokens]));
  const usd = reported.flatMap((usage) => (usage.usd === undefined ? [] : [usage.usd]));
  if (tokens.length === 0 && usd.length === 0) return undefined;
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  return {
    ...(tokens.length === 0 ? {} : { tokens: sum(tokens) }),
    ...(usd.length === 0 ? {} : { usd: round(sum(usd)) }),
  };
}

function median(sorted: number[]): number {
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
