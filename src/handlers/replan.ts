import type { Context } from "probot";
import { planFromSource } from "../schedule/planner.js";
import { readBreakdown } from "../plan/readBreakdown.js";
import { renderMessage } from "../render/messages.js";
import type { Message } from "../state/messages.js";
import { tooLargeToStart } from "../github/stores/dashboardComment.js";
import { startState } from "../state/startState.js";
import type { State } from "../state/stateSchema.js";
import { readConfig } from "../github/calls/configFile.js";
import { coordinate } from "../github/effects/coordinate.js";
import { ensureComment } from "../github/calls/issueComments.js";
import { commentMarker } from "../github/stores/markers.js";
import type { Loaded } from "../github/stores/loadState.js";
import { sessionOf, type Deps } from "./deps.js";

export interface ReplanRequest {
  body: string;
  at: string;
  by: string;
  comment: number;
  force: boolean;
}

/**
 * `/plan` on a paused coordination: plans the edited issue body again, keeps
 * every accepted or skipped batch whose id is still in the plan as it was, and
 * stays paused until `/resume`.
 */
export async function replan(context: Context, deps: Deps, loaded: Loaded, state: State, request: ReplanRequest): Promise<void> {
  const session = sessionOf(context, { ...context.repo(), issue: state.issue }, deps);
  const marker = commentMarker(`answer-${request.comment}`);
  const answer = (message: Message) => ensureComment(context.octokit, session.where, loaded.comments, marker, `${renderMessage(message)}\n\n${marker}`, loaded.appLogin);
  const config = await readConfig(context);
  if (!config.ok) {
    await answer({ kind: "planProblems", problems: config.problems, what: "config" });
    return;
  }
  const result = planFromSource(readBreakdown(request.body), config.config, { force: request.force });
  if (!result.ok) {
    await answer({ kind: "planProblems", problems: result.problems, what: "breakdown" });
    return;
  }
  const plan = result.plan;
  const fresh = startState({ issue: state.issue, body: request.body, config: config.config, force: request.force, base: state.base, baseSha: state.head, at: request.at }, plan);
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
  const next: State = {
    ...fresh,
    status: "paused",
    synced: state.synced,
    startedAt: state.startedAt,
    notes: [...state.notes, `Re-planned by @${request.by} at ${request.at}.`],
    ...(state.restores === undefined ? {} : { restores: state.restores }),
    integrationIssues: state.integrationIssues,
    ...(state.pause === undefined ? {} : { pause: state.pause }),
  };
  const tooLarge = tooLargeToStart(plan, next, session.repoUrl, deps.key);
  if (tooLarge !== undefined) {
    await answer({ kind: "stateTooLarge", ...tooLarge, when: "replan" });
    return;
  }
  await coordinate(session, loaded, plan, next, { kind: "advance", at: request.at });
  await answer({ kind: "replanned", batches: plan.batches.length, kept });
}
