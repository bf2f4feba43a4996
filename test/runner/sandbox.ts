/**
 * A repository as the agent workflow sees it after actions/checkout: a clone
 * of a local bare remote, on the batch's domain branch, with the integration
 * branch on the remote — and a scripted fake agent. Git runs for real; the
 * GitHub API is nock's (the runner runs in-process, as a job: see `asJob`).
 */
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { vi } from "vitest";
import { runAction, type RunnerResult } from "../../src/runner/main.js";

export const OWNER = "octo";
export const REPO = "app";
export const ISSUE = 7;
export const RUN_ID = 4242;
export const BASE = "parallel-coordinator/7";
export const BRANCH = "parallel-coordinator/7-backend";

/** The fake agent: one mode per test. `$OUT` is the sandbox's folder for what the test reads. */
const AGENT = `#!/usr/bin/env bash
set -u
case "$1" in
  inscope)
    echo "agent: working on the batch"
    echo "export const b = 2;" >> src/a.ts
    printf 'export const n = 1;\\n' > src/new.ts
    mkdir -p .parallel-coordinator
    cat > "$PARALLEL_COORDINATOR_REPORT" <<'JSON'
{"summary": "Added n and b.", "integrationPoints": ["src/new.ts:1 exports n"], "changes": [{"file": "src/new.ts", "line": 1, "summary": "n"}]}
JSON
    ;;
  outscope)
    echo "export const c = 3;" >> src/a.ts
    echo "more" >> docs/guide.md
    echo "new" > docs/new.md
    echo "mine" > src/owned.ts
    echo "# hacked" >> .github/workflows/ci.yml
    rm shared/old.ts
    ;;
  badreport)
    echo "x" >> src/a.ts
    mkdir -p .parallel-coordinator
    printf '%s' '{"status": "Done", "summary": "ok", "blockers": [""], "extra": 1, "run": 9}' > .parallel-coordinator/report.json
    ;;
  commits)
    echo "one" >> src/a.ts && git add -A && git commit -qm "agent: one"
    echo "two" > src/two.ts && git add -A && git commit -qm "agent: two"
    ;;
  crash)
    echo "partial progress"
    echo "boom: something broke" >&2
    exit 3
    ;;
  hang)
    trap '' TERM
    sleep 30 &
    echo $! > "$OUT/child.pid"
    wait
    ;;
  nothing)
    echo "nothing to do"
    ;;
  copy)
    cp "$PARALLEL_COORDINATOR_BRIEF" "$OUT/brief-copy.md"
    env > "$OUT/env.txt"
    echo "ok" >> src/a.ts
    ;;
  checkout)
    git checkout -q -b elsewhere
    echo "x" >> src/a.ts
    ;;
  *)
    echo "unknown mode $1" >&2
    exit 64
    ;;
esac
`;

type Env = NodeJS.ProcessEnv;

/**
 * Runs `run` as the step of a job: the runner reads its job through
 * @actions/core, from process.env (inputs, GITHUB_OUTPUT…) and onto
 * process.stdout (the log), so for the time of the call the environment is
 * `env` and nothing else, and what is written to standard output goes to `log`.
 */
export async function asJob<T>(env: Env, run: () => T | Promise<T>, log: string[] = []): Promise<T> {
  const saved = { ...process.env };
  const replace = (values: Env) => {
    for (const name of Object.keys(process.env)) delete process.env[name];
    Object.assign(process.env, values);
  };
  const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    log.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  });
  replace(env);
  try {
    return await run();
  } finally {
    replace(saved);
    write.mockRestore();
  }
}

/**
 * The job summary's file: one for every sandbox of a test process, since
 * @actions/core's `summary` keeps the first path it found for the life of the
 * process (in a job, one run). Each sandbox empties it and removes it.
 */
const STEP_SUMMARY = join(tmpdir(), `pc-runner-step-summary-${process.pid}.md`);

export interface Sandbox {
  dir: string;
  /** The clone the runner works in. */
  work: string;
  remote: string;
  /** What the agent leaves for the test. */
  out: string;
  agent: string;
  /** The log the runner wrote. */
  log: string[];
  env: (inputs?: Record<string, string | undefined>) => Env;
  run: (inputs?: Record<string, string | undefined>) => Promise<RunnerResult>;
  git: (args: string[], cwd?: string) => string;
  outputs: () => string;
  summary: () => string;
  cleanup: () => void;
}

