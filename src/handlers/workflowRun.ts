import type { Context } from "probot";
import { domainBranch, parseRunKey } from "../state/names.js";
import { roleOfCompletedRun } from "../state/completedRun.js";
import { planOf } from "../state/planMemo.js";
import { loadState } from "../github/stores/loadState.js";
import { evidenceOf } from "../github/calls/pullRequests.js";
import { coordinate } from "../github/effects/coordinate.js";
import type { Event } from "../state/events.js";
import { sessionOf, type Deps } from "./deps.js";

/**
 * `workflow_run.completed`: arrives for every workflow in the repository and
 * for other apps' runs. Only a run whose name carries one of the app's keys is
 * looked at, and only one whose id the app recorded (or, where the server gave
 * no id, whose key matches the batch's latest dispatch) is checked in.
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
    if (state === undefined || !run.path.endsWith(`/${state.source.config.workflow}`)) return;
    const role = roleOfCompletedRun(state, { id: run.id, key, conclusion: run.conclusion, createdAt: run.created_at });
    if (role === undefined) return;

    const plan = planOf(state.source);
    const session = sessionOf(context, where, deps);
    const at = run.updated_at;
    const started = Date.parse(run.run_started_at ?? run.created_at);
    const minutes = Math.max(0, (Date.parse(at) - started) / 60_000);
    const batch = plan.batches.find((candidate) => candidate.id === key.batch)!;
    const evidence =
      run.conclusion === "success"
        ? await evidenceOf(context.octokit, where, { branch: domainBranch(key.issue, batch.domain), batch: batch.id, id: run.id }, state.integration, loaded.comments)
        : undefined;
    const completed: Event = { kind: "runCompleted", at, runId: run.id, conclusion: run.conclusion ?? "failure", minutes, ...(evidence === undefined ? {} : { evidence }) };
    const events: Event[] = role === "adopt" ? [{ kind: "dispatched", at, batch: key.batch, attempt: key.attempt, runId: run.id }, completed] : [completed];
    await coordinate(session, loaded, plan, state, events);
  });
}
