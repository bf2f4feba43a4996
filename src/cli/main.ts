import { parseArgs, type ParseArgsConfig } from "node:util";

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig["options"]>;
import { planCommand } from "./plan.js";


const help = `parallel-coordinator — coordinate 2–4 AI coding agents on one feature

Usage:
  parallel-coordinator plan <breakdown.md|plan.yml> [options]
      Preview the plan of a task breakdown: the dashboard the app would post.
      --config <file>   a .github/parallel-coordinator.yml to plan with
      --agents <n>      agents at once, 2–4 (over the plan's and the config's)
      --force           plan an epic (Level 3) or oversized batches anyway
      --briefs          print every batch's brief after the dashboard
      --json            print one JSON object (also on bad input, with "errors")

  parallel-coordinator simulate <breakdown.md> [options]
      Play the whole coordination on an in-memory GitHub: the real app, a scripted
      agent, a simulated clock. Prints every comment, branch, dispatch, run, pull
      request, check run and merge in order, then the figures (batches, API calls
      in all and per batch, simulated makespan). No GitHub account needed.
      --scenario <file> a YAML scenario: outcomes of each batch's runs, by batch id
                        or checklist number (accept, out-of-scope, slow, fail,
                        blocked; runs beyond the list accept), and steps: comments
                        such as /pause (with "when: { accepted: N }", "by") or
                        "restart: true"
      --config <file>   a .github/parallel-coordinator.yml for the simulated repository
      --json            print one JSON object: status, batches, calls, comments,
                        pullRequests, makespan

  parallel-coordinator help
      This text.

Exit status: 0 when planned or simulated (whatever the coordination's status),
1 on a bad breakdown, config, option or scenario, 2 on bad usage, 3 when a
simulated app made requests GitHub would refuse or its handlers threw.
`;

/** Runs the CLI with the arguments after the program name; returns the exit status. */
export async function main(argv: readonly string[], out: (text: string) => void, err: (text: string) => void): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    out(help);
    return command === undefined ? 2 : 0;
  }
  if (command === "simulate") return simulate(rest, out, err);
  if (command !== "plan") {
    err(`unknown command "${command}"\n\n${help}`);
    return 2;
  }
  const parsed = commandLine("plan", rest, {
    config: { type: "string" },
    agents: { type: "string" },
    force: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    briefs: { type: "boolean", default: false },
  }, out, err);
  if (typeof parsed === "number") return parsed;
  const { values, file } = parsed;
  const agents = values.agents === undefined ? undefined : Number(values.agents);
  const result = await planCommand({
    file,
    ...(values.config === undefined ? {} : { config: values.config }),
    ...(agents === undefined ? {} : { agents }),
    force: values.force,
    json: values.json,
    briefs: values.briefs,
  });
  (result.status === 0 || values.json ? out : err)(result.output);
  return result.status;
}

async function simulate(args: readonly string[], out: (text: string) => void, err: (text: string) => void): Promise<number> {
  const parsed = commandLine("simulate", args, {
    scenario: { type: "string" },
    config: { type: "string" },
    json: { type: "boolean", default: false },
  }, out, err);
  if (typeof parsed === "number") return parsed;
  const { values, file } = parsed;
  const { simulateCommand } = await import("./simulate.js");
  const result = await simulateCommand({
    file,
    ...(values.scenario === undefined ? {} : { scenario: values.scenario }),
    ...(values.config === undefined ? {} : { config: values.config }),
    json: values.json,
  });
  if (result.output !== "") out(result.output);
  if (result.errors !== "") err(result.errors);
  return result.status;
}

/**
 * A subcommand's options and its one file, or the exit status when there is
 * nothing to run: 0 for `--help`, 2 for bad usage (with the help on stderr).
 */
function commandLine<const O extends ParseArgsOptionsConfig>(
  name: string,
  args: readonly string[],
  options: O,
  out: (text: string) => void,
  err: (text: string) => void,
): { values: ParsedValues<O>; file: string } | number {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], allowPositionals: true, options: { ...options, help: { type: "boolean", short: "h", default: false } } as const });
  } catch (error) {
    err(`${(error as Error).message}\n\n${help}`);
    return 2;
  }
  if ((parsed.values as { help?: boolean }).help === true) {
    out(help);
    return 0;
  }
  if (parsed.positionals.length !== 1) {
    err(`${name} needs exactly one file, got ${parsed.positionals.length}\n\n${help}`);
    return 2;
  }
  return { values: parsed.values as ParsedValues<O>, file: parsed.positionals[0]! };
}

type ParsedValues<O extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<{ options: O; allowPositionals: true }>>["values"];
