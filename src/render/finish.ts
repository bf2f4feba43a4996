import { codeSpan, inlineText, thousands } from "../base/markdownText.js";
import { formatMinutes } from "../base/minutes.js";
import { dollars, type BudgetView } from "../state/budget.js";
import type { FinalPullRequestSummary, FinalStep, Finish, HistoryEntry } from "../state/messages.js";
import type { AgentFigures } from "../state/scorecard.js";
import type { Decision } from "../state/stateSchema.js";
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
    ({ batch, history }) => `- ${numbered(batch)}: ${history.map(historyText).join(" → ")}`,
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
    ...byAgent(finish.scorecard),
    ...(finish.budget === undefined ? [] : [`Budget: ${budgetText(finish.budget)}.`, ""]),
    "#### Next steps",
    "",
    nextStep(finish.next),
    "- Delete the batch branches once merged.",
  );
  return lines.join("\n");
}

const decided: Record<Decision["decision"], string> = { approve: "approved", retry: "retried", skip: "skipped" };

function historyText(entry: HistoryEntry): string {
  return "decision" in entry ? `${decided[entry.decision]} by @${entry.by}` : (entry.run ?? "running");
}

/** The scorecard: one row per agent; usage columns when any agent reported it. */
function byAgent(entries: readonly AgentFigures[]): string[] {
  if (entries.length === 0) return [];
  const usage = entries.some((entry) => entry.usage !== undefined);
  const share = (fraction: number) => `${Math.round(fraction * 100)} %`;
  const rows = entries.map((entry) => {
    const cells = [
      codeSpan(entry.agent),
      String(entry.batches),
      share(entry.firstTry),
      share(entry.redo),
      share(entry.outOfScope),
      share(entry.blocked),
      `${entry.overEstimate.median} · ${entry.overEstimate.worst}`,
    ];
    if (usage) {
      const usd = entry.usage?.usd;
      cells.push(
        entry.usage?.tokens === undefined ? "—" : thousands(entry.usage.tokens),
        usd === undefined ? "—" : dollars(usd),
        usd === undefined || entry.accepted === 0 ? "—" : dollars(usd / entry.accepted),
      );
    }
    return `| ${cells.join(" | ")} |`;
  });
  const head = [
    "agent",
    "batches",
    "first try",
    "redo",
    "out of scope",
    "blocked",
    "time ÷ estimate (median · worst)",
    ...(usage ? ["tokens", "cost", "cost per accepted batch"] : []),
  ];
  return ["#### By agent", "", `| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`, ...rows, ""];
}

/** `85 min of 120 min of agent time, $4.20 of $10.00`: what is spent, of the budget where there is one. */
export function budgetText(budget: BudgetView): string {
  const { spent, limit } = budget;
  const parts = [
    `${formatMinutes(spent.minutes)}${limit.minutes === undefined ? "" : ` of ${formatMinutes(limit.minutes)}`} of agent time`,
  ];
  if (spent.usd !== undefined || limit.usd !== undefined)
    parts.push(`${dollars(spent.usd ?? 0)}${limit.usd === undefined ? "" : ` of ${dollars(limit.usd)}`}`);
  return `${parts.join(", ")} spent`;
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
