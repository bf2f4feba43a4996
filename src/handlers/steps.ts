import type { Locks } from "../github/stores/lock.js";
import { issueKey } from "../github/stores/journal.js";
import { retryAfterMs } from "../github/calls/httpErrors.js";
import { UnreadableState } from "../github/stores/loadState.js";
import { ensureComment } from "../github/calls/issueComments.js";
import { commentMarker } from "../github/stores/markers.js";
import type { IssueRef, RepoRef } from "../github/calls/githubTypes.js";
import { renderMessage } from "../render/renderMessage.js";
import { stateVersion } from "../state/stateSchema.js";
import type { Deps, StepOrigin } from "./deps.js";

/**
 * How long to wait before running a failed step again. GitHub does not
 * redeliver a webhook by itself, and the app has answered it already: without
 * these retries a step that met a 5xx would wait for the issue's next event.
 */
export const defaultRetryDelays: readonly number[] = [30_000, 120_000, 600_000];

/**
 * Runs coordination steps, one per issue at a time. The delivery is answered
 * first (GitHub waits only 10 s) and the step finishes under the issue's lock;
 * a failed step is logged with its delivery and tried again later (each try is
 * safe: effects are idempotent, the state is written last). With `wait` (tests,
 * the simulator) the delivery waits for the step, and a failure is thrown. A
 * step that finds a state this version cannot take (a newer version wrote it)
 * stops, logs it, says so on the issue once, and is not tried again.
 */
export function stepRunner(locks: Locks, options: { wait: boolean; retryDelays: readonly number[] }): Deps["run"] {
  return async (context: StepOrigin, where: IssueRef | RepoRef, work: () => Promise<void>) => {
    // An issue's coordination, or a repository's onboarding: one step of each at a time.
    const key = "issue" in where ? issueKey(where) : `onboarding:${where.owner}/${where.repo}`;
    const attempt = async (tries: number): Promise<void> => {
      try {
        await locks.withLock(key, work);
      } catch (error) {
        // Not a failure to try again: every try meets the same state; a version that reads it takes the issue up.
        if (error instanceof UnreadableState && "issue" in where) {
          context.log.warn({ delivery: context.id, step: key }, error.message);
          await tellUnreadable(context, where, error);
          return;
        }
        const delay = options.wait ? undefined : options.retryDelays[tries];
        const log = { err: error, delivery: context.id, step: key, attempt: tries + 1 };
        if (delay === undefined) {
          context.log.error(log, "coordination step failed; the issue's next event or a redelivery finishes it");
          if (options.wait) throw error;
          return;
        }
        const wait = Math.max(delay, retryAfterMs(error));
        context.log.error({ ...log, retryInMs: wait }, "coordination step failed; trying it again later");
        setTimeout(() => void attempt(tries + 1), wait).unref();
      }
    };
    const step = attempt(0);
    if (options.wait) await step;
  };
}

/** Says once per issue and state version why the app leaves the issue alone. */
async function tellUnreadable(context: StepOrigin, where: IssueRef, error: UnreadableState): Promise<void> {
  const { version, reason } = error.unreadable;
  const marker = commentMarker(`unreadable-state-v${version}`);
  const body = renderMessage({ kind: "unreadableState", version, reads: stateVersion, ...(reason === undefined ? {} : { reason }) });
  try {
    await ensureComment(context.octokit, where, error.comments, marker, `${body}\n\n${marker}`);
  } catch (failure) {
    context.log.error({ err: failure, delivery: context.id, step: `${where.owner}/${where.repo}#${where.issue}` }, "could not say on the issue why it is left alone");
  }
}
