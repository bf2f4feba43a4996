import type { Octokit, RepoRef } from "./githubTypes.js";

/** The numbers of a repository's open issues that carry a label, all pages; pull requests are left out. */
export async function openIssuesLabelled(octokit: Octokit, where: RepoRef, label: string): Promise<number[]> {
  const issues = await octokit.paginate(octokit.rest.issues.listForRepo, {
    owner: where.owner,
    repo: where.repo,
    labels: label,
    state: "open",
    per_page: 100,
  });
  return issues
    .filter((issue) => issue.pull_request === undefined || issue.pull_request === null)
    .map((issue) => issue.number);
}
