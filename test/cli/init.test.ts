import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import yaml from "js-yaml";
import { lintWorkflow } from "../../scripts/actionlint.js";
import { main } from "../../src/cli/commandLine.js";
import { displayWidth } from "../../src/cli/wrap.js";
import { configFromYaml } from "../../src/base/config.js";

const FILES = [
  ".github/workflows/parallel-coordinator.yml",
  ".github/workflows/parallel-coordinator-agent.yml",
  ".github/parallel-coordinator.yml",
];

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function emptyDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "pc-init-"));
  made.push(dir);
  return dir;
}

async function init(args: string[], ask?: (question: string) => Promise<boolean>) {
  let stdout = "";
  let stderr = "";
  const status = await main(["init", ...args], {
    out: (text) => (stdout += text),
    err: (text) => (stderr += text),
    ...(ask === undefined ? {} : { ask }),
  });
  return { status, stdout, stderr };
}

const read = (dir: string, path: string) => readFileSync(join(dir, path), "utf8");

describe("parallel-coordinator init", () => {
  it("writes the coordinator workflow, the agent workflow and the config into an empty folder, then what is left to do by hand", async () => {
    const dir = emptyDir();
    const { status, stdout, stderr } = await init([dir]);
    expect(status).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toContain(
      [
        "  created    .github/workflows/parallel-coordinator.yml",
        "             the coordinator: one run per event",
        "  created    .github/workflows/parallel-coordinator-agent.yml",
        "             the agent workflow: one run per batch",
        "  created    .github/parallel-coordinator.yml",
        "             the config (no domains guessed: name them)",
      ].join("\n"),
    );
    expect(stdout).toContain('git add .github && git commit -m "parallel-coordinator" && git push');
    expect(stdout).toContain("openssl rand -hex 32 | gh secret set PARALLEL_COORDINATOR_STATE_KEY");
    expect(stdout).toContain("Settings → Secrets and variables → Actions →\n     New repository secret");
    expect(stdout).toContain(
      'Settings → Actions → General → Workflow\n     permissions → "Allow GitHub Actions to create and approve pull requests"',
    );
    expect(stdout).toContain("gh label create parallel-coordinator");
    expect(Math.max(...stdout.split("\n").map(displayWidth))).toBeLessThanOrEqual(80);
    // The config is the App's, every default a comment: it reads as the defaults.
    expect(configFromYaml(read(dir, ".github/parallel-coordinator.yml"))).toMatchObject({ ok: true });
  });

  it.each(FILES.slice(0, 2))("writes %s so that actionlint passes it", async (path) => {
    const dir = emptyDir();
    await init([dir]);
    expect(await lintWorkflow(read(dir, path), path)).toEqual([]);
  });

  it("guesses the domains from the top-level folders, and names the repository's settings pages from its GitHub remote", async () => {
    const dir = emptyDir();
    for (const folder of ["backend", "frontend", "node_modules", ".cache"]) mkdirSync(join(dir, folder));
    execFileSync("git", ["init", "-q", dir]);
    execFileSync("git", ["-C", dir, "remote", "add", "origin", "git@github.com:acme/shop.git"]);
    const { status, stdout } = await init([dir]);
    expect(status).toBe(0);
    expect(stdout).toContain("the config (domains guessed: backend, frontend)");
    expect(stdout).toContain("(https://github.com/acme/shop/settings/secrets/actions/new)");
    expect(stdout).toContain("(https://github.com/acme/shop/settings/actions)");
    const config = configFromYaml(read(dir, ".github/parallel-coordinator.yml"));
    expect(config.ok && Object.keys(config.config.domains)).toEqual(["backend", "frontend"]);
  });

  it("run again, finds its own files and changes nothing", async () => {
    const dir = emptyDir();
    await init([dir]);
    const before = FILES.map((path) => read(dir, path));
    const again = await init([dir]);
    expect(again.status).toBe(0);
    for (const path of FILES) expect(again.stdout).toContain(`  unchanged  ${path}\n`);
    expect(FILES.map((path) => read(dir, path))).toEqual(before);
  });

  it("never overwrites a file that differs without --force: it shows the difference, keeps the file and exits 1", async () => {
    const dir = emptyDir();
    await init([dir]);
    const path = ".github/workflows/parallel-coordinator-agent.yml";
    const mine = read(dir, path).replace("claude -p", "my-agent -p");
    writeFileSync(join(dir, path), mine);
    const kept = await init([dir]);
    expect(kept.status).toBe(1);
    expect(kept.stderr).toContain(
      `  kept       ${path}: it differs from init's (--force replaces it)\n    --- ${path} (yours)\n    +++ ${path} (init's)\n    @@ `,
    );
    expect(kept.stderr).toContain(
      '    -            my-agent -p "$(cat "$PARALLEL_COORDINATOR_BRIEF")"\n    +            claude -p "$(cat "$PARALLEL_COORDINATOR_BRIEF")"\n',
    );
    expect(read(dir, path)).toBe(mine);

    const forced = await init([dir, "--force"]);
    expect(forced.status).toBe(0);
    expect(forced.stdout).toContain(`  replaced   ${path}\n`);
    expect(read(dir, path)).not.toBe(mine);
  });

  it("asks about a file that differs when it has a terminal to ask on, and writes only on yes", async () => {
    const dir = emptyDir();
    await init([dir]);
    const path = ".github/parallel-coordinator.yml";
    writeFileSync(join(dir, path), "agents: 2\n");
    const questions: string[] = [];
    const no = await init([dir], async (question) => (questions.push(question), false));
    expect(no.status).toBe(1);
    expect(questions).toHaveLength(1);
    expect(questions[0]).toMatch(
      /^--- \.github\/parallel-coordinator\.yml \(yours\)\n[\s\S]*-agents: 2\n[\s\S]*\nReplace \.github\/parallel-coordinator\.yml with init's\? \[y\/N\] $/,
    );
    expect(read(dir, path)).toBe("agents: 2\n");
    const yes = await init([dir], async () => true);
    expect(yes.status).toBe(0);
    expect(read(dir, path)).toContain("# label: parallel-coordinator");
  });

  it("takes one folder at most, and says so", async () => {
    const { status, stderr } = await init(["a", "b"]);
    expect(status).toBe(2);
    expect(stderr).toBe(
      'init: one folder at most, got 2: a, b\nUsage: parallel-coordinator init [<repository folder>] [options]\nRun "parallel-coordinator help init" for its options.\n',
    );
    const help = await init(["--help"]);
    expect(help.stdout).toContain("Nothing is asked when standard input is not a terminal.");
  });
});

