import type { Context } from "probot";
import { parseRunKey } from "../state/names.js";
import { isNews } from "../state/reconcile.js";
import { loadState } from "../github/stores/loadState.js";
import { runRecordOf } from "../github/calls/workflowRuns.js";
import { reconcileCoordination } from "../github/effects/reconcileCoordination.js";
import { logRecovered, sessionOf, type Deps } from "./deps.js";

/**
 * `workflow_run.completed`: arrives for every workflow in the repository and
 * for other apps' runs. Only a run whose name carries one of the app's keys
 * names a coordination; the coordination is then reconciled with GitHub, the
 * run as the webhook shows it included: a run the state records is checked in
 * (once), one it does not (dispatched by a step that never wrote the state)
 * is adopted first, and anything else GitHub holds that the state lacks is
 * acted on too.
 */
export async function onWorkflowRun(context: Context<"workflow_run.completed">, deps: Deps): Promise<void> {
  const run = context.payload.workflow_run;
  if (run.event !== "workflow_dispatch") return;
  const key = parseRunKey(run.display_title ?? run.name ?? "");
  if (key === undefined) return;
  const { repository } = context.payload;
  const where = { owner: repository.owner.login, repo: repository.name, issue: key.issue };
  await deps.run(context, where, async () => {
    const loaded = await loadState(context.octokit, where, deps.key);
    const state = loaded.state;
    if (state === undefined || !run.path.endsWith(`/${state.config.workflow}`)) return;
    const record = runRecordOf(run);
    const { recovered } = await reconcileCoordination(sessionOf(context, where, deps), { ...loaded, state }, { at: run.updated_at, run: record, news: isNews(state, record) });
    logRecovered(context, recovered);
  });
}

