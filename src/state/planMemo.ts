import { createHash } from "node:crypto";
import type { Plan } from "../plan/planModel.js";
import { planFromSource, type PlanResult } from "../schedule/planner.js";
import { readBreakdown } from "../plan/readBreakdown.js";
import type { State } from "./stateSchema.js";

const cache = new Map<string, PlanResult>();
const CACHE_SIZE = 50;

/**
 * The plan a state was made from, derived again from the body and config kept
 * in it (the planner is deterministic), remembered by their hash so that an
 * event costs no re-planning.
 */
export function planOf(source: State["source"]): Plan {
  const key = createHash("sha256").update(JSON.stringify(source)).digest("hex");
  let result = cache.get(key);
  if (result === undefined) {
    result = planFromSource(readBreakdown(source.body), source.config, {
      ...(source.agents === undefined ? {} : { agents: source.agents }),
      force: source.force,
      split: source.split === true,
    });
    cache.set(key, result);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  }
  if (result.plan === undefined) throw new Error("the state's source no longer plans: the planner changed under it");
  return result.plan;
}
