import type { Batch, Plan } from "../plan/planModel.js";
import type { Acceptance } from "../plan/task.js";
import { estimateText } from "../base/minutes.js";
import { codeSpan, inlineText, listItem, oneLine, thousands, truncate } from "../base/markdownText.js";
import { ownerOf } from "../schedule/fileOwner.js";
import type { BriefContext, ChangeRef, PreviousWork } from "../state/dispatchInputs.js";

/**
 * The seed's scoped prompt for one batch (SKILL.md, Step 4 "Prompt template"),
 * as Markdown, in the seed's order: Batch, Estimated Time, Scope, Context from
 * previous work, Your task, What NOT to do, Check-in criteria, Return.
 *
 * Text from the breakdown is data for the agent: it is shown as written, but
 * always inside a list item (further lines indented under it, fence lines
 * escaped), so it cannot open a section or a code block of its own. Section
 * headings are the only lines that start with `**` at the left margin.
 * What an earlier agent reported (a summary, integration points, changes) is
 * another agent's words: quoted as data, on one line with Markdown and HTML
 * escaped, so that no hidden comment or tag in it reaches this agent unseen.
 */

/** Where the runner wants the machine-readable report. */
export const REPORT_PATH = ".parallel-coordinator/report.json";
/** The three statuses an agent may return, exactly as the seed spells them. */
export const RETURN_STATUSES = ["Complete", "Blocked", "Needs Review"] as const;
export const DEFAULT_BRIEF_LIMIT = 60_000;
/** Later batches named one by one in "What NOT to do"; the rest are counted. */
const LATER_MAX = 8;

/** A block of lines in the context section that may be left out to fit the limit. */
interface ContextItem {
  group: "conflict" | "findings" | "shared" | "batch" | "decisions" | "previous";
  /** Lower goes first when the brief must shrink. */
  dropOrder: number;
  lines: (cap: number) => string;
}

function userItem(marker: string, text: string, cap: number, indent = ""): string {
  return listItem(marker, truncate(text, cap), indent);
}

function changeLine(change: ChangeRef, cap: number): string {
  const place = change.line === undefined ? change.file : `${change.file}:${change.line}`;
  const summary = oneLine(change.summary);
  return `${codeSpan(truncate(place, cap))}${summary === "" ? "" : ` — ${inlineText(truncate(summary, cap))}`}`;
}

function previousItem(plan: Plan, work: PreviousWork, cap: number): string {
  const index = plan.batches.findIndex((b) => b.id === work.batch);
  const name = index >= 0 ? `Batch ${index + 1}` : `Batch ${oneLine(work.batch)}`;
  const domain = index >= 0 ? ` (${plan.batches[index]?.domain})` : "";
  const lines = [listItem("-", `From ${name} - ${truncate(oneLine(work.title), cap)}${domain}, finished:`)];
  if (work.summary !== undefined && oneLine(work.summary) !== "")
    lines.push(listItem("-", `Summary: ${inlineText(truncate(work.summary, cap))}`, "  "));
  for (const point of work.integrationPoints)
    lines.push(listItem("-", `Integration point: ${inlineText(truncate(point, cap))}`, "  "));
  for (const change of work.changes) lines.push(listItem("-", changeLine(change, cap), "  "));
  return lines.join("\n");
}

function contextItems(plan: Plan, batch: Batch, context: BriefContext | undefined): ContextItem[] {
  const items: ContextItem[] = [];
  // Dropped first: the oldest work of finished batches, then decisions, then
  // the plan's shared research and the batch's own context; findings last.
  let order = 0;
  for (const work of context?.previous ?? []) {
    items.push({ group: "previous", dropOrder: order++, lines: (cap) => previousItem(plan, work, cap) });
  }
  for (const decision of context?.decisions ?? []) {
    items.push({ group: "decisions", dropOrder: order++, lines: (cap) => userItem("-", `Decision: ${decision}`, cap) });
  }
  for (const text of plan.context) {
    items.push({ group: "shared", dropOrder: order++, lines: (cap) => userItem("-", text, cap) });
  }
  if (batch.phase !== undefined && oneLine(batch.phase) !== "") {
    const phase = batch.phase;
    items.push({
      group: "batch",
      dropOrder: order++,
      lines: (cap) => listItem("-", `Phase: ${truncate(oneLine(phase), cap)}`),
    });
  }
  for (const text of batch.context) {
    items.push({ group: "batch", dropOrder: order++, lines: (cap) => userItem("-", text, cap) });
  }
  // The contracts of what it depends on: what each batch it needs says it hands on.
  for (const need of batch.needs) {
    const from = plan.batches.find((other) => other.id === need);
    const output = from?.output.filter((item) => item.trim() !== "") ?? [];
    if (from === undefined || output.length === 0) continue;
    const name = `Batch ${plan.batches.indexOf(from) + 1} - ${oneLine(from.title)}`;
    items.push({
      group: "batch",
      dropOrder: order++,
      lines: (cap) => userItem("-", `${truncate(name, 120)} hands on: ${output.join("; ")}`, cap),
    });
  }
  for (const finding of context?.findings ?? []) {
    items.push({ group: "findings", dropOrder: order++, lines: (cap) => userItem("-", finding, cap) });
  }
  const conflict = context?.conflict;
  if (conflict !== undefined) {
    // The files first, and dropped last: they are what this run is for; then the merged work to keep.
    const keep: ContextItem[] = conflict.keep.map((work) => ({
      group: "conflict",
      dropOrder: order++,
      lines: (cap) =>
        previousItem(plan, work, cap).replace(/, finished:$/m, ", merged — keep its work and its contracts:"),
    }));
    const files = conflict.files;
    items.push(
      {
        group: "conflict",
        dropOrder: order++,
        lines: (cap) =>
          files === undefined
            ? "- The files in conflict could not be listed: compare your batch's files with the branch as it is."
            : listItem(
                "-",
                `Files changed on both sides: ${files.map((file) => codeSpan(truncate(file, cap))).join(", ")}`,
              ),
      },
      ...keep,
    );
  }
  return items;
}

