import { runKey } from "./names.js";
import type { State } from "./stateSchema.js";

/** A run of the agent workflow that GitHub says has completed, as far as the coordination reads it. */
export interface CompletedRun {
  id: number;
  /** The batch run its name names (see `parseRunKey`). */
  key: { issue: number; batch: string; attempt: number };
  conclusion: string | null;
  createdAt: string;
}

/**
 * What a completed run is to the coordination: the app's own run to check in;
 * one to adopt first (dispatched where GitHub gave no id, found by its key);
 * or nothing to do (another coordination's, one already checked in, one
 * `/pause` cancelled that really stopped).
 */
export function roleOfCompletedRun(state: State, run: CompletedRun): "checkIn" | "adopt" | undefined {
  const own = state.batches[run.key.batch];
  const last = own?.runs[own.runs.length - 1];
  if (own === undefined || last === undefined) return undefined;
  const recorded = own.runs.find((candidate) => candidate.id === run.id);
  // Already checked in (a redelivery), or cancelled by /pause and really stopped: nothing to read.
  // One /pause cancelled that finished first still has its work to check in (decide() judges).
  if (
    recorded?.outcome !== undefined &&
    !(recorded.outcome === "cancelled" && run.conclusion === "success" && recorded.completedAt === undefined)
  )
    return undefined;
  if (recorded !== undefined) return "checkIn";
  // An earlier coordination of the same issue used the same keys: only a run made since this one started is its own.
  const adopt =
    last.id === undefined &&
    last.outcome === undefined &&
    last.key === runKey(run.key.issue, run.key.batch, run.key.attempt) &&
    Date.parse(run.createdAt) >= Date.parse(state.startedAt);
  return adopt ? "adopt" : undefined;
}
