/**
 * Planning speed: tasks → plan (batching, conflicts, scopes, schedule, level),
 * and reading a breakdown's Markdown, for 10, 100 and 1,000 tasks. The
 * 1,000-task plan goes past the level gate, as `--force` does.
 */
import { performance } from "node:perf_hooks";
import { defaultConfig } from "../src/base/config.js";
import { planFromSource } from "../src/schedule/planner.js";
import { readMarkdown } from "../src/plan/readMarkdown.js";
import type { PlanSource } from "../src/plan/source.js";
import type { Task } from "../src/plan/task.js";
import { prng } from "./schedule.js";

/** A breakdown of `count` tasks over 4 domains, with dependencies within and across domains and a few shared files. */
export function generatedTasks(count: number, seed = 7): Task[] {
  const rand = prng(seed);
  const domains = ["backend", "frontend", "tests", "docs"];
  return Array.from({ length: count }, (_, index): Task => {
    const domain = domains[index % domains.length]!;
    const needs = [index - 4, index - 1 - Math.floor(rand() * 8)]
      .filter((need) => need >= 0 && need < index)
      .map((need) => String(need + 1));
    return {
      id: String(index + 1),
      title: `Task ${index + 1}`,
      domain,
      estimate: 5 + Math.floor(rand() * 36),
      // Some also touch a shared file (a conflict zone); each has a module of its own, as a batch must.
      files: [`${domain}/src/module${index}/**`, ...(rand() < 0.1 ? [`shared/file${index % 7}.ts`] : [])],
      needs: [...new Set(needs)],
      steps: ["Do the work"],
      accept: [{ check: "It works" }],
      notToDo: [],
      context: [],
      output: [],
    };
  });
}

function markdownOf(tasks: readonly Task[]): string {
  return tasks
    .map((task) =>
      [
        `### ${task.id}. ${task.title}`,
        `- **Domain:** ${task.domain}`,
        `- **Time:** ${task.estimate} min`,
        `- **Files:** ${task.files.map((file) => `\`${file}\``).join(", ")}`,
        `- **Dependencies:** ${task.needs.length === 0 ? "None" : `Batch ${task.needs.join(", ")}`}`,
        "- **Tasks:**",
        "  - Do the work",
        "- **Acceptance:**",
        "  - ✅ It works",
        "",
      ].join("\n"),
    )
    .join("\n");
}

function timed<T>(work: () => T, runs: number): { result: T; ms: number } {
  let result = work();
  const start = performance.now();
  for (let run = 0; run < runs; run++) result = work();
  return { result, ms: (performance.now() - start) / runs };
}

export function benchPlanning(): string[] {
  const lines = ["Planning (tasks → plan), median of repeated runs:"];
  for (const count of [10, 100, 1000]) {
    const source: PlanSource = { tasks: generatedTasks(count), context: [], problems: [] };
    const { result, ms } = timed(() => planFromSource(source, defaultConfig, { force: true }), count === 1000 ? 5 : 20);
    const plan = result.ok ? result.plan : result.plan;
    lines.push(
      `  ${String(count).padStart(5)} tasks: ${ms.toFixed(1).padStart(7)} ms → ${plan?.batches.length ?? 0} batches, makespan ${plan?.schedule.makespan ?? "-"} min (lower bound ${plan?.schedule.lowerBound ?? "-"})${result.ok ? "" : " [refused]"}`,
    );
  }
  lines.push("Reading a breakdown's Markdown (mdast):");
  for (const count of [10, 100]) {
    const text = markdownOf(generatedTasks(count));
    const { ms } = timed(() => readMarkdown(text), 3);
    lines.push(
      `  ${String(count).padStart(5)} tasks (${(text.length / 1024).toFixed(0)} KB): ${ms.toFixed(1).padStart(7)} ms`,
    );
  }
  return lines;
}