const GROUP_ORDER: ContextItem["group"][] = ["conflict", "findings", "shared", "batch", "decisions", "previous"];
const GROUP_HEADING: Record<ContextItem["group"], string | undefined> = {
  conflict:
    "- This batch runs again: its last work conflicted with work merged into the integration branch since. Your branch starts from the integration branch as it is now; do the batch again on top of it:",
  findings: "- This batch is a redo. Fix what the last check-in found:",
  shared: undefined,
  batch: undefined,
  decisions: undefined,
  previous: undefined,
};

function indentBlock(block: string, indent: string): string {
  return block
    .split("\n")
    .map((line) => (line === "" ? "" : `${indent}${line}`))
    .join("\n");
}

/** Batches that follow `batch`: later in its domain, or depending on it (declared or added). */
export function laterBatches(plan: Plan, batch: Batch): Batch[] {
  const index = plan.batches.indexOf(batch);
  return plan.batches.filter(
    (other, i) =>
      other !== batch &&
      ((i > index && other.domain === batch.domain) ||
        other.needs.includes(batch.id) ||
        other.after.includes(batch.id)),
  );
}

/**
 * A line of "Check-in criteria" that the runner runs as an acceptance command
 * (runner/brief.ts reads them back): a code span followed by "passes", as a
 * task's `run:` criterion is written; the command is group 2.
 */
export const COMMAND_LINE = /^- (`+) ?(.+?) ?\1 passes$/;

/** What a withheld command's line says instead of being one the runner runs. */
const WITHHELD = " (a check for you: the runner does not run it)";

function acceptLine(accept: Acceptance, cap: number, withheld: boolean): string {
  const line =
    "run" in accept ? listItem("-", `${codeSpan(truncate(accept.run, cap))} passes`) : userItem("-", accept.check, cap);
  // A check written like a command (`✅ \`cmd\` passes`) runs like one: withheld, neither does.
  return withheld && COMMAND_LINE.test(line.split("\n")[0]!.trimEnd())
    ? line.replace(/^(.*?)(\n|$)/, `$1${WITHHELD}$2`)
    : line;
}

interface Shape {
  /** Context items left out, in drop order. */
  dropped: number;
  /** Longest piece of user text kept. */
  cap: number;
}

