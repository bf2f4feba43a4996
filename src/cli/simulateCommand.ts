import { formatProblem } from "../base/problem.js";
import { formatMinutes } from "../base/minutes.js";
import { emptyScenario, scenarioFromYaml, type Scenario } from "../sim/scenario.js";
import { ScenarioError, simulate, type Simulation, type SimulationMode, type SimulationReport } from "../sim/run.js";
import type { CoordinatorRuns } from "../sim/actionsBot.js";
import { lostPlaces, runsAfterStart } from "../sim/lostRuns.js";
import { COORDINATOR_WORKFLOW_PATH } from "../onboarding/actionsFiles.js";
import type { IssueComment } from "../fakeGitHub/repository.js";
import { problemList, readText, type Format } from "./output.js";
import { terminalText } from "./terminalText.js";
import { wrap } from "./wrap.js";

export interface SimulateCommand {
  file: string;
  scenario?: string;
  config?: string;
  /** Start with a maintainer's `/plan --force`: an epic is coordinated anyway. */
  force: boolean;
  /** The App (a server) or the Actions bot (the coordinator workflow). */
  mode: SimulationMode;
  /** Actions: the share of the coordinator's runs after the start that GitHub loses, drawn from `seed`. */
  lose?: { fraction: number; seed: number };
  format: Format;
  /** Columns of text output. */
  width: number;
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
  const { width } = command;
  const json = command.format === "json";
  // With --json, even a failure is one object on standard output, as `plan --json` gives it.
  const failed = (where: string, problems: readonly string[]): SimulateResult =>
    json
      ? {
          output: `${JSON.stringify({ errors: problems.map((problem) => `${where}: ${problem}`) }, null, 2)}\n`,
          errors: "",
          status: 1,
        }
      : { output: "", errors: problemList(`${where}:`, problems, width), status: 1 };
  const text = await readText(command.file);
  // A YAML plan file is what an issue holds in a fenced block.
  const breakdown = text !== undefined && /\.ya?ml$/i.test(command.file) ? `\`\`\`yaml\n${text}\n\`\`\`\n` : text;
  const config = command.config === undefined ? undefined : await readText(command.config);
  const scenarioText = command.scenario === undefined ? undefined : await readText(command.scenario);
  const unreadable = [
    ...(breakdown === undefined ? [command.file] : []),
    ...(command.config !== undefined && config === undefined ? [command.config] : []),
    ...(command.scenario !== undefined && scenarioText === undefined ? [command.scenario] : []),
  ];
  if (unreadable.length > 0 || breakdown === undefined)
    return failed(
      "simulate",
      unreadable.map((path) => `cannot read ${path}`),
    );
  let scenario: Scenario = emptyScenario;
  if (command.scenario !== undefined && scenarioText !== undefined) {
    const parsed = scenarioFromYaml(scenarioText);
    if (!parsed.ok) return failed(command.scenario, parsed.problems.map(formatProblem));
    scenario = parsed.scenario;
  }

  let simulation: Simulation;
  try {
    const options = {
      breakdown,
      ...(config === undefined ? {} : { config }),
      scenario,
      force: command.force,
      mode: command.mode,
    };
    simulation = await simulate({
      ...options,
      ...(command.lose === undefined ? {} : { lostRuns: await lostRunsOf(options, command.lose) }),
    });
  } catch (error) {
    if (error instanceof ScenarioError)
      return failed(command.scenario ?? "scenario", error.problems.map(formatProblem));
    throw error;
  }

  const output = json
    ? `${JSON.stringify(simulationJson(simulation), null, 2)}\n`
    : simulationText(command.file, simulation, command.format === "markdown", width);
  const count = simulation.inputProblems.length;
  // The app's comment names the config as the repository holds it: here, the file it came from.
  const refused =
    command.config !== undefined && simulation.inputProblems.some((problem) => problem.startsWith("config: "))
      ? `${command.config} (as .github/parallel-coordinator.yml)`
      : command.file;
  const errors = [
    // The problems themselves are in the app's comment above (and in --json's errors): here only that it refused.
    ...(count > 0 && !json
      ? [`${refused}: the app refused it, naming ${count} problem${count === 1 ? "" : "s"} in its comment\n`]
      : []),
    ...(simulation.stopped === undefined ? [] : [`simulation ${simulation.stopped}\n`]),
    ...(simulation.problems.length > 0
      ? [problemList("requests GitHub would refuse:", simulation.problems, width)]
      : []),
    ...(simulation.errors.length > 0 ? [problemList("the app's handlers threw:", simulation.errors, width)] : []),
    // Not a problem, but what a reader of the text should know; a program reading JSON has nothing to do about it.
    ...(simulation.requestsChecked || command.format === "json"
      ? []
      : ["note: requests were not checked against GitHub's REST description (no @octokit/openapi)\n"]),
  ].join("");
  const status =
    simulation.problems.length > 0 || simulation.errors.length > 0 ? 3 : simulation.inputProblems.length > 0 ? 1 : 0;
  return { output, errors, status };
}

