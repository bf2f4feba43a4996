import type { Context } from "probot";
import { parseRunKey } from "../state/names.js";
import { isNews } from "../state/reconcile.js";
import { loadState } from "../github/stores/loadState.js";
import { runRecordOf, type FinishedRun } from "../github/calls/workflowRuns.js";
import { reconcileCoordination } from "../github/effects/reconcileCoordination.js";
import { logRecovered, sessionOf, type Deps } from "./deps.js";
import { lostIssueOf, takeUpLost } from "./lostCoordination.js";
import { readConfig } from "../github/calls/configFile.js";
import { defaultConfig } from "../base/config.js";
import type { IssueRef } from "../github/calls/githubTypes.js";

/**
 * `workflow_run.completed`: arrives for every workflow in the repository and
 * for other apps' runs.
 */
export async function onWorkflowRun(context: Context<"workflow_run.completed">, deps: Deps): Promise<void> {
  await checkInRun(context, deps, context.payload.workflow_run);
}

/**
 * A finished run checked in: the run of `workflow_run.completed`, or the one
 * the Actions bot's nudge names. Only a run whose name carries one of the
 * app's keys names a coordination; the coordination is then reconciled with
 * GitHub, the run as the event shows it included: a run the state records is
 * checked in (once), one it does not (dispatched by a step that never wrote
 * the state) is adopted first, and anything else GitHub holds that the state
 * lacks is acted on too.
 */
export async function checkInRun(context: Context, deps: Deps, run: FinishedRun): Promise<void> {
  if (run.event !== "workflow_dispatch") return;
  const key = parseRunKey(run.display_title ?? run.name ?? "");
  if (key === undefined) return;
  const { repository } = context.payload as { repository: { owner: { login: string }; name: string } };
  const where = { owner: repository.owner.login, repo: repository.name, issue: key.issue };
  await deps.run(context, where, async () => {
    const loaded = await loadState(context.octokit, where, deps.key, deps.journal);
    const state = loaded.state;
    // A run the app dispatched (its bot is the actor), of an issue that holds no state of it: the state was lost.
    if (state === undefined) {
      if (run.actor?.type === "Bot") await runOfLostState(context, deps, where, run.path, run.updated_at);
      return;
    }
    if (!run.path.endsWith(`/${state.config.workflow}`)) return;
    const record = runRecordOf(run);
    const { recovered } = await reconcileCoordination(
      sessionOf(context, where, deps),
      { ...loaded, state },
      { at: run.updated_at, run: record, news: isNews(state, record) },
    );
    logRecovered(context, recovered);
  });
}

/** The issue of a run whose coordination holds no state: taken up again from its label, or told why it cannot be. */
async function runOfLostState(context: Context, deps: Deps, where: IssueRef, path: string, now: string): Promise<void> {
  const { data: issue } = await context.octokit.rest.issues.get({
    owner: where.owner,
    repo: where.repo,
    issue_number: where.issue,
  });
  if (issue.pull_request !== undefined || issue.state !== "open") return;
  const config = await readConfig(context.octokit, { owner: where.owner, repo: where.repo });
  if (!path.endsWith(`/${config.ok ? config.config.workflow : defaultConfig.workflow}`)) return;
  const { repository } = context.payload as { repository: { html_url: string; default_branch: string } };
  const found = lostIssueOf(issue, { owner: where.owner, repo: where.repo }, repository, config);
  await takeUpLost(
    context,
    deps,
    found,
    now,
    "its dashboard was deleted or damaged, and no checkpoint comment carries the state",
  );
}
