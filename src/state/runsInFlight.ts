import type { State } from "./stateSchema.js";
import { inFlight } from "./status.js";

/**
 * The runs a coordination waits for, as its state holds them: the latest run
 * of each batch that is dispatched, running or being checked in — its id, or
 * undefined where GitHub gave none (found later by its key).
 */
export function runsInFlight(state: State): Array<number | undefined> {
  return Object.values(state.batches)
    .filter((batch) => inFlight.has(batch.status))
    .map((batch) => batch.runs.at(-1)?.id);
}
