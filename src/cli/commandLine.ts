import { parseArgs } from "node:util";
import packageJson from "../../package.json" with { type: "json" };
import type { Format } from "./output.js";
import { planCommand } from "./planCommand.js";
import { commandHelp, commands, generalHelp, usageHint, type CommandSpec } from "./usage.js";

/** Where the CLI writes, and how wide its text may be. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Columns of the terminal standard output is; undefined when it is not one (80 are used). */
  columns?: number;
  /** Asks a yes-or-no question on the terminal; absent when standard input is not one. */
  ask?: (question: string) => Promise<boolean>;
}

/** Runs the CLI with the arguments after the program name; returns the exit status. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.err(generalHelp());
    return 2;
  }
  if (name === "--version") {
    io.out(`${packageJson.version}\n`);
    return 0;
  }
  if (name === "help" || name === "--help" || name === "-h") {
    const topic = name === "help" ? rest[0] : undefined;
    if (topic === undefined) {
      io.out(generalHelp());
      return 0;
    }
    const command = commandNamed(topic);
    if (command === undefined) return usageError(io, `unknown command "${topic}"`, undefined);
    io.out(commandHelp(command));
    return 0;
  }
  const command = commandNamed(name);
  if (command === undefined) return usageError(io, `unknown command "${name}"`, undefined);

  const parsed = commandLine(command, rest);
  if (parsed === "help") {
    io.out(commandHelp(command));
    return 0;
  }
  if (typeof parsed === "string") return usageError(io, parsed, command);
  const { values, file } = parsed;
  const format: Format = values.json === true ? "json" : values.markdown === true ? "markdown" : "text";
  // Not a terminal (a pipe, a file): 80 columns, so that the text is the same wherever it goes.
  const width = Math.max(40, io.columns ?? 80);
  const force = values.force === true;
  const config = typeof values.config === "string" ? { config: values.config } : {};

  if (command.name === "init") {
    // Loaded only here, as the simulator is: planning never needs the workflows' templates.
    const { initCommand } = await import("./initCommand.js");
    const result = await initCommand({
      dir: file ?? ".",
      force,
      width,
      ...(io.ask === undefined ? {} : { ask: io.ask }),
    });
    (result.status === 0 ? io.out : io.err)(result.output);
    return result.status;
  }
  // plan and simulate take one file: commandLine saw to it.
  const breakdown = file!;
  if (command.name === "simulate") {
    // Loaded only here: the simulator brings Probot, which planning never needs.
    const { simulateCommand } = await import("./simulateCommand.js");
    const mode = values.mode ?? "app";
    if (mode !== "app" && mode !== "actions")
      return usageError(io, `--mode is app or actions, not "${String(mode)}"`, command);
    const lose = losing(values.lose, values.seed, mode);
    if (typeof lose === "string") return usageError(io, lose, command);
    const result = await simulateCommand({
      file: breakdown,
      ...config,
      ...(typeof values.scenario === "string" ? { scenario: values.scenario } : {}),
      force,
      format,
      width,
      mode,
      ...(lose === undefined ? {} : { lose }),
    });
    if (result.output !== "") io.out(result.output);
    if (result.errors !== "") io.err(result.errors);
    return result.status;
  }
  const agents = typeof values.agents === "string" ? { agents: values.agents } : {};
  const result = await planCommand({
    file: breakdown,
    ...config,
    ...agents,
    force,
    split: values.split === true,
    briefs: values.briefs === true,
    format,
    width,
  });
  (result.status === 0 || format === "json" ? io.out : io.err)(result.output);
  return result.status;
}

/** `--lose <fraction>` and `--seed <n>`: the share of the coordinator's runs GitHub loses, and the draw; what is wrong with them otherwise. */
function losing(
  fraction: string | boolean | undefined,
  seed: string | boolean | undefined,
  mode: string,
): { fraction: number; seed: number } | undefined | string {
  if (fraction === undefined)
    return seed === undefined ? undefined : "--seed draws the runs --lose loses: give --lose too";
  if (mode !== "actions") return "--lose loses the Actions bot's runs: give --mode actions too";
  const share = Number(fraction);
  if (typeof fraction !== "string" || !/^\d*\.?\d+$/.test(fraction) || share > 1)
    return `--lose is a fraction from 0 to 1, not "${String(fraction)}"`;
  if (seed !== undefined && (typeof seed !== "string" || !/^\d{1,9}$/.test(seed)))
    return `--seed is a whole number, not "${String(seed)}"`;
  return { fraction: share, seed: seed === undefined ? 1 : Number(seed) };
}

