import type { Evidence } from "./checkIn.js";
import type { Command } from "../commands/parse.js";
import type { BatchStatus } from "./status.js";

/**
 * What happened, in the core's own words. Handlers make these from webhooks;
 * the shell makes the `…ed` ones from the answers to effects. `at` is always a
 * time GitHub recorded (the payload's), never the app's clock.
 */
export type Event =
  | { kind: "start"; at: string }
  | { kind: "advance"; at: string }
  | { kind: "dispatched"; at: string; batch: string; attempt: number; runId?: number }
  | { kind: "dispatchRefused"; at: string; batch: string; reason: string }
  /**
   * `files`: changed on both sides since the merge base (GitHub names no conflicting file); absent when
   * they could not be listed. `integrationHead`: the integration branch's head as the comparison saw it.
   */
  | { kind: "syncConflict"; at: string; batch: string; branch: string; files?: string[]; integrationHead?: string }
  | {
      kind: "runCompleted";
      at: string;
      runId: number;
      conclusion: string;
      /** Minutes from the run's start to its end. */
      minutes: number;
      evidence?: Evidence;
    }
  | { kind: "merged"; at: string; batch: string; sha: string; approval?: Approval }
  /**
   * `moved`: new commits on the pull request since its check-in (the merge asks for the
   * head checked in, or approved), and `head` the one it has now; `files` and `integrationHead`: of a conflict, as for `syncConflict`.
   */
  | {
      kind: "mergeRefused";
      at: string;
      batch: string;
      reason: string;
      cause: "conflict" | "moved" | "refused";
      files?: string[];
      head?: string;
      integrationHead?: string;
      approval?: Approval;
    }
  /** The final pull request, or why GitHub would not open one (no commits between the branches). */
  | { kind: "finalPullRequest"; at: string; number: number }
  | { kind: "finalPullRequestRefused"; at: string; reason: string }
  /**
   * A command from a person allowed to give it; `comment` keys the answer, so a redelivery answers once.
   * `checkpoint`: what the shell found of the checkpoint a `/resume` names.
   */
  | { kind: "command"; at: string; by: string; comment: number; command: Command; checkpoint?: NamedCheckpoint };

/**
 * The checkpoint a `/resume @…` names, as found among the issue's comments: one
 * of the app's signed snapshots of this coordination, paused. `at` is when it
 * was taken, `latestAt` when the newest was; `batches` its batches' statuses.
 */
export type NamedCheckpoint =
  | { comment: number; found: false }
  | { comment: number; found: true; at: string; latestAt: string; batches: Record<string, BatchStatus> };

export type EventKind = Event["kind"];

/** The `/approve` a merge carries out: its comment (which its answer is keyed by), who gave it, and the head approved. */
export interface Approval {
  comment: number;
  by: string;
  sha: string;
}
