// Checks every task breakdown (*.md) in a folder the way the app would meet it:
// plans it with the default config and plays it through the real app in the
// simulator (an in-memory GitHub, every request checked against GitHub's REST
// description). One line per case; exit status 1 when any case fails.
//
//   npm run test:cases -- ../shared/cases/real
//
// A case passes when
//   - it plans (with a valid schedule) and its simulation reaches `done` with one
//     final pull request that closes the issue, or
//   - it is refused with its problems named, and the app answers with one comment
//     and starts nothing;
// and in both, nothing crashed, GitHub would have refused no request, the app's
// handlers threw nothing and logged no warning, and the simulation settled.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultConfig } from "../src/base/config.js";
import type { Plan } from "../src/plan/planModel.js";
import { jobsOf, planFromSource } from "../src/schedule/planner.js";
import { formatProblem } from "../src/base/problem.js";
import { readBreakdown } from "../src/plan/readBreakdown.js";
import { formatMinutes } from "../src/base/minutes.js";
import { validateSchedule } from "../src/schedule/scheduler.js";
import { simulate, type SimulationOptions } from "../src/sim/run.js";

export interface CaseResult {
  name: string;
  ok: boolean;
  /** What became of the case, or why it failed. */
  line: string;
}

/** What the simulation may be given besides the breakdown (a scenario, another app): for tests of this runner. */
export type CaseOptions = Omit<SimulationOptions, "breakdown">;

export async function checkCase(name: string, text: string, options: CaseOptions = {}): Promise<CaseResult> {
  const failures: string[] = [];
  let story: string;
  try {
    const source = readBreakdown(text);
    const planned = planFromSource(source, defaultConfig);
    const simulation = await simulate({ ...options, breakdown: text });
    failures.push(
      ...simulation.problems.map((problem) => `a request GitHub would refuse: ${problem}`),
      ...simulation.errors.map((error) => `the app threw: ${error.split("\n")[0]}`),
      ...simulation.log.map((line) => `the app logged: ${line}`),
      ...(simulation.stopped === undefined ? [] : [`the simulation ${simulation.stopped}`]),
    );
    if (planned.ok) {
      failures.push(...scheduleProblems(planned.plan));
      const finals = [...simulation.repo.pulls.values()].filter((pull) => pull.base === simulation.repo.defaultBranch);
      if (simulation.status !== "done")
        failures.push(`the coordination ended ${simulation.status ?? "not started"}, not done`);
      else if (finals.length !== 1) failures.push(`${finals.length} final pull requests, not one`);
      else if (!finals[0]!.body.includes(`Closes #${simulation.issue}`))
        failures.push(`the final pull request #${finals[0]!.number} does not close the issue`);
      const { schedule, batches } = planned.plan;
      story =
        `${batches.length} batches, ${schedule.agents} agents, planned ${formatMinutes(schedule.makespan)}; ` +
        `simulated to ${simulation.status ?? "nothing"}` +
        (simulation.makespan === null ? "" : ` in ${formatMinutes(simulation.makespan)}`) +
        (finals.length === 1 ? `, final pull request #${finals[0]!.number}` : "") +
        `, ${simulation.calls.total} API calls`;
    } else {
      const dispatched = simulation.github.history.some((entry) => entry.kind === "dispatch");
      if (simulation.status !== null || dispatched)
        failures.push("the planner refuses it, yet the app started a coordination");
      else if (simulation.comments.length !== 1)
        failures.push(`the app answered the refusal with ${simulation.comments.length} comments, not one`);
      const forced = planFromSource(source, defaultConfig, { force: true });
      if (forced.ok) failures.push(...scheduleProblems(forced.plan));
      story =
        `refused, ${planned.problems.length} ${planned.problems.length === 1 ? "problem" : "problems"} (first: ${formatProblem(planned.problems[0]!)}); ` +
        (forced.ok
          ? `with --force: ${forced.plan.batches.length} batches, Level ${forced.plan.level.level}, planned ${formatMinutes(forced.plan.schedule.makespan)}`
          : `not even with --force`);
    }
  } catch (error) {
    failures.push(`crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    story = "";
  }
  return failures.length === 0
    ? { name, ok: true, line: `✓ ${name} — ${story}` }
    : { name, ok: false, line: `✗ ${name} — ${failures.join("; ")}` };
}

function scheduleProblems(plan: Plan): string[] {
  const invalid = validateSchedule({ jobs: jobsOf(plan.batches), agents: plan.schedule.agents }, plan.schedule.start);
  return [
    ...invalid.map((problem) => `invalid schedule: ${problem}`),
    ...(plan.schedule.makespan < plan.schedule.lowerBound
      ? [`makespan ${plan.schedule.makespan} is under its lower bound ${plan.schedule.lowerBound}`]
      : []),
  ];
}

/** `test:cases <folder>`: the exit status; every line goes to `write`. */
export async function runCases(
  args: string[],
  write: (line: string) => void,
  options: CaseOptions = {},
): Promise<number> {
  if (args.length !== 1) {
    write("usage: npm run test:cases -- <folder of task breakdowns (*.md)>");
    return 2;
  }
  const folder = resolve(args[0]!);
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) {
    write(`${args[0]}: no such folder`);
    return 2;
  }
  const names = readdirSync(folder)
    .filter((name) => name.endsWith(".md"))
    .sort();
  if (names.length === 0) {
    write(`${args[0]}: no task breakdowns (*.md) in it`);
    return 2;
  }
  write(`Checking ${names.length} task breakdowns in ${args[0]}: plan each, simulate it through the real app.`);
  let failed = 0;
  for (const name of names) {
    const result = await checkCase(name, readFileSync(join(folder, name), "utf8"), options);
    if (!result.ok) failed += 1;
    write(result.line);
  }
  write(failed === 0 ? `${names.length} cases passed` : `${failed} of ${names.length} cases failed`);
  return failed === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await runCases(process.argv.slice(2), (line) => console.log(line));
}
