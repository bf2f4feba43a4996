import type { Batch, Plan } from "../plan/planModel.js";
import type { BatchStatus } from "../state/status.js";
import { oneLine, truncate } from "../base/markdownText.js";

/**
 * Mermaid diagrams of a plan, as fenced ```mermaid blocks GitHub renders.
 *
 * Titles come from issue authors, so every label is cleaned of what Mermaid's
 * syntax reserves. Mermaid's own entity codes (`#quot;`, `#35;`) keep the
 * characters visible in the rendered diagram: Mermaid turns `#name;` into a
 * placeholder before it parses and back into `&name;` in the SVG, so the
 * parser never sees the raw character.
 */

/** Batch id → status. Batches not in the map are pending. */
export type StatusMap = Readonly<Record<string, BatchStatus | undefined>>;

export interface DiagramOptions {
  /** Longest title kept in a label (longer ones end with `…`). Default 48. */
  maxTitle?: number;
  /** Labels with the number and a short title only, for large plans. */
  compact?: boolean;
}

const DEFAULT_MAX_TITLE = 48;
const COMPACT_MAX_TITLE = 20;

/** Wraps a diagram's text in a ```mermaid fence. */
export function mermaidFence(body: string): string {
  return `\`\`\`mermaid\n${body}\n\`\`\``;
}

/** Entity for a character, in Mermaid's `#…;` form. */
function entity(c: string): string {
  switch (c) {
    case '"':
      return "#quot;";
    case "<":
      return "#lt;";
    case ">":
      return "#gt;";
    case "&":
      return "#amp;";
    default:
      return `#${c.codePointAt(0) ?? 32};`;
  }
}

/**
 * Text for a quoted flowchart label `id["…"]`: one line; `"` and the
 * characters that start entities (`#`), HTML (`<`, `>`, `&`), Markdown strings
 * (backtick), directives (`%%{…}%%`) and Mermaid's own style rewriting (`:`)
 * become entity codes. Brackets, parentheses, braces and `|` are safe inside
 * quotes and stay as they are.
 */
