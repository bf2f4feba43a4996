import * as core from "@actions/core";
import type { Report } from "../report/reportSchema.js";
import { lastLines, runLogged, type LoggedOptions } from "./shell.js";

export type Check = Report["acceptance"][number];

/** Each command's own time limit is `timeoutMs`. */
export type ChecksOptions = LoggedOptions;

/**
 * Runs the acceptance commands one after the other, each through `bash -c`
 * under the time limit, and records each: passed when it exits 0, with the
 * last lines of its output.
 */
export async function runChecks(commands: readonly string[], options: ChecksOptions): Promise<Check[]> {
  const results: Check[] = [];
  for (const command of commands) {
    const result = await runLogged(`Check: ${command}`, command, options);
    const status = result.timedOut
      ? `timed out after ${Math.round(options.timeoutMs / 1000)} s`
      : result.code === null
        ? `killed by ${result.signal ?? "a signal"}`
        : `exit code ${result.code}`;
    const passed = !result.timedOut && result.code === 0;
    core.info(`${passed ? "✓" : "✗"} ${command} (${status})`);
    core.endGroup();
    const output = lastLines(result.tail);
    results.push({ check: command, passed, output: `${status}${output === "" ? "" : `\n${output}`}` });
  }
  return results;
}
