import { getExecOutput } from "@actions/exec";

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Where git runs, and with which environment. */
export interface GitOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/**
 * Runs git with arguments (never through a shell), through @actions/exec,
 * quietly: its output is returned, not logged. Paths are literal
 * (`GIT_LITERAL_PATHSPECS`): a file named `*.ts` means that file only.
 */
export async function git(options: GitOptions, args: readonly string[]): Promise<GitResult> {
  const env = Object.fromEntries(
    Object.entries({ ...options.env, GIT_LITERAL_PATHSPECS: "1", GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" }).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const result = await getExecOutput("git", [...args], { cwd: options.cwd, env, silent: true, ignoreReturnCode: true });
  // A git killed by a signal has no exit code: a failure like any other.
  return { code: result.exitCode ?? 1, stdout: result.stdout, stderr: result.stderr };
}

export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly result: GitResult,
  ) {
    super(`git ${args.join(" ")} failed (exit ${result.code}): ${(result.stderr || result.stdout).trim().split("\n").slice(-5).join(" / ")}`);
  }
}

/** Runs git and returns its standard output; throws `GitError` when it fails. */
export async function gitOk(options: GitOptions, args: readonly string[]): Promise<string> {
  const result = await git(options, args);
  if (result.code !== 0) throw new GitError(args, result);
  return result.stdout;
}

/** NUL-separated paths, as `-z` prints them. */
export function zPaths(text: string): string[] {
  return text.split("\0").filter((path) => path !== "");
}
