import { z } from "zod";
import yaml from "js-yaml";
import type { PlanSource } from "./source.js";
import type { Problem } from "../base/problem.js";
import type { Task } from "./task.js";
import { estimateProblem, readEstimate } from "./estimate.js";

const text = z.string().min(1);
const list = z.union([text, z.array(text)]).transform((value) => (typeof value === "string" ? [value] : value));
const id = z.union([text, z.number()]).transform(String);

const YamlTaskSchema = z
  .object({
    id,
    title: text,
    domain: text.optional(),
    agent: text.optional(),
    estimate: z.union([z.number(), text]),
    files: list.default([]),
    needs: z
      .union([id, z.array(id)])
      .transform((value) => (Array.isArray(value) ? value : [value]))
      .default([]),
    steps: list.default([]),
    accept: z
      .array(
        z.union([
          text.transform((check) => ({ check })),
          z.object({ run: text }).strict(),
          z.object({ check: text }).strict(),
        ]),
      )
      .default([]),
    notToDo: list.default([]),
    context: list.default([]),
    output: list.default([]),
    phase: text.optional(),
  })
  .strict();

const YamlPlanSchema = z
  .object({
    title: text.optional(),
    agents: z.number().int().min(2).max(4).optional(),
    context: list.default([]),
    tasks: z.array(z.unknown()),
  })
  .strict();

/** The fenced ```yaml block of a Markdown body that holds a plan (`tasks:`), with its first line. */
export function yamlPlanBlock(markdown: string): { text: string; line: number } | undefined {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  for (let start = 0; start < lines.length; start++) {
    const open = /^ {0,3}(`{3,}|~{3,})\s*ya?ml\b/i.exec(lines[start]!);
    if (open === null) continue;
    const fence = open[1]!;
    let end = start + 1;
    while (end < lines.length && !lines[end]!.trim().startsWith(fence)) end++;
    const body = lines.slice(start + 1, end).join("\n");
    if (/^tasks\s*:/m.test(body)) return { text: body, line: start + 2 };
    start = end;
  }
  return undefined;
}

/** Reads a YAML plan (`agents:`, `tasks:`); `firstLine` is where the YAML starts in its document. */
export function readYaml(source: string, firstLine = 1): PlanSource {
  let value: unknown;
  try {
    value = loadWithoutAnchors(source);
  } catch (error) {
    if (error instanceof AnchorRefused) return failed({ line: firstLine + error.line, message: error.message });
    const mark = (error as { mark?: { line?: number } }).mark;
    return failed({
      message: `the plan is not valid YAML: ${(error as { reason?: string }).reason ?? String(error)}`,
      ...(mark?.line === undefined ? {} : { line: firstLine + mark.line }),
    });
  }
  const plan = YamlPlanSchema.safeParse(value);
  if (!plan.success) {
    return { tasks: [], context: [], problems: plan.error.issues.map((issue) => zodProblem(issue, firstLine)) };
  }
  const problems: Problem[] = [];
  const tasks: Task[] = [];
  const taskLines = lineOfEachTask(source);
  const sourceLines = source.split("\n");
  plan.data.tasks.forEach((raw, index) => {
    const line = taskLines[index] === undefined ? undefined : firstLine + taskLines[index]!;
    const fieldLines =
      taskLines[index] === undefined
        ? {}
        : fieldLinesOf(sourceLines, taskLines[index]!, taskLines[index + 1] ?? sourceLines.length, firstLine);
    const parsed = YamlTaskSchema.safeParse(raw);
    const taskId = typeof raw === "object" && raw !== null && "id" in raw ? String(raw.id) : `#${index + 1}`;
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push({ task: taskId, ...zodProblem(issue, line) });
      }
      return;
    }
    const { estimate, ...rest } = parsed.data;
    const reading = readEstimate(estimate);
    const estimateLine = fieldLines.estimate ?? line;
    if (!reading.ok) {
      problems.push({
        task: taskId,
        ...(estimateLine === undefined ? {} : { line: estimateLine }),
        field: "estimate",
        message:
          reading.why === "unreadable"
            ? `expected minutes (a number) or a time such as "20 min" or "1h", got "${estimate}"`
            : estimateProblem(reading.why, String(estimate)),
      });
    }
    tasks.push({
      ...rest,
      ...(reading.ok ? { estimate: reading.minutes } : {}),
      ...(line === undefined ? {} : { line }),
      ...(Object.keys(fieldLines).length === 0 ? {} : { fieldLines }),
    });
  });
  return {
    ...(plan.data.title === undefined ? {} : { title: plan.data.title }),
    ...(plan.data.agents === undefined ? {} : { agents: plan.data.agents }),
    tasks,
    context: plan.data.context,
    problems,
    format: "yaml",
  };
}

