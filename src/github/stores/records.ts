import { reportFrom } from "../../report/reportBlock.js";
import { recordsSince, type MergedPull, type Records } from "../../state/reconcile.js";
import type { State } from "../../state/stateSchema.js";
import type { IssueRef, Octokit } from "../calls/githubTypes.js";

/**
 * What GitHub records of a coordination since its snapshot was taken: the
 * batch pull requests merged into the integration branch (with the runner's
 * report), and the agent workflow's dispatched runs. Read only when the state
 * was restored from a checkpoint comment.
 */
export async function readRecords(octokit: Octokit, where: IssueRef, state: State): Promise<Records> {
  const since = recordsSince(state);
  const { owner, repo } = where;
  // Newest change first: a pull request merged since then was updated since then, so older pages are not read.
  const pulls = await octokit.paginate(
    octokit.rest.pulls.list,
    { owner, repo, base: state.integration, state: "closed", sort: "updated", direction: "desc", per_page: 100 },
    (response, done) => {
      if (response.data.some((pull) => Date.parse(pull.updated_at) < Date.parse(since))) done();
      return response.data;
    },
  );
  const merged = pulls.flatMap((pull): MergedPull[] => {
    const found = reportFrom(pull.body);
    if (pull.merged_at === null || !found.ok || found.report.issue !== where.issue) return [];
    return [
      {
        number: pull.number,
        mergedAt: pull.merged_at,
        ...(pull.merge_commit_sha === null ? {} : { sha: pull.merge_commit_sha }),
        report: found.report,
      },
    ];
  });
  const runs = await octokit.paginate(octokit.rest.actions.listWorkflowRuns, {
    owner,
    repo,
    workflow_id: state.config.workflow,
    event: "workflow_dispatch",
    created: `>=${since}`,
    per_page: 100,
  });
  return {
    merged,
    runs: runs.map((run) => ({
      id: run.id,
      title: run.display_title,
      createdAt: run.created_at,
      ...(run.status === "completed"
        ? {
            completed: {
              conclusion: run.conclusion ?? "failure",
              at: run.updated_at,
              minutes: Math.max(
                0,
                (Date.parse(run.updated_at) - Date.parse(run.run_started_at ?? run.created_at)) / 60_000,
              ),
            },
          }
        : {}),
    })),
  };
}
