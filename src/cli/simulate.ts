import { readFile } from "node:fs/promises";
import { formatProblem } from "../plan/problem.js";
import { formatMinutes } from "../render/duration.js";
import { emptyScenario, scenarioFromYaml, type Scenario } from "../sim/scenario.js";
import { ScenarioError, simulate, type Simulation, type SimulationReport } from "../sim/run.js";

export interface SimulateCommand {
  file: string;
  scenario?: string;
  config?: string;
  json: boolean;
}

/** What `simulate` prints on standard output and standard error, and its exit status. */
export interface SimulateResult {
  output: string;
  errors: string;
  status: number;
}

/**
 * `parallel-coordinator simulate`: plays the whole coordination of a breakdown
 * on an in-memory GitHub with a scripted agent, through the real app. Exit
 * status 0 when it ran (whatever became of the coordination), 1 on a bad
 * breakdown, config or scenario, 3 when the app made requests GitHub would
 * refuse or its handlers threw.
 */
export async function simulateCommand(command: SimulateCommand): Promise<SimulateResult> {
  const breakdown = await readText(command.file);
  if (breakdown === undefined) return { output: "", errors: `cannot read ${command.file}\n`, status: 1 };
  const config = command.config === undefined ? undefined : await readText(command.config);
  if (command.config !== undefined && config === undefined) return { output: "", errors: `cannot read ${command.config}\n`, status: 1 };
  let scenario: Scenario = emptyScenario;
  if (command.scenario !== undefined) {
    const text = await readText(command.scenario);
    if (text === undefined) return { output: "", errors: `cannot read ${command.scenario}\n`, status: 1 };
    const parsed = scenarioFromYaml(text);
    if (!parsed.ok) return { output: "", errors: problemLines(command.scenario, parsed.problems.map(formatProblem)), status: 1 };
    scenario = parsed.scenario;
  }

  let simulation: Simulation;
  try {
    simulation = await simulate({ breakdown, ...(config === undefined ? {} : { config }), scenario });
  } catch (error) {
    if (error instanceof ScenarioError) return { output: "", errors: problemLines(command.scenario ?? "scenario", error.problems.map(formatProblem)), status: 1 };
    throw error;
  }

  const output = command.json ? `${JSON.stringify(simulationJson(simulation), null, 2)}\n` : simulationText(command.file, simulation);
  const errors = [
    ...(simulation.inputProblems.length > 0 ? [problemLines(command.file, simulation.inputProblems)] : []),
    ...(simulation.stopped === undefined ? [] : [`simulation ${simulation.stopped}\n`]),
    ...(simulation.problems.length > 0 ? [problemLines("requests GitHub would refuse", simulation.problems)] : []),
    ...(simulation.errors.length > 0 ? [problemLines("the app's handlers threw", simulation.errors)] : []),
  ].join("");
  const status = simulation.problems.length > 0 || simulation.errors.length > 0 ? 3 : simulation.inputProblems.length > 0 ? 1 : 0;
  return { output, errors, status };
}

/** The `--json` object: exactly these names, which programs rely on. */
export function simulationJson(simulation: SimulationReport): SimulationReport {
  const { status, batches, calls, comments, pullRequests, makespan } = simulation;
  return { status, batches, calls, comments, pullRequests, makespan };
}

