import type { Effect } from "../../state/effects.js";
import type { IssueRef, Octokit } from "./githubTypes.js";

/**
 * Takes a skipped batch's work off its domain branch: moves the branch back to
 * the integration head, so the domain's next batch starts clean, then closes
 * the pull request. A pull request no longer open was withdrawn already (by
 * this step before it failed; the domain's next batch may be at work on the
 * branch by now) or merged or closed by a person: the branch is left alone.
 */
export async function withdrawBatch(
  octokit: Octokit,
  where: IssueRef,
  effect: Extract<Effect, { kind: "withdraw" }>,
): Promise<void> {
  const { data: pull } = await octokit.rest.pulls.get({ owner: where.owner, repo: where.repo, pull_number: effect.pr });
  if (pull.state !== "open") return;
  await octokit.rest.git.updateRef({
    owner: where.owner,
    repo: where.repo,
    ref: `heads/${effect.branch}`,
    sha: effect.sha,
    force: true,
  });
  await octokit.rest.pulls.update({ owner: where.owner, repo: where.repo, pull_number: effect.pr, state: "closed" });
}