/**
 * The places of the runs `--lose` loses: each run the coordination takes after
 * its start when nothing is lost (a first simulation counts them) is lost
 * with the chance given, drawn from the seed; the runs after them come, and
 * finish what is left.
 */
async function lostRunsOf(
  options: Parameters<typeof simulate>[0],
  lose: { fraction: number; seed: number },
): Promise<number[]> {
  const whole = await simulate({ ...options, checkRequests: false });
  return lostPlaces(
    whole.coordinatorRuns === undefined ? 0 : runsAfterStart(whole.coordinatorRuns),
    lose.fraction,
    lose.seed,
  );
}

/** The `--json` object: exactly these names, which programs rely on; `errors` lists what the app refused in the breakdown or config. */
export function simulationJson(
  simulation: SimulationReport & { inputProblems: readonly string[] },
): SimulationReport & { errors: readonly string[] } {
  const { status, batches, scorecard, calls, comments, pullRequests, subIssues, makespan, mode, coordinatorRuns } =
    simulation;
  return {
    status,
    batches,
    scorecard,
    calls,
    comments,
    pullRequests,
    subIssues,
    makespan,
    mode,
    ...(coordinatorRuns === undefined ? {} : { coordinatorRuns }),
    errors: simulation.inputProblems,
  };
}

/**
 * Everything that happened, in order, each comment as it was posted, then the
 * comments edited since (the dashboard) as they end, then the figures. Comment
 * bodies as terminal text, or with `markdown` as the app wrote them.
 */
export function simulationText(file: string, simulation: Simulation, markdown: boolean, width: number): string {
  const { github, repo } = simulation;
  const start = Date.parse(simulation.start);
  const when = (at: string) => {
    const minutes = (Date.parse(at) - start) / 60_000;
    return `${at.slice(11, 16)} +${String(Math.round(minutes * 10) / 10).padEnd(4)}`;
  };
  const short = (sha: string) => sha.slice(0, 7);
  // Event lines wrap under their text, clear of the time column.
  const event = (at: string, text: string) => wrap(text, width, `${when(at)} `, " ".repeat(12));
  const body = (text: string) => {
    const shown = markdown ? withoutState(text) : terminalText(text, width - 6).trimEnd();
    return shown.split("\n").map((line) => `    │ ${line}`.trimEnd());
  };
  const issue = repo.issues.get(simulation.issue)!;
  const lines = [
    ...wrap(
      `Simulation of ${file}: ${repo.fullName}#${simulation.issue} on an in-memory GitHub, ${simulation.mode === "actions" ? "the Actions bot (the coordinator workflow's runs)" : "the real app"}, a scripted agent.`,
      width,
    ),
    ...wrap(`Clock from ${simulation.start}; times are hh:mm +minutes.`, width),
    "",
    ...(issue.labels.length === 0
      ? []
      : event(simulation.start, `${issue.user} labels #${simulation.issue} (${issue.labels.join(", ")})`)),
  ];
  const edited: IssueComment[] = [];
  for (const entry of github.history) {
    const at = entry.at;
    switch (entry.kind) {
      case "comment": {
        const comment = repo.comments.get(entry.id)!;
        const said = `comment ${entry.id} by ${entry.user} on #${entry.issue}`;
        if (comment.edits === 0) {
          lines.push(...event(at, `${said}:`), ...body(comment.body));
        } else {
          // Only the final body is known: it is shown where the run ends, not here, before what changed it.
          edited.push(comment);
          const name = isDashboard(comment) ? "the dashboard, " : "";
          lines.push(...event(at, `${said}, ${name}edited ${times(comment.edits)} (its final body is at the end)`));
        }
        break;
      }
      case "branch":
        lines.push(...event(at, `branch ${entry.branch} at ${short(entry.sha)} (${entry.user})`));
        break;
      case "branchMoved":
        lines.push(
          ...event(
            at,
            `branch ${entry.branch} moved back from ${short(entry.from)} to ${short(entry.sha)} (${entry.user})`,
          ),
        );
        break;
      case "pullClosed":
        lines.push(...event(at, `pull request #${entry.number} closed unmerged`));
        break;
      case "dispatch":
        lines.push(
          ...event(
            at,
            entry.inputs.batch === undefined
              ? `nudge: dispatch ${entry.workflow.replace(/^\.github\/workflows\//, "")} for #${entry.inputs.issue ?? "?"} → run ${entry.runId}`
              : `dispatch ${entry.workflow.replace(/^\.github\/workflows\//, "")} on ${entry.ref}: batch ${entry.inputs.batch}, attempt ${entry.inputs.attempt ?? "?"} → run ${entry.runId}`,
          ),
        );
        break;
      case "run": {
        if (entry.status !== "completed") break;
        const run = repo.runs.get(entry.runId);
        const what =
          run?.path === COORDINATOR_WORKFLOW_PATH
            ? `coordinator run ${entry.runId} (${run.event})`
            : `run ${entry.runId}`;
        lines.push(...event(at, `${what} completed: ${entry.conclusion ?? "?"}`));
        break;
      }
      case "pullRequest":
        lines.push(
          ...event(
            at,
            `pull request #${entry.number} ${entry.head} → ${entry.base} by ${entry.user}: ${repo.pulls.get(entry.number)!.title}`,
          ),
        );
        break;
      case "checkRun": {
        const run = repo.checkRuns.get(entry.id)!;
        lines.push(
          ...event(
            at,
            `check run "${run.name}" on ${short(run.headSha)}: ${run.conclusion ?? run.status} — ${run.title}`,
          ),
          ...body(run.summary),
        );
        break;
      }
      case "merge":
        lines.push(
          ...event(
            at,
            entry.via === "pull"
              ? `merge #${entry.pull} ${entry.head} → ${entry.base} (${entry.method}) = ${short(entry.sha)}`
              : `merge ${entry.head} into ${entry.base} (Merges API) = ${short(entry.sha)}`,
          ),
        );
        break;
      case "reaction":
        lines.push(...event(at, `reaction ${entry.content} on comment ${entry.commentId} by ${entry.user}`));
        break;
      case "issue":
        lines.push(...event(at, `issue #${entry.number} ${entry.change} (${entry.user})`));
        break;
      case "note":
        lines.push(...event(at, entry.text));
        break;
    }
  }
  for (const comment of edited) {
    const name = isDashboard(comment) ? `The dashboard (comment ${comment.id})` : `Comment ${comment.id}`;
    const title = `${name} at the end, edited ${times(comment.edits)}, last at ${when(comment.updatedAt).trimEnd()}:`;
    lines.push("", ...wrap(title, width), ...body(comment.body));
  }
  const indented = (line: string) => {
    const indent = /^ */.exec(line)![0];
    return wrap(line.slice(indent.length), width, indent, `${indent}  `);
  };
  lines.push("", ...figures(simulation).flatMap(indented), "");
  return lines.join("\n");
}