class AnchorRefused extends Error {
  constructor(
    /** 0-based, in the YAML. */
    readonly line: number,
    anchor: string,
  ) {
    super(
      `the plan uses the YAML anchor \`&${anchor.slice(0, 40)}\`: anchors and aliases (\`*name\`) are not read in a plan, since one alias can stand for megabytes; write each value where it is used`,
    );
  }
}

/**
 * The YAML's value, refused at its first anchor: an alias (`*name`) repeats
 * its anchor's value wherever it stands, and a few hundred bytes of nested
 * aliases stood for 110 MB of text when the plan's problems were written.
 * js-yaml has no alias limit; its listener sees each node as it closes, with
 * the anchor it carries (`anchor` is js-yaml's own field of its state).
 */
function loadWithoutAnchors(source: string): unknown {
  const opened: number[] = [];
  return yaml.load(source, {
    listener: (event, state) => {
      if (event === "open") {
        opened.push(state.position);
        return;
      }
      const start = opened.pop() ?? 0;
      const { anchor } = state as typeof state & { anchor: string | null };
      if (anchor === null) return;
      const at = Math.max(0, source.indexOf(`&${anchor}`, start));
      throw new AnchorRefused(source.slice(0, at).split("\n").length - 1, anchor);
    },
  });
}

function failed(problem: Problem): PlanSource {
  return { tasks: [], context: [], problems: [problem] };
}

function zodProblem(issue: z.core.$ZodIssue, line: number | undefined): Problem {
  const path = issue.path.map(String);
  return {
    ...(line === undefined ? {} : { line }),
    ...(path.length === 0 ? {} : { field: path.join(".") }),
    message: issue.message,
  };
}

/**
 * Lines (in the document) of a task entry's `estimate`, `files` and `needs`
 * keys, the entry being the source lines from `start` to before `end`: keys at
 * the entry's own indentation, not words inside its values.
 */
function fieldLinesOf(
  lines: readonly string[],
  start: number,
  end: number,
  firstLine: number,
): NonNullable<Task["fieldLines"]> {
  const entry = /^(\s*)- /.exec(lines[start] ?? "");
  if (entry === null) return {};
  const column = entry[0].length;
  const found: NonNullable<Task["fieldLines"]> = {};
  for (let index = start; index < end; index++) {
    const line = lines[index]!;
    const lead = line.slice(0, column);
    if (index === start ? lead !== entry[0] : lead.trim() !== "") continue;
    const key = /^(estimate|files|needs)\s*:/.exec(line.slice(column))?.[1] as keyof typeof found | undefined;
    if (key !== undefined) found[key] ??= firstLine + index;
  }
  return found;
}

/** Offsets (0-based) of the lines where each entry of the top-level `tasks:` list starts. */
function lineOfEachTask(source: string): number[] {
  const lines = source.split("\n");
  const start = lines.findIndex((line) => /^tasks\s*:/.test(line));
  if (start === -1) return [];
  const result: number[] = [];
  let indent: number | undefined;
  for (let index = start + 1; index < lines.length; index++) {
    const line = lines[index]!;
    if (/^\S/.test(line)) break;
    const item = /^(\s*)- /.exec(line);
    if (item === null) continue;
    indent ??= item[1]!.length;
    if (item[1]!.length === indent) result.push(index);
  }
  return result;
}
