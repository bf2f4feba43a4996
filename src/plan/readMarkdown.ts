import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import type { Heading, Root, RootContent } from "mdast";
import type { PlanSource } from "./source.js";
import type { Problem } from "../base/problem.js";
import type { Task } from "./task.js";
import { slug } from "./slug.js";
import { fieldKey, leadingLabel } from "./markdown/fields.js";
import { readHeadingText } from "./markdown/headings.js";
import { renderBlock, renderInline, splitLines } from "./markdown/render.js";
import { blocksHaveTaskFields, buildTask, labelOfItem, type Entry, type TaskStart } from "./markdown/tasks.js";

/**
 * The longest breakdown read, in characters. A GitHub issue body holds at most
 * 65,536; anything twice as long is no feature breakdown, and parsing it would
 * only keep the app busy.
 */
export const MAX_MARKDOWN_CHARS = 131_072;

/**
 * Reads a task-breakdown Markdown document (the seed family's format, as in
 * `cases/real/`) into tasks, context and problems. Never throws.
 *
 * - A heading of any depth is a task when it is numbered (`### 3. Title`,
 *   `### Batch 3: Title`, `### Task 3: Title`, `Batch 2.5`, `Батч 3:`,
 *   `Задача 3:`, `Завдання 3.`) or when its own text carries a Domain, Agent or
 *   Estimate field (its id is then a slug of its title). `Phase N` headings set
 *   `phase`; `SYNC POINT` sections become context of every later task; other
 *   sections become `PlanSource.context`.
 * - Fields are bold labels (`**Agent**: x`, `**Agent:** x`, `- **Agent:** x`,
 *   or a sub-heading inside the task) with the value on the same line or in the
 *   list, lines or blocks that follow.
 * - `title` is the first `#` heading; `agents` a `**Agents:** N` before the first task.
 * - Problems (an unreadable estimate or agent count, a document over
 *   `MAX_MARKDOWN_CHARS`) are returned, never thrown. Missing estimates, duplicate
 *   ids and unknown dependencies are left to the validator.
 */
export function readMarkdown(text: string): PlanSource {
  const source = typeof text === "string" ? text : "";
  if (source.length > MAX_MARKDOWN_CHARS) {
    return failed(
      `the breakdown is ${source.length} characters long; at most ${MAX_MARKDOWN_CHARS} are read (a GitHub issue body holds 65536) — split the feature into smaller ones`,
    );
  }
  let root: Root;
  try {
    root = fromMarkdown(tame(source.replace(/\r\n?/g, "\n")), {
      extensions: [gfm()],
      mdastExtensions: [gfmFromMarkdown()],
    });
  } catch (error) {
    return failed(`the breakdown could not be read as Markdown: ${describe(error)}`);
  }
  try {
    return new Reader(root.children).read();
  } catch (error) {
    return failed(`the breakdown could not be read: ${describe(error)}`);
  }
}

function failed(message: string): PlanSource {
  return { tasks: [], context: [], problems: [{ message }] };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Keeps pathological input from taking the parser minutes: container prefixes
 * (indentation, `>`, list markers) deeper than 64 columns are cut to 64, and runs
 * of more than eight `*`, `_`, `~`, `[` or `]` to eight. Line numbers do not change,
 * and no real breakdown comes near either limit.
 */
function tame(text: string): string {
  return text
    .replace(/^(?:[ \t>]|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))+/gm, (prefix) => (prefix.length > 64 ? prefix.slice(0, 64) : prefix))
    .replace(/([*_~[\]])\1{8,}/g, (run) => run.slice(0, 8));
}

/** A heading and the blocks up to the next heading (or the blocks before the first heading). */
interface Unit {
  heading?: Heading;
  depth: number;
  /** The heading's text: plain words, code spans in backticks. */
  text: string;
  line: number;
  body: RootContent[];
  /** The heading comes straight after a thematic break (`---`). */
  afterBreak: boolean;
}

function toUnits(blocks: readonly RootContent[]): Unit[] {
  const units: Unit[] = [{ depth: 0, text: "", line: 1, body: [], afterBreak: false }];
  let previous: RootContent | undefined;
  for (const block of blocks) {
    const current = units[units.length - 1];
    if (block.type === "heading") {
      units.push({
        heading: block,
        depth: block.depth,
        text: renderInline(block.children, "title").replace(/\s+/g, " ").trim(),
        line: block.position?.start.line ?? 1,
        body: [],
        afterBreak: previous?.type === "thematicBreak",
      });
    } else if (current !== undefined) {
      current.body.push(block);
    }
    previous = block;
  }
  return units;
}

interface Phase {
  name: string;
  depth: number;
  /** Heading and prose before the phase's first task. */
  prose?: string;
  started: boolean;
}

/** Text that comes before tasks and is handed to them: SYNC POINTs, phase prose. */
interface Carried {
  text: string;
  phase?: Phase;
  used: boolean;
}

