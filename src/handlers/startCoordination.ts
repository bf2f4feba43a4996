import { createHash } from "node:crypto";
import type { Context } from "probot";
import { renderMessage } from "../render/renderMessage.js";
import type { Refusal } from "../state/messages.js";
import { mayStart, startState } from "../state/startState.js";
import type { ConfigResult, Permission } from "../base/config.js";
import { mayCommand } from "../commands/permissions.js";
import { roleOf } from "../github/calls/permission.js";
import { loadState } from "../github/stores/loadState.js";
import { ensureComment } from "../github/calls/issueComments.js";
import { commentMarker } from "../github/stores/markers.js";
import { BranchRefused, branchSha } from "../github/calls/branches.js";
import { coordinate } from "../github/effects/coordinate.js";
import { tooLargeToStart } from "../github/stores/dashboardComment.js";
import type { IssueRef } from "../github/calls/githubTypes.js";
import { sessionOf, type Deps } from "./deps.js";
import { planIssue } from "./planIssue.js";

export interface StartRequest {
  where: IssueRef;
  config: ConfigResult;
  title: string;
  body: string;
  defaultBranch: string;
  at: string;
  force: boolean;
  /** Who asked (by the label or `/plan`): one who may command. */
  by: string;
  /** The issue's author: unless they may command too, the body's acceptance commands are withheld. */
  author: string;
  /** `/plan split`: oversized tasks planned as their proposed parts. */
  split: boolean;
}

/**
 * Starts a coordination: reads the config and the breakdown; a bad one gets one
 * comment saying what is wrong and where, and nothing else happens. Otherwise
 * the integration branch is made, the ready batches dispatched, and the
 * dashboard posted last, holding the state. A coordination already running is
 * left alone, so a redelivered event changes nothing.
 */
export async function startCoordination(context: Context, deps: Deps, request: StartRequest): Promise<void> {
  const { where } = request;
  const session = sessionOf(context, where, deps);
  const loaded = await loadState(context.octokit, where, deps.key, deps.journal);
  if (!mayStart(loaded.state, request.at)) return;

  const { config } = request;
  if (!config.ok) {
    await refuse(
      context,
      where,
      loaded.comments,
      { kind: "planProblems", problems: config.problems, what: "config" },
      request.body,
    );
    return;
  }
  const { result, subIssueAuthors } = await planIssue(context, deps, where, {
    title: request.title,
    body: request.body,
    config: config.config,
    force: request.force,
    split: request.split,
  });
  if ("stopped" in result) {
    await refuse(
      context,
      where,
      loaded.comments,
      { kind: "planStopped", stopped: result.stopped, limit: result.limit, when: "start" },
      request.body,
    );
    return;
  }
  if (!result.ok) {
    const splits = result.splits === undefined ? {} : { splits: result.splits };
    await refuse(
      context,
      where,
      loaded.comments,
      { kind: "planProblems", problems: result.problems, what: "breakdown", ...splits },
      request.body,
    );
    return;
  }
  const baseSha = await branchSha(context.octokit, where, request.defaultBranch);
  const untrusted = await untrustedAuthor(
    context,
    where,
    request.by,
    [request.author, ...subIssueAuthors],
    config.config.permission,
  );
  const state = startState(
    {
      issue: where.issue,
      config: config.config,
      base: request.defaultBranch,
      baseSha,
      at: request.at,
      ...untrusted,
      seq: loaded.state?.seq ?? 0,
    },
    result.plan,
  );
  const tooLarge = tooLargeToStart(result.plan, state, session.repoUrl, deps.key);
  if (tooLarge !== undefined) {
    await refuse(context, where, loaded.comments, { kind: "stateTooLarge", ...tooLarge, when: "start" }, request.body);
    return;
  }
  try {
    await coordinate(session, { ...loaded, state: undefined }, result.plan, state, { kind: "start", at: request.at });
  } catch (error) {
    // The integration branch is the start's first step: refused, nothing else has happened.
    if (!(error instanceof BranchRefused)) throw error;
    await refuse(context, where, loaded.comments, { kind: "startRefused", reason: error.message }, request.body);
  }
}

/**
 * `{ untrustedAuthor }`, the first of the authors of the text planned (the
 * issue's, its sub-issues') who may not command: GitHub's REST API does not say
 * who last edited a body, and only its author (or someone with write access)
 * can, so a body is trusted as far as its author is. One permission check per
 * author but the one who asked.
 */
export async function untrustedAuthor(
  context: Context,
  where: IssueRef,
  by: string,
  authors: readonly string[],
  least: Permission,
): Promise<{ untrustedAuthor?: string }> {
  for (const author of new Set(authors)) {
    if (author !== by && !mayCommand(await roleOf(context.octokit, where, author), least))
      return { untrustedAuthor: author };
  }
  return {};
}

/** One answer per body: the same bad breakdown delivered twice is answered once. */
async function refuse(
  context: Context,
  where: IssueRef,
  comments: Parameters<typeof ensureComment>[2],
  refusal: Refusal,
  issueBody: string,
): Promise<void> {
  const body = renderMessage(refusal);
  const digest = createHash("sha256").update(issueBody).update(body).digest("hex").slice(0, 16);
  const marker = commentMarker(`refused-${digest}`);
  await ensureComment(context.octokit, where, comments, marker, `${body}\n\n${marker}`);
}
