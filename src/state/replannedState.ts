import type { Config } from "../base/config.js";
import type { Plan } from "../plan/planModel.js";
import { startState } from "./startState.js";
import type { State } from "./stateSchema.js";

export interface ReplanInput {
  /** The config `plan` was planned with. */
  config: Config;
  by: string;
  at: string;
  /** The issue's author, when they may not command (see `StartInput`). */
  untrustedAuthor?: string;
}

/**
 * `/plan` on a paused coordination: the state of the new plan, pinned in
 * place of the old one, which keeps every accepted or skipped batch whose id
 * is still in it as it was, and stays paused until `/resume`. `kept`: those
 * batches' ids.
 */
export function replannedState(state: State, plan: Plan, input: ReplanInput): { state: State; kept: string[] } {
  const fresh = startState(
    {
      issue: state.issue,
      config: input.config,
      base: state.base,
      baseSha: state.head,
      at: input.at,
      seq: state.seq,
      ...(input.untrustedAuthor === undefined ? {} : { untrustedAuthor: input.untrustedAuthor }),
    },
    plan,
  );
  const kept: string[] = [];
  for (const batch of plan.batches) {
    const old = state.batches[batch.id];
    if (old !== undefined && (old.status === "accepted" || old.status === "skipped")) {
      fresh.batches[batch.id] = old;
      kept.push(batch.id);
    } else if (old !== undefined) {
      // Its runs stay on record, so that its next run gets a new attempt number and key, never one used before.
      fresh.batches[batch.id]!.runs = old.runs;
    }
  }
  return {
    state: {
      ...fresh,
      status: "paused",
      synced: state.synced,
      startedAt: state.startedAt,
      notes: [...state.notes, `Re-planned by @${input.by} at ${input.at}.`],
      ...(state.restores === undefined ? {} : { restores: state.restores }),
      integrationIssues: state.integrationIssues,
      ...(state.pause === undefined ? {} : { pause: state.pause }),
    },
    kept,
  };
}
