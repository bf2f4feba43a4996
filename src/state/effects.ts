import type { Verdict } from "./checkIn.js";

/**
 * What the core asks the shell to do on GitHub. Each is carried out
 * idempotently (see src/github/); some answer with an event that the core
 * decides on next (a dispatch's run id, a merge's commit, a conflict).
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
      /** Create the domain branch at this commit first (its first batch). */
      create?: string;
      /** Bring the domain branch up to date with this branch first (Merges API). */
      sync?: string;
      inputs: Record<string, string>;
    }
  | { kind: "cancelRun"; batch: string; runId: number }
  | {
      kind: "checkRun";
      batch: string;
      /** The run checked in: one check run per run. */
      run: number;
      sha: string;
      verdict: Verdict;
      title: string;
      summary: string;
      outOfScope: string[];
    }
  /**
   * `sha`: merge only if the head is still the one checked in. `head` and `base`: the pull
   * request's branches (the domain's, the integration branch), compared on a conflict.
   */
  | { kind: "merge"; batch: string; pr: number; sha?: string; title: string; head: string; base: string }
  | { kind: "comment"; key: string; body: string }
  /** A skipped batch's work leaves its domain branch: its pull request closes, the branch goes back to `sha`. */
  | { kind: "withdraw"; batch: string; pr: number; branch: string; sha: string }
  | { kind: "openFinalPullRequest"; head: string; base: string; title: string; body: string };

export type EffectKind = Effect["kind"];
