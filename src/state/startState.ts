import type { Config } from "../base/config.js";
import type { Plan } from "../plan/planModel.js";
import { integrationBranch } from "./names.js";
import { pinPlan } from "./pinnedPlan.js";
import { stateVersion, type State } from "./stateSchema.js";

export interface StartInput {
  issue: number;
  config: Config;
  /** The default branch and its head commit. */
  base: string;
  baseSha: string;
  at: string;
  /** The issue's author, when they may not command: the body's acceptance commands are withheld. */
  untrustedAuthor?: string;
  /** The `seq` of the issue's last state (an ended coordination's, a re-planned one's): the count goes on from it. */
  seq?: number;
}

/**
 * A new coordination's state: every batch pending, the integration branch
 * still to make, the plan pinned — later edits of the issue body, and newer
 * planners, change nothing until `/plan`.
 */
export function startState(input: StartInput, plan: Plan): State {
  return {
    version: stateVersion,
    issue: input.issue,
    status: "planned",
    config: input.config,
    plan: pinPlan(plan),
    base: input.base,
    integration: integrationBranch(input.issue),
    head: input.baseSha,
    synced: {},
    batches: Object.fromEntries(
      plan.batches.map((batch) => [
        batch.id,
        {
          status: "pending",
          runs: [],
          findings: [],
          redos: 0,
          retries: 0,
          scopeStrikes: 0,
          handBacks: 0,
          decisions: [],
          blocked: 0,
          integrationPoints: [],
          changes: [],
        },
      ]),
    ),
    startedAt: input.at,
    updatedAt: input.at,
    seq: input.seq ?? 0,
    notes: [],
    ...(input.untrustedAuthor === undefined ? {} : { commandsWithheld: { author: input.untrustedAuthor } }),
    integrationIssues: 0,
    ...(input.config.budget === undefined ? {} : { budget: { ...input.config.budget } }),
  };
}

/**
 * Whether a request (the label, `/plan`) made at `at` starts a coordination
 * on an issue whose coordination is `existing`: none yet, or one that ended
 * before the request. One running is left alone, so a redelivery changes nothing.
 */
export function mayStart(existing: State | undefined, at: string): boolean {
  if (existing === undefined) return true;
  // A finished coordination starts again only for a later request: the one that started it, redelivered, changes nothing.
  return (existing.status === "done" || existing.status === "aborted") && at > existing.startedAt;
}
