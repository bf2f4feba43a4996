import { decodeState, fingerprintOf } from "../../state/codec.js";
import type { State } from "../../state/stateSchema.js";
import { listComments } from "../calls/issueComments.js";
import { dashboardMarker } from "./markers.js";
import type { Comment, IssueRef, Octokit } from "../calls/githubTypes.js";

export interface Loaded {
  comments: Comment[];
  /** The dashboard comment, when the app has posted one. */
  dashboard?: Comment;
  state?: State;
  /** Why the dashboard's own state was not used, when it was not. */
  restored?: string;
  /** The fingerprint of the state used (its signature). */
  fingerprint?: string;
  /** The app's own login, learnt from the comment whose signed state was used. */
  appLogin?: string;
}

/**
 * The coordination's state from the issue: the dashboard's signed block, or —
 * when someone damaged or forged it — the newest valid snapshot among the
 * app's checkpoint comments. Only bot comments whose block carries the app's
 * signature, for this very issue, are trusted; the author of the one used is
 * the app, and only its comments count as the dashboard. A restored snapshot
 * misses what happened after it: `reconcileCoordination` brings it up to what
 * GitHub records.
 */
export async function loadState(octokit: Octokit, where: IssueRef, key: Buffer): Promise<Loaded> {
  return stateFromComments(await listComments(octokit, where), key, where.issue);
}

export function stateFromComments(comments: Comment[], key: Buffer, issue?: number): Loaded {
  const verified = comments.flatMap((comment) => {
    if (!comment.bot) return [];
    const decoded = decodeState(comment.body, key);
    // A valid block copied from another issue is a replay, not this issue's state.
    return decoded.ok && (issue === undefined || decoded.state.issue === issue) ? [{ comment, state: decoded.state }] : [];
  });
  const fromDashboard = verified.find(({ comment }) => comment.body.includes(dashboardMarker));
  if (fromDashboard !== undefined) {
    return { comments, dashboard: fromDashboard.comment, state: fromDashboard.state, fingerprint: fingerprintOf(fromDashboard.comment.body)!, appLogin: fromDashboard.comment.author };
  }
  let newest: (typeof verified)[number] | undefined;
  for (const candidate of verified) {
    if (newest === undefined || candidate.state.updatedAt >= newest.state.updatedAt) newest = candidate;
  }
  const appLogin = newest?.comment.author;
  // Another bot's comment with the marker is never the dashboard: the app could not edit it anyway.
  const dashboard =
    appLogin === undefined ? undefined : comments.find((comment) => comment.bot && comment.author === appLogin && comment.body.includes(dashboardMarker));
  const base: Loaded = { comments, ...(dashboard === undefined ? {} : { dashboard }) };
  if (newest === undefined) return base;
  return {
    ...base,
    state: newest.state,
    fingerprint: fingerprintOf(newest.comment.body)!,
    appLogin: newest.comment.author,
    restored: dashboard === undefined ? "the dashboard is missing" : reasonOf(decodeState(dashboard.body, key)),
  };
}

function reasonOf(decoded: ReturnType<typeof decodeState>): string {
  return decoded.ok ? "the dashboard's state belongs to another issue" : decoded.reason;
}
