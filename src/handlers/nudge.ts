import type { Context } from "probot";
import { reconcileIssue } from "./reconcileIssue.js";
import type { Deps } from "./deps.js";

/**
 * `workflow_dispatch` of the coordinator workflow with an `issue` input: a
 * nudge to look at that coordination again. The agent workflow's last step
 * sends one (GitHub may not send `workflow_run` for a run a `GITHUB_TOKEN`
 * dispatched), the sweep sends one per running coordination, and a person may
 * send one from the Actions tab. It commands nothing, so anyone who may run
 * the workflow may nudge.
 */
export async function onNudge(context: Context<"workflow_dispatch">, deps: Deps, at: string): Promise<void> {
  const { payload } = context;
  const given = payload.inputs?.issue;
  const issue = typeof given === "string" && /^\d{1,9}$/.test(given.trim()) ? Number(given.trim()) : undefined;
  if (issue === undefined || issue === 0) {
    context.log.warn({ delivery: context.id, issue: given }, "a nudge names no issue: its `issue` input must be an issue's number");
    return;
  }
  const where = { owner: payload.repository.owner.login, repo: payload.repository.name, issue };
  await deps.run(context, where, () => reconcileIssue(context, deps, where, at));
}
