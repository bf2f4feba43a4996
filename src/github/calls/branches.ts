import { messageOf, statusOf } from "./httpErrors.js";
import type { IssueRef, Octokit } from "./githubTypes.js";

/** The commit a branch points at. */
export async function branchSha(octokit: Octokit, where: IssueRef, branch: string): Promise<string> {
  const { data } = await octokit.rest.git.getRef({ owner: where.owner, repo: where.repo, ref: `heads/${branch}` });
  return data.object.sha;
}

/** The commit a branch points at, or undefined when there is no such branch. */
export async function branchShaIfAny(octokit: Octokit, where: IssueRef, branch: string): Promise<string | undefined> {
  try {
    return await branchSha(octokit, where, branch);
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

/**
 * GitHub refused to create a branch (422 "Reference update failed"): most often
 * because git keeps refs as files, so `a/b` cannot sit beside a branch `a`, nor
 * `a` beside a folder of branches `a/…`.
 */
export class BranchRefused extends Error {
  constructor(
    readonly branch: string,
    reason: string,
  ) {
    const parents = branch
      .split("/")
      .slice(0, -1)
      .map((_part, index, parts) => parts.slice(0, index + 1).join("/"));
    super(
      `GitHub refused to create the branch \`${branch}\`: ${reason}. A branch cannot sit beside a folder of branches of the same name: ` +
        `look for ${parents.length > 0 ? `a branch named ${parents.map((name) => `\`${name}\``).join(" or ")}, or ` : ""}branches under \`${branch}/\`, and rename or delete them.`,
    );
    this.name = "BranchRefused";
  }
}

/** Creates a branch at a commit; one that exists already is fine (a repeat, or a branch left from before). */
export async function ensureBranch(
  octokit: Octokit,
  where: IssueRef,
  branch: string,
  sha: string,
): Promise<"created" | "exists"> {
  try {
    await octokit.rest.git.createRef({ owner: where.owner, repo: where.repo, ref: `refs/heads/${branch}`, sha });
    return "created";
  } catch (error) {
    if (statusOf(error) === 422 && /already exists/i.test(messageOf(error))) return "exists";
    if (statusOf(error) === 422) throw new BranchRefused(branch, messageOf(error));
    throw error;
  }
}

/**
 * Moves a branch to a commit whatever is on it (a forced update through the refs
 * API), or makes it there when it is gone.
 */
export async function moveBranch(octokit: Octokit, where: IssueRef, branch: string, sha: string): Promise<void> {
  try {
    await octokit.rest.git.updateRef({
      owner: where.owner,
      repo: where.repo,
      ref: `heads/${branch}`,
      sha,
      force: true,
    });
  } catch (error) {
    if (statusOf(error) !== 422 || !/does not exist/i.test(messageOf(error))) throw error;
    await ensureBranch(octokit, where, branch, sha);
  }
}

/** Brings `branch` up to date with `from` through the Merges API: merged, nothing to merge, or a conflict. */
export async function syncBranch(
  octokit: Octokit,
  where: IssueRef,
  branch: string,
  from: string,
): Promise<"merged" | "current" | "conflict"> {
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
