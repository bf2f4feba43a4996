import { truncate } from "../base/markdownText.js";
import type { Report } from "../report/reportSchema.js";
import type { BatchState } from "./stateSchema.js";

/**
 * How much of an agent's words the state keeps. The report is untrusted and
 * unbounded; the state lives in one comment of at most 65,536 characters with
 * the dashboard, so each batch keeps a bounded share — enough for the context
 * the dependents' briefs carry and for the finish report.
 */
export const limits = {
  summary: 600,
  integrationPoints: 10,
  point: 400,
  changes: 20,
  change: 200,
  findings: 12,
  finding: 500,
  blocker: 1_500,
  conflictFiles: 20,
} as const;

/** What an accepted batch hands on: its summary, integration points and changes, bounded. */
export function keptReport(report: Report): Pick<BatchState, "summary" | "integrationPoints" | "changes"> {
  const more = report.changes.length - limits.changes;
  return {
    summary: truncate(report.summary, limits.summary),
    integrationPoints: report.integrationPoints
      .slice(0, limits.integrationPoints)
      .map((point) => truncate(point, limits.point)),
    changes: [
      ...report.changes.slice(0, limits.changes).map((change) => ({
        ...change,
        file: truncate(change.file, limits.change),
        summary: truncate(change.summary, limits.change),
      })),
      ...(more > 0
        ? [{ file: "…", summary: `and ${more} more change${more === 1 ? "" : "s"} (see the pull request)` }]
        : []),
    ],
  };
}

/** Check-in findings and a blocker's reason, bounded the same way. */
export function keptFindings(findings: string[]): string[] {
  return findings.slice(0, limits.findings).map((finding) => truncate(finding, limits.finding));
}

/** The files of a conflict a batch's brief names: as many as a blocker shows. */
export function keptConflictFiles(files: readonly string[]): string[] {
  return files.slice(0, limits.conflictFiles).map((file) => truncate(file, limits.change));
}

export function keptBlocker(reason: string): string {
  return truncate(reason, limits.blocker);
}