function commandNamed(name: string): CommandSpec | undefined {
  return commands.find((command) => command.name === name);
}

function usageError(io: Io, problems: string, command: CommandSpec | undefined): number {
  const lines = problems
    .split("\n")
    .map((problem) => `${command === undefined ? "" : `${command.name}: `}${problem}\n`);
  io.err(`${lines.join("")}${usageHint(command)}`);
  return 2;
}

/**
 * A command's options and its one file; "help" for `--help`; otherwise what is
 * wrong with the arguments, every unknown option named once.
 */
function commandLine(
  command: CommandSpec,
  args: readonly string[],
): { values: Record<string, string | boolean | undefined>; file: string | undefined } | "help" | string {
  // Not strict: Node's own messages name one problem at a time and suggest `--` for everything.
  const { tokens } = parseArgs({
    args: [...args],
    strict: false,
    allowPositionals: true,
    tokens: true,
    options: { help: { type: "boolean", short: "h" } },
  });
  const known = new Map(command.options.map((option) => [option.name, option]));
  const unknown = new Set<string>();
  const problems: string[] = [];
  const values: Record<string, string | boolean | undefined> = {};
  const files: string[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index]!;
    if (token.kind === "positional") {
      files.push(token.value);
      continue;
    }
    if (token.kind === "option-terminator") continue;
    if (token.name === "help") return "help";
    const option = known.get(token.name);
    if (option === undefined) {
      unknown.add(token.rawName);
      continue;
    }
    if (option.value === undefined) {
      if (token.inlineValue === true) problems.push(`--${option.name} takes no value`);
      values[option.name] = true;
      continue;
    }
    // A value is the next argument, unless it is another option (`--config --json`).
    let value = token.inlineValue === true ? token.value : undefined;
    const next = tokens[index + 1];
    if (value === undefined && next?.kind === "positional" && next.index === token.index + 1) {
      value = next.value;
      index += 1;
    }
    // A negative number is a value, not a bundle of short options (`--lose -0.1` is out of range, not `-0 -. -1`).
    const raw = args[token.index + 1];
    if (value === undefined && raw !== undefined && /^-\.?\d/.test(raw)) {
      value = raw;
      while (tokens[index + 1]?.index === token.index + 1) index += 1;
    }
    if (value === undefined || value === "")
      problems.push(`--${option.name} needs a value: --${option.name} ${option.value}`);
    else values[option.name] = value;
  }
  if (unknown.size > 0) problems.unshift(`unknown option${unknown.size === 1 ? "" : "s"} ${[...unknown].join(", ")}`);
  if (values.json === true && values.markdown === true)
    problems.push("--json and --markdown do not go together: choose one");
  if (problems.length === 0 && command.takes === "one file" && files.length !== 1)
    problems.push(
      files.length === 0
        ? `which file? ${command.usage.split(" ")[0]} is missing`
        : `one file at a time, got ${files.length}: ${files.join(", ")}`,
    );
  if (problems.length === 0 && command.takes === "a folder or none" && files.length > 1)
    problems.push(`one folder at most, got ${files.length}: ${files.join(", ")}`);
  if (problems.length > 0) return problems.join("\n");
  return { values, file: files[0] };
}
