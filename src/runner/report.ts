import { reportBlock } from "../report/reportBlock.js";
import { ReportSchema, type Report } from "../report/reportSchema.js";
import { codeSpan, inlineText, truncate } from "../base/markdownText.js";
import type { Check } from "./acceptance.js";
import type { AgentReport } from "./agentReport.js";
import type { BriefHeader } from "./brief.js";

/** A file the published commit changed. */
export interface Change {
  file: string;
  kind: "added" | "modified" | "deleted";
}

/** What one run found, before it becomes the report. */
export interface Outcome {
  issue: number;
  batch: string;
  run: number;
  /** Why the batch cannot be done: the report is Blocked with it. */
  failure?: string;
  agent: AgentReport;
  /** The committed changes. */
  changes: Change[];
  acceptance: Check[];
  outOfScope: Report["outOfScope"];
}

/**
 * The report of a run (validated with the contract's schema). A failure found
 * by the runner (crash, time limit, nothing to commit, a branch it cannot
 * use) makes it Blocked whatever the agent said; otherwise the agent's status
 * counts, Complete when it gave none. The agent's summary, changes,
 * integration points and blockers are used when it wrote them; the changed
 * files stand in for its changes when it did not.
 */
export function buildReport(outcome: Outcome): Report {
  const blockers = [...(outcome.failure === undefined ? [] : [outcome.failure]), ...(outcome.agent.blockers ?? [])];
  const status = outcome.failure !== undefined ? "Blocked" : (outcome.agent.status ?? "Complete");
  const changes =
    outcome.agent.changes ?? outcome.changes.map((change) => ({ file: change.file, summary: change.kind }));
  return ReportSchema.parse({
    version: 1,
    issue: outcome.issue,
    batch: outcome.batch,
    run: outcome.run,
    status,
    changes,
    acceptance: outcome.acceptance,
    integrationPoints: outcome.agent.integrationPoints ?? [],
    blockers,
    outOfScope: outcome.outOfScope,
    summary: outcome.agent.summary ?? (outcome.failure === undefined ? "" : outcome.failure),
    ...(outcome.agent.agent === undefined ? {} : { agent: outcome.agent.agent }),
    ...(outcome.agent.usage === undefined ? {} : { usage: outcome.agent.usage }),
  });
}

/** `[#12] Batch 2 of 6: Title`, or by the batch id when the brief has no header. */
export function pullRequestTitle(issue: number, batch: string, header: BriefHeader | undefined): string {
  const name = header === undefined ? `Batch ${batch}` : `Batch ${header.position} of ${header.total}: ${header.title}`;
  return truncate(`[#${issue}] ${name}`.replace(/\s+/g, " "), 256);
}

const MARK: Record<Report["status"], string> = { Complete: "✅", Blocked: "⛔", "Needs Review": "👀" };

export interface BodyContext {
  title: string;
  runUrl: string;
  attempt: number;
  /** `pull request`: the report of a commit; `comment`: nothing was committed. */
  place: "pull request" | "comment";
  /** Whether this run committed (and pushed) anything. */
  committed: boolean;
  /** Runner notes: ignored fields of the agent's report, folded commits… */
  notes: string[];
  scopeMode: "revert" | "report";
}

