import type { IssueRef, Octokit } from "./githubTypes.js";

/**
 * Starts a run of the coordinator workflow for one issue (`workflow_dispatch`
 * with the input `issue`, and `run` when it names an agent run that ended),
 * on the branch the coordinator runs from. A
 * dispatch is the one thing a `GITHUB_TOKEN` does that starts a workflow run,
 * and the run waits in the issue's concurrency group: this is how a run that
 * may not act on an issue asks for one that may.
 */
export async function nudgeCoordinator(
  octokit: Octokit,
  where: IssueRef,
  workflow: string,
  ref: string,
  run?: number,
): Promise<void> {
  const inputs = { issue: String(where.issue), ...(run === undefined ? {} : { run: String(run) }) };
  await octokit.rest.actions.createWorkflowDispatch({
    owner: where.owner,
    repo: where.repo,
    workflow_id: workflow,
    ref,
    inputs,
  });
}