export function flowchartLabel(text: string): string {
  return oneLine(text).replace(/["<>&#`%:]/gu, entity);
}

/**
 * Text for a Gantt task or section name: one line, with `:` (starts the task's
 * data), `;` and `#` (end it) and `%` (comments, directives) as entity codes,
 * and HTML's `<`, `>`, `&`, `"` too, so no markup reaches the page.
 */
export function ganttText(text: string): string {
  return oneLine(text).replace(/[#:;%<>&"]/gu, entity);
}

/**
 * Safe node ids, one per batch, derived from the batch id: `1` → `b1`,
 * `2.5` → `b2_5`, `models` → `b_models`; a clash gets a numeric suffix.
 */
export function nodeIds(plan: Plan): Map<string, string> {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const batch of plan.batches) {
    if (ids.has(batch.id)) continue;
    const clean = batch.id.replace(/[^A-Za-z0-9]/gu, "_");
    const base = /^[0-9]/u.test(clean) ? `b${clean}` : `b_${clean}`;
    let id = base;
    for (let n = 2; used.has(id); n += 1) id = `${base}_${n}`;
    used.add(id);
    ids.set(batch.id, id);
  }
  return ids;
}

/** The domains in order of first appearance in the checklist. */
function domainsOf(plan: Plan): string[] {
  const seen: string[] = [];
  for (const batch of plan.batches) if (!seen.includes(batch.domain)) seen.push(batch.domain);
  return seen;
}

function minutesLabel(minutes: number): string {
  return `${Math.round(minutes * 10) / 10}m`;
}

function batchLabel(batch: Batch, position: number, options: DiagramOptions): string {
  const max = options.compact ? COMPACT_MAX_TITLE : (options.maxTitle ?? DEFAULT_MAX_TITLE);
  const title = truncate(oneLine(batch.title), max);
  if (options.compact) return `${position}. ${title}`;
  return `${position}. ${title} (${batch.domain}, ${minutesLabel(batch.estimate)})`;
}

/** Why the planner ordered `later` after `earlier`: the short text on a dotted edge. */
export function afterReason(plan: Plan, earlier: Batch, later: Batch): string {
  const zone = plan.conflicts.find((c) => c.batches.includes(earlier.id) && c.batches.includes(later.id));
  if (zone !== undefined) {
    return earlier.domain === zone.owner && later.domain !== zone.owner ? "owner first" : "shares file";
  }
  if (earlier.files.some((f) => later.files.includes(f))) return "shares file";
  return "after";
}

const STATUS_STYLE: Record<Exclude<BatchStatus, "pending">, string> = {
  dispatched: "fill:#ddf4ff,stroke:#0969da,color:#1f2328",
  running: "fill:#ddf4ff,stroke:#0969da,color:#1f2328,stroke-width:2px",
  checking: "fill:#ddf4ff,stroke:#0969da,color:#1f2328,stroke-dasharray:4 3",
  accepted: "fill:#dafbe1,stroke:#1a7f37,color:#1f2328",
  redo: "fill:#fff8c5,stroke:#9a6700,color:#1f2328",
  blocked: "fill:#ffebe9,stroke:#cf222e,color:#1f2328",
  skipped: "fill:#f6f8fa,stroke:#8c959f,color:#57606a,stroke-dasharray:4 3",
};
const STATUS_ORDER = ["dispatched", "running", "checking", "accepted", "redo", "blocked", "skipped"] as const;

/**
 * A Mermaid `flowchart` of the batches: one node per batch (`N. title (domain,
 * 20m)`) inside one subgraph per domain, a solid edge per declared dependency
 * (`needs`), a dotted, labelled edge per ordering the planner added (`after`),
 * and, given statuses, one class per status.
 */
export function dependencyGraph(plan: Plan, statuses?: StatusMap, options: DiagramOptions = {}): string {
  const ids = nodeIds(plan);
  const byId = new Map(plan.batches.map((b) => [b.id, b] as const));
  const position = new Map(plan.batches.map((b, i) => [b.id, i + 1] as const));
  const lines = ["flowchart TD"];

  const domainIds = new Set<string>();
  for (const domain of domainsOf(plan)) {
    const clean = domain.replace(/[^A-Za-z0-9]/gu, "_");
    let id = `d_${clean}`;
    for (let n = 2; domainIds.has(id); n += 1) id = `d_${clean}_${n}`;
    domainIds.add(id);
    lines.push(`  subgraph ${id}["${flowchartLabel(domain === "" ? "(no domain)" : domain)}"]`);
    for (const batch of plan.batches) {
      if (batch.domain !== domain) continue;
      const label = batchLabel(batch, position.get(batch.id) ?? 0, options);
      lines.push(`    ${ids.get(batch.id)}["${flowchartLabel(label)}"]`);
    }
    lines.push("  end");
  }

  const drawn = new Set<string>();
  for (const batch of plan.batches) {
    const to = ids.get(batch.id);
    for (const need of batch.needs) {
      const from = ids.get(need);
      if (from === undefined || to === undefined || need === batch.id || drawn.has(`${need}\n${batch.id}`)) continue;
      drawn.add(`${need}\n${batch.id}`);
      lines.push(`  ${from} --> ${to}`);
    }
  }
  for (const batch of plan.batches) {
    const to = ids.get(batch.id);
    for (const earlierId of batch.after) {
      const from = ids.get(earlierId);
      const earlier = byId.get(earlierId);
      if (from === undefined || to === undefined || earlier === undefined || earlierId === batch.id) continue;
      if (drawn.has(`${earlierId}\n${batch.id}`)) continue;
      drawn.add(`${earlierId}\n${batch.id}`);
      lines.push(`  ${from} -.->|"${afterReason(plan, earlier, batch)}"| ${to}`);
    }
  }

  if (statuses !== undefined) {
    for (const status of STATUS_ORDER) {
      const members = plan.batches.filter((b) => statuses[b.id] === status).map((b) => ids.get(b.id));
      if (members.length === 0) continue;
      lines.push(`  classDef ${status} ${STATUS_STYLE[status]}`);
      lines.push(`  class ${members.join(",")} ${status}`);
    }
  }
  return mermaidFence(lines.join("\n"));
}

const GANTT_EPOCH = Date.UTC(2000, 0, 1);

/**
 * A schedule minute as a Gantt date. The dates are read in the viewer's local
 * time and shown in it too, so minute 20 reads `00:20` in every time zone
 * (`dateFormat X`, Unix seconds, would show the viewer's UTC offset instead).
 */
function ganttDate(minutes: number): string {
  const at = new Date(GANTT_EPOCH + Math.round(minutes * 60) * 1000);
  const two = (n: number): string => String(n).padStart(2, "0");
  return `${at.getUTCFullYear()}-${two(at.getUTCMonth() + 1)}-${two(at.getUTCDate())} ${two(at.getUTCHours())}:${two(at.getUTCMinutes())}:${two(at.getUTCSeconds())}`;
}

function ganttDuration(minutes: number): string {
  return Number.isInteger(minutes) ? `${minutes}m` : `${Math.max(1, Math.round(minutes * 60))}s`;
}

function ganttTag(status: BatchStatus | undefined): string | undefined {
  switch (status) {
    case "accepted":
    case "skipped":
      return "done";
    case "dispatched":
    case "running":
    case "checking":
      return "active";
    case "redo":
    case "blocked":
      return "crit";
    default:
      return undefined;
  }
}

/**
 * A Mermaid `gantt` of the schedule on a relative clock starting at 00:00: one
 * section per domain, one task per batch at `plan.schedule.start[id]` for its
 * estimate. Given statuses, finished batches are `done`, running ones
 * `active`, blocked ones and redos `crit`.
 */
export function gantt(plan: Plan, statuses?: StatusMap, options: DiagramOptions = {}): string {
  const ids = nodeIds(plan);
  const position = new Map(plan.batches.map((b, i) => [b.id, i + 1] as const));
  const startOf = (batch: Batch): number => {
    const start = plan.schedule.start[batch.id];
    return start !== undefined && Number.isFinite(start) && start >= 0 ? start : 0;
  };
  const end = plan.batches.reduce((max, b) => Math.max(max, startOf(b) + b.estimate), 0);
  const lines = [
    "gantt",
    "  dateFormat YYYY-MM-DD HH:mm:ss",
    end < 24 * 60 ? "  axisFormat %H:%M" : "  axisFormat day %-d, %H:%M",
    "  todayMarker off",
  ];
  for (const domain of domainsOf(plan)) {
    lines.push(`  section ${ganttText(domain === "" ? "(no domain)" : domain)}`);
    const batches = plan.batches
      .map((batch, index) => ({ batch, index }))
      .filter(({ batch }) => batch.domain === domain)
      .sort((a, b) => startOf(a.batch) - startOf(b.batch) || a.index - b.index);
    for (const { batch } of batches) {
      const max = options.compact ? COMPACT_MAX_TITLE : (options.maxTitle ?? DEFAULT_MAX_TITLE);
      const name = `${position.get(batch.id) ?? 0}. ${truncate(oneLine(batch.title), max)}`;
      const data = [
        ganttTag(statuses?.[batch.id]),
        ids.get(batch.id),
        ganttDate(startOf(batch)),
        ganttDuration(batch.estimate),
      ];
      lines.push(`  ${ganttText(name)} :${data.filter((d) => d !== undefined).join(", ")}`);
    }
  }
  return mermaidFence(lines.join("\n"));
}
