import { decodeState } from "../state/codec.js";
import type { State } from "../state/schema.js";
import { listComments } from "./comments.js";
import { dashboardMarker } from "./markers.js";
import type { Comment, IssueRef, Octokit } from "./types.js";

export interface Loaded {
  comments: Comment[];
  /** The dashboard comment, when the app has posted one. */
  dashboard?: Comment;
  state?: State;
  /** Why the dashboard's own state was not used, when it was not. */
  restored?: string;
}

/**
 * The coordination's state from the issue: the dashboard's signed block, or —
 * when someone damaged or forged it — the newest valid snapshot among the
 * app's checkpoint comments. Only bot comments whose block carries the app's
 * signature are trusted.
 */
export async function loadState(octokit: Octokit, where: IssueRef, key: Buffer): Promise<Loaded> {
  const comments = await listComments(octokit, where);
  return stateFromComments(comments, key);
}

export function stateFromComments(comments: Comment[], key: Buffer): Loaded {
  const own = comments.filter((comment) => comment.bot);
  const dashboard = own.find((comment) => comment.body.includes(dashboardMarker));
  const fromDashboard = dashboard === undefined ? undefined : decodeState(dashboard.body, key);
  if (fromDashboard?.ok === true) return { comments, dashboard, state: fromDashboard.state };

  let newest: State | undefined;
  for (const comment of own) {
    const decoded = decodeState(comment.body, key);
    if (decoded.ok && (newest === undefined || decoded.state.updatedAt >= newest.updatedAt)) newest = decoded.state;
  }
  const base = dashboard === undefined ? { comments } : { comments, dashboard };
  if (newest === undefined) return base;
  return { ...base, state: newest, restored: fromDashboard?.ok === false ? fromDashboard.reason : "the dashboard is missing" };
}
