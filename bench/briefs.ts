/**
 * Brief sizes: what each batch's agent is handed at its first dispatch, for the
 * three example plans. A brief should carry what its batch needs — its tasks,
 * the section it sits under, what it depends on — not every note of the plan.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defaultConfig } from "../src/base/config.js";
import { readPlanFile } from "../src/plan/readBreakdown.js";
import { planFromSource } from "../src/schedule/planner.js";
import { briefFor } from "../src/render/batchBrief.js";

const EXAMPLES = ["notifications.md", "moderation-queue.uk.md", "webhook-dedup-pipeline.md"];

function median(sorted: readonly number[]): number {
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : Math.round((sorted[middle - 1]! + sorted[middle]!) / 2);
}

export function benchBriefs(): string[] {
  const lines = ["Brief sizes (characters at first dispatch, no previous work yet):"];
  for (const name of EXAMPLES) {
    const text = readFileSync(fileURLToPath(new URL(`../examples/${name}`, import.meta.url)), "utf8");
    const result = planFromSource(readPlanFile(name, text), defaultConfig);
    if (result.plan === undefined) {
      lines.push(`  ${name}: not planned`);
      continue;
    }
    const plan = result.plan;
    const sizes = plan.batches.map((batch) => briefFor(plan, batch.id).length).sort((a, b) => a - b);
    lines.push(
      `  ${name.padEnd(28)} ${String(sizes.length).padStart(2)} briefs: median ${String(median(sizes)).padStart(5)}, largest ${String(sizes[sizes.length - 1] ?? 0).padStart(5)}`,
    );
  }
  return lines;
}
