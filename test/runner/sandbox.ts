/**
 * The agent workflow's three jobs on one machine: a local bare remote (the
 * repository on GitHub), the agent job's checkout of the batch's domain
 * branch, the verify job's fresh checkout of the same commit, and the publish
 * job with no checkout at all; each job with its own RUNNER_TEMP (a job runs
 * on a machine of its own), the artifacts copied between them as
 * upload-artifact and download-artifact would. Git runs for real; the runner
 * runs in-process, as a step (see `asJob`); GitHub's REST API is nock's, its
 * Git Data API backed by the bare remote (`gitDataApi`).
 */
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { vi } from "vitest";
import { runAction, type RunnerResult } from "../../src/runner/main.js";
import { githubApi } from "../helpers/github.js";

export const OWNER = "octo";
export const REPO = "app";
export const ISSUE = 7;
export const RUN_ID = 4242;
export const BASE = "parallel-coordinator/7";
export const BRANCH = "parallel-coordinator/7-backend";
/** The publish job's write token: no other job may ever hold it. */
export const WRITE_TOKEN = "ghs_SENTINELwriteTOKEN0123456789abcdef";

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
    printf '%s' '{"status": "Done", "summary": "ok", "blockers": [""], "extra": 1, "run": 9, "agent": "claude", "usage": {"tokens": 12345, "usd": 0.42}}' > .parallel-coordinator/report.json
    ;;
  claudejson)
    echo "y" >> src/a.ts
    mkdir -p .parallel-coordinator
    printf '%s' '{"agent": "claude", "usage": {"tokens": 1, "usd": 0.01}}' > .parallel-coordinator/report.json
    printf '%s\n' '{"type":"system","subtype":"init"}' '{"type":"result","subtype":"success","total_cost_usd":0.73,"usage":{"input_tokens":100,"output_tokens":200,"cache_read_input_tokens":700}}'
    ;;
  commits)
    git checkout -q -b elsewhere
    echo "one" >> src/a.ts && git add -A && git -c user.name=a -c user.email=a@a commit -qm "agent: one"
    echo "two" > src/two.ts && git add -A && git -c user.name=a -c user.email=a@a commit -qm "agent: two"
    ;;
  binary)
    printf '\\x00\\xff\\xfe binary' > src/image.bin
    chmod +x src/a.ts
    ;;
  tricky)
    echo "export const t = 1;" >> src/a.ts
    mv .github/workflows/ci.yml src/ci.yml
    ln -s ../../../../etc/passwd src/passwd
    ln -s a.ts src/alias.ts
    mkdir -p src/vendor && git -C src/vendor init -q && git -C src/vendor -c user.name=a -c user.email=a@a commit -q --allow-empty -m v
    head -c 2000 /dev/zero > src/big.bin
    echo "registry=https://registry.example.com/" > src/.npmrc
    ;;
  protected)
    echo "export const p = 1;" >> src/a.ts
    for i in $(seq 60); do echo "x" > ".github/f$i.yml"; done
    ;;
  huge)
    head -c 3000 /dev/urandom | base64 > src/huge.txt
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

export type JobName = "agent" | "verify" | "publish";

/** One job's machine: its temporary folder, file commands and working folder. */
export interface Job {
  name: JobName;
  temp: string;
  /** Where the job's steps run (the checkout; an empty folder for publish). */
  work: string;
  /** `GITHUB_ENV` and `GITHUB_PATH`, where the Actions runner keeps them. */
  envFile: string;
  pathFile: string;
  /** The step's `GITHUB_OUTPUT`. */
  outputFile: string;
}

export type Inputs = Record<string, string | undefined>;

