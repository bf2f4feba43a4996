import type { Batch, Plan } from "../plan/planModel.js";
import type { DashboardView } from "../state/dashboardView.js";
import type { BatchStatus, CoordinationStatus } from "../state/status.js";
import { formatMinutes } from "../base/minutes.js";
import { inlineText, oneLine, safeUrl, tableCode, truncate } from "../base/markdownText.js";
import { dependencyGraph, gantt, type DiagramOptions } from "./mermaid.js";
import { progressBar } from "./progress.js";
import { budgetText } from "./finish.js";

export interface DashboardOptions {
  /**
   * Characters the dashboard aims to stay under. The diagrams are shortened,
   * then left out (with a note) to fit; the rest is always shown. Default
   * 25,000: GitHub caps a comment at 65,536 and the state shares the comment.
   */
  budget?: number;
}

export const DEFAULT_DASHBOARD_BUDGET = 25_000;
/** Longest title shown in the checklist; the brief carries the full one. */
export const CHECKLIST_TITLE_MAX = 120;
const NOTE_MAX = 160;
const LIST_MAX = 20;

/** The mark after a batch's checklist line. */
export function statusMark(status: BatchStatus): string {
  switch (status) {
    case "pending":
      return "";
    case "dispatched":
    case "running":
    case "checking":
      return `🔄 ${status}`;
    case "accepted":
      return "✅ accepted";
    case "redo":
      return "⚠ redo";
    case "blocked":
      return "⛔ blocked";
    case "skipped":
      return "⏭ skipped";
  }
}

/** Accepted and skipped batches are ticked. */
export function isTicked(status: BatchStatus): boolean {
  return status === "accepted" || status === "skipped";
}

const COORDINATION_MARK: Record<CoordinationStatus, string> = {
  planned: "📝 planned",
  running: "▶️ running",
  paused: "⏸ paused",
  blocked: "⛔ blocked",
  done: "✅ done",
  aborted: "⏹ aborted",
};

const LEVEL_MEANING: Record<1 | 2 | 3, string> = {
  1: "one agent would do",
  2: "one feature for 2–4 agents",
  3: "an epic: better split into features",
};

const COUNT_ORDER: BatchStatus[] = [
  "accepted",
  "skipped",
  "dispatched",
  "running",
  "checking",
  "redo",
  "blocked",
  "pending",
];

function statusOf(view: DashboardView | undefined, id: string): BatchStatus {
  return view?.batches[id]?.status ?? "pending";
}

function positions(plan: Plan): Map<string, number> {
  return new Map(plan.batches.map((b, i) => [b.id, i + 1] as const));
}

function refs(ids: string[], position: Map<string, number>): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const id of ids) {
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(position.has(id) ? String(position.get(id)) : inlineText(id));
  }
  return out.join(", ");
}

/** `- [ ] **1.** Title — backend · 20 min · needs 2, 3 · 🔄 running · [details](…) · #45 — note` (#45: its sub-issue) */
export function checklistLine(
  plan: Plan,
  batch: Batch,
  view?: DashboardView,
  position: Map<string, number> = positions(plan),
): string {
  const status = statusOf(view, batch.id);
  const parts = [`${inlineText(batch.domain === "" ? "no domain" : batch.domain)}`, formatMinutes(batch.estimate)];
  const needs = batch.needs.filter((id) => id !== batch.id);
  if (needs.length > 0) parts.push(`needs ${refs(needs, position)}`);
  const after = batch.after.filter((id) => id !== batch.id && !needs.includes(id));
  if (after.length > 0) parts.push(`after ${refs(after, position)}`);
  const mark = statusMark(status);
  if (mark !== "") parts.push(mark);
  const entry = view?.batches[batch.id];
  const url = entry?.link === undefined ? undefined : safeUrl(entry.link);
  if (url !== undefined) parts.push(`[details](${url})`);
  if (entry?.subIssue !== undefined) parts.push(`#${entry.subIssue}`);
  const title = inlineText(truncate(oneLine(batch.title), CHECKLIST_TITLE_MAX));
  let line = `- [${isTicked(status) ? "x" : " "}] **${position.get(batch.id) ?? 0}.** ${title} — ${parts.join(" · ")}`;
  if (entry?.note !== undefined && oneLine(entry.note) !== "")
    line += ` — ${inlineText(truncate(oneLine(entry.note), NOTE_MAX))}`;
  return line;
}