function isDashboard(comment: IssueComment): boolean {
  return comment.body.includes("<!-- parallel-coordinator:dashboard -->");
}

function times(count: number): string {
  return `${count} time${count === 1 ? "" : "s"}`;
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
    `  API calls: ${calls.total} in all${calls.perBatch === null ? "" : `, ${calls.perBatch} per batch`}${calls.rateLimited === calls.total ? "" : `; ${calls.rateLimited} cost rate limit (the rest: 304)`}`,
    ...Object.entries(calls.byRoute).map(([route, n]) => `    ${String(n).padStart(width)}  ${route}`),
    `  simulated makespan: ${makespan === null ? "none (no final pull request)" : formatMinutes(makespan)}${plan === undefined ? "" : ` (the plan's: ${formatMinutes(plan.schedule.makespan)}, lower bound ${formatMinutes(plan.schedule.lowerBound)})`}`,
    ...(simulation.coordinatorRuns === undefined
      ? [`  webhook deliveries: ${simulation.deliveries}`]
      : coordinatorFigures(simulation.coordinatorRuns, batches.length)),
  ];
}

function coordinatorFigures(runs: CoordinatorRuns, batches: number): string[] {
  const triggers = Object.entries(runs.byTrigger)
    .map(([trigger, n]) => `${n} ${trigger}`)
    .join(", ");
  const perBatch = batches === 0 ? "" : `, ${Math.round((100 * runs.ran) / batches) / 100} per batch`;
  return [
    `  coordinator runs: ${runs.total} (${triggers}): ${runs.ran} ran${perBatch}, ${runs.skipped} skipped by the workflow's if:, ${runs.cancelled} cancelled waiting in their group${runs.lost === 0 ? "" : `, ${runs.lost} lost by GitHub (--lose)`}`,
    `  Actions minutes of the coordinator: ${runs.minutes}`,
  ];
}

/** The state block is for the app: shown as its size, not its bytes. */
function withoutState(body: string): string {
  return body.replace(
    /<!-- parallel-coordinator:state (v\d+) ([A-Za-z0-9_.-]+) -->/g,
    (_, version: string, blob: string) => `<!-- parallel-coordinator:state ${version} (${blob.length} characters) -->`,
  );
}
