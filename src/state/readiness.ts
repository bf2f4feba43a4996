import type { Batch } from "../plan/planModel.js";
import type { State } from "./stateSchema.js";

/** Accepted or skipped: done with, for the batches that wait for it and for the finish. */
export function isSettled(status: string | undefined): boolean {
  return status === "accepted" || status === "skipped";
}

/** What a batch waits for: its declared dependencies and the orderings the planner added. */
export function waitsFor(batch: Batch): string[] {
  return [...batch.needs, ...batch.after];
}

/** Everything the batch waits for is accepted or skipped. */
export function dependenciesSettled(state: State, batch: Batch): boolean {
  return waitsFor(batch).every((id) => isSettled(state.batches[id]?.status));
}

/** Pending (or waiting for its redo) with everything it waits for settled: it runs next, as agents and domains free up. */
export function isReady(state: State, batch: Batch): boolean {
  const status = state.batches[batch.id]!.status;
  return (status === "pending" || status === "redo") && dependenciesSettled(state, batch);
}
