import { spawn } from "node:child_process";
import type { Env } from "./io.js";

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Where git runs, and with which environment. */
export interface GitOptions {
  cwd: string;
  env: Env;
}

/**
 * Runs git with arguments (never through a shell). Paths are literal
 * (`GIT_LITERAL_PATHSPECS`): a file named `*.ts` means that file only.
 */
export function git(options: GitOptions, args: readonly string[], input?: string): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd: options.cwd,
      env: { ...options.env, GIT_LITERAL_PATHSPECS: "1", GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" },
      stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
    if (input !== undefined) child.stdin?.end(input);
  });
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
