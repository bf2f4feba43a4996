/**
 * The two shells side by side, on the simulator: the App (a server GitHub
 * sends webhooks to) and the Actions bot (the coordinator workflow `init`
 * writes, run by the rules of Actions). For each example that plans: API
 * calls in all and per batch, coordinator runs per batch (goal ≤ 3) and the
 * Actions minutes they bill, the simulated makespan against the plan's. Then
 * the coordinator action's bundle: its load time as a process of its own
 * (goal ≤ 0.3 s), and the CPU time of its slowest event (goal ≤ 0.5 s).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { simulate } from "../src/sim/run.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const cases = ["notifications.md", "moderation-queue.uk.md", "webhook-dedup-pipeline.md"].map(
  (name) => [`examples/${name}`, new URL(`../examples/${name}`, import.meta.url)] as const,
);
/** The coordinator action's entry, as coordinator/action.yml names it. */
const ENTRY = "coordinator/dist/coordinator/index.js";
/** Prints the process's CPU time on exit, in milliseconds. */
const CPU = `data:text/javascript,process.on("exit",()=>{const c=process.cpuUsage();process.stderr.write("cpu "+((c.user+c.system)/1000)+"\\n")})`;

/** Median wall-clock and CPU seconds of `runs` runs of `node args…` (the coordinator fails at once without a workflow run: it loads, then stops). */
function medians(args: string[], runs: number): { wall: number; cpu: number } {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, ["--import", CPU, ...args], {
      cwd: root,
      env: { PATH: process.env.PATH },
      stdio: ["ignore", "ignore", "pipe"],
    });
    walls.push((performance.now() - started) / 1000);
    cpus.push(Number(/cpu ([\d.]+)/.exec(result.stderr.toString())?.[1] ?? NaN) / 1000);
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { wall: median(walls), cpu: median(cpus) };
}

export async function benchActions(runs = 9): Promise<string[]> {
  const lines = ["The App and the Actions bot (simulator; the same features, the same scripted agent):"];
  let slowestCpuMs = 0;
  for (const [name, url] of cases) {
    const breakdown = readFileSync(url, "utf8");
    const app = await simulate({ breakdown, checkRequests: false });
    const actions = await simulate({ breakdown, checkRequests: false, mode: "actions" });
    const batches = actions.batches.length;
    const coordinator = actions.coordinatorRuns!;
    const perBatch = (n: number) => (batches === 0 ? "-" : (n / batches).toFixed(2));
    const triggers = Object.entries(coordinator.byTrigger)
      .map(([trigger, n]) => `${n} ${trigger}`)
      .join(", ");
    slowestCpuMs = Math.max(slowestCpuMs, actions.slowestCoordinatorRunCpuMs ?? 0);
    lines.push(
      `  ${name} (${batches} batches; the plan's makespan ${actions.plan?.schedule.makespan ?? "-"} min):`,
      `    App:     ${app.status}, ${app.calls.total} API calls (${perBatch(app.calls.total)} a batch), simulated makespan ${app.makespan?.toFixed(1) ?? "-"} min`,
      `    Actions: ${actions.status}, ${actions.calls.total} API calls (${perBatch(actions.calls.total)} a batch), simulated makespan ${actions.makespan?.toFixed(1) ?? "-"} min`,
      `             coordinator runs: ${coordinator.ran} ran, ${perBatch(coordinator.ran)} a batch (goal ≤ 3: ${coordinator.ran <= 3 * batches ? "met" : "missed"}); ${coordinator.total} started (${triggers}), ${coordinator.skipped} skipped by the job's if:, ${coordinator.cancelled} cancelled waiting; ${coordinator.minutes} Actions minutes`,
    );
  }
  const bundle = medians([ENTRY], runs);
  const node = medians(["-e", "0"], runs);
  const load = { wall: bundle.wall - node.wall, cpu: bundle.cpu - node.cpu };
  lines.push(
    `  the coordinator action's bundle (${ENTRY}, median of ${runs} runs): loads in ${load.wall.toFixed(2)} s by the clock, ${load.cpu.toFixed(2)} s of CPU, beyond Node's own start (${node.wall.toFixed(2)} s, ${node.cpu.toFixed(2)} s of CPU) (goal ≤ 0.3 s: ${load.wall <= 0.3 ? "met" : load.cpu <= 0.3 ? "met in CPU time, missed by the clock on this machine" : "missed"})`,
    `  the slowest coordinator run's CPU time, its event's whole work with the in-memory GitHub's answers: ${(slowestCpuMs / 1000).toFixed(2)} s (goal ≤ 0.5 s: ${slowestCpuMs <= 500 ? "met" : "missed"})`,
  );
  return lines;
}