export interface Sandbox {
  dir: string;
  /** The ref the run was dispatched on (`GITHUB_REF`): the domain branch unless a test says otherwise. */
  ref: string;
  remote: string;
  /** The commit the run was dispatched on. */
  start: string;
  jobs: Record<JobName, Job>;
  /** What the agent leaves for the test. */
  out: string;
  agent: string;
  /** The log the runner wrote. */
  log: string[];
  /** The environment of a step of `job` in `mode` (the inputs as INPUT_*). */
  env: (job: JobName, mode: string, inputs?: Inputs) => Env;
  /** One step of the runner. */
  step: (job: JobName, mode: string, inputs?: Inputs) => Promise<RunnerResult>;
  /** The agent job: the runner, then its artifact. */
  agentJob: (inputs?: Inputs) => Promise<RunnerResult>;
  /** The verify job: its artifact downloaded, `verify`, then `acceptance`; returns the job's `digest` output. */
  verifyJob: (inputs?: Inputs) => Promise<string | undefined>;
  /** The publish job, with the verify job's digest (or another one). */
  publishJob: (
    inputs?: Inputs,
    needs?: Record<string, { result: string; outputs: Record<string, string> }>,
  ) => Promise<RunnerResult>;
  /** The whole run: agent, verify, publish. */
  run: (inputs?: Inputs) => Promise<RunnerResult>;
  git: (args: string[], cwd?: string) => string;
  outputs: (job: JobName) => string;
  summary: () => string;
  cleanup: () => void;
}

const IDENTITY = {
  GIT_AUTHOR_NAME: "Seed",
  GIT_AUTHOR_EMAIL: "seed@example.com",
  GIT_COMMITTER_NAME: "Seed",
  GIT_COMMITTER_EMAIL: "seed@example.com",
};

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

/** Inputs only one mode takes: handed to that mode's step alone. */
const ONLY: Record<string, string> = {
  agent: "agent",
  "timeout-minutes": "agent acceptance",
  checks: "acceptance",
  "scope-mode": "verify",
  "max-file-bytes": "verify",
  "max-change-bytes": "verify",
};

