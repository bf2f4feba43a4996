import type { Context } from "probot";
import { nudgeCoordinator } from "../github/calls/nudgeCoordinator.js";
import type { IssueRef } from "../github/calls/githubTypes.js";
import { coordinate } from "../github/effects/coordinate.js";
import { reconcileCoordination } from "../github/effects/reconcileCoordination.js";
import { loadState } from "../github/stores/loadState.js";
import { mirroredBatch } from "../github/stores/markers.js";
import { planOf } from "../state/pinnedPlan.js";
import { logRecovered, sessionOf, type Deps } from "./deps.js";

/**
 * `issues.closed` of a batch's sub-issue (`subIssues.mirror`): a person closed
 * it. The step is the feature issue's, under its lock: the coordination is
 * reconciled with GitHub as every event's step is, the mirror brought up to
 * the state and the close judged there (github/effects/mirror.ts) — a `/skip`
 * of the batch from whoever closed it when they may command, the issue opened
 * again otherwise. The app's own closes, and bots', are no command. The
 * sub-issue's marker only names the feature issue: only a sub-issue of it
 * that the app made counts, and the state decides what the close does.
 */
export async function onSubIssueClosed(context: Context<"issues.closed">, deps: Deps): Promise<void> {
  const { payload } = context;
  if (payload.sender.type === "Bot" || payload.issue.user?.type !== "Bot") return;
  const marked = mirroredBatch(payload.issue.body ?? "");
  if (marked === undefined) return;
  const where = { owner: payload.repository.owner.login, repo: payload.repository.name, issue: marked.issue };
  if (deps.nudge !== undefined) {
    // The Actions bot: this run holds the sub-issue's concurrency group, not the feature's; a nudge runs in that one.
    await nudgeCoordinator(context.octokit, where, deps.nudge.workflow, payload.repository.default_branch);
    return;
  }
  const at = payload.issue.closed_at ?? payload.issue.updated_at;
  await deps.run(context, where, () => keepIssueMirror(context, deps, where, at));
}

/** The feature issue reconciled and its mirror brought up to its state; nothing when it has no mirror. */
async function keepIssueMirror(context: Context, deps: Deps, where: IssueRef, at: string): Promise<void> {
  const loaded = await loadState(context.octokit, where, deps.key, deps.journal);
  const { state } = loaded;
  if (state?.config.subIssues.mirror !== true) return;
  const session = sessionOf(context, where, deps);
  const ready = { ...loaded, state };
  const reconciled = await reconcileCoordination(session, ready, { at, news: false });
  logRecovered(context, reconciled.recovered);
  // Nothing differed, so no step ran: the mirror's is its own.
  if (reconciled.loaded === ready) await coordinate(session, ready, planOf(state), state, []);
}
