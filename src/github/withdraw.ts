import type { Effect } from "../state/effects.js";
import { statusOf } from "./errors.js";
import type { IssueRef, Octokit } from "./types.js";

/**
 * Takes a skipped batch's work off its domain branch: closes its pull request
 * and moves the branch back to the integration head, so the domain's next
 * batch starts clean. Both are safe to repeat.
 */
export async function withdrawBatch(octokit: Octokit, where: IssueRef, effect: Extract<Effect, { kind: "withdraw" }>): Promise<void> {
  try {
    await octokit.rest.pulls.update({ owner: where.owner, repo: where.repo, pull_number: effect.pr, state: "closed" });
  } catch (error) {
    // 422: merged or closed meanwhile; either way it is no longer open.
    if (statusOf(error) !== 422) throw error;
  }
  await octokit.rest.git.updateRef({ owner: where.owner, repo: where.repo, ref: `heads/${effect.branch}`, sha: effect.sha, force: true });
}
