/**
 * Finding 1 of issue #13: an agent in the same job as the write token took it
 * (from /proc/<pid>/environ, and through .git/hooks the runner's own git ran).
 * Here a hostile agent (hostile-agent.sh) tries every way in — every
 * process's environment and command line, every file of the jobs, git's
 * hooks, core.hooksPath, config includes, fsmonitor, filters, diff drivers,
 * BASH_ENV and NODE_OPTIONS through GITHUB_ENV, GITHUB_PATH, a watcher that
 * outlives it — through all three jobs, run on one machine (stricter than
 * GitHub, where each job has a machine of its own).
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { reportFrom } from "../../src/report/reportBlock.js";
import { githubApi, useGitHubApi } from "../helpers/github.js";
import { BASE, BRANCH, gitDataApi, OWNER, REPO, sandbox, WRITE_TOKEN, type Job, type Sandbox } from "./sandbox.js";

useGitHubApi();

const HOSTILE = join(import.meta.dirname, "hostile-agent.sh");
/** The write token as it could travel: as itself, and as the basic-auth header git sends. */
const PATTERNS = [WRITE_TOKEN, Buffer.from(`x-access-token:${WRITE_TOKEN}`).toString("base64")];

let box: Sandbox;
afterEach(() => box?.cleanup());

const read = (name: string) => (existsSync(join(box.out, name)) ? readFileSync(join(box.out, name), "utf8") : "");

/** Ends the watcher the agent left (a process group of its own), by its id. */
function stopWatcher(): void {
  const pid = Number(read("watcher.pid"));
  if (pid > 0) {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // Gone already.
    }
  }
}

/**
 * A later step of the agent's job (the artifact upload), started as the
 * Actions runner starts one: with what the job's steps appended to
 * GITHUB_ENV and GITHUB_PATH. It runs node and bash, as an action does.
 */
function laterStep(job: Job): void {
  const assigned = Object.fromEntries(
    readFileSync(job.envFile, "utf8")
      .split("\n")
      .filter((line) => line.includes("="))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
  const paths = readFileSync(job.pathFile, "utf8").split("\n").filter(Boolean);
  const env = { ...box.env("agent", "upload-artifact"), ...assigned };
  env.PATH = [...paths, env.PATH].join(":");
  for (const [command, args] of [
    ["node", ["-e", "0"]],
    ["bash", ["-c", "true"]],
    ["tar", ["--version"]],
  ] as const) {
    spawnSync(command, args, { cwd: job.work, env, stdio: "ignore", timeout: 20_000 });
  }
}

function expectNewPullRequest(): { body: () => string; done: () => void } {
  let body = "";
  const scope = githubApi()
    .get(`/repos/${OWNER}/${REPO}/pulls`)
    .query({ head: `${OWNER}:${BRANCH}`, base: BASE, state: "open", per_page: "10" })
    .reply(200, [])
    .post(`/repos/${OWNER}/${REPO}/pulls`, (sent) => {
      body = sent.body;
      return true;
    })
    .reply(201, { number: 12, html_url: `https://github.com/${OWNER}/${REPO}/pull/12` });
  return { body: () => body, done: () => scope.done() };
}

describe("a hostile agent", () => {
  it("finds no write token anywhere, runs nothing of its own in the verify and publish jobs, and its work still reaches the pull request", async () => {
    box = sandbox();
    writeFileSync(join(box.out, "patterns"), `${PATTERNS.join("\n")}\n`);
    gitDataApi(box);
    const api = expectNewPullRequest();
    let result;
    try {
      await box.agentJob({ agent: HOSTILE });
      laterStep(box.jobs.agent);
      await box.verifyJob();
      result = await box.publishJob();
      // One more round of the watcher after everything ran.
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      stopWatcher();
    }
    api.done();

    expect(read("probed")).toMatch(/^scanned \d+ processes/);
    expect(read("findings")).toBe("");
    // No planted hook, monitor, filter, driver or helper ran in any job: the runner's git obeys none of them.
    expect(read("ran-git")).toBe("");
    // The agent did steer the later step of its own job, which holds no write token (the findings are empty).
    expect(read("ran-steered")).toMatch(/^upload-artifact NODE_OPTIONS$/m);
    expect(read("ran-steered")).toMatch(/^upload-artifact BASH_ENV$/m);
    expect(read("ran-steered")).toMatch(/^upload-artifact GITHUB_PATH$/m);
    expect(read("ran-steered")).not.toMatch(/^(verify|acceptance|publish) /m);

    const report = reportFrom(api.body());
    expect(report.ok && report.report).toMatchObject({ status: "Complete", summary: "Added n and b." });
    expect(
      box
        .git(["diff", "--name-only", `${BASE}..${BRANCH}`], box.remote)
        .trim()
        .split("\n")
        .sort(),
    ).toEqual(["src/.gitattributes", "src/a.ts", "src/new.ts"]);
    expect(result?.exitCode).toBe(0);

    // The plants were live: git as the agent's own repository configures it runs them.
    execFileSync("git", ["-c", "user.name=a", "-c", "user.email=a@a", "commit", "-qam", "x"], {
      cwd: box.jobs.agent.work,
      env: { ...box.env("agent", "sanity") },
      stdio: "ignore",
    });
    expect(read("ran-git")).toMatch(/^sanity hook-pre-commit$/m);
  }, 120_000);

  it("would find the token where it could reach it: another process's environment, a file of its job", async () => {
    box = sandbox();
    writeFileSync(join(box.out, "patterns"), `${PATTERNS.join("\n")}\n`);
    const holder = spawn("sleep", ["60"], { env: { PATH: process.env.PATH, HOLDER: WRITE_TOKEN }, stdio: "ignore" });
    writeFileSync(join(box.jobs.agent.temp, "leaked-header"), `AUTHORIZATION: basic ${PATTERNS[1]}\n`);
    try {
      await box.agentJob({ agent: HOSTILE });
    } finally {
      stopWatcher();
      holder.kill("SIGKILL");
    }
    expect(read("findings")).toContain(`the agent: /proc/${holder.pid}/environ`);
    expect(read("findings")).toContain(`the agent: file ${join(box.jobs.agent.temp, "leaked-header")}`);
  }, 60_000);
});
