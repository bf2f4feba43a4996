import type { Report } from "../report/schema.js";
import type { Env, Log } from "./io.js";
import { lastLines, runShell } from "./shell.js";

export type Check = Report["acceptance"][number];

export interface ChecksOptions {
  cwd: string;
  env: Env;
  log: Log;
  /** Each command's own time limit. */
  timeoutMs: number;
  killGraceMs?: number;
}

/**
 * Runs the acceptance commands one after the other, each through `bash -c`
 * under the time limit, and records each: passed when it exits 0, with the
 * last lines of its output.
 */
export async function runChecks(commands: readonly string[], options: ChecksOptions): Promise<Check[]> {
  const results: Check[] = [];
  for (const command of commands) {
    options.log.group(`Check: ${command}`);
    const sink = options.log.untrusted();
    const result = await runShell(command, {
      cwd: options.cwd,
      env: options.env,
      timeoutMs: options.timeoutMs,
      onOutput: sink.write,
      ...(options.killGraceMs === undefined ? {} : { killGraceMs: options.killGraceMs }),
    });
    sink.end();
    const status = result.timedOut
      ? `timed out after ${Math.round(options.timeoutMs / 1000)} s`
      : result.code === null
        ? `killed by ${result.signal ?? "a signal"}`
        : `exit code ${result.code}`;
    const passed = !result.timedOut && result.code === 0;
    options.log.info(`${passed ? "✓" : "✗"} ${command} (${status})`);
    options.log.endGroup();
    const output = lastLines(result.tail);
    results.push({ check: command, passed, output: `${status}${output === "" ? "" : `\n${output}`}` });
  }
  return results;
}
