import { wrap } from "./wrap.js";

/**
 * The commands, their options and the help that describes them: `help`,
 * `help <command>` and `<command> --help` print from here, and the argument
 * parser knows no option that is not listed here.
 */

export interface OptionSpec {
  name: string;
  /** The value's placeholder (`<file>`) for an option that takes one; a flag has none. */
  value?: string;
  help: string;
}

export interface CommandSpec {
  name: "plan" | "simulate" | "init";
  /** What follows the command name on the usage line. */
  usage: string;
  /** Whether the command takes one file (a breakdown) or at most one folder. */
  takes: "one file" | "a folder or none";
  /** One line for the general help. */
  summary: string;
  /** Paragraphs for the command's own help. */
  description: string;
  options: OptionSpec[];
  /** What its exit status says. */
  exit: string;
}

const config: OptionSpec = { name: "config", value: "<file>", help: "a .github/parallel-coordinator.yml to plan with" };
const force: OptionSpec = { name: "force", help: "plan an epic (Level 3) or oversized batches anyway" };
const markdown: OptionSpec = { name: "markdown", help: "print the Markdown the app posts (Mermaid diagrams included)" };

export const commands: readonly CommandSpec[] = [
  {
    name: "plan",
    usage: "<breakdown.md|plan.yml> [options]",
    takes: "one file",
    summary: "preview the plan of a task breakdown: the dashboard the app would post",
    description: `Reads a task breakdown (task-breakdown Markdown, a YAML plan, or a Markdown
file with a fenced yaml plan) and prints the dashboard the app would post for
it: the checklist of batches, the schedule against its lower bound, the level
and score, conflict zones and warnings.`,
    options: [
      config,
      { name: "agents", value: "<n>", help: "agents at once, 2–4 (over the plan's and the config's)" },
      force,
      { name: "split", help: "plan each task over 45 minutes as the parts its proposed split gives" },
      { name: "briefs", help: "print every batch's brief too (with --json: in each batch)" },
      markdown,
      { name: "json", help: "print one JSON object (also on bad input, with its errors)" },
    ],
    exit: `Exit status: 0 when planned (a Level 1 plan with a warning), 1 on a bad
breakdown, config or option, or a refused epic (--force plans it), 2 on bad usage.`,
  },
  {
    name: "simulate",
    usage: "<breakdown.md|plan.yml> [options]",
    takes: "one file",
    summary: "play the whole coordination on an in-memory GitHub, no account needed",
    description: `Plays the whole coordination of a breakdown through the real app, on an
in-memory GitHub with a scripted agent and a simulated clock. Prints every
comment, branch, dispatch, run, pull request, check run and merge in order, the
final dashboard, then the figures: batches, runs, API calls in all and per
batch, simulated makespan.

A scenario scripts the agent's outcome for each run of a batch (by batch id or
checklist number: accept, out-of-scope, slow, fail, blocked; runs beyond the
list accept) and people's comments, such as /pause (with "when: { accepted: N }"
and "by"), and "restart: true" for a fresh app.

With --mode actions, the Actions bot plays it: each event starts a run of the
coordinator workflow by the rules of Actions (what a GITHUB_TOKEN does starts
none, one run per issue at a time with newer waiting runs cancelling older
ones, the schedule every 15 minutes), and the figures count the coordinator's
runs by trigger and the Actions minutes they bill. --lose 0.3 has GitHub lose
that share of the coordinator's runs after the start (each cancelled before it
runs, as a waiting run a newer one replaces, or a dropped schedule), drawn from
--seed: the runs the coordination takes when nothing is lost are the ones at
stake, and the schedules after them finish what is left.`,
    options: [
      { name: "scenario", value: "<file>", help: "a YAML scenario: outcomes of each batch's runs, and steps" },
      {
        name: "mode",
        value: "<app|actions>",
        help: "the App (a server GitHub sends webhooks to; the default) or the Actions bot (the coordinator workflow init writes)",
      },
      {
        name: "lose",
        value: "<fraction>",
        help: "with --mode actions: the share, 0 to 1, of the coordinator's runs after the start that GitHub loses",
      },
      { name: "seed", value: "<n>", help: "which of them --lose loses: the same seed, the same runs (1 by default)" },
      { ...config, help: "a .github/parallel-coordinator.yml for the simulated repository" },
      { ...force, help: "start with a maintainer's /plan --force: an epic is coordinated anyway" },
      { ...markdown, help: "print the comments as the app posts them (Markdown, Mermaid included)" },
      {
        name: "json",
        help: "print one JSON object: status, batches, scorecard, calls, comments, pullRequests, subIssues, makespan, mode, coordinatorRuns (actions), errors",
      },
    ],
    exit: `Exit status: 0 when simulated (whatever the coordination's status), 1 on a bad
breakdown, config or scenario, 2 on bad usage, 3 when the simulated app made
requests GitHub would refuse or its handlers threw.`,
  },
  {
    name: "init",
    usage: "[<repository folder>] [options]",
    takes: "a folder or none",
    summary: "set up the Actions bot in a repository: no server, no app to register",
    description: `Writes the Actions bot into a repository (the current folder by default):
.github/workflows/parallel-coordinator.yml (the coordinator, one run per
event), .github/workflows/parallel-coordinator-agent.yml (the agent workflow,
one run per batch) and .github/parallel-coordinator.yml (the config, domains
guessed from the top-level folders). Then prints what is left to do by hand:
the commit, the state key and the agent's key as repository secrets, the
setting that lets Actions open pull requests, the label.

A file that exists with other text is kept and its difference shown, unless
--force replaces it; on a terminal, init asks about each such file instead.
Nothing is asked when standard input is not a terminal.`,
    options: [{ name: "force", help: "replace files that differ from init's (their difference is shown otherwise)" }],
    exit: `Exit status: 0 when every file is written or already init's, 1 when a file
that differs was kept, 2 on bad usage.`,
  },
];

