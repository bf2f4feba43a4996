import type { SubIssue } from "../../plan/readSubIssues.js";
import type { IssueRef, Octokit } from "./githubTypes.js";

/**
 * The sub-issues of an issue, in their order (pages of 100: GitHub holds 100
 * at most under one parent), each with the issues it is blocked by.
 */
export async function listSubIssues(octokit: Octokit, where: IssueRef): Promise<SubIssue[]> {
  const subs = await octokit.paginate(octokit.rest.issues.listSubIssues, {
    owner: where.owner,
    repo: where.repo,
    issue_number: where.issue,
    per_page: 100,
  });
  const read: SubIssue[] = [];
  for (const sub of subs) {
    // A sub-issue of another repository of the owner is no task here: its work is on another repository.
    if (
      sub.repository_url !== undefined &&
      !sub.repository_url.toLowerCase().endsWith(`/repos/${where.owner}/${where.repo}`.toLowerCase())
    )
      continue;
    const blockedBy =
      sub.state === "open"
        ? await octokit.paginate(octokit.rest.issues.listDependenciesBlockedBy, {
            owner: where.owner,
            repo: where.repo,
            issue_number: sub.number,
            per_page: 100,
          })
        : [];
    read.push({
      number: sub.number,
      title: sub.title,
      body: sub.body ?? "",
      labels: sub.labels
        .map((label) => (typeof label === "string" ? label : (label.name ?? "")))
        .filter((name) => name !== ""),
      state: sub.state === "closed" ? "closed" : "open",
      blockedBy: blockedBy.map((issue) => issue.number),
      author: sub.user?.login ?? "ghost",
    });
  }
  return read;
}
