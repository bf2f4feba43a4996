import type { Config } from "../base/config.js";
import { thousands } from "../base/markdownText.js";
import { readBreakdown } from "../plan/readBreakdown.js";
import { planFromSource, type PlanResult } from "./planner.js";

/** An issue's body and what it is planned with: what a coordination's state keeps as its source. */
export interface PlanRequest {
  body: string;
  config: Config;
  agents?: number;
  force: boolean;
}

/** Planning stopped from outside before it ended: it took longer, or more memory, than a plan may. */
export interface PlanStopped {
  ok: false;
  stopped: "time" | "memory";
  /** The limit it met: milliseconds, or megabytes of heap. */
  limit: number;
}

export type PlanOutcome = PlanResult | PlanStopped;

/** How the app plans a request: in a worker with a budget (handlers/planInWorker.ts), never on the event loop. */
export type Planner = (request: PlanRequest) => Promise<PlanOutcome>;

/** GitHub's limit on an issue's body: what a plan's limits are measured for (`npm run bench`). */
export const BODY_LIMIT = 65_536;

/** The plan of a request, worked out where it is called (the worker calls it). */
export function planRequested(request: PlanRequest): PlanResult {
  if (request.body.length > BODY_LIMIT) {
    return { ok: false, problems: [{ message: `the issue's body is ${thousands(request.body.length)} characters long; at most ${thousands(BODY_LIMIT)} are planned (GitHub's limit)` }] };
  }
  return planFromSource(readBreakdown(request.body), request.config, {
    ...(request.agents === undefined ? {} : { agents: request.agents }),
    force: request.force,
  });
}
