import { parseRunKey, runKey } from "../../state/names.js";
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
