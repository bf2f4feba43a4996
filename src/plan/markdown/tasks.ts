import type { ListItem, PhrasingContent, RootContent } from "mdast";
import type { Acceptance, Task } from "../task.js";
import type { Problem } from "../../base/problem.js";
import { MISSING_ESTIMATE, estimateProblem, readEstimate } from "../estimate.js";
import {
  fieldKey,
  isPlainContext,
  isVerbStep,
  leadingLabel,
  parseAgents,
  parseFiles,
  parseNeeds,
  stripCheckMark,
  type FieldKey,
  type Labeled,
} from "./fields.js";
import { readHeadingText } from "./headings.js";
import { collectCodes, renderBlock, renderInline, renderItemBody, splitLines, type Line } from "./render.js";

/** What a task's section holds, in order: its blocks, and sub-headings read as field labels. */
export type Entry = { kind: "block"; node: RootContent } | { kind: "label"; label: string; line: number };

interface Item {
  /** Markdown-ish text: code spans keep their backticks, nested items stay below their parent. */
  text: string;
  /** Plain words, for values parsed further (estimate, agent, dependencies, files). */
  plain: string;
  codes: string[];
  line: number;
}

interface Field {
  /** The label as written (`Depends on`, `Context from Batch 1`); empty for prose. */
  label: string;
  key: FieldKey | "prose" | undefined;
  line: number;
  items: Item[];
  /** True while the label has no value yet, so that a following list or paragraph is its value. */
  attachable: boolean;
}

const SINGLE_VALUED = new Set<Field["key"]>(["domain", "agent", "estimate", "agents", "ignore", "prose"]);

function itemOf(nodes: readonly PhrasingContent[], line: number): Item {
  return {
    text: renderInline(nodes, "markdown").trim(),
    plain: renderInline(nodes, "plain").trim(),
    codes: collectCodes({ type: "paragraph", children: [...nodes] }),
    line,
  };
}

function itemOfListItem(item: ListItem): Item {
  const indent = (text: string) => text.replace(/\n/g, "\n  ").trim();
  return {
    text: indent(renderItemBody(item, "markdown")),
    plain: indent(renderItemBody(item, "plain")),
    codes: collectCodes(item),
    line: item.position?.start.line ?? 1,
  };
}

function itemOfBlock(node: RootContent): Item {
  return {
    text: renderBlock(node, "markdown"),
    plain: renderBlock(node, "plain"),
    codes: collectCodes(node),
    line: node.position?.start.line ?? 1,
  };
}

/** The bold label a list item starts with, if any. */
export function labelOfItem(item: ListItem | undefined): Labeled | undefined {
  const first = item?.children[0];
  if (first?.type !== "paragraph") return undefined;
  const line = splitLines(first)[0];
  return line === undefined ? undefined : leadingLabel(line.nodes);
}

