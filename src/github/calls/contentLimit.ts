import Bottleneck from "bottleneck";
import type { ProbotOctokit } from "probot";

type OctokitOptions = NonNullable<ConstructorParameters<typeof ProbotOctokit>[0]>;

/**
 * The requests that create content people are notified of (a comment, an
 * issue, a pull request, a merge: @octokit/plugin-throttling's list), per
 * installation, within GitHub's documented limit: at most 80 a minute and 500
 * an hour ("About secondary rate limits", REST API). Probot's own group spaces
 * them 3 s apart, 20 a minute — 50 features labelled at once would wait 150 s
 * for their last dashboard — and lets 1,200 through in an hour. Here they go
 * 800 ms apart (75 a minute, some room for the timers' jitter; every write also
 * waits a second after the last, Probot's `write` group) while a bucket of 80
 * lasts, one coming back every 9 s: in any hour fewer than 500 (80, and one
 * each 9 s). An installation's bucket unused for an hour is forgotten, when it
 * is full again anyway. Each process keeps its own.
 */
export const contentCreation = new Bottleneck.Group({
  maxConcurrent: 1,
  minTime: 800,
  reservoir: 80,
  reservoirIncreaseAmount: 1,
  reservoirIncreaseInterval: 9_000,
  reservoirIncreaseMaximum: 80,
  timeout: 3_600_000,
});

/** Probot's Octokit class (Probot's own, or one made from it), with the limit above for content creation. */
export function withContentLimit(Octokit: typeof ProbotOctokit): typeof ProbotOctokit {
  // A function, not an object: Probot gives each instance `throttle` options of its own, which would replace ours.
  return Octokit.defaults((instance: OctokitOptions) => ({
    ...instance,
    throttle: { ...instance.throttle, notifications: contentCreation },
  })) as typeof ProbotOctokit;
}
