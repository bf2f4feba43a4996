import type { Context } from "probot";
import { finishedRun } from "../github/calls/workflowRuns.js";
import { reconcileIssue } from "./reconcileIssue.js";
import { checkInRun } from "./workflowRun.js";
import type { Deps } from "./deps.js";

/**
 * `workflow_dispatch` of the coordinator workflow, with an `issue` input and,
 * from the agent workflow's last step, a `run` input: a nudge to look at that
 * coordination again. GitHub may send no `workflow_run` for a run that a
 * `GITHUB_TOKEN` dispatched, and a concurrency group drops waiting runs: a
 * nudge naming a run is that run's completion, checked in exactly as
 * `workflow_run.completed` is (once it has finished: the step that nudges is
 * the run's last, so the run may end moments later, and `runWaits` says how
 * long to wait for it). A nudge without a run (the sweep's, a person's from
 * the Actions tab) reconciles the coordination. It commands nothing, so
 * anyone who may run the workflow may nudge.
 */
export async function onNudge(
  context: Context<"workflow_dispatch">,
  deps: Deps,
  at: string,
  runWaits: readonly number[],
): Promise<void> {
  const { payload } = context;
  const issue = positive(payload.inputs?.issue);
  if (issue === undefined) {
    context.log.warn(
      { delivery: context.id, issue: payload.inputs?.issue },
      "a nudge names no issue: its `issue` input must be an issue's number",
    );
    return;
  }
  const where = { owner: payload.repository.owner.login, repo: payload.repository.name, issue };
  const runId = positive(payload.inputs?.run);
  // An Actions run answers no delivery: the wait for the run happens before the step, outside the issue's lock.
  const run = runId === undefined ? undefined : await finishedRun(context.octokit, where, runId, runWaits);
  if (run !== undefined) {
    await checkInRun(context, deps, run);
    return;
  }
  if (runId !== undefined)
    context.log.warn(
      { delivery: context.id, run: runId },
      "the nudge names a run that has not finished, or none: the coordination is reconciled instead",
    );
  await deps.run(context, where, () => reconcileIssue(context, deps, where, at));
}

/** A positive whole number given as an input's text; undefined otherwise. */
function positive(value: unknown): number | undefined {
  const text = typeof value === "string" ? value.trim() : "";
  return /^\d{1,15}$/.test(text) && Number(text) > 0 ? Number(text) : undefined;
}