function render(plan: Plan, batch: Batch, context: BriefContext | undefined, limit: number, shape: Shape): string {
  const { cap } = shape;
  const index = plan.batches.indexOf(batch);
  const out: string[] = [];

  // Blank lines between the seed's first three lines keep them apart when the brief is rendered.
  out.push(`**Batch**: ${index + 1} of ${plan.batches.length} - ${truncate(oneLine(batch.title), cap)}`, "");
  out.push(`**Estimated Time**: ${estimateText(batch.estimate)}`, "");

  const allowed = batch.scope.allow.length > 0 ? batch.scope.allow : batch.files;
  const agent =
    batch.agent === undefined || oneLine(batch.agent) === "" ? "" : `, agent ${codeSpan(truncate(batch.agent, 80))}`;
  if (allowed.length > 0) {
    out.push(`**Scope**: the ${oneLine(batch.domain)} domain${agent}. Change only these files:`);
    for (const file of allowed) out.push(listItem("-", codeSpan(truncate(file, cap))));
  } else {
    out.push(
      `**Scope**: the ${oneLine(batch.domain)} domain${agent}. No files were named for this batch: change only what the task below needs.`,
    );
  }
  out.push("");

  out.push("**Context from previous work**:");
  const items = contextItems(plan, batch, context);
  const kept = new Set(items.filter((item) => item.dropOrder >= shape.dropped));
  if (Number.isFinite(cap)) {
    out.push(
      `- (Long items are shortened to ${thousands(cap)} characters each to keep this brief within ${thousands(limit)} characters.)`,
    );
  }
  if (shape.dropped > 0) {
    out.push(
      `- (${shape.dropped} item${shape.dropped === 1 ? "" : "s"} of context left out (oldest first) to keep this brief within ${thousands(limit)} characters.)`,
    );
  }
  for (const group of GROUP_ORDER) {
    const members = items.filter((item) => item.group === group && kept.has(item));
    if (members.length === 0) continue;
    const heading = GROUP_HEADING[group];
    if (heading !== undefined) {
      out.push(heading);
      for (const item of members) out.push(indentBlock(item.lines(cap), "  "));
    } else {
      for (const item of members) out.push(item.lines(cap));
    }
  }
  if (items.length === 0) out.push("- None: this batch starts from the code as it is.");
  out.push("");

  out.push("**Your task**:");
  const steps = batch.steps.filter((s) => s.trim() !== "");
  if (steps.length === 0) out.push(userItem("1.", batch.title, cap));
  steps.forEach((step, i) => out.push(userItem(`${i + 1}.`, step, cap)));
  out.push("");

  out.push("**What NOT to do**:");
  const notLines: string[] = [];
  for (const item of batch.notToDo) if (item.trim() !== "") notLines.push(userItem("-", item, cap));
  for (const file of batch.scope.deny) {
    const owner = ownerOf(plan, file, batch.domain);
    notLines.push(
      listItem("-", `Don't change ${codeSpan(truncate(file, cap))} (owned by ${owner ?? "another domain"})`),
    );
  }
  const later = laterBatches(plan, batch);
  for (const other of later.slice(0, LATER_MAX)) {
    const position = plan.batches.indexOf(other) + 1;
    notLines.push(listItem("-", `Don't do Batch ${position}'s work (${truncate(oneLine(other.title), 80)})`));
  }
  if (later.length > LATER_MAX) {
    notLines.push(`- Don't do the work of the ${later.length - LATER_MAX} other batches that come after this one`);
  }
  if (allowed.length > 0)
    notLines.push("- Don't change files outside the scope above: the runner reports every change outside it");
  if (notLines.length === 0) notLines.push("- Don't go beyond the task above");
  out.push(...notLines, "");

  out.push("**Check-in criteria**:");
  const withheld = context?.commandsWithheldFrom;
  if (withheld !== undefined && batch.accept.length > 0) {
    out.push(
      `- (These commands come from an issue ${inlineText(withheld)} wrote, who may not start a coordination: the runner runs only the agent workflow's own checks, not these.)`,
    );
  }
  if (batch.accept.length === 0) out.push("- The changes build and existing tests pass");
  for (const accept of batch.accept) out.push(acceptLine(accept, cap, withheld !== undefined));
  out.push(
    `- Done within about ${estimateText(batch.estimate)} (over ${estimateText(batch.estimate * 1.5)} is a red flag)`,
  );
  out.push("");

  out.push("**Return**:");
  for (const item of batch.output) if (item.trim() !== "") out.push(userItem("-", item, cap));
  out.push("- Summary of changes (file:line format)");
  out.push("- Any blockers or questions for the next batch");
  out.push("- Integration points for other agents (contracts, endpoints, types, with file:line)");
  out.push(`- Status: ${RETURN_STATUSES.join(" | ")}`);
  out.push(`- The same report as JSON in ${codeSpan(REPORT_PATH)}, for the runner`);

  return `${out.join("\n")}\n`;
}

const CAPS = [Number.POSITIVE_INFINITY, 4_000, 1_000, 300, 80];

/**
 * The brief of one batch. Within `limit` characters (default 60,000): the
 * oldest context is left out first (with a note saying how many items), then
 * long pieces of text are shortened; as a last resort the text is cut. The
 * result never exceeds `limit`.
 */
export function briefFor(plan: Plan, batchId: string, context?: BriefContext, limit = DEFAULT_BRIEF_LIMIT): string {
  const batch = plan.batches.find((b) => b.id === batchId);
  if (batch === undefined) throw new Error(`No batch "${batchId}" in the plan`);
  const max = Math.max(0, Math.floor(limit));
  const total = contextItems(plan, batch, context).length;

  for (const cap of CAPS) {
    const full = render(plan, batch, context, max, { dropped: 0, cap });
    if (full.length <= max) return full;
    // Fewest items dropped that fit: the length only shrinks as more are dropped.
    const all = render(plan, batch, context, max, { dropped: total, cap });
    if (all.length > max) continue;
    let lo = 1;
    let hi = total;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (render(plan, batch, context, max, { dropped: mid, cap }).length <= max) hi = mid;
      else lo = mid + 1;
    }
    return render(plan, batch, context, max, { dropped: lo, cap });
  }

  const text = render(plan, batch, context, max, { dropped: total, cap: CAPS[CAPS.length - 1] ?? 80 });
  const tail = `\n\n(Brief cut at ${thousands(max)} characters.)\n`;
  if (max <= tail.length) return cut(text, max);
  return `${cut(text, max - tail.length)}${tail}`;
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end);
}
