import type { Plan } from "../plan/planModel.js";
import type { State } from "../state/stateSchema.js";
import { codeSpan, inlineText, listItem } from "../base/markdownText.js";
import { progressBar } from "./progress.js";

/** The batch's checklist number and title, as people read it. */
function name(plan: Plan, id: string): string {
  const index = plan.batches.findIndex((batch) => batch.id === id);
  return `Batch ${index + 1} — ${inlineText(plan.batches[index]?.title ?? id)}`;
}

function counts(plan: Plan, state: State): { accepted: number; skipped: number } {
  const statuses = plan.batches.map((batch) => state.batches[batch.id]?.status);
  return { accepted: statuses.filter((s) => s === "accepted").length, skipped: statuses.filter((s) => s === "skipped").length };
}

/** A blocker, for a person: what stopped, why, and the three ways on. */
export function blockerComment(plan: Plan, state: State, id: string, at: string): string {
  const own = state.batches[id]!;
  const number = plan.batches.findIndex((batch) => batch.id === id) + 1;
  const { accepted, skipped } = counts(plan, state);
  const domain = plan.batches[number - 1]!.domain;
  // Its commits are on the domain branch, in its pull request: the domain's next batches would build on them.
  const held = own.pr === undefined ? [] : plan.batches.filter((batch) => batch.domain === domain && state.batches[batch.id]!.status === "pending");
  const heldNote = held.length === 0 ? "" : ` ${inlineText(domain)}'s next batches wait too (${held.map((batch) => name(plan, batch.id)).join("; ")}): this batch's work is on their branch, in #${own.pr}.`;
  return [
    `### ⛔ Blocker: ${name(plan, id)}`,
    "",
    listItem(">", own.blocker ?? "blocked"),
    "",
    `Other batches that do not wait for this one go on.${heldNote} To decide:`,
    "",
    `- \`/approve ${number}\` takes the batch as it is (its pull request merges, dependents go on)`,
    `- \`/retry ${number}\` runs it again`,
    `- \`/skip ${number}\` leaves it out (${own.pr === undefined ? "" : `#${own.pr} closes unmerged, `}dependents go on without it)`,
    "",
    `${progressBar(accepted + skipped, plan.batches.length)} · ${at}`,
  ].join("\n");
}

/**
 * The seed's tier-2 report: changes by domain, integration points, issues met,
 * next steps, quality figures. `refused`: why GitHub opened no final pull request.
 */
export function finishComment(plan: Plan, state: State, refused?: string): string {
  const lines = [`### ✅ Feature complete: ${inlineText(plan.title ?? `#${state.issue}`)}`, ""];
  const domains = [...new Set(plan.batches.map((batch) => batch.domain))];
  lines.push("#### Changes by domain", "");
  for (const domain of domains) {
    lines.push(`**${domain}**`);
    for (const batch of plan.batches.filter((candidate) => candidate.domain === domain)) {
      const own = state.batches[batch.id]!;
      const mark = own.status === "accepted" ? "✅" : "⏭ skipped";
      lines.push(`- ${mark} ${name(plan, batch.id)}${own.pr === undefined ? "" : ` (#${own.pr})`}`);
      for (const change of own.changes.slice(0, 10)) {
        lines.push(`  - ${codeSpan(change.line === undefined ? change.file : `${change.file}:${change.line}`)} ${inlineText(change.summary)}`);
      }
    }
    lines.push("");
  }
  const points = plan.batches.flatMap((batch) => state.batches[batch.id]!.integrationPoints.map((point) => `- ${inlineText(point)} (batch ${plan.batches.indexOf(batch) + 1})`));
  if (points.length > 0) lines.push("#### Integration points", "", ...points, "");
  const issues = plan.batches.flatMap((batch) => {
    const own = state.batches[batch.id]!;
    return own.runs.some((run) => run.outcome !== "accepted") ? [`- ${name(plan, batch.id)}: ${own.runs.map((run) => run.outcome ?? "running").join(" → ")}`] : [];
  });
  lines.push("#### Issues met", "", ...(issues.length > 0 ? issues : ["- None: every batch was accepted on its first run."]), "");
  if (state.notes.length > 0) lines.push("#### Decisions and notes", "", ...state.notes.map((note) => `- ${inlineText(note)}`), "");

  const accepted = plan.batches.filter((batch) => state.batches[batch.id]!.status === "accepted");
  const firstTry = accepted.filter((batch) => state.batches[batch.id]!.runs.length === 1).length;
  const rework = plan.batches.filter((batch) => state.batches[batch.id]!.redos > 0).length;
  const percent = (part: number, whole: number) => (whole === 0 ? "—" : `${Math.round((100 * part) / whole)} %`);
  lines.push(
    "#### Quality",
    "",
    "| figure | value | target |",
    "| --- | --- | --- |",
    `| first-try acceptance | ${percent(firstTry, accepted.length)} (${firstTry}/${accepted.length}) | > 90 % |`,
    `| rework | ${percent(rework, plan.batches.length)} (${rework}/${plan.batches.length}) | < 10 % |`,
    `| integration issues | ${state.integrationIssues} | < 1 |`,
    "",
    "#### Next steps",
    "",
    nextStep(state, accepted.length, refused),
    "- Delete the batch branches once merged.",
  );
  return lines.join("\n");
}

function nextStep(state: State, accepted: number, refused: string | undefined): string {
  const branches = `\`${state.integration}\` into \`${state.base}\``;
  if (accepted === 0) return "- Nothing was accepted, so there is nothing to merge.";
  if (state.finalPr !== undefined) return `- Review and merge #${state.finalPr} (${branches}); it closes this issue.`;
  return `- GitHub opened no pull request from ${branches}: ${inlineText(refused ?? "no reason given")}. \`${state.base}\` may already hold the accepted work; check \`${state.integration}\`, then close this issue by hand.`;
}

/** The final pull request's body: it closes the issue. */
export function finalPullRequestBody(plan: Plan, state: State): string {
  const { accepted, skipped } = counts(plan, state);
  return [
    `Closes #${state.issue}.`,
    "",
    `${accepted} batch${accepted === 1 ? "" : "es"} accepted${skipped > 0 ? `, ${skipped} skipped` : ""}, coordinated by parallel-coordinator. The summary is on the issue.`,
    "",
    ...plan.batches.map((batch, index) => {
      const own = state.batches[batch.id]!;
      return `- [${own.status === "accepted" ? "x" : " "}] ${index + 1}. ${inlineText(batch.title)}${own.pr === undefined ? "" : ` (#${own.pr})`}`;
    }),
  ].join("\n");
}
