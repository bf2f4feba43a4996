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
import {
  blocksHaveTaskFields,
  buildTask,
  labelOfItem,
  listedTasks,
  taskFieldsOf,
  type Entry,
  type TaskStart,
} from "./markdown/tasks.js";
import { isTaskTable, tableRows, taskColumns } from "./markdown/table.js";

/**
 * The longest breakdown read, in characters. A GitHub issue body holds at most
 * 65,536; anything twice as long is no feature breakdown, and parsing it would
 * only keep the app busy.
 */
export const MAX_MARKDOWN_CHARS = 131_072;

/**
 * Reads a task-breakdown Markdown document (the seed family's format, as in
 * `cases/real/`) into tasks, context, notes and problems. Never throws.
 *
 * - A heading of any depth is a task when it is numbered (`### 3. Title`,
 *   `### Batch 3: Title`, `### Task 3: Title`, `Batch 2.5`, `Батч 3:`,
 *   `Задача 3:`, `Завдання 3.`) or when its own text carries a Domain, Agent or
 *   Estimate field (its id is then a slug of its title). A table with a title
 *   column and task-field columns is one task a row, under any heading.
 * - Fields are labels, bold or plain (`**Agent:** x`, `- Domain: x`, `Час: 20 хв`,
 *   or a sub-heading inside the task), with the value on the same line or in the
 *   list, lines or blocks that follow.
 * - Other headings are sections. `Phase N` headings set `phase`. What a task
 *   needs is what it sits under: the feature's text and the sections before the
 *   first task (`context`, every brief's), the text of the sections holding it,
 *   and a `SYNC POINT` it builds on; sections after the tasks are `notes`.
 * - `title` is the first `#` heading; `agents` a `**Agents:** N` before the first task.
 * - Problems (an unreadable estimate or agent count, a task the reader cannot
 *   make one of, a document over `MAX_MARKDOWN_CHARS`) are returned, never
 *   thrown. Missing estimates, duplicate ids and unknown dependencies are left
 *   to the validator.
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

/**
 * One task from a text that is all its own (a sub-issue's body): every block
 * is one of its fields or its prose, a heading inside is a field label. Its
 * problems name the task; their lines are the text's.
 */
export function readTaskText(start: TaskStart, text: string): { task: Task; problems: Problem[] } {
  const problems: Problem[] = [];
  const body = typeof text === "string" ? text.slice(0, MAX_MARKDOWN_CHARS) : "";
  let blocks: RootContent[] = [];
  try {
    blocks = fromMarkdown(tame(body.replace(/\r\n?/g, "\n")), {
      extensions: [gfm()],
      mdastExtensions: [gfmFromMarkdown()],
    }).children;
  } catch (error) {
    problems.push({ task: start.id, message: `its text could not be read as Markdown: ${describe(error)}` });
  }
  const entries = blocks.map((node): Entry =>
    node.type === "heading"
      ? { kind: "label", label: renderInline(node.children, "title").trim(), line: node.position?.start.line ?? 1 }
      : { kind: "block", node },
  );
  return { task: buildTask(start, entries, problems), problems };
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
    .replace(/^(?:[ \t>]|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))+/gm, (prefix) =>
      prefix.length > 64 ? prefix.slice(0, 64) : prefix,
    )
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

/**
 * A heading that is no task, with its text. Sections nest by heading depth; a
 * task sits under the sections open when it starts.
 */
interface Section {
  kind: "phase" | "sync" | "other";
  depth: number;
  heading: string;
  /** Its own blocks, rendered, without tables of tasks. */
  parts: Part[];
  parent: Section | undefined;
  children: Section[];
  /** Tasks read before it began. */
  tasksBefore: number;
  /** Tasks that sit under it or under a section inside it. */
  tasks: number;
}

interface OpenTask {
  start: TaskStart;
  depth: number;
  entries: Entry[];
  sections: Section[];
}

/** A task as read, with the sections it sits under (outermost first). */
interface ReadTask {
  task: Task;
  sections: Section[];
}

const TASK_FIELD_KEYS = new Set(["domain", "agent", "estimate"]);

