import { ReportSchema, reportMarker, type Report } from "./reportSchema.js";

export type ReportResult = { ok: true; report: Report } | { ok: false; reason: string };

/** The report in a pull request body or comment: the fenced `json` block after the marker. */
export function reportFrom(markdown: string | null | undefined): ReportResult {
  const text = (markdown ?? "").replace(/\r\n?/g, "\n");
  const at = text.lastIndexOf(reportMarker);
  if (at === -1) return { ok: false, reason: "no report: the runner's report block is missing" };
  const block = /^```json[^\n]*\n([\s\S]*?)\n```/m.exec(text.slice(at + reportMarker.length));
  if (block === null) return { ok: false, reason: "the report marker is not followed by a fenced json block" };
  let value: unknown;
  try {
    value = JSON.parse(block[1]!);
  } catch (error) {
    return { ok: false, reason: `the report is not valid JSON: ${(error as Error).message}` };
  }
  const parsed = ReportSchema.safeParse(value);
  if (!parsed.success) {
    return {
      ok: false,
      reason: `the report does not match its schema: ${parsed.error.issues.map((issue) => `${issue.path.join(".") || "(report)"}: ${issue.message}`).join("; ")}`,
    };
  }
  return { ok: true, report: parsed.data };
}

/**
 * The report as the runner writes it: the marker and a fenced `json` block.
 * `<`, `>` and `&` are written as JSON's `\u` escapes (the same value once
 * parsed), so that the agent's words in it never hold an HTML comment — the
 * app's hidden markers, this report's own — in the body GitHub keeps.
 */
export function reportBlock(report: Report): string {
  const json = JSON.stringify(report, null, 2).replace(
    /[<>&]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return `${reportMarker}\n\`\`\`json\n${json}\n\`\`\``;
}