/** Reads the fields of a task's section: bold-colon paragraphs, field lists, sub-headings. */
export function collectFields(entries: readonly Entry[]): Field[] {
  const fields: Field[] = [];
  let open: Field | undefined;

  const openField = (label: string, line: number): Field => {
    const field: Field = { label, key: fieldKey(label), line, items: [], attachable: true };
    fields.push(field);
    open = field;
    return field;
  };
  const addProse = (text: string, line: number) => {
    if (text.trim() === "") return;
    fields.push({ label: "", key: "prose", line, items: [{ text, plain: text, codes: [], line }], attachable: false });
  };
  const canAttach = (field: Field | undefined): field is Field =>
    field !== undefined && (field.attachable || !SINGLE_VALUED.has(field.key));

  const readLines = (lines: readonly Line[]) => {
    let here: Field | undefined;
    for (const line of lines) {
      const labeled = leadingLabel(line.nodes);
      if (labeled !== undefined) {
        here = openField(labeled.label, line.line);
        const value = itemOf(labeled.rest, line.line);
        if (value.text !== "") {
          here.items.push(value);
          here.attachable = false;
        }
        continue;
      }
      const item = itemOf(line.nodes, line.line);
      if (item.text === "") continue;
      if (here !== undefined) here.items.push(item);
      else if (open?.attachable === true) open.items.push(item);
      else addProse(item.text, line.line);
    }
  };

  const fieldItem = (item: ListItem) => {
    const [first, ...others] = item.children;
    if (labelOfItem(item) === undefined || first?.type !== "paragraph") {
      const value = itemOfListItem(item);
      if (open?.attachable === true) open.items.push(value);
      else addProse(value.text, value.line);
      return;
    }
    readLines(splitLines(first));
    valueBlocks(others);
  };

  /** Blocks inside a field's list item, after its label line: its value. */
  const valueBlocks = (blocks: readonly RootContent[]) => {
    const field = open;
    if (field === undefined) return;
    for (const child of blocks) {
      if (child.type === "list") field.items.push(...child.children.map(itemOfListItem));
      else {
        const value = itemOfBlock(child);
        if (value.text !== "") field.items.push(value);
      }
    }
    field.attachable = field.items.length === 0;
  };

  /** A list that is the value of the field above it; an item that runs on into a label (no blank line before it) ends the value there. */
  const valueItems = (items: readonly ListItem[]) => {
    for (const item of items) {
      const split = splitAtLabel(item);
      const value = split?.before ?? item;
      if (canAttach(open)) {
        open.items.push(itemOfListItem(value));
        open.attachable = false;
      } else {
        fieldItem(value);
      }
      if (split === undefined) continue;
      readLines(split.lines);
      valueBlocks(split.rest);
    }
  };

  for (const entry of entries) {
    if (entry.kind === "label") {
      openField(entry.label, entry.line);
      continue;
    }
    const node = entry.node;
    switch (node.type) {
      case "paragraph":
        readLines(splitLines(node));
        break;
      case "list": {
        const first = labelOfItem(node.children[0]);
        // A plain `- Domain: x` list starts fields, unless it is the value of a label just above it.
        const fieldList =
          first !== undefined &&
          (first.plain ? open?.attachable !== true : fieldKey(first.label) !== undefined || !canAttach(open));
        if (fieldList) {
          for (const item of node.children) fieldItem(item);
        } else if (canAttach(open)) {
          valueItems(node.children);
        } else {
          addProse(renderBlock(node, "markdown"), node.position?.start.line ?? 1);
        }
        break;
      }
      case "thematicBreak":
        open = undefined;
        break;
      default: {
        const value = itemOfBlock(node);
        if (value.text === "") break;
        if (canAttach(open)) {
          open.items.push(value);
          open.attachable = false;
        } else {
          addProse(value.text, value.line);
        }
      }
    }
  }
  return fields;
}

/**
 * A list item whose paragraph runs on into a label, as a list does when no
 * blank line comes before the next field (`- last step⏎Acceptance:`): the item
 * up to the label, the lines from the label on, and the item's further blocks,
 * which belong to that label.
 */
function splitAtLabel(item: ListItem): { before: ListItem; lines: Line[]; rest: RootContent[] } | undefined {
  const [first, ...rest] = item.children;
  if (first?.type !== "paragraph") return undefined;
  const lines = splitLines(first);
  const at = lines.findIndex((line, index) => index > 0 && leadingLabel(line.nodes) !== undefined);
  if (at < 0) return undefined;
  const kept = lines
    .slice(0, at)
    .flatMap((line, index): PhrasingContent[] => [
      ...(index === 0 ? [] : [{ type: "text" as const, value: "\n" }]),
      ...line.nodes,
    ]);
  return { before: { ...item, children: [{ ...first, children: kept }] }, lines: lines.slice(at), rest };
}

/** The task fields (domain, agent, estimate) a section's own blocks name, with their lines. */
export function taskFieldsOf(blocks: readonly RootContent[]): Array<{ label: string; line: number }> {
  const found: Array<{ label: string; line: number }> = [];
  const note = (labeled: Labeled | undefined, line: number) => {
    const key = labeled === undefined ? undefined : fieldKey(labeled.label);
    if (labeled !== undefined && (key === "domain" || key === "agent" || key === "estimate"))
      found.push({ label: labeled.label, line });
  };
  for (const block of blocks) {
    if (block.type === "paragraph") for (const line of splitLines(block)) note(leadingLabel(line.nodes), line.line);
    if (block.type === "list")
      for (const item of block.children) note(labelOfItem(item), item.position?.start.line ?? 1);
  }
  return found;
}

/**
 * List items written as tasks (`- **Batch 1: Model**` with `- Domain: backend`
 * nested under it): the item's first line, its line and the task fields below it.
 * Only a heading or a table row is read as a task, so these are reported.
 */
