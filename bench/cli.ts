/**
 * The CLI as a person runs it from a clone: `plan` on an example through the
 * package's bin, in a process of its own, wall-clock time from spawn to exit
 * (`npx` adds its own start-up on top). Target: 0.3 s.
 */
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Median wall-clock seconds of `runs` runs of `node args…` in the repository's root. */
function medianSeconds(args: string[], runs: number): number {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, args, { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
    times.push((performance.now() - started) / 1000);
    if (result.status !== 0) throw new Error(`node ${args.join(" ")} failed: ${result.stderr.toString()}`);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export function benchCli(runs = 9): string[] {
  const command = ["bin/parallel-coordinator.js", "plan", "examples/notifications.md"];
  // A first run rebuilds lib/ when the sources are newer: the figure is of the runs after it.
  medianSeconds(command, 1);
  const plan = medianSeconds(command, runs);
  const node = medianSeconds(["-e", "0"], runs);
  return [
    `CLI (median of ${runs} runs, wall clock):`,
    `  node ${command.join(" ")}: ${plan.toFixed(2)} s (target ≤ 0.3 s: ${plan <= 0.3 ? "met" : "missed"}); Node itself starts in ${node.toFixed(2)} s`,
  ];
}
