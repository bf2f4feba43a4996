import { codeSpan, inlineText } from "../base/markdownText.js";
import type { FinalPullRequestSummary, FinalStep, Finish } from "../state/messages.js";
import { numbered } from "./batchNames.js";

/**
 * The seed's tier-2 report: changes by domain, integration points, issues met,
 * next steps, quality figures.
 */
export function finishComment(finish: Finish): string {
  const lines = [`### ✅ Feature complete: ${inlineText(finish.title)}`, ""];
  lines.push("#### Changes by domain", "");
  for (const { domain, batches } of finish.domains) {
    lines.push(`**${domain}**`);
    for (const { batch, accepted, pr, changes } of batches) {
      lines.push(`- ${accepted ? "✅" : "⏭ skipped"} ${numbered(batch)}${pr === undefined ? "" : ` (#${pr})`}`);
      for (const change of changes) {
        lines.push(
          `  - ${codeSpan(change.line === undefined ? change.file : `${change.file}:${change.line}`)} ${inlineText(change.summary)}`,
        );
      }
    }
    lines.push("");
  }
  const points = finish.points.map(({ point, batch }) => `- ${inlineText(point)} (batch ${batch})`);
  if (points.length > 0) lines.push("#### Integration points", "", ...points, "");
  const issues = finish.issues.map(
    ({ batch, outcomes }) => `- ${numbered(batch)}: ${outcomes.map((outcome) => outcome ?? "running").join(" → ")}`,
  );
  lines.push(
    "#### Issues met",
    "",
    ...(issues.length > 0 ? issues : ["- None: every batch was accepted on its first run."]),
    "",
  );
  if (finish.notes.length > 0)
    lines.push("#### Decisions and notes", "", ...finish.notes.map((note) => `- ${inlineText(note)}`), "");

  const { firstTry, accepted, rework, total, integrationIssues } = finish.quality;
  const percent = (part: number, whole: number) => (whole === 0 ? "—" : `${Math.round((100 * part) / whole)} %`);
  lines.push(
    "#### Quality",
    "",
    "| figure | value | target |",
    "| --- | --- | --- |",
    `| first-try acceptance | ${percent(firstTry, accepted)} (${firstTry}/${accepted}) | > 90 % |`,
    `| rework | ${percent(rework, total)} (${rework}/${total}) | < 10 % |`,
    `| integration issues | ${integrationIssues} | < 1 |`,
    "",
    "#### Next steps",
    "",
    nextStep(finish.next),
    "- Delete the batch branches once merged.",
  );
  return lines.join("\n");
}

function nextStep(next: FinalStep): string {
  if (next.kind === "nothingAccepted") return "- Nothing was accepted, so there is nothing to merge.";
  const branches = `\`${next.integration}\` into \`${next.base}\``;
  if (next.kind === "pullRequest") return `- Review and merge #${next.pr} (${branches}); it closes this issue.`;
  return `- GitHub opened no pull request from ${branches}: ${inlineText(next.reason ?? "no reason given")}. \`${next.base}\` may already hold the accepted work; check \`${next.integration}\`, then close this issue by hand.`;
}

/** The final pull request's body: it closes the issue. */
export function finalPullRequestBody(summary: FinalPullRequestSummary): string {
  const { accepted, skipped } = summary;
  return [
    `Closes #${summary.issue}.`,
    "",
    `${accepted} batch${accepted === 1 ? "" : "es"} accepted${skipped > 0 ? `, ${skipped} skipped` : ""}, coordinated by parallel-coordinator. The summary is on the issue.`,
    "",
    ...summary.batches.map(
      ({ batch, accepted: done, pr }) =>
        `- [${done ? "x" : " "}] ${batch.number}. ${inlineText(batch.title)}${pr === undefined ? "" : ` (#${pr})`}`,
    ),
  ].join("\n");
}
