import { statusOf } from "./httpErrors.js";
import { reportFrom, type ReportResult } from "../../report/reportBlock.js";
import { reportMarker } from "../../report/reportSchema.js";
import { hasMarker } from "../stores/markers.js";
import type { Comment, IssueRef, Octokit } from "./githubTypes.js";

/** Every comment of an issue, oldest first, all pages. */
export async function listComments(octokit: Octokit, where: IssueRef): Promise<Comment[]> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner: where.owner,
    repo: where.repo,
    issue_number: where.issue,
    per_page: 100,
  });
  return comments.map((comment) => ({
    id: comment.id,
    body: comment.body ?? "",
    author: comment.user?.login ?? "",
    bot: comment.user?.type === "Bot",
    createdAt: comment.created_at,
    updatedAt: comment.updated_at,
  }));
}

/**
 * Posts a comment unless one with the same hidden key is already there:
 * a redelivered event finds its own earlier comment and posts nothing.
 */
export async function ensureComment(
  octokit: Octokit,
  where: IssueRef,
  existing: Comment[],
  marker: string,
  body: string,
  appLogin?: string,
): Promise<Comment> {
  // Another bot (a workflow's github-actions[bot]) posting the marker must not silence the app.
  const found = existing.find(
    (comment) =>
      comment.bot && (appLogin === undefined || comment.author === appLogin) && hasMarker(comment.body, marker),
  );
  if (found !== undefined) return found;
  const { data } = await octokit.rest.issues.createComment({
    owner: where.owner,
    repo: where.repo,
    issue_number: where.issue,
    body,
  });
  const comment = {
    id: data.id,
    body: data.body ?? body,
    author: data.user?.login ?? "",
    bot: true,
    createdAt: data.created_at,
    updatedAt: data.updated_at,
  };
  existing.push(comment);
  return comment;
}

/** Deletes one of the app's comments; one already gone is fine. */
export async function deleteComment(octokit: Octokit, where: IssueRef, id: number): Promise<void> {
  try {
    await octokit.rest.issues.deleteComment({ owner: where.owner, repo: where.repo, comment_id: id });
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
}

/**
 * The runner's reports posted on the issue (by a run that committed nothing):
 * only a bot among `writers` posts one (state/reportWriters.ts); a stranger's
 * comment, or another app's, is no report. Each counts only for the run it names.
 */
export function postedReports(comments: readonly Comment[], writers: readonly string[]): ReportResult[] {
  return comments
    .filter((comment) => comment.bot && writers.includes(comment.author) && comment.body.includes(reportMarker))
    .map((comment) => reportFrom(comment.body));
}
