import type { Config } from "../base/config.js";
import { thousands } from "../base/markdownText.js";
import { readBreakdown } from "../plan/readBreakdown.js";
import { readSubIssues, type SubIssue } from "../plan/readSubIssues.js";
import { planFromSource, type PlanResult } from "./planner.js";

/** An issue's body and what it is planned with: what a coordination's state keeps as its source. */
export interface PlanRequest {
  body: string;
  /** The issue's title: it names a plan made of sub-issues. */
  title?: string;
  /** The issue's sub-issues, listed by the shell when the body turned out to hold no breakdown. */
  subIssues?: SubIssue[];
  config: Config;
  agents?: number;
  force: boolean;
  /** `/plan split`: oversized tasks planned as their proposed parts. */
  split?: boolean;
}

/** The body holds no breakdown: the issue's sub-issues may be its plan, and only the shell can list them. */
export interface NoBreakdown {
  ok: false;
  noBreakdown: true;
}

/** Planning stopped from outside before it ended: it took longer, or more memory, than a plan may. */
export interface PlanStopped {
  ok: false;
  stopped: "time" | "memory";
  /** The limit it met: milliseconds, or megabytes of heap. */
  limit: number;
}

export type PlanOutcome = PlanResult | PlanStopped | NoBreakdown;

/** How the app plans a request: in a worker with a budget (handlers/planInWorker.ts), never on the event loop. */
export type Planner = (request: PlanRequest) => Promise<PlanOutcome>;

/** GitHub's limit on an issue's body: what a plan's limits are measured for (`npm run bench`). */
export const BODY_LIMIT = 65_536;

/** The plan of a request, worked out where it is called (the worker calls it). */
export function planRequested(request: PlanRequest): PlanResult | NoBreakdown {
  if (request.body.length > BODY_LIMIT) {
    return {
      ok: false,
      problems: [
        {
          message: `the issue's body is ${thousands(request.body.length)} characters long; at most ${thousands(BODY_LIMIT)} are planned (GitHub's limit)`,
        },
      ],
    };
  }
  const read = readBreakdown(request.body);
  const empty = read.tasks.length === 0 && read.problems.length === 0;
  if (empty && request.subIssues === undefined) return { ok: false, noBreakdown: true };
  const source =
    empty && request.subIssues !== undefined && request.subIssues.length > 0
      ? readSubIssues(request.title ?? "", request.subIssues, request.config.subIssues.domainLabel)
      : read;
  return planFromSource(source, request.config, {
    ...(request.agents === undefined ? {} : { agents: request.agents }),
    force: request.force,
    ...(request.split === undefined ? {} : { split: request.split }),
  });
}