function capped(items: string[], render: (item: string) => string, what: string): string[] {
  const lines = items.slice(0, LIST_MAX).map(render);
  if (items.length > LIST_MAX) lines.push(`- … and ${items.length - LIST_MAX} more ${what}`);
  return lines;
}

function statusLine(plan: Plan, view: DashboardView | undefined): string {
  const counts = new Map<BatchStatus, number>();
  for (const batch of plan.batches) {
    const status = statusOf(view, batch.id);
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }
  const tally = COUNT_ORDER.filter((s) => (counts.get(s) ?? 0) > 0).map((s) => `${counts.get(s)} ${s}`);
  const status = view?.status ?? "planned";
  return `**Status**: ${COORDINATION_MARK[status]}${tally.length > 0 ? ` — ${tally.join(" · ")}` : ""}`;
}

function scheduleLine(plan: Plan): string {
  const s = plan.schedule;
  const work = plan.batches.reduce((sum, b) => sum + b.estimate, 0);
  const over = s.lowerBound > 0 ? Math.round(((s.makespan - s.lowerBound) / s.lowerBound) * 1000) / 10 : 0;
  const versus = s.makespan <= s.lowerBound ? "reached" : `${over}% above it`;
  const agents = `${s.agents} agent${s.agents === 1 ? "" : "s"}`;
  const batches = `${plan.batches.length} batch${plan.batches.length === 1 ? "" : "es"}`;
  return (
    `**Schedule**: about **${formatMinutes(s.makespan)}** with up to ${agents} at once, for ${formatMinutes(work)} of work in ${batches}` +
    ` · lower bound ${formatMinutes(s.lowerBound)} (${versus})` +
    ` · phase by phase ${formatMinutes(s.phaseMakespan)}` +
    ` · ${s.optimal ? "optimal" : "best found in the search time"}`
  );
}

function levelLine(plan: Plan): string {
  const { level, score, parts } = plan.level;
  return (
    `**Level ${level}** (${LEVEL_MEANING[level]}) · score ${score}/20: ` +
    `scope ${parts.scope}/5, time ${parts.time}/5, agents ${parts.agents}/4, ` +
    `dependencies ${parts.dependencies}/3, documentation ${parts.documentation}/3`
  );
}

function conflictSection(plan: Plan): string[] {
  if (plan.conflicts.length === 0) return [];
  const position = positions(plan);
  const rows = plan.conflicts.slice(0, LIST_MAX).map((c) => {
    const waiting = c.domains.filter((d) => d !== c.owner);
    const others = c.batches.filter((id) => plan.batches.find((b) => b.id === id)?.domain !== c.owner);
    const wait =
      waiting.length === 0
        ? "—"
        : `${waiting.map(inlineText).join(", ")}${others.length > 0 ? ` (batch ${refs(others, position)})` : ""}`;
    return `| ${tableCode(c.file)} | ${inlineText(c.owner)} | ${wait} |`;
  });
  const lines = [
    "### Conflict zones",
    "",
    "A file touched by more than one domain has one owner; the other domains leave it alone and wait for the owner's batches.",
    "",
    "| File | Owner | Waits |",
    "| --- | --- | --- |",
    ...rows,
  ];
  if (plan.conflicts.length > LIST_MAX)
    lines.push("", `… and ${plan.conflicts.length - LIST_MAX} more conflict zones.`);
  return lines;
}

function details(summary: string, body: string): string[] {
  return ["<details>", `<summary>${summary}</summary>`, "", body, "", "</details>"];
}

interface DiagramChoice {
  graph: DiagramOptions | "omit";
  gantt: DiagramOptions | "omit";
}

