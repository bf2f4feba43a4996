import type { Batch } from "../plan/planModel.js";
import { codeSpan, inlineText, thousands } from "../base/markdownText.js";
import type { ReportResult } from "../report/reportBlock.js";
import type { Report } from "../report/reportSchema.js";
import { judge, type Entry } from "../schedule/judge.js";
import type { Scope } from "../schedule/runScope.js";
import type { BatchState } from "./stateSchema.js";

/** GitHub lists at most this many files of a pull request; `changed_files` counts them all. */
export const PULL_FILES_LISTED = 3_000;

/** A file of a batch's pull request, as GitHub lists it, with its mode in the head's tree. */
export interface ChangedFile {
  path: string;
  /** A rename's old name: it leaves the tree, judged as a deletion. */
  previous?: string;
  /** In the head's tree (`100644`, `100755`, `120000` a symlink, `160000` a submodule); absent when the file was removed. */
  mode?: string;
  /** What a symlink points at (read only when the scope allows symlinks). */
  target?: string;
}

/** What GitHub shows of a finished batch run: its pull request and the runner's report. */
export interface Evidence {
  /**
   * `files`: as GitHub lists them, at most `PULL_FILES_LISTED`; `changedFiles`: how many
   * the pull request changes in all. `baseSha`: the integration branch's head, when the
   * pull request is merged already.
   */
  pr?: {
    number: number;
    headSha: string;
    files: ChangedFile[];
    changedFiles: number;
    merged: boolean;
    baseSha?: string;
  };
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

/**
 * The check-in: the seed's validation checklist of one batch run, with its
 * verdict. Findings are Markdown the blocker, the check run and a redo's brief
 * show as they are: what the report says (or how it failed to read, which may
 * quote it) is put in as data — `inlineText`: one line, Markdown and HTML
 * escaped, so no hidden marker, tag or heading, and no `@name` that mentions
 * someone — and paths and commands as code spans.
 */
export function checkIn(
  batch: Batch,
  scope: Scope,
  state: BatchState,
  evidence: Evidence,
  minutes: number,
  runId: number,
): CheckIn {
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
        ? `The report belongs to run ${evidence.report.report.run} of batch ${inlineText(evidence.report.report.batch)}, not to run ${runId} of batch ${batch.id}.`
        : `Report: ${inlineText(evidence.report.reason)}.`,
    );
    minor = true;
  } else if (report.status === "Blocked") {
    findings.push(
      `The agent reports Blocked${report.blockers.length > 0 ? `: ${report.blockers.map(inlineText).join("; ")}` : "."}`,
    );
    major = true;
  } else if (report.status === "Needs Review") {
    findings.push(
      `The agent asks for review${report.blockers.length > 0 ? `: ${report.blockers.map(inlineText).join("; ")}` : "."}`,
    );
    major = true;
  }

  // The pull request judged as the runner judges the change (schedule/judge.ts): someone may have pushed past the runner.
  const pr = evidence.pr;
  if (pr !== undefined && pr.changedFiles > PULL_FILES_LISTED) {
    findings.push(
      `#${pr.number} changes ${thousands(pr.changedFiles)} files, more than the ${thousands(PULL_FILES_LISTED)} GitHub lists of a pull request: too large to check in. Split the batch, or review the pull request yourself.`,
    );
    major = true;
  }
  const judged = (pr?.files ?? [])
    .flatMap(entriesOf)
    .map((entry) => ({ path: entry.path, verdict: judge(entry, scope) }));
  const refused = judged.flatMap(({ path, verdict }) =>
    verdict.kind === "refused" ? [`${codeSpan(path)} (${verdict.why})`] : [],
  );
  if (refused.length > 0) {
    findings.push(
      `Refused: ${refused.slice(0, REFUSED_SHOWN).join("; ")}${refused.length > REFUSED_SHOWN ? `; and ${refused.length - REFUSED_SHOWN} more` : ""}. The runner puts such changes back: they reached the pull request past it.`,
    );
    major = true;
  }
  const reverted = report?.outOfScope.map((item) => item.file) ?? [];
  const outOfScope = [
    ...new Set([...judged.filter(({ verdict }) => verdict.kind === "outOfScope").map(({ path }) => path), ...reverted]),
  ];
  if (outOfScope.length > 0) {
    const strike = state.scopeStrikes + 1;
    findings.push(
      `Scope: ${outOfScope.length} file${outOfScope.length === 1 ? "" : "s"} outside the batch (${outOfScope.slice(0, 10).map(codeSpan).join(", ")}${outOfScope.length > 10 ? ", …" : ""})${strike > 1 ? " — the second time" : ""}. Leave them to their owners.`,
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
    findings.push(
      `Acceptance failed: ${codeSpan(item.check)}${item.output === "" ? "" : ` — ${inlineText(lastLine(item.output))}`}`,
    );
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

/** Refused paths a finding names one by one; the rest are counted. */
const REFUSED_SHOWN = 10;

/** A file of the pull request as the judge takes it: a rename is its old name deleted and its new one added. */
function entriesOf(file: ChangedFile): Entry[] {
  const added: Entry = {
    path: file.path,
    newMode: file.mode ?? "000000",
    ...(file.target === undefined ? {} : { target: file.target }),
  };
  return file.previous === undefined ? [added] : [{ path: file.previous, newMode: "000000" }, added];
}

function lastLine(output: string): string {
  const lines = output.trim().split("\n");
  return lines[lines.length - 1]!.slice(0, 200);
}
