import type { IssueRef, Octokit } from "./githubTypes.js";

/** An issue as the mirror reads it: enough to tell the app's sub-issues and bring them up to date. */
export interface IssueSeen {
  number: number;
  id: number;
  title: string;
  body: string;
  open: boolean;
  labels: string[];
  author: string;
  bot: boolean;
  /** How many issues it is blocked by, when GitHub's answer says. */
  blockedBy?: number;
  /** Whether it is a sub-issue of some issue, when GitHub's answer says. */
  hasParent?: boolean;
}

type RestIssue = Awaited<ReturnType<Octokit["rest"]["issues"]["get"]>>["data"];

function seen(issue: RestIssue): IssueSeen {
  const summary = (issue as { issue_dependencies_summary?: { total_blocked_by?: number } }).issue_dependencies_summary;
  const parent = (issue as { parent_issue_url?: string | null }).parent_issue_url;
  return {
    number: issue.number,
    id: issue.id,
    title: issue.title,
    body: issue.body ?? "",
    open: issue.state === "open",
    labels: issue.labels
      .map((label) => (typeof label === "string" ? label : (label.name ?? "")))
      .filter((name) => name !== ""),
    author: issue.user?.login ?? "ghost",
    bot: issue.user?.type === "Bot",
    ...(typeof summary?.total_blocked_by === "number" ? { blockedBy: summary.total_blocked_by } : {}),
    ...(parent === undefined ? {} : { hasParent: parent !== null }),
  };
}

/** An issue's sub-issues in their order, pages of 100 (GitHub holds 100 at most under one parent). */
export async function subIssuesOf(octokit: Octokit, where: IssueRef): Promise<IssueSeen[]> {
  const subs = await octokit.paginate(octokit.rest.issues.listSubIssues, {
    owner: where.owner,
    repo: where.repo,
    issue_number: where.issue,
    per_page: 100,
  });
  // A sub-issue of another repository of the owner mirrors nothing here.
  const own = `/repos/${where.owner}/${where.repo}`.toLowerCase();
  return subs
    .filter((sub) => sub.repository_url === undefined || sub.repository_url.toLowerCase().endsWith(own))
    .map((sub) => seen(sub as RestIssue));
}

/**
 * The repository's 100 newest issues, closed ones included (pull requests left
 * out): where an issue the app made and had not yet added as a sub-issue is
 * found again — a step that stopped between the two writes made it moments ago.
 */
export async function newestIssues(octokit: Octokit, where: IssueRef): Promise<IssueSeen[]> {
  const { data } = await octokit.rest.issues.listForRepo({
    owner: where.owner,
    repo: where.repo,
    state: "all",
    sort: "created",
    direction: "desc",
    per_page: 100,
  });
  return data.filter((issue) => issue.pull_request === undefined).map((issue) => seen(issue as RestIssue));
}

export async function createIssue(
  octokit: Octokit,
  where: IssueRef,
  issue: { title: string; body: string; labels: string[] },
): Promise<IssueSeen> {
  const { data } = await octokit.rest.issues.create({ owner: where.owner, repo: where.repo, ...issue });
  return seen(data);
}

/** "Add sub-issue": the child is named by its id, not its number. */
export async function addSubIssue(octokit: Octokit, where: IssueRef, childId: number): Promise<void> {
  await octokit.rest.issues.addSubIssue({
    owner: where.owner,
    repo: where.repo,
    issue_number: where.issue,
    sub_issue_id: childId,
  });
}

/** "Update an issue": its title, its labels (replaced whole), its state with the reason. */
export async function updateIssue(
  octokit: Octokit,
  where: IssueRef,
  number: number,
  change: { title?: string; labels?: string[]; state?: "open" | "closed"; state_reason?: "completed" | "not_planned" },
): Promise<void> {
  await octokit.rest.issues.update({ owner: where.owner, repo: where.repo, issue_number: number, ...change });
}

/** Who closed an issue and when: only the issue by itself says (GitHub's lists leave `closed_by` out). */
export async function closedBy(
  octokit: Octokit,
  where: IssueRef,
  number: number,
): Promise<{ by?: string; bot: boolean; at?: string; open: boolean }> {
  const { data } = await octokit.rest.issues.get({ owner: where.owner, repo: where.repo, issue_number: number });
  return {
    ...(data.closed_by?.login === undefined ? {} : { by: data.closed_by.login }),
    bot: data.closed_by?.type === "Bot",
    ...(data.closed_at === null ? {} : { at: data.closed_at }),
    open: data.state === "open",
  };
}

/** The ids of the issues one is blocked by, all pages. */
export async function blockedByIds(octokit: Octokit, where: IssueRef, number: number): Promise<number[]> {
  const blockers = await octokit.paginate(octokit.rest.issues.listDependenciesBlockedBy, {
    owner: where.owner,
    repo: where.repo,
    issue_number: number,
    per_page: 100,
  });
  return blockers.map((issue) => issue.id);
}

/** "Add a dependency an issue is blocked by": the blocker is named by its id. */
export async function addBlockedBy(
  octokit: Octokit,
  where: IssueRef,
  number: number,
  blockerId: number,
): Promise<void> {
  await octokit.rest.issues.addBlockedByDependency({
    owner: where.owner,
    repo: where.repo,
    issue_number: number,
    issue_id: blockerId,
  });
}

export async function removeBlockedBy(
  octokit: Octokit,
  where: IssueRef,
  number: number,
  blockerId: number,
): Promise<void> {
  await octokit.rest.issues.removeDependencyBlockedBy({
    owner: where.owner,
    repo: where.repo,
    issue_number: number,
    issue_id: blockerId,
  });
}
