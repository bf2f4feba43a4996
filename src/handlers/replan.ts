import type { Context } from "probot";
import { tooLargeToStart } from "../github/stores/dashboardComment.js";
import { replannedState } from "../state/replannedState.js";
import type { State } from "../state/stateSchema.js";
import { readConfig } from "../github/calls/configFile.js";
import { coordinate } from "../github/effects/coordinate.js";
import type { Loaded } from "../github/stores/loadState.js";
import { answerTo, sessionOf, type Deps } from "./deps.js";
import { untrustedAuthor } from "./startCoordination.js";
import { planIssue } from "./planIssue.js";

export interface ReplanRequest {
  title: string;
  body: string;
  at: string;
  by: string;
  /** The issue's author (see `untrustedAuthor`). */
  author: string;
  comment: number;
  force: boolean;
  split: boolean;
}

/**
 * `/plan` on a paused coordination: plans the edited issue body again, keeps
 * every accepted or skipped batch whose id is still in the plan as it was, and
 * stays paused until `/resume`.
 */
export async function replan(
  context: Context,
  deps: Deps,
  loaded: Loaded,
  state: State,
  request: ReplanRequest,
): Promise<void> {
  const session = sessionOf(context, { ...context.repo(), issue: state.issue }, deps);
  const answer = answerTo(context, session.where, loaded, request.comment);
  const config = await readConfig(context.octokit, context.repo());
  if (!config.ok) {
    await answer({ kind: "planProblems", problems: config.problems, what: "config" });
    return;
  }
  const { result, subIssueAuthors } = await planIssue(context, deps, session.where, {
    title: request.title,
    body: request.body,
    config: config.config,
    force: request.force,
    split: request.split,
  });
  if ("stopped" in result) {
    await answer({ kind: "planStopped", stopped: result.stopped, limit: result.limit, when: "replan" });
    return;
  }
  if (!result.ok) {
    await answer({
      kind: "planProblems",
      problems: result.problems,
      what: "breakdown",
      ...(result.splits === undefined ? {} : { splits: result.splits }),
    });
    return;
  }
  const plan = result.plan;
  const untrusted = await untrustedAuthor(
    context,
    session.where,
    request.by,
    [request.author, ...subIssueAuthors],
    config.config.permission,
  );
  const { state: next, kept } = replannedState(state, plan, {
    config: config.config,
    by: request.by,
    at: request.at,
    ...untrusted,
  });
  const tooLarge = tooLargeToStart(plan, next, session.repoUrl, deps.key);
  if (tooLarge !== undefined) {
    await answer({ kind: "stateTooLarge", ...tooLarge, when: "replan" });
    return;
  }
  await coordinate(session, loaded, plan, next, { kind: "advance", at: request.at });
  await answer({ kind: "replanned", batches: plan.batches.length, kept });
}
