import type { Config } from "../base/config.js";
import type { Plan } from "../plan/planModel.js";
import { integrationBranch } from "./names.js";
import type { State } from "./stateSchema.js";

export interface StartInput {
  issue: number;
  /** The issue body as planned: later edits change nothing until `/plan`. */
  body: string;
  config: Config;
  agents?: number;
  force: boolean;
  /** The default branch and its head commit. */
  base: string;
  baseSha: string;
  at: string;
}

/** A new coordination's state: every batch pending, the integration branch still to make. */
export function startState(input: StartInput, plan: Plan): State {
  return {
    version: 1,
    issue: input.issue,
    status: "planned",
    source: {
      body: input.body,
      config: input.config,
      ...(input.agents === undefined ? {} : { agents: input.agents }),
      force: input.force,
    },
    base: input.base,
    integration: integrationBranch(input.issue),
    head: input.baseSha,
    synced: {},
    batches: Object.fromEntries(
      plan.batches.map((batch) => [batch.id, { status: "pending", runs: [], findings: [], redos: 0, retries: 0, scopeStrikes: 0, integrationPoints: [], changes: [] }]),
    ),
    startedAt: input.at,
    updatedAt: input.at,
    notes: [],
    integrationIssues: 0,
  };
}
