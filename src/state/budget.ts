import { formatMinutes } from "../base/minutes.js";
import type { State } from "./stateSchema.js";

/** What a coordination has spent: the agent minutes of its runs, and the cost its runs reported (absent when none did). */
export interface Spent {
  minutes: number;
  usd?: number;
}

export function spentOf(state: State): Spent {
  const runs = Object.values(state.batches).flatMap((batch) => batch.runs);
  const minutes = runs.reduce((sum, run) => sum + (run.minutes ?? 0), 0);
  const costs = runs.flatMap((run) => (run.usage?.usd === undefined ? [] : [run.usage.usd]));
  return { minutes, ...(costs.length === 0 ? {} : { usd: costs.reduce((sum, usd) => sum + usd, 0) }) };
}

/** Dollars as people read them: `$4.20`. */
export function dollars(usd: number): string {
  return `$${usd.toFixed(2)}`;
}

/** Why the budget in force is passed, or undefined when it is not (or it paused the coordination once already). */
export function budgetPassed(state: State): string | undefined {
  const budget = state.budget;
  if (budget === undefined || budget.passed === true) return undefined;
  const spent = spentOf(state);
  const over: string[] = [];
  if (budget.minutes !== undefined && spent.minutes > budget.minutes)
    over.push(
      `${formatMinutes(spent.minutes)} of agent time spent, over the budget of ${formatMinutes(budget.minutes)}`,
    );
  if (budget.usd !== undefined && spent.usd !== undefined && spent.usd > budget.usd)
    over.push(`${dollars(spent.usd)} spent, over the budget of ${dollars(budget.usd)}`);
  return over.length === 0 ? undefined : `${over.join("; ")}.`;
}

/** The budget and what is spent of it, for people; undefined without a budget. */
export interface BudgetView {
  spent: Spent;
  limit: { minutes?: number; usd?: number };
}

export function budgetView(state: State): BudgetView | undefined {
  if (state.budget === undefined) return undefined;
  const { passed: _passed, ...limit } = state.budget;
  return { spent: spentOf(state), limit };
}