class Reader {
  private readonly units: Unit[];
  private readonly done: ReadTask[] = [];
  private readonly problems: Problem[] = [];
  /** Top-level sections, in order. */
  private readonly roots: Section[] = [];
  /** Text every brief carries: what comes before the first heading, and the title's own text. */
  private readonly shared: string[] = [];
  private readonly slugs = new Set<string>();
  private readonly stack: Section[] = [];
  private title: string | undefined;
  private agents: number | undefined;
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
    const tasks = this.done.map((entry) => entry.task);
    resolveNeeds(tasks);
    const { context, notes } = this.placeContext();
    return {
      ...(this.title === undefined ? {} : { title: this.title }),
      ...(this.agents === undefined ? {} : { agents: this.agents }),
      tasks,
      context,
      ...(notes.length === 0 ? {} : { notes }),
      problems: this.problems,
    };
  }

  private preamble(unit: Unit): void {
    this.scanAgents(unit.body);
    this.refuseListedTasks(unit.body);
    const body = this.readTables(unit.body, []);
    const text = joinParts(renderBody(body));
    if (text !== "") this.shared.push(text);
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
        !this.hasTaskFields(index) &&
        !unit.body.some(isTaskTable);
      if (inside) {
        // A sub-heading inside a task is a field label (`#### Acceptance`) or a note.
        this.open.entries.push({ kind: "label", label: unit.text, line: unit.line });
        for (const node of unit.body) this.open.entries.push({ kind: "block", node });
        return;
      }
      this.finishTask();
    }

    if (this.title === undefined && unit.depth === 1) {
      this.title = unit.text;
      this.scanAgents(unit.body);
      this.stack.length = 0;
      // A document that is one task (`# Fix login` with its fields) is titled by it and is that task.
      if (!blocksHaveTaskFields(unit.body)) {
        // The title's own text is the feature's: every brief carries it. Headings below it are sections of their own.
        this.refuseListedTasks(unit.body);
        const body = this.readTables(unit.body, []);
        this.shared.push(joinParts([{ text: unit.text, type: "heading" }, ...renderBody(body)]));
        return;
      }
    }

    if (heading.kind === "phase" || heading.kind === "sync") {
      this.refuseTaskFields(unit, heading.kind);
      this.openSection(unit, heading.kind);
      return;
    }
    // A heading over a table of tasks is their section, numbered or not.
    if (unit.body.some(isTaskTable) && !blocksHaveTaskFields(unit.body)) {
      this.openSection(unit, "other");
      return;
    }

    if (heading.kind === "numbered" || this.hasTaskFields(index)) {
      const id = heading.kind === "numbered" ? heading.id : this.slugId(unit.text, unit.line);
      const title = heading.kind === "numbered" ? heading.title : unit.text;
      this.startTask(unit, id, title);
      return;
    }

    // Context: Goal, Notes, Success Criteria, Parallelization Matrix, a checklist without fields…
    this.openSection(unit, "other");
  }

  /**
   * A phase or SYNC POINT heading is no task: a domain or agent under it would
   * be lost, so it is a problem. A time there is the phase's length, context.
   */
  private refuseTaskFields(unit: Unit, kind: "phase" | "sync"): void {
    const fields = taskFieldsOf(unit.body).filter((field) => fieldKey(field.label) !== "estimate");
    if (fields.length === 0) return;
    const what = kind === "phase" ? "a phase" : "a SYNC POINT";
    this.problems.push({
      line: fields[0]!.line,
      field: fields[0]!.label,
      message: `"${unit.text}" is ${what}, not a task: its ${fields.map((field) => field.label).join(" and ")} would be lost. Write it on each task under it, or give the task a heading of its own (\`### 1. Title\`)`,
    });
  }

  /** Tasks written as list items in text that is no task would be lost: each is a problem at its line. */
  private refuseListedTasks(blocks: readonly RootContent[]): void {
    for (const item of listedTasks(blocks)) {
      const heading = readHeadingText(item.title).kind === "numbered" ? item.title : `1. ${item.title}`;
      this.problems.push({
        line: item.line,
        message: `"${item.title}" looks like a task (it has ${item.labels.join(", ")}) but is a list item: give it a heading of its own (\`### ${heading}\`) or a row in a table of tasks`,
      });
    }
  }

  private openSection(unit: Unit, kind: Section["kind"]): void {
    while (this.stack.length > 0 && this.stack[this.stack.length - 1]!.depth >= unit.depth) this.stack.pop();
    this.scanAgents(unit.body);
    this.refuseListedTasks(unit.body);
    const parent = this.stack[this.stack.length - 1];
    const section: Section = {
      kind,
      depth: unit.depth,
      heading: unit.text,
      parts: [],
      parent,
      children: [],
      tasksBefore: this.done.length,
      tasks: 0,
    };
    (parent?.children ?? this.roots).push(section);
    this.stack.push(section);
    section.parts = renderBody(this.readTables(unit.body, this.stack));
  }

  /**
   * The sections a task at `depth` sits under: those open above it. A phase at
   * the task's own depth holds it (`## Phase 2` then `## Task 4`); a SYNC POINT
   * never does, it only comes before.
   */
  private sectionsAt(depth: number): Section[] {
    while (this.stack.length > 0) {
      const top = this.stack[this.stack.length - 1]!;
      if (top.kind !== "sync" && (top.depth < depth || (top.depth === depth && top.kind === "phase"))) break;
      this.stack.pop();
    }
    return [...this.stack];
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
    const sections = this.sectionsAt(unit.depth);
    this.open = {
      start: { id, title, line: unit.line, ...phaseOf(sections) },
      depth: unit.depth,
      entries: unit.body.map((node) => ({ kind: "block", node })),
      sections,
    };
  }

  private finishTask(): void {
    const open = this.open;
    if (open === undefined) return;
    this.open = undefined;
    for (const entry of open.entries) {
      if (entry.kind === "block" && isTaskTable(entry.node)) {
        this.problems.push({
          task: open.start.id,
          line: entry.node.position?.start.line ?? open.start.line,
          message: `a table of tasks inside task ${open.start.id} is not read as tasks: give it a heading of its own, or make its rows the task's steps`,
        });
      }
    }
    this.addTask(buildTask(open.start, open.entries, this.problems), open.sections);
  }

  private addTask(task: Task, sections: Section[]): void {
    for (const section of sections) section.tasks++;
    this.done.push({ task, sections });
  }

  /** Reads the tables of tasks among a section's blocks, one task a row; returns the other blocks. */
  private readTables(blocks: readonly RootContent[], sections: readonly Section[]): RootContent[] {
    const rest: RootContent[] = [];
    for (const block of blocks) {
      const columns = block.type === "table" ? taskColumns(block) : undefined;
      if (block.type !== "table" || columns === undefined) {
        rest.push(block);
        continue;
      }
      for (const row of tableRows(block, columns)) {
        if (row.title === undefined) {
          this.problems.push({
            line: row.line,
            field: columns.titleLabel,
            message: `this row of the table of tasks has task fields but no title: write the task in its "${columns.titleLabel}" column`,
          });
          continue;
        }
        const id = row.id ?? this.slugId(row.title, row.line);
        this.addTask(
          buildTask({ id, title: row.title, line: row.line, ...phaseOf(sections) }, row.entries, this.problems),
          [...sections],
        );
      }
    }
    return rest;
  }

  /**
   * Where each section's text goes. A section without tasks sits in its parent
   * (or the document): it is context of its parent's tasks when it comes before
   * the first of them — in the document, of every brief — and a note, shown to
   * no agent, when it comes after. A section with tasks under it hands them its
   * own text. A SYNC POINT goes to the later tasks that build on a task before it.
   */
  private placeContext(): { context: string[]; notes: string[] } {
    const context = [...this.shared];
    const notes: string[] = [];
    const given = new Map<Section, string>();
    const syncs: Section[] = [];
    const firstTask = (section: Section | undefined): number => {
      const index = this.done.findIndex((entry) => section === undefined || entry.sections.includes(section));
      return index < 0 ? Infinity : index;
    };
    /** The sections without tasks that come before their parent's first task, each as its parts; the others become notes. */
    const visit = (sections: readonly Section[], parent: Section | undefined): Part[][] => {
      const before: Part[][] = [];
      for (const section of sections) {
        if (section.kind === "sync") syncs.push(section);
        else if (section.tasks > 0) {
          const parts = [...section.parts, ...visit(section.children, section).flat()];
          if (parts.length > 0) given.set(section, joinParts([headingPart(section), ...parts]));
        } else {
          const parts = sectionParts(section);
          if (parts === undefined) continue;
          if (section.tasksBefore <= firstTask(parent)) before.push(parts);
          else notes.push(joinParts(parts));
        }
      }
      return before;
    };
    context.push(...visit(this.roots, undefined).map(joinParts));

    const syncTexts = this.syncPointsByTask(syncs, context, notes);
    this.done.forEach((entry, position) => {
      const sectionTexts = entry.sections.flatMap((section) => {
        const text = given.get(section);
        return text === undefined ? [] : [text];
      });
      const around = [...sectionTexts, ...(syncTexts.get(position) ?? [])];
      if (around.length > 0) entry.task.around = around;
    });
    return { context, notes };
  }

  /**
   * The SYNC POINTs each task (by position) receives: those before it that it
   * builds on, directly or through other tasks. One before every task is every
   * task's, in the plan's context; one that no later task builds on is a note.
   */
  private syncPointsByTask(syncs: readonly Section[], context: string[], notes: string[]): Map<number, string[]> {
    const index = new Map(this.done.map((entry, position) => [entry.task.id, position]));
    const received = new Map<number, string[]>();
    for (const sync of syncs) {
      const parts = sectionParts(sync);
      const text = parts === undefined ? sync.heading : joinParts(parts);
      if (sync.tasksBefore === 0) {
        context.push(text);
        continue;
      }
      const reaches = new Map<number, boolean>();
      const buildsOnEarlier = (position: number): boolean => {
        const known = reaches.get(position);
        if (known !== undefined) return known;
        reaches.set(position, false); // a dependency cycle (the validator reports it) ends here
        const result = (this.done[position]?.task.needs ?? []).some((need) => {
          const at = index.get(need);
          return at !== undefined && (at < sync.tasksBefore || buildsOnEarlier(at));
        });
        reaches.set(position, result);
        return result;
      };
      let receivers = 0;
      for (let position = sync.tasksBefore; position < this.done.length; position++) {
        if (!buildsOnEarlier(position)) continue;
        received.set(position, [...(received.get(position) ?? []), text]);
        receivers++;
      }
      if (receivers === 0) notes.push(text);
    }
    return received;
  }

  /** `**Agents:** 3` before the first task sets the agent count. */
  private scanAgents(blocks: readonly RootContent[]): void {
    if (this.done.length > 0 || this.open !== undefined || this.agents !== undefined) return;
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
        this.problems.push({
          line,
          field: "Agents",
          message: `expected a number of agents such as "3", got "${value}"`,
        });
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
  return blocks
    .map((block) => ({ text: renderBlock(block, "markdown"), type: block.type }))
    .filter((part) => part.text !== "");
}

