import { parseRunKey, runKey } from "../../state/names.js";
import type { RunRecord } from "../../state/reconcile.js";
import type { IssueRef, Octokit } from "./githubTypes.js";

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
  display_title?: string;
  name?: string | null;
  created_at: string;
  updated_at: string;
  run_started_at?: string | null;
  status: string | null;
  conclusion: string | null;
}

/** A run as a record: its name (which carries its key) and, once it has completed, how and in how many minutes. */
export function runRecordOf(run: ApiRun): RunRecord {
  const started = Date.parse(run.run_started_at ?? run.created_at);
  return {
    id: run.id,
    title: run.display_title ?? run.name ?? "",
    createdAt: run.created_at,
    ...(run.status === "completed"
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
