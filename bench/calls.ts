/**
 * GitHub API calls over a whole feature, counted by the simulator: every
 * request the real app makes (the installation token and reads included), by
 * route, before (bench/calls-before.json: the app as it was before the
 * check-in work of issue 17, commit eb402d6) and now, against the target of
 * 6 a batch plus 12 a feature. test/sim/happyPathCalls.test.ts fails when the
 * happy path makes more calls than it does now.
 */
import { readFileSync } from "node:fs";
import { simulate } from "../src/sim/run.js";

/** The project's own examples that plan (the refused epic is not a coordination). */
const cases = ["notifications.md", "moderation-queue.uk.md", "webhook-dedup-pipeline.md"].map(
  (name) => [`examples/${name}`, new URL(`../examples/${name}`, import.meta.url)] as const,
);

interface Counted {
  batches: number;
  total: number;
  /** All but the calls answered `304 Not Modified` (free of rate limit); the total before conditional requests. */
  rateLimited?: number;
  byRoute: Record<string, number>;
}

const before = JSON.parse(readFileSync(new URL("./calls-before.json", import.meta.url), "utf8")) as {
  commit: string;
  examples: Record<string, Counted>;
};

export async function benchCalls(): Promise<string[]> {
  const lines = [
    `API calls over a full feature (simulator; target ≤ 6 a batch + 12 a feature), before (${before.commit}) → now, by route:`,
  ];
  for (const [name, url] of cases) {
    const result = await simulate({ breakdown: readFileSync(url, "utf8"), checkRequests: false });
    const now: Counted = {
      batches: result.batches.length,
      total: result.calls.total,
      rateLimited: result.calls.rateLimited,
      byRoute: result.calls.byRoute,
    };
    const then = before.examples[name];
    const perBatch = (counted: Counted | undefined) =>
      counted === undefined ? "-" : (counted.total / counted.batches).toFixed(2);
    const limited = (counted: Counted) => counted.rateLimited ?? counted.total;
    const target = 6 * now.batches + 12;
    lines.push(
      `  ${name}: ${result.status}, ${now.batches} batches, ${then?.total ?? "-"} → ${now.total} calls, ${perBatch(then)} → ${perBatch(now)} a batch; costing rate limit (all but 304s) ${then === undefined ? "-" : limited(then)} → ${limited(now)} (target ${target}: ${limited(now) <= target ? "met" : "missed"}), simulated makespan ${result.makespan ?? "-"} min`,
    );
    const routes = [...new Set([...Object.keys(then?.byRoute ?? {}), ...Object.keys(now.byRoute)])].sort(
      (a, b) => (now.byRoute[b] ?? 0) - (now.byRoute[a] ?? 0) || a.localeCompare(b),
    );
    const width = Math.max(...routes.map((route) => route.length));
    for (const route of routes) {
      const was = then?.byRoute[route] ?? 0;
      const is = now.byRoute[route] ?? 0;
      lines.push(
        `    ${route.padEnd(width)}  ${String(was).padStart(3)} → ${String(is).padStart(3)}${was === is ? "" : is > was ? `  (+${is - was})` : `  (${is - was})`}${notModified(result.github.calls, route)}`,
      );
    }
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

/** How many of a route's calls were answered `304 Not Modified`, when any were. */
function notModified(calls: ReadonlyArray<{ route: string; status: number }>, route: string): string {
  const free = calls.filter((call) => call.route === route && call.status === 304).length;
  return free === 0 ? "" : `  (${free} of them 304 Not Modified)`;
}
