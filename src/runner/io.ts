import { appendFileSync } from "node:fs";
import { randomUUID } from "node:crypto";

/**
 * The action's side of the GitHub Actions runner protocol, without
 * `@actions/core`: inputs come from `INPUT_<NAME>` environment variables (the
 * runner sets them from `with:`; no value ever passes through a shell),
 * outputs and the job summary go to the files named by `GITHUB_OUTPUT` and
 * `GITHUB_STEP_SUMMARY`, annotations and log groups are workflow commands.
 */

export type Env = Record<string, string | undefined>;

/** Where the action writes its log; the runner reads workflow commands from it. */
export type Write = (text: string) => void;

/** The environment variable the runner sets for an input: `github-token` → `INPUT_GITHUB-TOKEN`. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}

/** An input's value, or `undefined` when unset or empty. Trimmed unless `raw`. */
export function readInput(env: Env, name: string, raw = false): string | undefined {
  const value = env[inputVariable(name)];
  if (value === undefined) return undefined;
  const text = raw ? value : value.trim();
  return text.trim() === "" ? undefined : text;
}

/** `name<<delimiter` blocks: safe for any value, newlines included. */
function fileCommand(name: string, value: string): string {
  let delimiter = `ghadelimiter_${randomUUID()}`;
  while (value.includes(delimiter)) delimiter = `ghadelimiter_${randomUUID()}`;
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

export function setOutput(env: Env, name: string, value: string): void {
  const file = env.GITHUB_OUTPUT;
  if (file === undefined || file === "") return;
  appendFileSync(file, fileCommand(name, value));
}

export function appendSummary(env: Env, markdown: string): void {
  const file = env.GITHUB_STEP_SUMMARY;
  if (file === undefined || file === "") return;
  appendFileSync(file, `${markdown}\n`);
}

/** Workflow command data escaping, as the runner expects it. */
function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export type Level = "error" | "warning" | "notice";

/** An annotation on the run's page. */
export function annotation(level: Level, message: string, title?: string): string {
  const properties = title === undefined ? "" : ` title=${escapeProperty(title)}`;
  return `::${level}${properties}::${escapeData(message)}\n`;
}

/** A log written by the action: plain lines, groups and annotations. */
export class Log {
  constructor(readonly write: Write) {}

  info(line: string): void {
    this.write(`${line}\n`);
  }

  annotate(level: Level, message: string, title?: string): void {
    this.write(annotation(level, message, title));
  }

  group(name: string): void {
    this.write(`::group::${escapeData(name)}\n`);
  }

  endGroup(): void {
    this.write("::endgroup::\n");
  }

  /**
   * Output of the agent and the checks: workflow commands in it are not
   * obeyed (a brief could make an agent print `::add-mask::` or worse).
   */
  untrusted(): { write: Write; end: () => void } {
    const token = `pc-${randomUUID()}`;
    this.write(`::stop-commands::${token}\n`);
    let atLineStart = true;
    return {
      write: (text) => {
        if (text === "") return;
        this.write(text);
        atLineStart = text.endsWith("\n");
      },
      end: () => this.write(`${atLineStart ? "" : "\n"}::${token}::\n`),
    };
  }
}
