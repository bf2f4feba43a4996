import type { Context } from "probot";
import type { Locks } from "../github/stores/lock.js";
import { retryAfterMs } from "../github/calls/httpErrors.js";
import { NewerState } from "../github/stores/loadState.js";
import type { IssueRef, RepoRef } from "../github/calls/githubTypes.js";
import type { Deps } from "./deps.js";

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
 * step that finds a state written by a newer version of the app stops, logs
 * it, and is not tried again.
 */
export function stepRunner(locks: Locks, options: { wait: boolean; retryDelays: readonly number[] }): Deps["run"] {
  return async (context: Context, where: IssueRef | RepoRef, work: () => Promise<void>) => {
    // An issue's coordination, or a repository's onboarding: one step of each at a time.
    const key = "issue" in where ? `${where.owner}/${where.repo}#${where.issue}` : `onboarding:${where.owner}/${where.repo}`;
    const attempt = async (tries: number): Promise<void> => {
      try {
        await locks.withLock(key, work);
      } catch (error) {
        // Not a failure to try again: during a rolling deploy, a replica of the newer version takes the issue.
        if (error instanceof NewerState) {
          context.log.warn({ delivery: context.id, step: key }, error.message);
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