const IDENTITY = { GIT_AUTHOR_NAME: "Seed", GIT_AUTHOR_EMAIL: "seed@example.com", GIT_COMMITTER_NAME: "Seed", GIT_COMMITTER_EMAIL: "seed@example.com" };

export function briefText(title = "Notification model", checks: string[] = ["test -f src/a.ts"]): string {
  return [
    `**Batch**: 1 of 3 - ${title}`,
    "",
    "**Estimated Time**: 20 minutes",
    "",
    "**Scope**: the backend domain. Change only these files:",
    "- `src/**`",
    "",
    "**Check-in criteria**:",
    ...checks.map((check) => `- \`${check}\` passes`),
    "- Done within about 20 minutes (over 30 minutes is a red flag)",
    "",
    "**Return**:",
    "- Status: Complete | Blocked | Needs Review",
    "",
  ].join("\n");
}

export function sandbox(): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), "pc-runner-"));
  const home = join(dir, "home");
  const out = join(dir, "out");
  const runnerTemp = join(dir, "runner-temp");
  for (const folder of [home, out, runnerTemp]) mkdirSync(folder);
  const base: Env = {
    PATH: process.env.PATH,
    HOME: home,
    // No global or system git config: the runner must bring its own identity.
    GIT_CONFIG_GLOBAL: join(home, ".gitconfig"),
    GIT_CONFIG_NOSYSTEM: "1",
    LANG: "C",
  };
  const git = (args: string[], cwd = dir) =>
    execFileSync("git", args, { cwd, env: { ...base, ...IDENTITY } as NodeJS.ProcessEnv, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

  const remote = join(dir, "remote.git");
  const seed = join(dir, "seed");
  git(["init", "-q", "--bare", "-b", "main", remote]);
  git(["init", "-q", "-b", "main", seed]);
  const files: Record<string, string> = {
    "src/a.ts": "export const a = 1;\n",
    "src/owned.ts": "export const owned = true;\n",
    "shared/old.ts": "export const old = 0;\n",
    "docs/guide.md": "# Guide\n",
    ".github/workflows/ci.yml": "on: push\n",
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(seed, path)), { recursive: true });
    writeFileSync(join(seed, path), text);
  }
  git(["add", "-A"], seed);
  git(["commit", "-qm", "seed"], seed);
  git(["remote", "add", "origin", remote], seed);
  git(["push", "-q", "origin", "main", `main:${BASE}`, `main:${BRANCH}`], seed);
  const work = join(dir, "work");
  git(["clone", "-q", "--branch", BRANCH, remote, work]);

  const agent = join(dir, "agent.sh");
  writeFileSync(agent, AGENT);
  chmodSync(agent, 0o755);

  const outputFile = join(dir, "github-output");
  writeFileSync(outputFile, "");
  writeFileSync(STEP_SUMMARY, "");
  const log: string[] = [];

  const env = (inputs: Record<string, string | undefined> = {}): Env => {
    const all: Record<string, string | undefined> = {
      "github-token": "ghs_token",
      issue: String(ISSUE),
      batch: "1",
      attempt: "1",
      key: "pc-7-1-1",
      base: BASE,
      scope: JSON.stringify({ allow: ["src/**", "shared/**"], deny: ["src/owned.ts"] }),
      brief: briefText(),
      agent: `${agent} inscope`,
      "timeout-minutes": "1",
      "scope-mode": "revert",
      ...inputs,
    };
    return {
      ...base,
      OUT: out,
      RUNNER_TEMP: runnerTemp,
      GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
      GITHUB_RUN_ID: String(RUN_ID),
      GITHUB_API_URL: "https://api.github.com",
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: STEP_SUMMARY,
      ...Object.fromEntries(
        Object.entries(all)
          .filter((entry): entry is [string, string] => entry[1] !== undefined)
          .map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]),
      ),
    };
  };

  return {
    dir,
    work,
    remote,
    out,
    agent,
    log,
    env,
    // GitHub's waits before a retry shortened to a millisecond a second: the retries still happen, only sooner.
    run: (inputs) => asJob(env(inputs), () => runAction({ cwd: work, killGraceMs: 200, msPerSecond: 1 }), log),
    git,
    outputs: () => readFileSync(outputFile, "utf8"),
    summary: () => readFileSync(STEP_SUMMARY, "utf8"),
    cleanup: () => {
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
      rmSync(STEP_SUMMARY, { force: true });
    },
  };
}