const output = `Output of plan and simulate is text for a terminal, wrapped to its width (80
columns when the output is not a terminal): tables aligned, Mermaid diagrams
left out. --markdown gives the Markdown the app posts, --json one object for
programs.`;

/** `parallel-coordinator help`. */
export function generalHelp(): string {
  const lines = commands.map(
    (command) => `  parallel-coordinator ${command.name} ${command.usage}\n      ${command.summary}`,
  );
  return `parallel-coordinator — coordinate 2–4 AI coding agents on one feature

Usage:
${lines.join("\n")}
  parallel-coordinator help [command]
      this text, or a command's options
  parallel-coordinator --version
      the version

${output}

${commands.flatMap((command) => wrap(`${command.name}: ${command.exit.replace(/^Exit status/, "exit status").replace(/\n/g, " ")}`, 80)).join("\n")}
`;
}

/** `parallel-coordinator help <command>` and `<command> --help`. */
export function commandHelp(command: CommandSpec): string {
  const names = command.options.map(
    (option) => `--${option.name}${option.value === undefined ? "" : ` ${option.value}`}`,
  );
  const column = Math.max(...names.map((name) => name.length), "-h, --help".length) + 2;
  const described = [
    ...command.options.map((option, index) => [names[index]!, option.help] as const),
    ["-h, --help", "this text"] as const,
  ];
  const options = described.flatMap(([name, help]) => wrap(help, 80, `  ${name.padEnd(column)}`));
  return `Usage: parallel-coordinator ${command.name} ${command.usage}

${command.description}

Options:
${options.join("\n")}

${command.takes === "one file" ? `${output}\n\n` : ""}${command.exit}
`;
}

/** The usage line of a command and where its options are listed: what bad usage prints after the problem. */
export function usageHint(command: CommandSpec | undefined): string {
  return command === undefined
    ? 'Run "parallel-coordinator help" for the commands.\n'
    : `Usage: parallel-coordinator ${command.name} ${command.usage}\nRun "parallel-coordinator help ${command.name}" for its options.\n`;
}
