import { statusOf } from "./httpErrors.js";
import type { IssueRef, Octokit } from "./githubTypes.js";

/** A person's role on the repository (`admin`, `maintain`, `write`, `triage`, `read` or `none`). */
export async function roleOf(octokit: Octokit, where: IssueRef, username: string): Promise<string> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({
      owner: where.owner,
      repo: where.repo,
      username,
    });
    // role_name knows maintain and triage; permission folds them into write and read.
    return (data as { role_name?: string }).role_name ?? data.permission;
  } catch (error) {
    if (statusOf(error) === 404) return "none";
    throw error;
  }
}
