import { decodeState, fingerprintOf } from "../../state/codec.js";
import { planOf } from "../../state/planMemo.js";
import { reconcile } from "../../state/reconcile.js";
import type { State } from "../../state/stateSchema.js";
import type { NamedCheckpoint } from "../../state/events.js";
import { listComments } from "../calls/issueComments.js";
import { dashboardMarker } from "./markers.js";
import { readRecords } from "./records.js";
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
  /** When restored: what GitHub recorded after the snapshot, brought into the state. */
  recovered?: string[];
}

/**
 * The coordination's state from the issue: the dashboard's signed block, or —
 * when someone damaged or forged it — the newest valid snapshot among the
 * app's checkpoint comments. Only bot comments whose block carries the app's
 * signature, for this very issue, are trusted; the author of the one used is
 * the app, and only its comments count as the dashboard. A restored snapshot is
 * brought up to what GitHub records after it (merged batch pull requests, runs).
 */
export async function loadState(octokit: Octokit, where: IssueRef, key: Buffer): Promise<Loaded> {
  const comments = await listComments(octokit, where);
  const loaded = stateFromComments(comments, key, where.issue);
  if (loaded.state === undefined || loaded.restored === undefined) return loaded;
  // A snapshot misses what happened after it; GitHub's records of it are read only on this path.
  const { state, recovered } = reconcile(loaded.state, planOf(loaded.state.source), await readRecords(octokit, where, loaded.state));
  return { ...loaded, state, recovered };
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

/**
 * The checkpoint a `/resume` names by its comment id: one of the app's own
 * comments on this issue whose signed snapshot is of the coordination paused.
 * The latest is the newest such snapshot.
 */
export function namedCheckpoint(loaded: Loaded, key: Buffer, issue: number, comment: number): NamedCheckpoint {
  const checkpoints = loaded.comments.flatMap((candidate) => {
    if (!candidate.bot || candidate.author !== loaded.appLogin || candidate.body.includes(dashboardMarker)) return [];
    const decoded = decodeState(candidate.body, key);
    return decoded.ok && decoded.state.issue === issue && decoded.state.status === "paused" ? [{ id: candidate.id, state: decoded.state }] : [];
  });
  const named = checkpoints.find((checkpoint) => checkpoint.id === comment);
  if (named === undefined) return { comment, found: false };
  const latestAt = checkpoints.reduce((latest, checkpoint) => (checkpoint.state.updatedAt > latest ? checkpoint.state.updatedAt : latest), named.state.updatedAt);
  const batches = Object.fromEntries(Object.entries(named.state.batches).map(([id, batch]) => [id, batch.status]));
  return { comment, found: true, at: named.state.updatedAt, latestAt, batches };
}

function reasonOf(decoded: ReturnType<typeof decodeState>): string {
  return decoded.ok ? "the dashboard's state belongs to another issue" : decoded.reason;
}