/**
 * Blocks one to a line; after a list, table or quote a blank line, so that the
 * text reads back as the same Markdown (a line right after a list would join its last item).
 */
function joinParts(parts: readonly Part[]): string {
  let out = "";
  parts.forEach((part, index) => {
    const previous = parts[index - 1];
    if (previous !== undefined)
      out += previous.type === "list" || previous.type === "table" || previous.type === "blockquote" ? "\n\n" : "\n";
    out += part.text;
  });
  return out;
}

function headingPart(section: Section): Part {
  return { text: section.heading, type: "heading" };
}

/** A section without tasks as parts: its heading, its blocks, and the sections inside it; undefined when it holds nothing. */
function sectionParts(section: Section): Part[] | undefined {
  const parts: Part[] = [...section.parts];
  const collect = (children: readonly Section[]) => {
    for (const child of children) {
      parts.push(headingPart(child), ...child.parts);
      collect(child.children);
    }
  };
  collect(section.children);
  return parts.length === 0 ? undefined : [headingPart(section), ...parts];
}

/** The phase a task sits in: the innermost phase section above it. */
function phaseOf(sections: readonly Section[]): { phase?: string } {
  const phase = [...sections].reverse().find((section) => section.kind === "phase");
  return phase === undefined ? {} : { phase: phase.heading };
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