/** A non-task section being gathered into one context string. */
interface Gathering {
  kind: "title" | "other" | "sync" | "phase";
  depth: number;
  heading: string;
  parts: Part[];
}

interface OpenTask {
  start: TaskStart;
  depth: number;
  entries: Entry[];
}

const TASK_FIELD_KEYS = new Set(["domain", "agent", "estimate"]);

class Reader {
  private readonly units: Unit[];
  private readonly tasks: Task[] = [];
  private readonly context: string[] = [];
  private readonly problems: Problem[] = [];
  private readonly carried: Carried[] = [];
  private readonly slugs = new Set<string>();
  private title: string | undefined;
  private agents: number | undefined;
  private phase: Phase | undefined;
  private gathering: Gathering | undefined;
  private open: OpenTask | undefined;

  constructor(blocks: readonly RootContent[]) {
    this.units = toUnits(blocks);
  }

  read(): PlanSource {
    this.units.forEach((unit, index) => {
      if (unit.heading === undefined) this.preamble(unit);
      else this.section(unit, index);
    });
    this.finishTask();
    this.closeGathering();
    this.endPhase();
    for (const entry of this.carried) if (!entry.used) this.context.push(entry.text);
    resolveNeeds(this.tasks);
    return {
      ...(this.title === undefined ? {} : { title: this.title }),
      ...(this.agents === undefined ? {} : { agents: this.agents }),
      tasks: this.tasks,
      context: this.context,
      problems: this.problems,
    };
  }

  private preamble(unit: Unit): void {
    this.scanAgents(unit.body);
    const text = joinParts(renderBody(unit.body));
    if (text !== "") this.context.push(text);
  }

  private section(unit: Unit, index: number): void {
    const heading = readHeadingText(unit.text);
    if (this.open !== undefined) {
      const inside =
        unit.depth > this.open.depth &&
        !unit.afterBreak &&
        heading.kind !== "phase" &&
        heading.kind !== "sync" &&
        !(heading.kind === "numbered" && heading.prefixed) &&
        !this.hasTaskFields(index);
      if (inside) {
        // A sub-heading inside a task is a field label (`#### Acceptance`) or a note.
        this.open.entries.push({ kind: "label", label: unit.text, line: unit.line });
        for (const node of unit.body) this.open.entries.push({ kind: "block", node });
        return;
      }
      this.finishTask();
    }

    if (this.title === undefined && unit.depth === 1) {
      this.closeGathering();
      this.endPhase();
      this.title = unit.text;
      this.scanAgents(unit.body);
      // A document that is one task (`# Fix login` with its fields) is titled by it and is that task.
      if (!blocksHaveTaskFields(unit.body)) {
        this.gathering = { kind: "title", depth: 1, heading: unit.text, parts: renderBody(unit.body) };
        return;
      }
    }

    if (heading.kind === "phase") {
      this.closeGathering();
      this.endPhase();
      this.phase = { name: unit.text, depth: unit.depth, started: false };
      this.scanAgents(unit.body);
      this.gathering = { kind: "phase", depth: unit.depth, heading: unit.text, parts: renderBody(unit.body) };
      return;
    }

    if (heading.kind === "sync") {
      this.closeGathering();
      if (this.phase !== undefined && unit.depth <= this.phase.depth) this.endPhase();
      this.gathering = { kind: "sync", depth: unit.depth, heading: unit.text, parts: renderBody(unit.body) };
      return;
    }

    if (heading.kind === "numbered" || this.hasTaskFields(index)) {
      this.closeGathering();
      if (this.phase !== undefined && unit.depth < this.phase.depth) this.endPhase();
      const id = heading.kind === "numbered" ? heading.id : this.slugId(unit.text, unit.line);
      const title = heading.kind === "numbered" ? heading.title : unit.text;
      this.startTask(unit, id, title);
      return;
    }

    // Context: Goal, Notes, Success Criteria, Parallelization Matrix, a checklist without fields…
    this.scanAgents(unit.body);
    const gathering = this.gathering;
    if (gathering !== undefined && gathering.kind !== "title" && unit.depth > gathering.depth) {
      gathering.parts.push({ text: unit.text, type: "heading" }, ...renderBody(unit.body));
      return;
    }
    this.closeGathering();
    if (this.phase !== undefined && unit.depth <= this.phase.depth) this.endPhase();
    this.gathering = { kind: "other", depth: unit.depth, heading: unit.text, parts: renderBody(unit.body) };
  }

  /** A heading's section names a domain, agent or estimate, in its own text or as a sub-heading. */
  private hasTaskFields(index: number): boolean {
    const unit = this.units[index];
    if (unit === undefined) return false;
    if (blocksHaveTaskFields(unit.body)) return true;
    for (let next = index + 1; next < this.units.length; next++) {
      const sub = this.units[next];
      if (sub === undefined || sub.depth <= unit.depth) break;
      if (readHeadingText(sub.text).kind === "plain" && TASK_FIELD_KEYS.has(fieldKey(sub.text) ?? "")) return true;
    }
    return false;
  }

