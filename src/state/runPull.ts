import type { ReportResult } from "../report/reportBlock.js";

/** A batch pull request into the integration branch, as much of it as the check-in reads. */
export interface PullRecord {
  number: number;
  /** The branch it comes from: a domain branch. */
  head: string;
  headSha: string;
  open: boolean;
  merged: boolean;
  mergedAt?: string;
  /** The integration branch's commit the merge made. */
  mergeSha?: string;
  /** The runner's report in its body. */
  report: ReportResult;
}

/** Whether a report is this run's: its issue, its batch and its run id. */
export function namesRun(report: ReportResult, issue: number, batch: string, runId: number): boolean {
  return report.ok && report.report.issue === issue && report.report.batch === batch && report.report.run === runId;
}

/**
 * The pull request a run is checked in on. A domain branch serves all its
 * domain's batches one after another, so the branch alone does not say whose a
 * pull request is: the report in its body does. The one whose report names
 * the run — open, merged already (by a step that then failed, or by a
 * person), or closed (for a redo, by a step that then failed: a closed pull
 * request keeps its head, so its files are still the run's) — and otherwise
 * only an open one with no readable report, which is judged with the reason.
 * A pull request that names another run is never this run's.
 */
export function pullOfRun(
  pulls: readonly PullRecord[],
  branch: string,
  issue: number,
  batch: string,
  runId: number,
): PullRecord | undefined {
  const fromBranch = pulls.filter((pull) => pull.head === branch);
  const named = fromBranch.filter((pull) => namesRun(pull.report, issue, batch, runId));
  return (
    named.find((pull) => pull.open) ??
    named.find((pull) => pull.merged) ??
    named[0] ??
    fromBranch.find((pull) => pull.open && !pull.report.ok)
  );
}
