import type { Batch } from "../plan/planModel.js";
import { matchesAny } from "../plan/glob.js";
import type { ReportResult } from "../report/reportBlock.js";
import type { Report } from "../report/reportSchema.js";
import type { BatchState } from "./stateSchema.js";

/** What GitHub shows of a finished batch run: its pull request and the runner's report. */
export interface Evidence {
  /** `baseSha`: the integration branch's head, when the pull request is merged already. */
  pr?: { number: number; headSha: string; files: string[]; merged: boolean; baseSha?: string };
  report: ReportResult;
}

export type Verdict = "accept" | "minor" | "major";

export interface CheckIn {
  verdict: Verdict;
  /** What a person (and a redo's agent) should read, most important first. */
  findings: string[];
  /** Changed files outside the batch's scope, for annotations and the redo's brief. */
  outOfScope: string[];
  /** A red flag that does not change the verdict on its own. */
  slow: boolean;
  report?: Report;
}

/** The check-in: the seed's validation checklist of one batch run, with its verdict. */
export function checkIn(batch: Batch, state: BatchState, evidence: Evidence, minutes: number, runId: number): CheckIn {
  const findings: string[] = [];
  let major = false;
  let minor = false;

  const report =
    evidence.report.ok && evidence.report.report.run === runId && evidence.report.report.batch === batch.id
      ? evidence.report.report
      : undefined;
  if (report === undefined) {
    findings.push(
      evidence.report.ok
        ? `The report belongs to run ${evidence.report.report.run} of batch ${evidence.report.report.batch}, not to run ${runId} of batch ${batch.id}.`
        : `Report: ${evidence.report.reason}.`,
    );
    minor = true;
  } else if (report.status === "Blocked") {
    findings.push(`The agent reports Blocked${report.blockers.length > 0 ? `: ${report.blockers.join("; ")}` : "."}`);
    major = true;
  } else if (report.status === "Needs Review") {
    findings.push(`The agent asks for review${report.blockers.length > 0 ? `: ${report.blockers.join("; ")}` : "."}`);
    major = true;
  }

  const changed = evidence.pr?.files ?? [];
  const reverted = report?.outOfScope.map((item) => item.file) ?? [];
  const outOfScope = [...new Set([...changed.filter((file) => !inScope(file, batch)), ...reverted])];
  if (outOfScope.length > 0) {
    const strike = state.scopeStrikes + 1;
    findings.push(
      `Scope: ${outOfScope.length} file${outOfScope.length === 1 ? "" : "s"} outside the batch (${outOfScope.slice(0, 10).join(", ")}${outOfScope.length > 10 ? ", …" : ""})${strike > 1 ? " — the second time" : ""}. Leave them to their owners.`,
    );
    if (strike > 1) major = true;
    else minor = true;
  }
  if (evidence.pr === undefined && report?.status === "Complete") {
    findings.push("No pull request: the run reports Complete but committed nothing.");
    minor = true;
  }

  const failed = report?.acceptance.filter((item) => !item.passed) ?? [];
  for (const item of failed) {
    findings.push(`Acceptance failed: ${item.check}${item.output === "" ? "" : ` — ${lastLine(item.output)}`}`);
    minor = true;
  }

  const slow = minutes > batch.estimate * 1.5;
  if (slow)
    findings.push(`Red flag: took ${Math.round(minutes)} min, over 150 % of the ${batch.estimate}-minute estimate.`);

  // ⚠ allows one redo; a second minor check-in needs a person.
  if (minor && !major && state.redos >= 1) {
    findings.push("Already redone once: a person decides (`/approve`, `/retry` or `/skip`).");
    major = true;
  }
  const verdict: Verdict = major ? "major" : minor ? "minor" : "accept";
  return { verdict, findings, outOfScope, slow, ...(report === undefined ? {} : { report }) };
}

/** Whether a changed file is one the batch may change; workflows never are. */
export function inScope(file: string, batch: Batch): boolean {
  if (file.startsWith(".github/workflows/")) return false;
  return matchesAny(file, batch.scope.allow) && !matchesAny(file, batch.scope.deny);
}

function lastLine(output: string): string {
  const lines = output.trim().split("\n");
  return lines[lines.length - 1]!.slice(0, 200);
}