  private slugId(title: string, line: number): string {
    const base = slug(title, 40, `task-${line}`);
    let id = base;
    for (let n = 2; this.slugs.has(id); n++) id = `${base}-${n}`;
    this.slugs.add(id);
    return id;
  }

  private startTask(unit: Unit, id: string, title: string): void {
    const phase = this.phase;
    if (phase !== undefined && !phase.started) {
      phase.started = true;
      if (phase.prose !== undefined) this.carried.push({ text: phase.prose, phase, used: false });
    }
    for (const entry of this.carried) entry.used = true;
    this.open = {
      start: {
        id,
        title,
        line: unit.line,
        ...(phase === undefined ? {} : { phase: phase.name }),
        context: this.carried.map((entry) => entry.text),
      },
      depth: unit.depth,
      entries: unit.body.map((node) => ({ kind: "block", node })),
    };
  }

  private finishTask(): void {
    if (this.open === undefined) return;
    this.tasks.push(buildTask(this.open.start, this.open.entries, this.problems));
    this.open = undefined;
  }

  private closeGathering(): void {
    const gathering = this.gathering;
    this.gathering = undefined;
    if (gathering === undefined) return;
    const text = joinParts([{ text: gathering.heading, type: "heading" }, ...gathering.parts]);
    const empty = gathering.parts.length === 0;
    switch (gathering.kind) {
      case "sync":
        this.carried.push({ text, used: false });
        break;
      case "phase":
        if (this.phase !== undefined && !empty) this.phase.prose = text;
        break;
      default:
        if (!empty) this.context.push(text);
    }
  }

  /** Ends the current phase; a phase without tasks leaves its text as plan context. */
  private endPhase(): void {
    const phase = this.phase;
    if (phase === undefined) return;
    if (this.gathering?.kind === "phase") this.closeGathering();
    if (!phase.started && phase.prose !== undefined) this.context.push(phase.prose);
    for (let index = this.carried.length - 1; index >= 0; index--) {
      if (this.carried[index]?.phase === phase) this.carried.splice(index, 1);
    }
    this.phase = undefined;
  }

  /** `**Agents:** 3` before the first task sets the agent count. */
  private scanAgents(blocks: readonly RootContent[]): void {
    if (this.tasks.length > 0 || this.open !== undefined || this.agents !== undefined) return;
    for (const block of blocks) {
      const labels =
        block.type === "paragraph"
          ? splitLines(block).map((line) => ({ labeled: leadingLabel(line.nodes), line: line.line }))
          : block.type === "list"
            ? block.children.map((item) => ({ labeled: labelOfItem(item), line: item.position?.start.line ?? 1 }))
            : [];
      for (const { labeled, line } of labels) {
        if (labeled === undefined || fieldKey(labeled.label) !== "agents") continue;
        const value = renderInline(labeled.rest, "plain").trim();
        const count = /^(\d+)(?!\S*[.,]\d)/u.exec(value)?.[1];
        if (count !== undefined && Number(count) > 0) {
          this.agents = Number(count);
          return;
        }
        this.problems.push({ line, field: "Agents", message: `expected a number of agents such as "3", got "${value}"` });
        return;
      }
    }
  }
}

/** A rendered block and what it was, so that blocks can be joined without running into each other. */
interface Part {
  text: string;
  type: string;
}

function renderBody(blocks: readonly RootContent[]): Part[] {
  return blocks.map((block) => ({ text: renderBlock(block, "markdown"), type: block.type })).filter((part) => part.text !== "");
}

/**
 * Blocks one to a line; after a list, table or quote a blank line, so that the
 * text reads back as the same Markdown (a line right after a list would join its last item).
 */
function joinParts(parts: readonly Part[]): string {
  let out = "";
  parts.forEach((part, index) => {
    const previous = parts[index - 1];
    if (previous !== undefined) out += previous.type === "list" || previous.type === "table" || previous.type === "blockquote" ? "\n\n" : "\n";
    out += part.text;
  });
  return out;
}

/**
 * Dependencies written as a task's title (or its slug) become that task's id,
 * so that `Depends on: Setup database` finds `### Setup database`.
 */
function resolveNeeds(tasks: Task[]): void {
  const ids = new Set(tasks.map((task) => task.id));
  const byName = new Map<string, string | null>();
  const remember = (name: string, id: string) => {
    if (name === "") return;
    const previous = byName.get(name);
    byName.set(name, previous === undefined || previous === id ? id : null);
  };
  for (const task of tasks) {
    remember(task.title.toLowerCase(), task.id);
    remember(slug(task.title, 40, ""), task.id);
  }
  for (const task of tasks) {
    task.needs = [
      ...new Set(
        task.needs.map((need) => {
          if (ids.has(need)) return need;
          const slugged = slug(need, 40, "");
          return byName.get(need.toLowerCase()) ?? (slugged === "" ? undefined : byName.get(slugged)) ?? need;
        }),
      ),
    ];
  }
}
