import { parseRunKey, runKey } from "../../state/names.js";
import type { RunRecord } from "../../state/reconcile.js";
import { statusOf } from "./httpErrors.js";
import type { IssueRef, Octokit, RepoRef } from "./githubTypes.js";

/**
 * The run a dispatch with this key started, if any: found by the key in its
 * name among the workflow's dispatched runs on the branch since `since` (the
 * coordination's start: an earlier coordination of the same issue used the
 * same keys), newest first — a retried step looks for a run dispatched moments ago.
 */
export async function findDispatchedRun(
  octokit: Octokit,
  where: IssueRef,
  workflow: string,
  branch: string,
  key: string,
  since: string,
): Promise<number | undefined> {
  const { data } = await octokit.rest.actions.listWorkflowRuns({
    owner: where.owner,
    repo: where.repo,
    workflow_id: workflow,
    branch,
    event: "workflow_dispatch",
    created: `>=${since}`,
    per_page: 30,
  });
  const run = data.workflow_runs.find((candidate) => {
    const parsed = parseRunKey(candidate.display_title ?? candidate.name ?? "");
    return parsed !== undefined && runKey(parsed.issue, parsed.batch, parsed.attempt) === key;
  });
  return run?.id;
}

/** A workflow run as GitHub lists it or a webhook carries it, as much as the coordination reads. */
interface ApiRun {
  id: number;
  display_title?: string | null;
  name?: string | null;
  created_at: string;
  updated_at: string;
  run_started_at?: string | null;
  /** Absent: a finished run (`FinishedRun`). */
  status?: string | null;
  conclusion: string | null;
}

/** A run as a record: its name (which carries its key) and, once it has completed, how and in how many minutes. */
export function runRecordOf(run: ApiRun): RunRecord {
  const started = Date.parse(run.run_started_at ?? run.created_at);
  return {
    id: run.id,
    title: run.display_title ?? run.name ?? "",
    createdAt: run.created_at,
    ...(run.status === undefined || run.status === "completed"
      ? {
          completed: {
            conclusion: run.conclusion ?? "failure",
            at: run.updated_at,
            minutes: Math.max(0, (Date.parse(run.updated_at) - started) / 60_000),
          },
        }
      : {}),
  };
}

/** The agent workflow's dispatched runs made since `since`, every page. */
export async function listRunsSince(
  octokit: Octokit,
  where: IssueRef,
  workflow: string,
  since: string,
): Promise<RunRecord[]> {
  const runs = await octokit.paginate(octokit.rest.actions.listWorkflowRuns, {
    owner: where.owner,
    repo: where.repo,
    workflow_id: workflow,
    event: "workflow_dispatch",
    created: `>=${since}`,
    per_page: 100,
  });
  return runs.map(runRecordOf);
}

/** A finished workflow run, as the `workflow_run` webhook and the REST API both show it. */
export interface FinishedRun {
  id: number;
  event: string;
  name?: string | null;
  display_title?: string | null;
  path: string;
  conclusion: string | null;
  created_at: string;
  updated_at: string;
  run_started_at?: string | null;
  /** Who started it: the app's bot for a run the app dispatched. */
  actor?: { login: string; type?: string } | null;
}

/**
 * A run by its id, once it has finished: asked again after each of `waits`
 * (milliseconds) while it still runs — the agent workflow nudges the
 * coordinator from its own last step, moments before the run ends. Undefined
 * when there is no such run, or it still runs after the last wait.
 */
export async function finishedRun(
  octokit: Octokit,
  where: RepoRef,
  runId: number,
  waits: readonly number[],
): Promise<FinishedRun | undefined> {
  for (let attempt = 0; ; attempt++) {
    let run;
    try {
      ({ data: run } = await octokit.rest.actions.getWorkflowRun({
        owner: where.owner,
        repo: where.repo,
        run_id: runId,
      }));
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
    if (run.status === "completed") return { ...run, conclusion: run.conclusion ?? null };
    const wait = waits[attempt];
    if (wait === undefined) return undefined;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** Whether a run still runs (queued, waiting or in progress), has ended, or is gone. */
export async function runStatus(
  octokit: Octokit,
  where: RepoRef,
  runId: number,
): Promise<"running" | "ended" | "gone"> {
  try {
    const { data } = await octokit.rest.actions.getWorkflowRun({ owner: where.owner, repo: where.repo, run_id: runId });
    return data.status === "completed" ? "ended" : "running";
  } catch (error) {
    if (statusOf(error) === 404) return "gone";
    throw error;
  }
}
