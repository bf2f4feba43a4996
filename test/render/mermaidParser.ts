import type { Mermaid } from "mermaid";

/**
 * Mermaid's own parser under Node, for tests. Mermaid 11 is ESM and sanitises
 * labels with DOMPurify, which needs a DOM: test files that use this helper
 * start with `// @vitest-environment jsdom`. `parse` checks the syntax;
 * `ganttTasks` and `flowchart` also read what Mermaid understood (the tasks
 * with their times, the nodes with their labels), so a title that parses but
 * splits into two tasks, or loses a character, is caught too.
 */

let loading: Promise<Mermaid> | undefined;
/** Milliseconds the first import of Mermaid took in this test file. */
export let mermaidLoadMs = 0;

export function loadMermaid(): Promise<Mermaid> {
  if (!("window" in globalThis)) {
    throw new Error("Mermaid needs a DOM: add `// @vitest-environment jsdom` to the test file");
  }
  loading ??= (async () => {
    const started = performance.now();
    const { default: mermaid } = await import("mermaid");
    mermaidLoadMs = performance.now() - started;
    return mermaid;
  })();
  return loading;
}

/** The text inside a ```mermaid fence (throws if there is none). */
export function unfence(markdown: string): string {
  const match = /^```mermaid\n([\s\S]*?)\n```$/mu.exec(markdown);
  if (match?.[1] === undefined) throw new Error("no ```mermaid block");
  return match[1];
}

/** Every ```mermaid block in a Markdown document. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gmu)].map((m) => m[1] ?? "");
}

/** Mermaid's parse: resolves to the diagram type, rejects with Mermaid's error. */
export async function parse(text: string): Promise<string> {
  const mermaid = await loadMermaid();
  const result = await mermaid.parse(text);
  return result.diagramType;
}

/** Mermaid keeps entity codes as placeholders until the SVG is written; turn them into the characters shown. */
export function decodeMermaidEntities(text: string): string {
  const named: Record<string, string> = { quot: '"', lt: "<", gt: ">", amp: "&", nbsp: "\u00a0" };
  return text
    .replace(/ﬂ°°(\d+)¶ß/gu, (_m, code: string) => String.fromCodePoint(Number(code)))
    .replace(/ﬂ°(\w+)¶ß/gu, (m, name: string) => named[name] ?? m);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function method(target: unknown, name: string): (...args: unknown[]) => unknown {
  if (!isRecord(target)) throw new Error("no diagram database");
  const fn = target[name];
  if (typeof fn !== "function") throw new Error(`diagram database has no ${name}()`);
  return (...args: unknown[]) => Reflect.apply(fn, target, args) as unknown;
}

async function database(text: string): Promise<unknown> {
  const mermaid = await loadMermaid();
  await mermaid.parse(text); // registers the diagram types and checks the syntax
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  return diagram.db;
}

export interface GanttTask {
  name: string;
  id: string;
  section: string;
  /** Minutes from local midnight of the chart's first day: the clock the viewer's axis shows. */
  startMinute: number;
  endMinute: number;
  tags: string[];
}

/** The tasks Mermaid reads from a Gantt (throws when a task's data is not understood). */
export async function ganttTasks(text: string): Promise<GanttTask[]> {
  const db = await database(text);
  const tasks = method(db, "getTasks")();
  if (!Array.isArray(tasks)) throw new Error("getTasks() gave no list");
  const raw = tasks.map((task: unknown) => {
    if (!isRecord(task) || !(task.startTime instanceof Date) || !(task.endTime instanceof Date)) {
      throw new Error(`task without times: ${JSON.stringify(task)}`);
    }
    return {
      name: decodeMermaidEntities(String(task.task)).trim(),
      id: String(task.id),
      section: decodeMermaidEntities(String(task.section)).trim(),
      start: task.startTime,
      end: task.endTime,
      tags: ["done", "active", "crit", "milestone"].filter((t) => task[t] === true),
    };
  });
  // Minutes from local midnight of the first task's day: what the viewer's axis shows.
  const earliest = raw.reduce(
    (min, t) => (t.start.getTime() < min.getTime() ? t.start : min),
    raw[0]?.start ?? new Date(0),
  );
  const midnight = new Date(earliest.getFullYear(), earliest.getMonth(), earliest.getDate()).getTime();
  return raw.map((t) => ({
    name: t.name,
    id: t.id,
    section: t.section,
    startMinute: (t.start.getTime() - midnight) / 60_000,
    endMinute: (t.end.getTime() - midnight) / 60_000,
    tags: t.tags,
  }));
}

export interface FlowchartRead {
  nodes: Map<string, { label: string; classes: string[] }>;
  edges: Array<{ from: string; to: string; label: string; stroke: string }>;
  subgraphs: Array<{ id: string; title: string; nodes: string[] }>;
}

/** The nodes, edges and subgraphs Mermaid reads from a flowchart, labels decoded. */
export async function flowchart(text: string): Promise<FlowchartRead> {
  const db = await database(text);
  const vertices = method(db, "getVertices")();
  const edges = method(db, "getEdges")();
  const subgraphs = method(db, "getSubGraphs")();
  if (!(vertices instanceof Map) || !Array.isArray(edges) || !Array.isArray(subgraphs))
    throw new Error("unexpected flowchart database");
  const nodes = new Map<string, { label: string; classes: string[] }>();
  for (const [id, vertex] of vertices as Map<unknown, unknown>) {
    if (!isRecord(vertex)) continue;
    const classes = Array.isArray(vertex.classes) ? vertex.classes.map(String) : [];
    nodes.set(String(id), { label: decodeMermaidEntities(String(vertex.text ?? "")), classes });
  }
  return {
    nodes,
    edges: edges.filter(isRecord).map((e) => ({
      from: String(e.start),
      to: String(e.end),
      label: decodeMermaidEntities(String(e.text ?? "")),
      stroke: String(e.stroke),
    })),
    subgraphs: subgraphs.filter(isRecord).map((s) => ({
      id: String(s.id),
      title: decodeMermaidEntities(String(s.title)),
      nodes: Array.isArray(s.nodes) ? s.nodes.map(String) : [],
    })),
  };
}