export function listedTasks(blocks: readonly RootContent[]): Array<{ title: string; line: number; labels: string[] }> {
  const found: Array<{ title: string; line: number; labels: string[] }> = [];
  const visit = (nodes: readonly RootContent[]) => {
    for (const block of nodes) {
      if (block.type !== "list") continue;
      for (const item of block.children) {
        const nested = item.children.filter((child) => child.type === "list");
        const labels = taskFieldsOf(nested).map((field) => field.label);
        const first = item.children[0];
        const title =
          first?.type === "paragraph" ? renderInline(splitLines(first)[0]?.nodes ?? [], "plain").trim() : "";
        const heading = readHeadingText(title.replace(/[:：]$/u, ""));
        // A phase with its length (`- Phase 1` / `  - Time: 40 min`) is no task; a numbered item or one with a domain or agent is.
        const looksLikeTask =
          labels.length > 0 &&
          heading.kind !== "phase" &&
          (heading.kind === "numbered" || labels.some((label) => fieldKey(label) !== "estimate"));
        if (looksLikeTask) found.push({ title, line: item.position?.start.line ?? 1, labels });
        else visit(nested);
      }
    }
  };
  visit(blocks);
  return found;
}

/** True when a section's own blocks name a domain, an agent or an estimate. */
export function blocksHaveTaskFields(blocks: readonly RootContent[]): boolean {
  return taskFieldsOf(blocks).length > 0;
}

export interface TaskStart {
  id: string;
  title: string;
  line: number;
  phase?: string;
}

const ESTIMATE_HINT = 'expected minutes or hours such as "20 min", "15-20 min", "25 хв" or "1h"';

/** A task from its heading and the fields of its section. */
export function buildTask(start: TaskStart, entries: readonly Entry[], problems: Problem[]): Task {
  let domain: string | undefined;
  let agent: string | undefined;
  let estimate: number | undefined;
  let estimateRead = false;
  const files: string[] = [];
  const needs: string[] = [];
  const steps: string[] = [];
  const accept: Acceptance[] = [];
  const notToDo: string[] = [];
  const context: string[] = [];
  const output: string[] = [];
  const fieldLines: NonNullable<Task["fieldLines"]> = {};

  for (const field of collectFields(entries)) {
    if (field.key === "estimate" || field.key === "files" || field.key === "needs")
      fieldLines[field.key] ??= field.line;
    const texts = field.items.map((item) => item.text).filter((text) => text !== "");
    switch (field.key) {
      case "prose":
        context.push(...texts);
        break;
      case "ignore":
        break;
      case "domain":
        domain ??= field.items.map((item) => item.plain).find((text) => text !== "");
        break;
      case "agent": {
        const names = field.items.flatMap((item) => parseAgents(item.plain));
        if (agent === undefined) agent = names.shift();
        if (names.length > 0) context.push(`Also suggested: ${names.join(", ")}`);
        break;
      }
      case "estimate": {
        if (estimateRead) break;
        const value = field.items.find((item) => item.plain !== "");
        if (value === undefined) break;
        estimateRead = true;
        const written = value.plain.replace(/\s+/g, " ");
        const reading = readEstimate(value.plain);
        if (reading.ok) estimate = reading.minutes;
        else {
          const message =
            reading.why === "unreadable" ? `${ESTIMATE_HINT}, got "${written}"` : estimateProblem(reading.why, written);
          problems.push({ task: start.id, line: value.line, field: "Estimate", message });
        }
        break;
      }
      case "files":
        for (const item of field.items) files.push(...parseFiles(item.plain, item.codes));
        break;
      case "needs":
        for (const item of field.items) needs.push(...parseNeeds(item.plain));
        break;
      case "steps":
        steps.push(...(isVerbStep(field.label) ? texts.map((text) => `${field.label}: ${text}`) : texts));
        break;
      case "accept":
        for (const text of texts) {
          const check = stripCheckMark(text);
          if (check !== "") accept.push({ check });
        }
        break;
      case "notToDo":
        notToDo.push(...texts);
        break;
      case "output":
        output.push(...texts);
        break;
      case "context":
        context.push(...(isPlainContext(field.label) ? texts : texts.map((text) => `${field.label}: ${text}`)));
        break;
      default:
        // Unknown labels (and `Agents` inside a task) keep their text as context: "Label: value".
        context.push(...texts.map((text) => `${field.label}: ${text}`));
    }
  }

  // An estimate field with nothing in it is reported here, at its line; the validator reports a task without one.
  if (!estimateRead && fieldLines.estimate !== undefined)
    problems.push({ task: start.id, line: fieldLines.estimate, field: "Estimate", message: MISSING_ESTIMATE });

  return {
    id: start.id,
    title: start.title,
    ...(domain === undefined ? {} : { domain }),
    ...(agent === undefined ? {} : { agent }),
    ...(estimate === undefined ? {} : { estimate }),
    files: [...new Set(files)],
    needs: [...new Set(needs)],
    steps,
    accept,
    notToDo,
    context,
    output,
    ...(start.phase === undefined ? {} : { phase: start.phase }),
    line: start.line,
    ...(Object.keys(fieldLines).length === 0 ? {} : { fieldLines }),
  };
}
