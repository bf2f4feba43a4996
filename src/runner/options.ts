/**
 * How a test runs the runner (in a job, nothing is set): the job itself is
 * read through @actions/core, as every action reads it — `INPUT_*`, `GITHUB_*`
 * and `RUNNER_TEMP` from the environment, outputs and the summary to the
 * files the runner names, the log on standard output.
 */
export interface RunnerOptions {
  /** The repository's working tree; `GITHUB_WORKSPACE` by default. */
  cwd?: string;
  /** Between SIGTERM and SIGKILL when a command runs out of time. */
  killGraceMs?: number;
  /** Milliseconds per second of GitHub's waits before a retry; 1000 by default (tests shorten it). */
  msPerSecond?: number;
}

/** The options of a command the runner runs under a time limit. */
export function killOptions(options: RunnerOptions): { killGraceMs?: number } {
  return options.killGraceMs === undefined ? {} : { killGraceMs: options.killGraceMs };
}

/** The working tree: the test's, or the job's. */
export function workspaceOf(options: RunnerOptions): string {
  return options.cwd ?? process.env.GITHUB_WORKSPACE ?? process.cwd();
}
