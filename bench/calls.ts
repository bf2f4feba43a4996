/**
 * GitHub API calls over a whole feature, counted by the simulator: every
 * request the real app makes (the installation token and reads included),
 * against the target of 8 a batch plus 12 a feature.
 */
import { readFileSync } from "node:fs";
import { simulate } from "../src/sim/run.js";

/** The project's own examples that plan (the refused epic is not a coordination). */
const cases = ["notifications.md", "moderation-queue.uk.md", "webhook-dedup-pipeline.md"].map(
  (name) => [`examples/${name}`, new URL(`../examples/${name}`, import.meta.url)] as const,
);

export async function benchCalls(): Promise<string[]> {
  const lines = ["API calls over a full feature (simulator; target ≤ 8 a batch + 12 a feature):"];
  for (const [name, url] of cases) {
    const result = await simulate({ breakdown: readFileSync(url, "utf8"), checkRequests: false });
    const batches = result.batches.length;
    const target = 8 * batches + 12;
    lines.push(
      `  ${name}: ${result.status}, ${batches} batches, ${result.calls.total} calls (${result.calls.perBatch?.toFixed(2) ?? "-"} a batch; target ${target}: ${result.calls.total <= target ? "met" : "missed"}), simulated makespan ${result.makespan ?? "-"} min`,
    );
  }
  // GitHub waits 10 s for a delivery's answer. The server answers first and finishes the step under the
  // issue's lock; this is how long the slowest step takes with Probot's throttling of writes on.
  const [name, url] = cases[2]!;
  const throttled = await simulate({ breakdown: readFileSync(url, "utf8"), checkRequests: false, throttle: true });
  lines.push(
    `  slowest event's wall-clock time with Probot's throttling on (${name}, ${throttled.deliveries} deliveries): ${(throttled.slowestDeliveryMs / 1000).toFixed(1)} s`,
  );
  return lines;
}
