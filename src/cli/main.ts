import { parseArgs } from "node:util";
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

  parallel-coordinator help
      This text.

Exit status: 0 when planned, 1 on a bad breakdown, config or option, 2 on bad usage.
`;

/** Runs the CLI with the arguments after the program name; returns the exit status. */
export async function main(argv: readonly string[], out: (text: string) => void, err: (text: string) => void): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    out(help);
    return command === undefined ? 2 : 0;
  }
  if (command !== "plan") {
    err(`unknown command "${command}"\n\n${help}`);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      allowPositionals: true,
      options: {
        config: { type: "string" },
        agents: { type: "string" },
        force: { type: "boolean", default: false },
        json: { type: "boolean", default: false },
        briefs: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    err(`${(error as Error).message}\n\n${help}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    out(help);
    return 0;
  }
  if (positionals.length !== 1) {
    err(`plan needs exactly one file, got ${positionals.length}\n\n${help}`);
    return 2;
  }
  const agents = values.agents === undefined ? undefined : Number(values.agents);
  const result = await planCommand({
    file: positionals[0]!,
    ...(values.config === undefined ? {} : { config: values.config }),
    ...(agents === undefined ? {} : { agents }),
    force: values.force,
    json: values.json,
    briefs: values.briefs,
  });
  (result.status === 0 || values.json ? out : err)(result.output);
  return result.status;
}
