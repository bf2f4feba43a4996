import { decodeState, fingerprintOf, type Unreadable } from "../../state/codec.js";
import type { State } from "../../state/stateSchema.js";
import type { RestoredFrom } from "../../state/reconcile.js";
import type { NamedCheckpoint } from "../../state/events.js";
import { listComments } from "../calls/issueComments.js";
import { dashboardMarker, hasMarker } from "./markers.js";
import type { Comment, IssueRef, Octokit } from "../calls/githubTypes.js";
import type { Journal } from "./journal.js";

export interface Loaded {
  comments: Comment[];
  /** The dashboard comment, when the app has posted one. */
  dashboard?: Comment;
  state?: State;
  /** Why the dashboard's own state was not used, when it was not. */
  restored?: string;
  /** Where the restored state came from: a checkpoint comment unless said. */
  restoredFrom?: RestoredFrom;
  /** The fingerprint of the state used (its signature). */
  fingerprint?: string;
  /** The app's own login, learnt from the comment whose signed state was used. */
  appLogin?: string;
}

/**
 * The issue's state is the app's own but this version cannot take it (a newer
 * version wrote it, or an older one this one can no longer bring up): the
 * issue is left alone rather than an older snapshot taken for the state and
 * written over it. `comments`: the issue's, as read.
 */
export class UnreadableState extends Error {
  constructor(
    readonly unreadable: Unreadable,
    readonly comments: Comment[],
    reason: string,
  ) {
    super(`${reason}: the issue is left untouched`);
  }
}

/**
 * The coordination's state from the issue: the dashboard's signed block, or —
 * when someone damaged or forged it, or put an earlier version of it back —
 * the newest valid snapshot among the app's checkpoint comments. Only bot
 * comments whose block carries the app's signature, for this very issue, are
 * trusted; the author of the one used is the app, and only its comments count
 * as the dashboard. A restored snapshot misses what happened after it:
 * `reconcileCoordination` brings it up to what GitHub records. `journal`:
 * where the app noted the `seq` of the state it last wrote, a second witness
 * against a rollback. Throws `UnreadableState` when a state of the app's is
 * one this version cannot take.
 */
export async function loadState(octokit: Octokit, where: IssueRef, key: Buffer, journal?: Journal): Promise<Loaded> {
  const comments = await listComments(octokit, where);
  const written =
    journal === undefined ? undefined : (await journal.read(`${where.owner}/${where.repo}#${where.issue}`))?.seq;
  return stateFromComments(comments, key, where.issue, written);
}

/** Newer: written later by the app (`seq`), or, between states of before `seq`, made later. */
function newer(a: State, b: State): boolean {
  return a.seq !== b.seq ? a.seq > b.seq : a.updatedAt >= b.updatedAt;
}

/**
 * Why the dashboard's state is not the one the app last wrote, if it is not:
 * the app last wrote a later one (`written`, the journal's), or it posted a
 * snapshot of a later one before the dashboard was last changed — the app
 * never writes a dashboard older than a snapshot it has posted, so someone
 * else put an earlier version of the dashboard back.
 */
function rolledBack(
  dashboard: Comment,
  state: State,
  snapshots: ReadonlyArray<{ comment: Comment; state: State }>,
  written: number | undefined,
): string | undefined {
  const later = Math.max(
    written ?? 0,
    ...snapshots.filter((each) => each.comment.createdAt < dashboard.updatedAt).map((each) => each.state.seq),
  );
  if (later <= state.seq) return undefined;
  return `it holds an earlier state (the app's write ${state.seq}) than the one the app last wrote (write ${later}): someone put an earlier version of the dashboard back, and it was not taken`;
}

export function stateFromComments(comments: Comment[], key: Buffer, issue?: number, written?: number): Loaded {
  const stateOf = (comment: Comment): State | undefined => {
    if (!comment.bot) return undefined;
    const decoded = decodeState(comment.body, key);
    // A valid block copied from another issue is a replay, not this issue's state.
    const ours = (named: number | undefined) => issue === undefined || named === undefined || named === issue;
    if (!decoded.ok && decoded.unreadable !== undefined && ours(decoded.unreadable.issue))
      throw new UnreadableState(decoded.unreadable, comments, decoded.reason);
    return decoded.ok && ours(decoded.state.issue) ? decoded.state : undefined;
  };
  // The dashboard first: the snapshots (each brought up to this version when older) are read only when it fails, or to check it.
  let rejected: { comment: Comment; state: State; reason: string } | undefined;
  for (const comment of comments) {
    const state = hasMarker(comment.body, dashboardMarker) ? stateOf(comment) : undefined;
    if (state === undefined) continue;
    const snapshots = comments.flatMap((other) => {
      const snapshot =
        other === comment || hasMarker(other.body, dashboardMarker) || other.author !== comment.author
          ? undefined
          : stateOf(other);
      return snapshot === undefined ? [] : [{ comment: other, state: snapshot }];
    });
    const reason = rolledBack(comment, state, snapshots, written);
    if (reason === undefined)
      return {
        comments,
        dashboard: comment,
        state,
        fingerprint: fingerprintOf(comment.body)!,
        appLogin: comment.author,
      };
    rejected = { comment, state, reason };
    break;
  }
  let newest: { comment: Comment; state: State } | undefined = rejected;
  for (const comment of comments) {
    const state = hasMarker(comment.body, dashboardMarker) ? undefined : stateOf(comment);
    if (state !== undefined && (newest === undefined || newer(state, newest.state))) newest = { comment, state };
  }
  const appLogin = newest?.comment.author;
  // Another bot's comment with the marker is never the dashboard: the app could not edit it anyway.
  const dashboard =
    rejected?.comment ??
    (appLogin === undefined
      ? undefined
      : comments.find(
          (comment) => comment.bot && comment.author === appLogin && hasMarker(comment.body, dashboardMarker),
        ));
  const base: Loaded = { comments, ...(dashboard === undefined ? {} : { dashboard }) };
  if (newest === undefined) return base;
  return {
    ...base,
    state: newest.state,
    fingerprint: fingerprintOf(newest.comment.body)!,
    appLogin: newest.comment.author,
    restored:
      rejected?.reason ??
      (dashboard === undefined ? "the dashboard is missing" : reasonOf(decodeState(dashboard.body, key))),
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
    return decoded.ok && decoded.state.issue === issue && decoded.state.status === "paused"
      ? [{ id: candidate.id, state: decoded.state }]
      : [];
  });
  const named = checkpoints.find((checkpoint) => checkpoint.id === comment);
  if (named === undefined) return { comment, found: false };
  const latestAt = checkpoints.reduce(
    (latest, checkpoint) => (checkpoint.state.updatedAt > latest ? checkpoint.state.updatedAt : latest),
    named.state.updatedAt,
  );
  const batches = Object.fromEntries(Object.entries(named.state.batches).map(([id, batch]) => [id, batch.status]));
  return { comment, found: true, at: named.state.updatedAt, latestAt, batches };
}

function reasonOf(decoded: ReturnType<typeof decodeState>): string {
  return decoded.ok ? "the dashboard's state belongs to another issue" : decoded.reason;
}