export function sandbox(): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), "pc-runner-"));
  const home = join(dir, "home");
  const out = join(dir, "out");
  for (const folder of [home, out]) mkdirSync(folder);
  const base: Env = {
    PATH: process.env.PATH,
    HOME: home,
    // No global or system git config, as on a fresh runner (the runner brings none of its own).
    GIT_CONFIG_GLOBAL: join(home, ".gitconfig"),
    GIT_CONFIG_NOSYSTEM: "1",
    LANG: "C",
  };
  const git = (args: string[], cwd = dir) =>
    execFileSync("git", args, {
      cwd,
      env: { ...base, ...IDENTITY } as NodeJS.ProcessEnv,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });

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
  const start = git(["rev-parse", "HEAD"], seed).trim();

  const job = (name: JobName, checkout: boolean): Job => {
    const root = join(dir, `job-${name}`);
    const temp = join(root, "temp");
    const commands = join(temp, "_runner_file_commands");
    mkdirSync(commands, { recursive: true });
    const work = join(root, "work");
    // actions/checkout with persist-credentials: false: the dispatched branch at the dispatched commit, no credential kept.
    if (checkout) git(["clone", "-q", "--branch", BRANCH, remote, work]);
    else mkdirSync(work);
    const job: Job = {
      name,
      temp,
      work,
      envFile: join(commands, `set_env_${name}`),
      pathFile: join(commands, `add_path_${name}`),
      outputFile: join(commands, `set_output_${name}`),
    };
    for (const file of [job.envFile, job.pathFile, job.outputFile]) writeFileSync(file, "");
    return job;
  };
  const jobs: Record<JobName, Job> = {
    agent: job("agent", true),
    verify: job("verify", true),
    publish: job("publish", false),
  };

  const agent = join(dir, "agent.sh");
  writeFileSync(agent, AGENT);
  chmodSync(agent, 0o755);
  writeFileSync(STEP_SUMMARY, "");
  const log: string[] = [];

  const env = (name: JobName, mode: string, inputs: Inputs = {}): Env => {
    const all: Inputs = {
      mode,
      issue: String(ISSUE),
      batch: "1",
      attempt: "1",
      key: "pc-7-1-1",
      base: BASE,
      scope: JSON.stringify({ allow: ["src/**", "shared/**"], deny: ["src/owned.ts"] }),
      brief: briefText(),
      agent: `${agent} inscope`,
      "timeout-minutes": "1",
      ...(mode === "publish" ? { "github-token": WRITE_TOKEN } : {}),
      ...inputs,
    };
    const mine = Object.entries(all).filter(
      ([input]) => ONLY[input] === undefined || ONLY[input]!.split(" ").includes(mode),
    );
    const j = jobs[name];
    return {
      ...base,
      OUT: out,
      PC_JOB: mode,
      RUNNER_TEMP: j.temp,
      GITHUB_WORKSPACE: j.work,
      GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
      GITHUB_RUN_ID: String(RUN_ID),
      GITHUB_SHA: start,
      GITHUB_REF: box.ref,
      GITHUB_API_URL: "https://api.github.com",
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_ENV: j.envFile,
      GITHUB_PATH: j.pathFile,
      GITHUB_OUTPUT: j.outputFile,
      GITHUB_STEP_SUMMARY: STEP_SUMMARY,
      // Every job has one; it reaches the artifact service, never the repository.
      ACTIONS_RUNTIME_TOKEN: `runtime-token-of-${name}`,
      ...Object.fromEntries(
        mine
          .filter((entry): entry is [string, string] => entry[1] !== undefined)
          .map(([input, value]) => [`INPUT_${input.toUpperCase()}`, value]),
      ),
    };
  };

  // GitHub's waits before a retry shortened to a millisecond a second: the retries still happen, only sooner.
  const step = (name: JobName, mode: string, inputs?: Inputs) =>
    asJob(env(name, mode, inputs), () => runAction({ cwd: jobs[name].work, killGraceMs: 200, msPerSecond: 1 }), log);
  const artifact = (from: JobName, to: JobName, folder: string) => {
    const source = join(jobs[from].temp, "parallel-coordinator", folder);
    const target = join(jobs[to].temp, "parallel-coordinator", folder);
    rmSync(target, { recursive: true, force: true });
    if (existsSync(source)) cpSync(source, target, { recursive: true });
  };
  let digest: string | undefined;
  const box: Sandbox = {
    dir,
    ref: `refs/heads/${BRANCH}`,
    remote,
    start,
    jobs,
    out,
    agent,
    log,
    env,
    step,
    agentJob: (inputs) => step("agent", "agent", inputs),
    verifyJob: async (inputs) => {
      artifact("agent", "verify", "agent");
      digest = (await step("verify", "verify", inputs)).digest;
      await step("verify", "acceptance", inputs);
      return digest;
    },
    publishJob: (inputs, needs) => {
      artifact("verify", "publish", "verified");
      const given = needs ?? {
        agent: { result: "success", outputs: {} },
        verify: { result: "success", outputs: digest === undefined ? {} : { digest } },
      };
      return step("publish", "publish", { needs: JSON.stringify(given), ...inputs });
    },
    run: async (inputs) => {
      await box.agentJob(inputs);
      await box.verifyJob(inputs);
      return box.publishJob(inputs);
    },
    git,
    outputs: (name) => readFileSync(jobs[name].outputFile, "utf8"),
    summary: () => readFileSync(STEP_SUMMARY, "utf8"),
    cleanup: () => {
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
      rmSync(STEP_SUMMARY, { force: true });
    },
  };
  return box;
}

/** The requests the Git Data API stand-in answered, in order (`POST /git/trees`…). */
export interface GitDataCalls {
  calls: string[];
}

/**
 * GitHub's Git Data API for the publish job, backed by the bare remote:
 * blobs, trees and commits are written there with git (so their ids are
 * git's own), and a ref moves only as GitHub moves it: a fast-forward unless
 * forced. Every request is checked against GitHub's OpenAPI description.
 */
