import type { Verdict } from "./checkIn.js";
import type { Approval } from "./events.js";
import type { BriefRequest } from "./dispatchInputs.js";
import type { FinalPullRequestSummary, Message } from "./messages.js";

/**
 * What the core asks the shell to do on GitHub, as data. Each is carried out
 * idempotently (see src/github/effects/); some answer with an event that the
 * core decides on next (a dispatch's run id, a merge's commit, a conflict).
 * What people and agents read (comments, the final pull request's body, the
 * check run's text, the brief) is described, not written: src/render/ writes
 * it when the effect is carried out.
 */
export type Effect =
  | { kind: "createBranch"; branch: string; sha: string }
  | {
      kind: "dispatch";
      batch: string;
      attempt: number;
      key: string;
      /** The domain branch the run works on. */
      ref: string;
      /** Create the domain branch at this commit first (its first batch); a branch left from before is moved there. */
      create?: string;
      /**
       * Move the domain branch back to this commit first (the integration branch's head),
       * dropping what is on it that the integration branch lacks: a rejected run's commits.
       */
      reset?: string;
      /** With `reset`: the batch's pull request, which held the rejected commits, closes. */
      close?: number;
      /** Bring the domain branch up to date with this branch first (Merges API), keeping what is on it. */
      sync?: string;
      /** The agent workflow's inputs but the brief. */
      inputs: Record<string, string>;
      /** What the brief, the last input, is written from. */
      brief: BriefRequest;
    }
  | { kind: "cancelRun"; batch: string; runId: number }
  | {
      kind: "checkRun";
      batch: string;
      /** The run checked in: one check run per run. */
      run: number;
      sha: string;
      verdict: Verdict;
      /** Over 150 % of the estimate: a red flag that does not change the verdict. */
      slow: boolean;
      findings: string[];
      outOfScope: string[];
    }
  /**
   * `sha`: merge only if the head is still the one checked in (or the one a person approved).
   * `head` and `base`: the pull request's branches (the domain's, the integration branch),
   * compared on a conflict. `approval`: the `/approve` that asked for it, answered by the merge's outcome.
   */
  | {
      kind: "merge";
      batch: string;
      pr: number;
      sha: string;
      title: string;
      head: string;
      base: string;
      approval?: Approval;
    }
  /** `key`: the hidden marker that makes the comment once. */
  | { kind: "comment"; key: string; message: Message }
  /** A skipped batch's work leaves its domain branch: its pull request closes, the branch goes back to `sha`. */
  | { kind: "withdraw"; batch: string; pr: number; branch: string; sha: string }
  | { kind: "openFinalPullRequest"; head: string; base: string; title: string; summary: FinalPullRequestSummary };

export type EffectKind = Effect["kind"];
