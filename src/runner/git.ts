import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { exec } from "@actions/exec";

export interface GitResult {
  code: number;
  stdout: string;
  /** Standard output as bytes: file contents are not always UTF-8. */
  bytes: Buffer;
  stderr: string;
}

/** Where git runs, and with which environment. */
export interface GitOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/**
 * Every git the runner starts runs no hook and no file-system monitor,
 * whatever a repository's config says: `core.hooksPath` and `core.fsmonitor`
 * are the two settings through which a config runs a program on its own.
 * (Filters and includes come from config files: the runner's own
 * repositories have none, see `ownRepository`.)
 */
const HARDENED = ["-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false"];

/**
 * Runs git with arguments (never through a shell), through @actions/exec,
 * quietly: its output is returned, not logged. Paths are literal
 * (`GIT_LITERAL_PATHSPECS`): a file named `*.ts` means that file only.
 */
export async function git(options: GitOptions, args: readonly string[], input?: Buffer): Promise<GitResult> {
  const env = Object.fromEntries(
    Object.entries({
      ...options.env,
      GIT_LITERAL_PATHSPECS: "1",
      GIT_TERMINAL_PROMPT: "0",
      GIT_CONFIG_NOSYSTEM: "1",
      LC_ALL: "C",
    }).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const code = await exec("git", [...HARDENED, ...args], {
    cwd: options.cwd,
    env,
    silent: true,
    ignoreReturnCode: true,
    ...(input === undefined ? {} : { input }),
    listeners: { stdout: (data) => void out.push(data), stderr: (data) => void err.push(data) },
  });
  const bytes = Buffer.concat(out);
  return { code, stdout: bytes.toString("utf8"), bytes, stderr: Buffer.concat(err).toString("utf8") };
}

export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly result: GitResult,
  ) {
    super(
      `git ${args.join(" ")} failed (exit ${result.code}): ${(result.stderr || result.stdout).trim().split("\n").slice(-5).join(" / ")}`,
    );
  }
}

/** Runs git and returns its result; throws `GitError` when it fails. */
export async function gitOk(options: GitOptions, args: readonly string[], input?: Buffer): Promise<GitResult> {
  const result = await git(options, args, input);
  if (result.code !== 0) throw new GitError(args, result);
  return result;
}

/** The commit checked out in a repository (`HEAD`). */
export async function headOf(options: GitOptions): Promise<string> {
  return (await gitOk(options, ["rev-parse", "--verify", "HEAD^{commit}"])).stdout.trim();
}

/** Where a repository keeps its objects (an absolute path), and their format (sha1, sha256). */
export interface ObjectStore {
  path: string;
  format: string;
}

export async function objectStoreOf(options: GitOptions): Promise<ObjectStore> {
  const path = (await gitOk(options, ["rev-parse", "--path-format=absolute", "--git-path", "objects"])).stdout.trim();
  const format = (await gitOk(options, ["rev-parse", "--show-object-format"])).stdout.trim();
  return { path, format };
}

/**
 * A repository of the runner's own in `dir`: a fresh `git init`, so no hook,
 * no include, no filter and no monitor in its config, and neither the system's
 * nor the user's config read; it borrows the objects of a checkout (read
 * only, as alternates) and keeps its index in `dir`. With
 * `workTree`, git reads that folder's files as the working tree — never the
 * `.git` inside it.
 */
export async function ownRepository(dir: string, objects: ObjectStore, workTree?: string): Promise<GitOptions> {
  mkdirSync(dir, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: dir,
    GIT_DIR: dir,
    GIT_INDEX_FILE: join(dir, "index"),
    GIT_CONFIG_GLOBAL: "/dev/null",
    ...(workTree === undefined ? {} : { GIT_WORK_TREE: workTree }),
  };
  const options = { cwd: workTree ?? dir, env };
  await gitOk({ cwd: dir, env: { ...env, GIT_WORK_TREE: undefined } }, [
    "init",
    "--quiet",
    "--bare",
    `--object-format=${objects.format}`,
    dir,
  ]);
  mkdirSync(join(dir, "objects", "info"), { recursive: true });
  writeFileSync(join(dir, "objects", "info", "alternates"), `${objects.path}\n`);
  return options;
}
