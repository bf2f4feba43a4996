import { messageOf, statusOf } from "./errors.js";
import type { IssueRef, Octokit } from "./types.js";

/** The commit a branch points at. */
export async function branchSha(octokit: Octokit, where: IssueRef, branch: string): Promise<string> {
  const { data } = await octokit.rest.git.getRef({ owner: where.owner, repo: where.repo, ref: `heads/${branch}` });
  return data.object.sha;
}

/** Creates a branch at a commit; one that exists already is fine (a repeat, or a branch left from before). */
export async function ensureBranch(octokit: Octokit, where: IssueRef, branch: string, sha: string): Promise<"created" | "exists"> {
  try {
    await octokit.rest.git.createRef({ owner: where.owner, repo: where.repo, ref: `refs/heads/${branch}`, sha });
    return "created";
  } catch (error) {
    if (statusOf(error) === 422 && /already exists/i.test(messageOf(error))) return "exists";
    throw error;
  }
}

/** Brings `branch` up to date with `from` through the Merges API: merged, nothing to merge, or a conflict. */
export async function syncBranch(octokit: Octokit, where: IssueRef, branch: string, from: string): Promise<"merged" | "current" | "conflict"> {
  try {
    const response = await octokit.rest.repos.merge({
      owner: where.owner,
      repo: where.repo,
      base: branch,
      head: from,
      commit_message: `Bring ${branch} up to date with ${from}`,
    });
    // 204: nothing to merge (Octokit types only the 201).
    return (response.status as number) === 204 ? "current" : "merged";
  } catch (error) {
    if (statusOf(error) === 409) return "conflict";
    throw error;
  }
}