describe("what init writes", () => {
  const dir = emptyDir();
  const written = init([dir]).then(() => ({
    coordinator: yaml.load(read(dir, FILES[0]!)) as Record<string, any>, // eslint-disable-line @typescript-eslint/no-explicit-any
    agentText: read(dir, FILES[1]!),
    agent: yaml.load(read(dir, FILES[1]!)) as Record<string, any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  }));

  it("the coordinator: the five triggers, nothing by default, the least its job needs, one run per issue from every trigger", async () => {
    const { coordinator } = await written;
    expect(Object.keys(coordinator.on)).toEqual([
      "issues",
      "issue_comment",
      "workflow_run",
      "workflow_dispatch",
      "schedule",
    ]);
    expect(coordinator.on.workflow_run).toEqual({ workflows: ["parallel-coordinator agent"], types: ["completed"] });
    expect(coordinator.on.workflow_dispatch.inputs.issue).toMatchObject({ type: "string", required: true });
    expect(coordinator.on.workflow_dispatch.inputs.run).toMatchObject({ type: "string", required: false });
    expect(coordinator.permissions).toEqual({});
    const job = coordinator.jobs.coordinate;
    expect(job.permissions).toEqual({
      actions: "write",
      checks: "write",
      contents: "write",
      issues: "write",
      "pull-requests": "write",
    });
    expect(job.concurrency).toEqual({
      group:
        "parallel-coordinator-${{ github.event.issue.number || inputs.issue || startsWith(github.event.workflow_run.display_title, '{\"issue\":') && fromJSON(github.event.workflow_run.display_title).issue || github.event.workflow_run.display_title || 'sweep' }}",
      "cancel-in-progress": false,
    });
    expect(job.steps).toEqual([
      {
        uses: "parallel-coordinator-dev/parallel-coordinator/coordinator@v0",
        with: { "state-key": "${{ secrets.PARALLEL_COORDINATOR_STATE_KEY }}" },
      },
    ]);
    // A cron every 10–15 minutes: the sweep.
    expect(coordinator.on.schedule).toEqual([{ cron: "7,22,37,52 * * * *" }]);
  });

  it("the agent workflow: the App's, its run named in JSON holding the issue, its publish job nudging the coordinator last", async () => {
    const { agent, agentText } = await written;
    expect(agent["run-name"]).toBe(`\${{ format('{{"issue":{0},"key":"{1}"}}', inputs.issue, inputs.key) }}`);
    const publish = agent.jobs.publish;
    expect(publish.permissions).toEqual({
      contents: "write",
      "pull-requests": "write",
      issues: "write",
      actions: "write",
    });
    const nudge = publish.steps.at(-1);
    expect(nudge).toEqual({
      name: "Nudge the coordinator",
      if: "${{ !cancelled() }}",
      "continue-on-error": true,
      env: {
        GH_TOKEN: "${{ github.token }}",
        GH_REPO: "${{ github.repository }}",
        ISSUE: "${{ inputs.issue }}",
        RUN: "${{ github.run_id }}",
        DEFAULT_BRANCH: "${{ github.event.repository.default_branch }}",
      },
      run: 'gh workflow run parallel-coordinator.yml --ref "$DEFAULT_BRANCH" -f issue="$ISSUE" -f run="$RUN"',
    });
    // The one script of the publish job, and none with an input in it.
    expect(publish.steps.filter((step: { run?: string }) => step.run !== undefined)).toEqual([nudge]);
    expect(agentText).not.toMatch(/run: .*\$\{\{/);
    // Everything else is the App's agent workflow: three jobs, agent and verify read-only.
    expect(Object.keys(agent.jobs)).toEqual(["agent", "verify", "publish"]);
    expect(agent.jobs.agent.permissions).toEqual({ contents: "read" });
  });
});
