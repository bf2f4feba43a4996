/** A batch's status, the same word everywhere: dashboard, `/status`, simulator. */
export const batchStatuses = [
  "pending",
  "dispatched",
  "running",
  "checking",
  "accepted",
  "redo",
  "blocked",
  "skipped",
] as const;
export type BatchStatus = (typeof batchStatuses)[number];

/** A coordination's status. `paused` is only ever the result of `/pause`. */
export const coordinationStatuses = ["planned", "running", "paused", "blocked", "done", "aborted"] as const;
export type CoordinationStatus = (typeof coordinationStatuses)[number];

/** The statuses that hold an agent (and its domain's branch) busy. */
export const inFlight: ReadonlySet<string> = new Set<BatchStatus>(["dispatched", "running", "checking"]);
