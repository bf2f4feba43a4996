import type { Context } from "probot";
import { loadState } from "../github/stores/loadState.js";
import type { IssueRef } from "../github/calls/githubTypes.js";
import { coordinate } from "../github/effects/coordinate.js";
import { planOf } from "../state/pinnedPlan.js";
import { sessionOf, type Deps } from "./deps.js";

/**
 * Brings one coordination up to what GitHub holds, for the Actions bot's
 * triggers that name an issue but carry no event of their own: a nudge
 * (`workflow_dispatch` with `issue`: the agent workflow's last step, a person,
 * the sweep). It runs under the issue's lock, like every step.
 *
 * The reconcile of issue #14 (`reconcileCoordination`, compare the state with
 * the runs, pull requests and merges GitHub holds and act on the difference)
 * is what this calls once it is on main; until then a nudge brings only the
 * batches' sub-issues (`subIssues.mirror`) up to the state, judging a person's
 * close of one, and a coordination whose `workflow_run` was lost waits for its
 * next event.
 */
export async function reconcileIssue(context: Context, deps: Deps, where: IssueRef, at: string): Promise<void> {
  const loaded = await loadState(context.octokit, where, deps.key);
  if (loaded.state === undefined) return;
  // The batches' sub-issues (`subIssues.mirror`) are GitHub's too: brought up to the state, a person's close judged.
  if (loaded.state.config.subIssues.mirror === true)
    await coordinate(sessionOf(context, where, deps), loaded, planOf(loaded.state), loaded.state, []);
  context.log.info(
    { delivery: context.id, issue: where.issue, at },
    "nudged: nothing compared yet (the reconcile of issue #14 is not on main)",
  );
}
