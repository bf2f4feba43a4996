import * as core from "@actions/core";
import { BRIEF_VARIABLE } from "./brief.js";
import type { Usage } from "../report/reportSchema.js";
import { usageFromOutput } from "./agentUsage.js";
import { lastLines, runLogged, type LoggedOptions } from "./shell.js";

export interface AgentRun {
  /** Why the run cannot count as done, when it cannot. */
  failure?: string;
  ms: number;
  /** What the agent's output says it used (agentUsage.ts), failed runs too: they cost as much. */
  usage?: Usage;
}

/**
 * Variables of the job that the agent and the checks are not handed: the
 * runner's file commands and the runner's own tokens. Withholding is no
 * boundary (a process can find the files and read other processes'
 * environments): what keeps a write token from the agent is that its job has
 * none. This only keeps the well-behaved from stumbling on them.
 */
const WITHHELD = new Set([
  "GITHUB_ENV",
  "GITHUB_OUTPUT",
  "GITHUB_PATH",
  "GITHUB_STATE",
  "GITHUB_STEP_SUMMARY",
  "ACTIONS_RUNTIME_TOKEN",
  "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
  "ACTIONS_ID_TOKEN_REQUEST_URL",
]);

/**
 * The environment of the agent and the checks: the job's own, without the
 * action's inputs (the agent gets what the workflow gives it in `env:`) and
 * without the runner's file commands and tokens, plus `extra`.
 */
export function agentEnv(env: NodeJS.ProcessEnv, extra: Record<string, string>): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(
    Object.entries(env).filter(([name]) => !name.startsWith("INPUT_") && !WITHHELD.has(name)),
  );
  return { ...clean, ...extra };
}

/** The batch, for the agent and the checks. */
export function batchVariables(inputs: {
  issue: number;
  batch: string;
  attempt: number;
  base: string;
}): Record<string, string> {
  return {
    PARALLEL_COORDINATOR_ISSUE: String(inputs.issue),
    PARALLEL_COORDINATOR_BATCH: inputs.batch,
    PARALLEL_COORDINATOR_ATTEMPT: String(inputs.attempt),
    PARALLEL_COORDINATOR_BASE: inputs.base,
  };
}

/** Where the agent finds its brief and may write its report. */
export function agentVariables(briefPath: string, reportPath: string): Record<string, string> {
  return { [BRIEF_VARIABLE]: briefPath, PARALLEL_COORDINATOR_REPORT: reportPath };
}

export type AgentOptions = LoggedOptions;

/** Runs the agent command with its output streamed to the log; a crash or the time limit is a failure with its reason. */
export async function runAgent(command: string, options: AgentOptions): Promise<AgentRun> {
  const result = await runLogged("Agent", command, options);
  core.endGroup();
  const usage = usageFromOutput(result.tail);
  const used = usage === undefined ? {} : { usage };
  const minutes = (ms: number) => `${Math.round(ms / 6_000) / 10} min`;
  if (result.timedOut) {
    return {
      failure: `The agent ran out of time: stopped after ${minutes(options.timeoutMs)} (\`timeout-minutes\`).`,
      ms: result.ms,
      ...used,
    };
  }
  if (result.code !== 0) {
    const how =
      result.code === null ? `was killed by ${result.signal ?? "a signal"}` : `exited with code ${result.code}`;
    const tail = lastLines(result.tail, 3, 300)
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line !== "")
      .join(" / ");
    return { failure: `The agent ${how}${tail === "" ? "." : `; its last output: ${tail}`}`, ms: result.ms, ...used };
  }
  return { ms: result.ms, ...used };
}
