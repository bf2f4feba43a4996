import { createHash } from "node:crypto";
import { renderMessage } from "../render/renderMessage.js";
import type { Refusal } from "../state/messages.js";
import { mayStart, startState } from "../state/startState.js";
import type { ConfigResult, Permission } from "../base/config.js";
import { mayCommand } from "../commands/permissions.js";
import { roleOf } from "../github/calls/permission.js";
import { loadState } from "../github/stores/loadState.js";
import { deleteComment, ensureComment } from "../github/calls/issueComments.js";
import { commentMarker, lostStateMarker } from "../github/stores/markers.js";
import { BranchRefused, branchSha, branchShaIfAny } from "../github/calls/branches.js";
import { listRunsSince } from "../github/calls/workflowRuns.js";
import { parseRunKey } from "../state/names.js";
import { unknownBatches } from "../state/reconcile.js";
import { coordinate } from "../github/effects/coordinate.js";
import { reconcileCoordination } from "../github/effects/reconcileCoordination.js";
import { tooLargeToStart } from "../github/stores/dashboardComment.js";
import type { IssueRef } from "../github/calls/githubTypes.js";
import { sessionFor, type Deps, type StepOrigin } from "./deps.js";
import { planIssue } from "./planIssue.js";

export interface StartRequest {
  where: IssueRef;
  /** `https://github.com/owner/repo`, for links. */
  repoUrl: string;
  config: ConfigResult;
  title: string;
  body: string;
  defaultBranch: string;
  at: string;
  /** When the issue was opened: no run of a coordination of it is older. */
  issueCreatedAt: string;
  force: boolean;
  /**
   * The coordination lost its start or its state (the sweep found a labelled
   * issue with no state; a run ended on an issue with none): GitHub may hold
   * runs of it already. They are read first, and when there are any, the state
   * is rebuilt from the plan and them at `now` (the time of the event that found
   * it), with a note saying why (`reason`, when known).
   */
  lost?: { reason?: string; now: string };
  /** `/plan`: a coordination started over, whatever GitHub holds of an earlier one. */
  fresh?: boolean;
  /** Who asked (by the label or `/plan`): one who may command. */
  by: string;
  /** The issue's author: unless they may command too, the body's acceptance commands are withheld. */
  author: string;
  /** `/plan split`: oversized tasks planned as their proposed parts. */
  split: boolean;
  /**
   * Said once the issue shows its dashboard, before the start's other writes: a label's start waits there
   * for the installation's other starts to show theirs (see acknowledgements.ts).
   */
  acknowledged?: () => Promise<void>;
}

/**
 * Starts a coordination: reads the config and the breakdown; a bad one gets one
 * comment saying what is wrong and where, and nothing else happens. Otherwise
 * the dashboard is posted with the plan, then the integration branch is made,
 * the ready batches dispatched, and the dashboard written again, holding the
 * state. A coordination already running is
 * not started again, so a redelivered event starts nothing: it is reconciled.
 */
export async function startCoordination(context: StepOrigin, deps: Deps, request: StartRequest): Promise<void> {
  const { where } = request;
  const session = sessionFor(context.octokit, where, request.repoUrl, deps);
  const loaded = await loadState(context.octokit, where, deps.key, deps.journal);
  if (!mayStart(loaded.state, request.at)) {
    // A label on a coordination that runs names it: it is brought up to what GitHub holds, and nothing starts.
    if (loaded.state !== undefined)
      await reconcileCoordination(session, { ...loaded, state: loaded.state }, { at: request.at, news: false });
    return;
  }

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
  // A label on an issue the app said lost its state (see lostCoordination.ts) takes it up: runs of it may be on GitHub.
  const said =
    loaded.state === undefined &&
    request.fresh !== true &&
    loaded.comments.some((comment) => comment.bot && comment.body.includes(lostStateMarker));
  const lost = request.lost ?? (said ? { now: request.at } : undefined);
  if (lost !== undefined) {
    const runs = (await listRunsSince(context.octokit, where, config.config.workflow, request.issueCreatedAt)).filter(
      (run) => parseRunKey(run.title)?.issue === where.issue,
    );
    if (runs.length > 0) {
      const reason = lost.reason ?? "its dashboard was deleted or damaged, and no checkpoint comment carries the state";
      const unknown = unknownBatches(result.plan, where.issue, runs);
      if (unknown.length > 0) {
        await refuse(
          context,
          where,
          loaded.comments,
          { kind: "stateLost", reason, unknown, label: config.config.label },
          request.body,
        );
        return;
      }
      // Rebuilt as it stands: started when its first run was dispatched, its integration head the one its merges made.
      const startedAt = runs
        .map((run) => run.createdAt)
        .reduce((earliest, created) => (Date.parse(created) < Date.parse(earliest) ? created : earliest));
      const head = await branchShaIfAny(context.octokit, where, state.integration);
      const rebuilt = {
        ...loaded,
        state: { ...state, startedAt, updatedAt: startedAt, head: head ?? state.head },
        restored: reason,
        restoredFrom: "records" as const,
      };
      await reconcileCoordination(session, rebuilt, { at: lost.now, readRuns: true });
      return;
    }
  }
  // The dashboard first, before the branch and dispatch writes: with many features labelled at once, one
  // installation's writes queue up behind each other, and each issue shows its plan before the others' branch
  // and dispatch writes take their turn (`acknowledged`). A step that dies after it leaves a planned state,
  // which the next event or the sweep starts.
  const acknowledged = await coordinate(session, { ...loaded, state: undefined }, result.plan, state, []);
  await request.acknowledged?.();
  try {
    await coordinate(session, acknowledged, result.plan, state, { kind: "start", at: request.at });
  } catch (error) {
    // The integration branch is the start's first write after the dashboard: refused, nothing else has happened.
    if (!(error instanceof BranchRefused)) throw error;
    // Nothing started: the dashboard goes, so that the label starts again once the branches are sorted out.
    await deleteComment(context.octokit, where, acknowledged.dashboard!.id);
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
  context: Pick<StepOrigin, "octokit">,
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
  context: StepOrigin,
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
