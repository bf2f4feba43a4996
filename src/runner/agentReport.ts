import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { REPORT_PATH } from "../render/batchBrief.js";
import { ReportSchema, type Report } from "../report/reportSchema.js";
import { codeSpan, truncate } from "../base/markdownText.js";

/** The fields of the report an agent may fill; the runner sets the rest itself. */
export const AGENT_FIELDS = [
  "status",
  "summary",
  "changes",
  "integrationPoints",
  "blockers",
  "agent",
  "usage",
] as const;
const RUNNER_FIELDS = new Set(["version", "issue", "batch", "run", "acceptance", "outOfScope"]);
const MAX_BYTES = 1024 * 1024;

export type AgentReport = Partial<Pick<Report, (typeof AGENT_FIELDS)[number]>>;

export interface AgentReportResult {
  /** Whether the agent wrote the file at all. */
  found: boolean;
  report: AgentReport;
  /** What was ignored, and why: for the report's readers. */
  notes: string[];
}

export function agentReportPath(root: string): string {
  return join(root, REPORT_PATH);
}

/** A report left from an earlier run must not speak for this one. */
export function clearAgentReport(root: string): void {
  rmSync(agentReportPath(root), { force: true });
}

/**
 * `.parallel-coordinator/report.json`, written by the agent (never committed):
 * each field it may fill is taken when valid and ignored with a note when
 * not, so one bad field does not cost the others.
 */
export function readAgentReport(root: string): AgentReportResult {
  const path = agentReportPath(root);
  if (!existsSync(path)) return { found: false, report: {}, notes: [] };
  const where = `\`${REPORT_PATH}\``;
  if (!statSync(path).isFile()) return { found: true, report: {}, notes: [`${where} is not a file: ignored.`] };
  if (statSync(path).size > MAX_BYTES) return { found: true, report: {}, notes: [`${where} is over 1 MiB: ignored.`] };
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    return {
      found: true,
      report: {},
      notes: [`${where} is not valid JSON (${codeSpan(truncate((error as Error).message, 200))}): ignored.`],
    };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { found: true, report: {}, notes: [`${where} is not a JSON object: ignored.`] };
  }
  const record = value as Record<string, unknown>;
  const report: Record<string, unknown> = {};
  const notes: string[] = [];
  for (const field of AGENT_FIELDS) {
    if (!(field in record)) continue;
    const parsed = ReportSchema.shape[field].safeParse(record[field]);
    if (parsed.success) report[field] = parsed.data;
    else
      notes.push(
        `${where}: field \`${field}\` ignored: ${codeSpan(truncate(parsed.error.issues.map((issue) => `${issue.path.length > 0 ? `${issue.path.join(".")}: ` : ""}${issue.message}`).join("; "), 300))}.`,
      );
  }
  const unknown = Object.keys(record).filter(
    (key) => !(AGENT_FIELDS as readonly string[]).includes(key) && !RUNNER_FIELDS.has(key),
  );
  if (unknown.length > 0)
    notes.push(
      `${where}: unknown field${unknown.length === 1 ? "" : "s"} ${unknown
        .slice(0, 10)
        .map((key) => codeSpan(truncate(key, 60)))
        .join(", ")} ignored.`,
    );
  return { found: true, report: report as AgentReport, notes };
}
