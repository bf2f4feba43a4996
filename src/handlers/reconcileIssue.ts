import type { Context } from "probot";
import { loadState } from "../github/stores/loadState.js";
import { reconcileCoordination } from "../github/effects/reconcileCoordination.js";
import { coordinate } from "../github/effects/coordinate.js";
import type { IssueRef } from "../github/calls/githubTypes.js";
import { planOf } from "../state/pinnedPlan.js";
import { logRecovered, sessionOf, type Deps } from "./deps.js";

/**
 * Brings one coordination up to what GitHub holds, for the Actions bot's
 * triggers that name an issue but carry no event of their own: a nudge
 * (`workflow_dispatch` with `issue`: the agent workflow's last step, a person,
 * the sweep, a batch's sub-issue closed). It runs under the issue's lock, like
 * every step: the state is compared with the runs, pull requests and merges
 * GitHub holds, and the difference is acted on (`reconcileCoordination`, as
 * every event of the App); the batches' sub-issues (`subIssues.mirror`) are
 * brought up to the state too, a person's close of one judged, even when
 * nothing else differs.
 */
export async function reconcileIssue(context: Context, deps: Deps, where: IssueRef, at: string): Promise<void> {
  const loaded = await loadState(context.octokit, where, deps.key, deps.journal);
  const { state } = loaded;
  if (state === undefined || state.status === "done" || state.status === "aborted") return;
  const session = sessionOf(context, where, deps);
  const ready = { ...loaded, state };
  const reconciled = await reconcileCoordination(session, ready, { at, readRuns: true });
  logRecovered(context, reconciled.recovered);
  // Nothing differed, so no step ran: the mirror's is its own.
  if (reconciled.loaded === ready && state.config.subIssues.mirror === true)
    await coordinate(session, ready, planOf(state), state, []);
}