function fence(text: string): string {
  let longest = 2;
  for (const run of text.match(/`{3,}/g) ?? []) longest = Math.max(longest, run.length);
  const marks = "`".repeat(longest + 1);
  return `${marks}text\n${text}\n${marks}`;
}

function readable(report: Report, context: BodyContext): string {
  const out: string[] = [];
  out.push(`### ${MARK[report.status]} ${inlineText(context.title)} — ${report.status}`, "");
  out.push(
    `Part of #${report.issue} · batch ${codeSpan(report.batch)} · attempt ${context.attempt} · [run ${report.run}](${context.runUrl})`,
    "",
  );
  if (context.place === "comment") {
    out.push(
      context.committed
        ? "There is no pull request for this run's commit: this comment carries its report."
        : "Nothing was committed, so there is no pull request: this comment carries the run's report.",
      "",
    );
  }
  if (report.summary !== "") out.push(`**Summary**: ${inlineText(report.summary)}`, "");
  if (report.blockers.length > 0) {
    out.push("**Blockers**:", ...report.blockers.map((blocker) => `- ${inlineText(blocker)}`), "");
  }
  if (report.changes.length > 0) {
    out.push("**Changes**:");
    for (const change of report.changes.slice(0, 100)) {
      const place = change.line === undefined ? change.file : `${change.file}:${change.line}`;
      out.push(
        `- ${codeSpan(truncate(place, 200))}${change.summary === "" ? "" : ` — ${inlineText(truncate(change.summary, 300))}`}`,
      );
    }
    if (report.changes.length > 100) out.push(`- … and ${report.changes.length - 100} more (in the JSON below)`);
    out.push("");
  }
  if (report.acceptance.length > 0) {
    out.push("**Acceptance**:");
    for (const check of report.acceptance) {
      const first = check.output.split("\n", 1)[0] ?? "";
      out.push(
        `- ${check.passed ? "✅" : "❌"} ${codeSpan(truncate(check.check, 200))}${first === "" ? "" : ` — ${inlineText(first)}`}`,
      );
      const rest = check.output.split("\n").slice(1).join("\n");
      if (!check.passed && rest.trim() !== "") {
        out.push(
          "",
          "  <details><summary>last lines of output</summary>",
          "",
          fence(rest).replace(/^/gm, "  "),
          "",
          "  </details>",
        );
      }
    }
    out.push("");
  } else {
    out.push("**Acceptance**: no checks ran.", "");
  }
  if (report.outOfScope.length > 0) {
    out.push("**Outside the batch's scope**:");
    for (const item of report.outOfScope) {
      out.push(
        `- ${codeSpan(truncate(item.file, 200))} — ${item.reverted ? "reverted" : "left in place (`scope-mode: report`)"}`,
      );
    }
    out.push("");
  }
  if (report.integrationPoints.length > 0) {
    out.push(
      "**Integration points**:",
      ...report.integrationPoints.map((point) => `- ${inlineText(truncate(point, 500))}`),
      "",
    );
  }
  if (context.notes.length > 0) out.push("**Runner notes**:", ...context.notes.map((note) => `- ${note}`), "");
  return out.join("\n");
}

/** GitHub refuses a body over 65,536 characters; leave room. */
export const BODY_LIMIT = 60_000;
const OUTPUT_CAPS = [4_000, 1_000, 300, 0];

function shrink(report: Report, cap: number): Report {
  const cut = (text: string) => (text.length <= cap ? text : cap === 0 ? "" : `…${text.slice(text.length - cap + 1)}`);
  const few = cap === 0;
  return {
    ...report,
    acceptance: report.acceptance.map((check) => ({ ...check, output: cut(check.output) })),
    changes: few
      ? report.changes.slice(0, 200).map((change) => ({ ...change, summary: truncate(change.summary, 200) }))
      : report.changes,
    integrationPoints: few
      ? report.integrationPoints.slice(0, 50).map((point) => truncate(point, 500))
      : report.integrationPoints,
    blockers: few ? report.blockers.slice(0, 20).map((blocker) => truncate(blocker, 500)) : report.blockers,
    outOfScope: few ? report.outOfScope.slice(0, 200) : report.outOfScope,
    summary: few ? truncate(report.summary, 2_000) : report.summary,
  };
}

/**
 * The pull request body or issue comment: the readable section, then the
 * machine-readable block (`reportBlock()`), last. Long outputs are cut until
 * the whole fits GitHub's limit; the report returned is the one written.
 */
export function reportBody(report: Report, context: BodyContext): { body: string; report: Report } {
  let written = report;
  let body = "";
  for (const cap of OUTPUT_CAPS) {
    written = shrink(report, cap);
    body = `${readable(written, context)}\n${reportBlock(written)}\n`;
    if (body.length <= BODY_LIMIT) break;
  }
  return { body, report: written };
}
