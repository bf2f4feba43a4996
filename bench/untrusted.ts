/**
 * The bodies a stranger may write, each of GitHub's largest size or the
 * finding's (issue #13): how long planning takes in the app's worker, under its
 * limits (1 s, 256 MB), and on this thread for comparison; then what the
 * largest ordinary plan costs to render on the app's own thread (every brief,
 * the dashboard). The worst body's time is the figure to hold against 1 s.
 */
import { performance } from "node:perf_hooks";
import { defaultConfig } from "../src/base/config.js";
import { PLAN_BUDGET_MS, PLAN_HEAP_MB, workerPlanner } from "../src/handlers/planInWorker.js";
import { briefFor } from "../src/render/batchBrief.js";
import { renderDashboard } from "../src/render/dashboard.js";
import { BODY_LIMIT, planRequested, type PlanOutcome } from "../src/schedule/planRequest.js";
import { aliasBody, globBodies, globsAtTheLimit, largestOrdinaryBody } from "../test/fixtures/untrustedBodies.js";

/** `unit(1)`, `unit(2)`… after `head`, as many as fit in GitHub's limit. */
function filled(head: string, unit: (n: number) => string, tail = ""): string {
  let body = head;
  for (let n = 1; ; n++) {
    const next = unit(n);
    if (body.length + next.length + tail.length > BODY_LIMIT) break;
    body += next;
  }
  return `${body}${tail}`;
}

const domains = ["backend", "frontend", "tests", "docs"];

export const shapes: Record<string, string> = {
  "the largest ordinary breakdown (20 tasks)": largestOrdinaryBody(),
  "the finding's globs (Markdown, 228 bytes)": globBodies.markdown,
  "the finding's globs (YAML, 334 bytes)": globBodies.yaml,
  "globs at the wildcard limit, long names": globsAtTheLimit,
  "the alias body (60 KB)": aliasBody(),
  "as many tasks as fit (Markdown)": filled(
    "",
    (n) =>
      `### ${n}. T${n}\n- **Domain:** ${domains[n % 4]}\n- **Time:** 20 min\n- **Files:** \`${domains[n % 4]}/f${n}.ts\`\n- **Dependencies:** ${n > 4 ? n - 4 : "None"}\n\n`,
  ),
  "as many tasks as fit (YAML)": filled(
    "```yaml\ntasks:\n",
    (n) => `  - {id: t${n}, title: T, domain: ${domains[n % 4]}, estimate: 20, files: [s/${n}]}\n`,
    "```\n",
  ),
  "as many globs as fit, one prefix": filled(
    "### 1. Globs\n- **Domain:** a\n- **Time:** 20 min\n- **Files:**\n",
    (n) => `  - \`*${n}*a*b*c*d*e\`\n`,
  ),
  "every task on the same files": filled(
    "",
    (n) =>
      `### ${n}. T${n}\n- **Domain:** ${domains[n % 4]}\n- **Time:** 20 min\n- **Files:** \`shared/a.ts\`, \`shared/b/**\`\n\n`,
  ),
  "dense formatting in one paragraph": filled(
    "### 1. T\n- **Time:** 20 min\n- **Tasks:**\n  - ",
    (n) => `**a${n}** _b_ [c](d) \`e\` `,
  ),
};

function outcomeText(outcome: PlanOutcome): string {
  if ("stopped" in outcome) return `stopped (${outcome.stopped})`;
  if ("noBreakdown" in outcome) return "no breakdown";
  if (outcome.ok) return `planned: ${outcome.plan.batches.length} batches`;
  return `refused: ${outcome.problems[0]!.message.slice(0, 40)}…`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function benchUntrusted(runs = 3): Promise<string[]> {
  const planner = workerPlanner();
  // A plan stopped by its limits takes its worker along: a small plan first has a warm one ready, as the app keeps one.
  const warm = () => planner({ body: globBodies.markdown, config: defaultConfig, force: false });
  const lines = [
    `Untrusted bodies (GitHub's limit ${BODY_LIMIT.toLocaleString("en")} characters), median of ${runs}: in the app's worker under its limits (${PLAN_BUDGET_MS} ms, ${PLAN_HEAP_MB} MB), then on this thread (wall clock / CPU time, which a busy machine inflates less):`,
  ];
  let worst = { name: "", cpu: 0 };
  for (const [name, body] of Object.entries(shapes)) {
    const request = { body, config: defaultConfig, force: false };
    const inWorker: number[] = [];
    let outcome: PlanOutcome | undefined;
    for (let run = 0; run < runs; run++) {
      await warm();
      const start = performance.now();
      outcome = await planner(request);
      inWorker.push(performance.now() - start);
    }
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let run = 0; run < runs; run++) {
      const start = performance.now();
      const used = process.cpuUsage();
      planRequested(request);
      const { user, system } = process.cpuUsage(used);
      wall.push(performance.now() - start);
      cpu.push((user + system) / 1000);
    }
    if (median(cpu) > worst.cpu) worst = { name, cpu: median(cpu) };
    lines.push(
      `  ${name.padEnd(42)} worker ${median(inWorker).toFixed(0).padStart(5)} ms → ${outcomeText(outcome!).padEnd(52)} here ${median(wall).toFixed(0).padStart(5)} / ${median(cpu).toFixed(0).padStart(5)} ms`,
    );
  }
  lines.push(
    `  worst on this thread: ${worst.name}, ${worst.cpu.toFixed(0)} ms of CPU (the worker's budget: ${PLAN_BUDGET_MS} ms)`,
  );

  const result = planRequested({ body: largestOrdinaryBody(), config: defaultConfig, force: false });
  if ("plan" in result && result.plan !== undefined) {
    const plan = result.plan;
    const start = performance.now();
    const briefs = plan.batches.map((batch) => briefFor(plan, batch.id));
    const dashboard = renderDashboard(plan);
    const longest = Math.max(...briefs.map((brief) => brief.length));
    lines.push(
      `  rendering the largest ordinary plan on the app's thread: every brief and the dashboard in ${(performance.now() - start).toFixed(0)} ms (longest brief ${longest.toLocaleString("en")} characters, dashboard ${dashboard.length.toLocaleString("en")})`,
    );
  }
  return lines;
}
