import { z } from "zod";
import type { PlanSource } from "./source.js";
import type { Problem } from "../base/problem.js";
import { TaskSchema, type Task } from "./task.js";
import { readMarkdown } from "./readMarkdown.js";
import { readYaml, yamlPlanBlock } from "./readYaml.js";

/**
 * Reads a feature issue's body: the fenced `yaml` plan block when there is one
 * (the precise form), the task-breakdown Markdown otherwise.
 */
export function readBreakdown(body: string): PlanSource {
  const block = yamlPlanBlock(body);
  if (block !== undefined) {
    const source = readYaml(block.text, block.line);
    const title = /^#\s+(.+)$/m.exec(body)?.[1]?.trim();
    return source.title === undefined && title !== undefined ? { ...source, title } : source;
  }
  return readMarkdown(body);
}

/** Reads a plan file: YAML when the name says so, a breakdown otherwise. */
export function readPlanFile(name: string, text: string): PlanSource {
  return /\.ya?ml$/i.test(name) ? readYaml(text) : readBreakdown(text);
}

/** Reads plain task objects, the shape sub-issues are read into. */
export function readTasks(values: readonly unknown[]): PlanSource {
  const tasks: Task[] = [];
  const problems: Problem[] = [];
  values.forEach((value, index) => {
    const parsed = TaskSchema.safeParse(value);
    if (parsed.success) {
      tasks.push(parsed.data);
      return;
    }
    const id = z.object({ id: z.string() }).safeParse(value);
    for (const issue of parsed.error.issues) {
      problems.push({
        task: id.success ? id.data.id : `#${index + 1}`,
        ...(issue.path.length === 0 ? {} : { field: issue.path.join(".") }),
        message: issue.message,
      });
    }
  });
  return { tasks, context: [], problems };
}