const DIAGRAM_CHOICES: DiagramChoice[] = [
  { graph: {}, gantt: {} },
  { graph: { compact: true }, gantt: {} },
  { graph: { compact: true }, gantt: { compact: true } },
  { graph: "omit", gantt: { compact: true } },
  { graph: "omit", gantt: "omit" },
];

/** Renders each diagram variant at most once while the dashboard looks for one that fits. */
function diagramSection(
  plan: Plan,
  choice: DiagramChoice,
  graph: (options: DiagramOptions) => string,
  chart: (options: DiagramOptions) => string,
): string[] {
  const lines: string[] = [];
  const n = plan.batches.length;
  if (choice.graph === "omit") {
    lines.push(
      `<sub>The dependency graph of ${n} batches is left out to keep this comment within GitHub's size limit.</sub>`,
    );
  } else {
    lines.push(...details("Dependency graph", graph(choice.graph)));
  }
  lines.push("");
  if (choice.gantt === "omit") {
    lines.push(
      `<sub>The schedule chart of ${n} batches is left out to keep this comment within GitHub's size limit.</sub>`,
    );
  } else {
    lines.push(...details("Schedule (Gantt)", chart(choice.gantt)));
  }
  return lines;
}

function memo(render: (options: DiagramOptions) => string): (options: DiagramOptions) => string {
  const cache = new Map<boolean, string>();
  return (options) => {
    const key = options.compact === true;
    let text = cache.get(key);
    if (text === undefined) {
      text = render(options);
      cache.set(key, text);
    }
    return text;
  };
}

/**
 * The dashboard comment: title, status, progress, the checklist (one GitHub
 * task-list line per batch, in checklist order), schedule figures, level,
 * conflict zones, warnings, notes, then the dependency graph and the Gantt in
 * `<details>`. Pure and deterministic: the same plan and view give the same text.
 */
export function renderDashboard(plan: Plan, view?: DashboardView, options: DashboardOptions = {}): string {
  const budget = options.budget ?? DEFAULT_DASHBOARD_BUDGET;
  const position = positions(plan);
  const statuses: Record<string, BatchStatus> = {};
  for (const batch of plan.batches) statuses[batch.id] = statusOf(view, batch.id);
  const done = plan.batches.filter((b) => isTicked(statuses[b.id] ?? "pending")).length;
  const title =
    plan.title === undefined || oneLine(plan.title) === "" ? "" : `: ${inlineText(truncate(oneLine(plan.title), 200))}`;

  const head: string[] = [
    `## Parallel coordination${title}`,
    "",
    statusLine(plan, view),
    "",
    progressBar(done, plan.batches.length),
    ...(view?.budget === undefined ? [] : ["", `**Budget**: ${budgetText(view.budget)}`]),
    "",
    "### Batches",
    "",
    ...(plan.batches.length === 0
      ? ["_No batches._"]
      : plan.batches.map((b) => checklistLine(plan, b, view, position))),
    "",
    scheduleLine(plan),
    "",
    levelLine(plan),
  ];
  const conflicts = conflictSection(plan);
  if (conflicts.length > 0) head.push("", ...conflicts);
  if (plan.warnings.length > 0) {
    head.push(
      "",
      "### Warnings",
      "",
      ...capped(plan.warnings, (w) => `- ⚠ ${inlineText(truncate(oneLine(w), 300))}`, "warnings"),
    );
  }
  const notes = (view?.notes ?? []).filter((n) => oneLine(n) !== "");
  if (notes.length > 0) {
    head.push("", "### Notes", "", ...capped(notes, (n) => `- ${inlineText(truncate(oneLine(n), 300))}`, "notes"));
  }
  const top = head.join("\n");

  const graph = memo((o) => dependencyGraph(plan, statuses, o));
  const chart = memo((o) => gantt(plan, statuses, o));
  let result = "";
  for (const choice of DIAGRAM_CHOICES) {
    result = `${top}\n\n${diagramSection(plan, choice, graph, chart).join("\n")}\n`;
    if (result.length <= budget) break;
  }
  return result;
}
