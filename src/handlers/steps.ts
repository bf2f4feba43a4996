import type { Locks } from "../github/stores/lock.js";
import { issueKey } from "../github/stores/journal.js";
import { messageOf, retryAfterMs, statusOf } from "../github/calls/httpErrors.js";
import { showOnDashboard } from "../github/stores/dashboardComment.js";
import { faultBanner, type Fault } from "../render/faultBanner.js";
import { UnreadableState } from "../github/stores/loadState.js";
import { ensureComment } from "../github/calls/issueComments.js";
import { commentMarker } from "../github/stores/markers.js";
import type { IssueRef, RepoRef } from "../github/calls/githubTypes.js";
import { renderMessage } from "../render/renderMessage.js";
import { stateVersion } from "../state/stateSchema.js";
import { readConditionally, type ConditionalCache } from "../github/calls/conditionalRequests.js";
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
export function stepRunner(locks: Locks, options: StepOptions): Deps["run"] {
  return async (context: StepOrigin, where: IssueRef | RepoRef, work: () => Promise<void>) => {
    readConditionally(context.octokit, options.reads);
    // An issue's coordination, or a repository's onboarding: one step of each at a time.
    const key = "issue" in where ? issueKey(where) : `onboarding:${where.owner}/${where.repo}`;
    const shown =
      "issue" in where && options.faults !== undefined ? faultShown(context, where, options.faults) : undefined;
    const attempt = async (tries: number): Promise<void> => {
      try {
        await locks.withLock(key, work);
        await shown?.succeeded();
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
          await shown?.failed(error, undefined);
          if (options.wait) throw error;
          return;
        }
        const wait = Math.max(delay, retryAfterMs(error));
        context.log.error({ ...log, retryInMs: wait }, "coordination step failed; trying it again later");
        await shown?.failed(error, wait);
        setTimeout(() => void attempt(tries + 1), wait).unref();
      }
    };
    const step = attempt(0);
    if (options.wait) await step;
  };
}

export interface StepOptions {
  wait: boolean;
  /** Where the answers to the step's repeated reads are kept (see conditionalRequests.ts). */
  reads: ConditionalCache;
  retryDelays: readonly number[];
  /**
   * Say on the dashboard that a step keeps failing, once it has failed for
   * `afterMs` (a minute by default): since when, what GitHub answered, when
   * the next try is; taken off when the step succeeds. `key` finds the
   * dashboard; `clock` is the time now, in ms.
   */
  faults?: { key: Buffer; afterMs: number; clock?: () => number };
}

/**
 * The banner of one step on its issue's dashboard: shown once the step has
 * failed for `afterMs`, brought up to date at each later failure, taken off
 * when it succeeds. Best effort: GitHub may be failing the banner's write too.
 */
function faultShown(context: StepOrigin, where: IssueRef, options: NonNullable<StepOptions["faults"]>) {
  const clock = options.clock ?? Date.now;
  let since: number | undefined;
  let latest: Fault | undefined;
  let shown = false;
  let done = false;
  const show = async (banner: string | undefined) => {
    try {
      await showOnDashboard(context.octokit, where, options.key, banner);
      shown = banner !== undefined;
    } catch (error) {
      context.log.warn(
        { err: error, delivery: context.id, step: issueKey(where) },
        "could not say on the dashboard that the step keeps failing",
      );
    }
  };
  return {
    async failed(error: unknown, wait: number | undefined): Promise<void> {
      const now = clock();
      since ??= now;
      const status = statusOf(error);
      const failing: Fault = {
        since,
        ...(status === undefined ? {} : { status }),
        message: messageOf(error),
        ...(wait === undefined ? {} : { next: now + wait }),
      };
      latest = failing;
      if (now - since >= options.afterMs) {
        await show(faultBanner(failing));
        return;
      }
      // Not failing for long enough yet: the banner comes when it is, unless the step succeeded or failed again by then.
      if (wait !== undefined && now + wait > since + options.afterMs) {
        setTimeout(
          () => void (done || latest !== failing ? undefined : show(faultBanner(failing))),
          since + options.afterMs - now,
        ).unref();
      }
    },
    async succeeded(): Promise<void> {
      done = true;
      if (shown) await show(undefined);
    },
  };
}

/** Says once per issue and state version why the app leaves the issue alone. */
async function tellUnreadable(context: StepOrigin, where: IssueRef, error: UnreadableState): Promise<void> {
  const { version, reason } = error.unreadable;
  const marker = commentMarker(`unreadable-state-v${version}`);
  const body = renderMessage({
    kind: "unreadableState",
    version,
    reads: stateVersion,
    ...(reason === undefined ? {} : { reason }),
  });
  try {
    await ensureComment(context.octokit, where, error.comments, marker, `${body}\n\n${marker}`);
  } catch (failure) {
    context.log.error(
      { err: failure, delivery: context.id, step: `${where.owner}/${where.repo}#${where.issue}` },
      "could not say on the issue why it is left alone",
    );
  }
}
