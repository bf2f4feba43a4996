import type { Context } from "probot";
import { reconcileCoordination } from "../github/effects/reconcileCoordination.js";
import { loadState } from "../github/stores/loadState.js";
import { dashboardMarker } from "../github/stores/markers.js";
import { decodeState } from "../state/codec.js";
import { logRecovered, sessionOf, type Deps } from "./deps.js";

type CommentContext = Context<"issue_comment.deleted" | "issue_comment.edited">;

/**
 * `issue_comment.deleted` and `issue_comment.edited` of the app's dashboard by
 * a person. The webhook carries the body the dashboard had — its last signed
 * state, the newest there is — and who did it: the dashboard is written again
 * at once from that state, with a note that says what happened and who did it,
 * and the coordination is reconciled with GitHub. An edit that leaves the
 * signed state as it was (a box ticked) changes nothing. Another bot's
 * comment, or one whose earlier body does not verify, is not the app's
 * dashboard: the next event restores from a checkpoint as usual.
 */
export async function onDashboardChanged(context: CommentContext, deps: Deps): Promise<void> {
  const { payload } = context;
  const author = payload.comment.user;
  if (payload.sender.type === "Bot" || author?.type !== "Bot") return;
  const before = payload.action === "edited" ? payload.changes.body?.from : payload.comment.body;
  if (before === undefined || !before.includes(dashboardMarker)) return;
  const where = { owner: payload.repository.owner.login, repo: payload.repository.name, issue: payload.issue.number };
  await deps.run(context, where, async () => {
    const last = decodeState(before, deps.key);
    if (!last.ok || last.state.issue !== where.issue) return;
    const loaded = await loadState(context.octokit, where, deps.key);
    // A dashboard verifies (the edit left its state alone, or a step wrote it again meanwhile): nothing was lost.
    if (loaded.state !== undefined && loaded.restored === undefined) return;
    const who = `@${payload.sender.login}`;
    const comment = payload.comment;
    const edited =
      payload.action === "edited"
        ? {
            id: comment.id,
            body: comment.body ?? "",
            author: author.login,
            bot: true,
            createdAt: comment.created_at,
            updatedAt: comment.updated_at,
          }
        : undefined;
    const restored = {
      ...loaded,
      state: last.state,
      restored: edited === undefined ? `the dashboard was deleted by ${who}` : `its signed state was changed by ${who}`,
      restoredFrom: "lastState" as const,
      appLogin: author.login,
      ...(edited === undefined ? {} : { dashboard: edited }),
    };
    const { recovered } = await reconcileCoordination(sessionOf(context, where, deps), restored, {
      at: comment.updated_at,
      readRuns: true,
    });
    logRecovered(context, recovered);
  });
}