export function gitDataApi(box: Sandbox): GitDataCalls {
  const repo = `/repos/${OWNER}/${REPO}/git`;
  const calls: string[] = [];
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: "parallel-coordinator[bot]",
    GIT_AUTHOR_EMAIL: "bot@example.com",
    GIT_COMMITTER_NAME: "GitHub",
    GIT_COMMITTER_EMAIL: "noreply@github.com",
  };
  const git = (args: string[], input?: string | Buffer, extra: Record<string, string> = {}) =>
    execFileSync("git", args, { cwd: box.remote, env: { ...env, ...extra }, input, stdio: ["pipe", "pipe", "pipe"] })
      .toString("utf8")
      .trim();
  const branchOf = (uri: string) => decodeURIComponent(uri.replace(/^.*\/git\/refs?\/heads%2F/, "").split("?")[0]!);
  const ref = (branch: string) => ({
    ref: `refs/heads/${branch}`,
    node_id: "R",
    url: "https://api.github.com/x",
    object: { sha: git(["rev-parse", `refs/heads/${branch}`]), type: "commit", url: "https://api.github.com/x" },
  });
  type TreeEntry = { path: string; mode: string; type: string; sha?: string | null; content?: string };
  githubApi()
    .persist()
    .get((uri) => uri.startsWith(`${repo}/ref/heads%2F`))
    .reply((uri) => {
      calls.push("GET /git/ref");
      return [200, ref(branchOf(uri))];
    })
    .get((uri) => uri.startsWith(`${repo}/commits/`))
    .reply((uri) => {
      calls.push("GET /git/commits");
      const sha = uri.slice(`${repo}/commits/`.length);
      return [200, { sha, tree: { sha: git(["rev-parse", `${sha}^{tree}`]) } }];
    })
    .post(`${repo}/blobs`)
    .reply((_uri, body) => {
      calls.push("POST /git/blobs");
      const { content } = body as { content: string };
      return [
        201,
        { sha: git(["hash-object", "-w", "--stdin"], Buffer.from(content, "base64")), url: "https://api.github.com/x" },
      ];
    })
    .post(`${repo}/trees`)
    .reply((_uri, body) => {
      calls.push("POST /git/trees");
      const { base_tree: baseTree, tree } = body as { base_tree: string; tree: TreeEntry[] };
      const index = { GIT_INDEX_FILE: join(box.dir, "fake-github-index") };
      git(["read-tree", baseTree], undefined, index);
      // Mode 0 removes a path (a bare repository has no working tree for --force-remove).
      const lines = tree.map((entry) => {
        if (entry.sha === null) return `0 ${"0".repeat(40)}\t${entry.path}\0`;
        const sha = entry.content === undefined ? entry.sha! : git(["hash-object", "-w", "--stdin"], entry.content);
        return `${entry.mode} ${sha}\t${entry.path}\0`;
      });
      git(["update-index", "-z", "--index-info"], lines.join(""), index);
      return [201, { sha: git(["write-tree"], undefined, index), url: "https://api.github.com/x", tree: [] }];
    })
    .post(`${repo}/commits`)
    .reply((_uri, body) => {
      calls.push("POST /git/commits");
      const { message, tree, parents } = body as { message: string; tree: string; parents: string[] };
      return [201, { sha: git(["commit-tree", tree, ...parents.flatMap((parent) => ["-p", parent])], message) }];
    })
    .patch((uri) => uri.startsWith(`${repo}/refs/heads%2F`))
    .reply((uri, body) => {
      calls.push("PATCH /git/refs");
      const branch = branchOf(uri);
      const { sha, force } = body as { sha: string; force?: boolean };
      const current = git(["rev-parse", `refs/heads/${branch}`]);
      const forward = (() => {
        try {
          git(["merge-base", "--is-ancestor", current, sha]);
          return true;
        } catch {
          return false;
        }
      })();
      if (!forward && force !== true)
        return [
          422,
          {
            message: "Update is not a fast forward",
            documentation_url: "https://docs.github.com/rest/git/refs#update-a-reference",
          },
        ];
      git(["update-ref", `refs/heads/${branch}`, sha]);
      return [200, ref(branch)];
    });
  return { calls };
}
