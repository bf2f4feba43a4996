import yaml from "js-yaml";
import type { Task } from "../plan/task.js";

/** Tasks as entries of a YAML plan's `tasks:`, the keys it reads, in its order. */
export function yamlTasks(tasks: readonly Task[]): string {
  const entries = tasks.map((task) => ({
    id: task.id,
    title: task.title,
    ...(task.domain === undefined ? {} : { domain: task.domain }),
    ...(task.agent === undefined ? {} : { agent: task.agent }),
    ...(task.estimate === undefined ? {} : { estimate: task.estimate }),
    ...(task.files.length === 0 ? {} : { files: task.files }),
    needs: task.needs,
    ...(task.steps.length === 0 ? {} : { steps: task.steps }),
    ...(task.accept.length === 0 ? {} : { accept: task.accept.map((item) => ("run" in item ? item : item.check)) }),
    ...(task.notToDo.length === 0 ? {} : { notToDo: task.notToDo }),
    ...(task.context.length === 0 ? {} : { context: task.context }),
    ...(task.output.length === 0 ? {} : { output: task.output }),
    ...(task.phase === undefined ? {} : { phase: task.phase }),
  }));
  return yaml.dump(entries, { lineWidth: -1, noRefs: true }).trimEnd();
}