/** Every comment (final bodies), branch, dispatch, run, pull request, check run and merge in order, then the figures. */
export function simulationText(file: string, simulation: Simulation): string {
  const { github, repo } = simulation;
  const start = Date.parse(simulation.start);
  const when = (at: string) => {
    const minutes = (Date.parse(at) - start) / 60_000;
    return `${at.slice(11, 16)} +${String(Math.round(minutes * 10) / 10).padEnd(4)}`;
  };
  const short = (sha: string) => sha.slice(0, 7);
  const lines = [
    `Simulation of ${file}: ${repo.fullName}#${simulation.issue} on an in-memory GitHub, the real app, a scripted agent.`,
    `Clock from ${simulation.start}; times are hh:mm +minutes.`,
    "",
    `${when(simulation.start)} ${repo.issues.get(simulation.issue)!.user} labels #${simulation.issue} (${repo.issues.get(simulation.issue)!.labels.join(", ")})`,
  ];
  for (const entry of github.history) {
    const at = when(entry.at);
    switch (entry.kind) {
      case "comment": {
        const comment = repo.comments.get(entry.id)!;
        const edited = comment.edits === 0 ? "" : `, edited ${comment.edits} time${comment.edits === 1 ? "" : "s"} (final body)`;
        lines.push(`${at} comment ${entry.id} by ${entry.user} on #${entry.issue}${edited}:`, ...quote(withoutState(comment.body)));
        break;
      }
      case "branch":
        lines.push(`${at} branch ${entry.branch} at ${short(entry.sha)} (${entry.user})`);
        break;
      case "dispatch":
        lines.push(`${at} dispatch ${entry.workflow.replace(/^\.github\/workflows\//, "")} on ${entry.ref}: batch ${entry.inputs.batch ?? "?"}, attempt ${entry.inputs.attempt ?? "?"} → run ${entry.runId}`);
        break;
      case "run":
        if (entry.status === "completed") lines.push(`${at} run ${entry.runId} completed: ${entry.conclusion ?? "?"}`);
        break;
      case "pullRequest":
        lines.push(`${at} pull request #${entry.number} ${entry.head} → ${entry.base} by ${entry.user}: ${repo.pulls.get(entry.number)!.title}`);
        break;
      case "checkRun": {
        const run = repo.checkRuns.get(entry.id)!;
        lines.push(`${at} check run "${run.name}" on ${short(run.headSha)}: ${run.conclusion ?? run.status} — ${run.title}`, ...quote(run.summary));
        break;
      }
      case "merge":
        lines.push(
          entry.via === "pull"
            ? `${at} merge #${entry.pull} ${entry.head} → ${entry.base} (${entry.method}) = ${short(entry.sha)}`
            : `${at} merge ${entry.head} into ${entry.base} (Merges API) = ${short(entry.sha)}`,
        );
        break;
      case "reaction":
        lines.push(`${at} reaction ${entry.content} on comment ${entry.commentId} by ${entry.user}`);
        break;
      case "note":
        lines.push(`${at} ${entry.text}`);
        break;
    }
  }
  lines.push("", ...figures(simulation), "");
  return lines.join("\n");
}

function figures(simulation: Simulation): string[] {
  const { batches, calls, makespan, plan } = simulation;
  const count = (values: (string | null)[]) => {
    const tally = new Map<string, number>();
    for (const value of values) tally.set(value ?? "unfinished", (tally.get(value ?? "unfinished") ?? 0) + 1);
    return [...tally].map(([value, n]) => `${n} ${value}`).join(", ");
  };
  const runs = batches.flatMap((batch) => batch.runs.map((run) => run.outcome));
  const width = Math.max(...Object.values(calls.byRoute).map((n) => String(n).length), 1);
  return [
    "Figures",
    `  coordination: ${simulation.status ?? "not started (the app refused the breakdown or config)"}`,
    `  batches: ${batches.length}${batches.length === 0 ? "" : ` (${count(batches.map((batch) => batch.status))})`}`,
    `  runs: ${runs.length}${runs.length === 0 ? "" : ` (${count(runs)})`}`,
    `  API calls: ${calls.total} in all, ${calls.perBatch} per batch`,
    ...Object.entries(calls.byRoute).map(([route, n]) => `    ${String(n).padStart(width)}  ${route}`),
    `  simulated makespan: ${makespan === null ? "none (no final pull request)" : formatMinutes(makespan)}${plan === undefined ? "" : ` (the plan's: ${formatMinutes(plan.schedule.makespan)}, lower bound ${formatMinutes(plan.schedule.lowerBound)})`}`,
    `  webhook deliveries: ${simulation.deliveries}`,
  ];
}

/** The state block is for the app: shown as its size, not its bytes. */
function withoutState(body: string): string {
  return body.replace(/<!-- parallel-coordinator:state (v\d+) ([A-Za-z0-9_.-]+) -->/g, (_, version: string, blob: string) => `<!-- parallel-coordinator:state ${version} (${blob.length} characters) -->`);
}

function quote(text: string): string[] {
  return text.split("\n").map((line) => `    │ ${line}`.trimEnd());
}

function problemLines(where: string, problems: readonly string[]): string {
  return `${where}:\n${problems.map((problem) => `  - ${problem.replace(/\n/g, "\n    ")}`).join("\n")}\n`;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return undefined;
  }
}
