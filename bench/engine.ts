/**
 * The app's own time per event with a 100-batch state, no network: decode the
 * state from the dashboard, decide on a run's completion, write what its effects
 * describe (the check run, the next briefs), render and sign the new dashboard.
 * This is what a webhook costs beyond its GitHub calls.
 */
import { performance } from "node:perf_hooks";
import { defaultConfig } from "../src/base/config.js";
import { planFromSource } from "../src/schedule/planner.js";
import { decide } from "../src/state/machine.js";
import { startState } from "../src/state/startState.js";
import { decodeState, stateKey } from "../src/state/codec.js";
import { dashboardBody } from "../src/github/stores/dashboardComment.js";
import { writtenEffect } from "../src/render/writtenEffect.js";
import type { State } from "../src/state/stateSchema.js";
import { generatedTasks } from "./planning.js";

export function benchEngine(): string[] {
  const key = stateKey("bench");
  const tasks = generatedTasks(100);
  const result = planFromSource({ tasks, context: [], problems: [] }, defaultConfig, { force: true });
  if (result.plan === undefined) return ["engine: the generated plan did not plan"];
  const plan = result.plan;
  let state: State = startState(
    { issue: 1, config: defaultConfig, base: "main", baseSha: "sha0", at: "2026-01-01T00:00:00Z" },
    plan,
  );
  state = decide(state, { kind: "start", at: "2026-01-01T00:00:00Z" }, plan).state;

  const times: number[] = [];
  let body = dashboardBody(plan, state, "https://github.com/o/r", key);
  let runId = 1;
  for (let step = 0; step < 200; step++) {
    const running = Object.entries(state.batches).filter(([, batch]) => batch.status === "dispatched");
    if (running.length === 0) break;
    const [id, own] = running[0]!;
    const run = own.runs[own.runs.length - 1]!;
    run.id ??= runId++;
    const at = new Date(Date.UTC(2026, 0, 1, 0, step * 20)).toISOString();
    const report = {
      version: 1 as const,
      issue: 1,
      batch: id,
      run: run.id,
      status: "Complete" as const,
      changes: [{ file: "x.ts", line: 1, summary: "done" }],
      acceptance: [],
      integrationPoints: [`contract of ${id}`],
      blockers: [],
      outOfScope: [],
      summary: "done",
    };
    const start = performance.now();
    const decoded = decodeState(body, key);
    if (!decoded.ok) return [`engine: ${decoded.reason}`];
    const completed = decide(
      decoded.state,
      {
        kind: "runCompleted",
        at,
        runId: run.id,
        conclusion: "success",
        minutes: 20,
        evidence: {
          pr: { number: 100 + step, headSha: "h", files: [], changedFiles: 0, merged: false },
          report: { ok: true, report },
        },
      },
      plan,
    );
    const decision = decide(completed.state, { kind: "merged", at, batch: id, sha: `sha${step + 1}` }, plan);
    for (const effect of [...completed.effects, ...decision.effects]) writtenEffect(plan, effect);
    state = decision.state;
    for (const effect of decision.effects)
      if (effect.kind === "dispatch") decision.state.batches[effect.batch]!.runs.at(-1)!.id = runId++;
    body = dashboardBody(plan, state, "https://github.com/o/r", key);
    times.push(performance.now() - start);
  }
  // The first event pays for a cold process (compiling the code, zod's validators): shown apart.
  const first = times[0] ?? 0;
  const warm = times.slice(1).sort((a, b) => a - b);
  const median = warm[Math.floor(warm.length / 2)] ?? 0;
  const p95 = warm[Math.floor(warm.length * 0.95)] ?? 0;
  const worst = warm[warm.length - 1] ?? 0;
  return [
    `Engine, own time per completion event with a 100-batch state (decode, decide, merge, write the effects, render, sign), ${times.length} events (target < 20 ms):`,
    `  the first, in a cold process: ${first.toFixed(1)} ms; the other ${warm.length}: median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, worst ${worst.toFixed(1)} ms`,
    `  dashboard comment ${body.length.toLocaleString("en")} characters (GitHub's limit 65,536)`,
  ];
}
