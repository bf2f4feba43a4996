/**
 * Whole coordinations through the real app (`src/probotApp.ts`) in a real Probot,
 * against the in-memory GitHub, with every request checked against GitHub's
 * REST description.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/commandLine.js";
import { displayWidth } from "../../src/cli/wrap.js";
import { reportFrom } from "../../src/report/reportBlock.js";
import { ACTIONS_LOGIN, APP_LOGIN } from "../../src/fakeGitHub/conventions.js";
import { parseWorkflow } from "../../src/fakeGitHub/repository.js";
import { agentWorkflow, simulate, type Simulation } from "../../src/sim/run.js";
import { scenarioFromYaml } from "../../src/sim/scenario.js";
import { stateVersion } from "../../src/state/stateSchema.js";

const example = new URL("../../examples/notifications.md", import.meta.url);
const notifications = readFileSync(example, "utf8");

function scenario(text: string) {
  const parsed = scenarioFromYaml(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.scenario;
}

/** Nothing the app did was refused by GitHub's description, unknown to the simulator, or thrown. */
function clean(simulation: Simulation): void {
  expect(simulation.problems).toEqual([]);
  expect(simulation.errors).toEqual([]);
  expect(simulation.log).toEqual([]);
  expect(simulation.stopped).toBeUndefined();
}

const directory = mkdtempSync(join(tmpdir(), "pc-sim-"));
function temporary(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

const outcomes = (simulation: Simulation, id: string) =>
  simulation.batches.find((batch) => batch.id === id)!.runs.map((run) => run.outcome);

describe("simulate, through the real app", () => {
  it("plays examples/notifications.md to done: every batch merged into the integration branch, the final pull request into main", async () => {
    const simulation = await simulate({ breakdown: notifications });
    clean(simulation);
    expect(simulation.status).toBe("done");
    expect(simulation.batches.map((batch) => [batch.id, batch.status, batch.runs.map((run) => run.outcome)])).toEqual(
      ["1", "2", "3", "4", "5", "6"].map((id) => [id, "accepted", ["accepted"]]),
    );

    const { repo } = simulation;
    const batchPulls = simulation.pullRequests.filter((pull) => pull.base === "parallel-coordinator/1");
    expect(batchPulls).toHaveLength(6);
    expect(batchPulls.every((pull) => pull.merged)).toBe(true);
    const final = simulation.pullRequests.filter((pull) => pull.base === "main");
    expect(final).toEqual([{ number: 8, head: "parallel-coordinator/1", base: "main", merged: false }]);
    // Everything the agents did reaches main through it.
    const finalFiles = repo.pullFiles(repo.pulls.get(8)!).map((file) => file.filename);
    for (const pull of batchPulls) {
      for (const file of repo.pullFiles(repo.pulls.get(pull.number)!)) expect(finalFiles).toContain(file.filename);
    }
    expect(repo.pulls.get(8)!.body).toContain("Closes #1.");

    // The plan's makespan, played out.
    expect(simulation.makespan).toBe(simulation.plan!.schedule.makespan);
    expect(simulation.calls.total).toBe(Object.values(simulation.calls.byRoute).reduce((sum, n) => sum + n, 0));
    expect(simulation.calls.perBatch).toBeCloseTo(simulation.calls.total / 6, 2);
    expect(simulation.calls.byRoute["POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches"]).toBe(6);
    expect(simulation.calls.byRoute["POST /app/installations/{installation_id}/access_tokens"]).toBe(1);

    // One dashboard, edited in place, and the finish; the app's own comments only.
    expect(simulation.comments.map((comment) => comment.author)).toEqual([APP_LOGIN, APP_LOGIN]);
    expect(simulation.comments[1]!.body).toContain("Feature complete");
    expect(repo.comments.get(1001)!.edits).toBeGreaterThan(0);
    // A check run per batch, on its pull request's head.
    expect([...repo.checkRuns.values()].map((run) => run.conclusion)).toEqual(Array(6).fill("success"));
  });

  it("out-of-scope, then accept: the redo starts clean (its pull request closes, the branch goes back), then accepted, and the stray file never reaches the integration branch", async () => {
    const simulation = await simulate({
      breakdown: notifications,
      scenario: scenario(`outcomes: { "3": [out-of-scope, accept] }`),
    });
    clean(simulation);
    expect(simulation.status).toBe("done");
    expect(outcomes(simulation, "3")).toEqual(["redo", "accepted"]);
    const { repo } = simulation;
    const checks = [...repo.checkRuns.values()].filter((run) => run.name.endsWith("batch 3"));
    expect(checks.map((run) => run.conclusion)).toEqual(["neutral", "success"]);
    expect(checks[0]!.summary).toMatch(/Scope: 1 file outside the batch/);
    const stray = (checks[0]!.annotations as { path: string }[]).map((annotation) => annotation.path);
    expect(stray).toHaveLength(1);
    for (const branch of ["parallel-coordinator/1", "parallel-coordinator/1-react-frontend-architect"]) {
      expect(repo.tree(repo.branch(branch)!).get(stray[0]!) ?? "").not.toContain("outside its scope");
    }
    // Before the redo's dispatch: the first run's pull request closes and the domain branch moves back.
    const frontend = "parallel-coordinator/1-react-frontend-architect";
    const story = simulation.github.history.flatMap((entry) =>
      entry.kind === "pullClosed"
        ? [`close #${entry.number}`]
        : entry.kind === "branchMoved" && entry.branch === frontend
          ? ["move back"]
          : entry.kind === "dispatch" && entry.ref === frontend
            ? [`dispatch ${entry.inputs.batch}/${entry.inputs.attempt}`]
            : [],
    );
    const first = [...repo.pulls.values()].find(
      (pull) => pull.head === frontend && pull.body.includes("attempt 1") && pull.title.includes("Batch 3"),
    )!;
    expect(first.merged).toBe(false);
    const redo = story.indexOf("dispatch 3/2");
    expect(story.slice(redo - 2, redo + 1)).toEqual([`close #${first.number}`, "move back", "dispatch 3/2"]);
  });

  it("a budget smaller than the plan's work: the simulation ends paused, with the checkpoint that says why", async () => {
    const simulation = await simulate({ breakdown: notifications, config: "budget:\n  minutes: 60\n" });
    clean(simulation);
    expect(simulation.status).toBe("paused");
    const checkpoint = simulation.comments.find((comment) => comment.body.startsWith("### ⏸ Session checkpoint"))!;
    expect(checkpoint.body).toMatch(
      /Paused by the budget at \S+: 1 h \d+ min of agent time spent, over the budget of 1 h\./,
    );
    expect(simulation.batches.some((batch) => batch.status === "pending")).toBe(true);
    expect(simulation.state!.batches["1"]!.runs[0]!.minutes).toBe(20);
  });

  it("a mixed run: the scorecard by agent, and each batch's runs as they went — an /approve is no run", async () => {
    const simulation = await simulate({
      breakdown: notifications,
      scenario: scenario(`
outcomes:
  "3": [out-of-scope, accept]
  "5": [fail]
  "6": [blocked]
steps:
  - comment: /approve 6
`),
    });
    clean(simulation);
    expect(simulation.status).toBe("done");
    expect(simulation.batches.map((batch) => batch.runs.map((run) => run.outcome))).toEqual([
      ["accepted"],
      ["accepted"],
      ["redo", "accepted"],
      ["accepted"],
      ["failed", "accepted"],
      ["blocked"],
    ]);
    expect(simulation.scorecard).toEqual([
      {
        agent: "fastapi-backend-expert",
        batches: 3,
        firstTry: 1,
        redo: 0,
        outOfScope: 0,
        blocked: 0,
        overEstimate: { median: 1, worst: 1 },
        usage: { tokens: 65_000, usd: 1.3 },
      },
      {
        agent: "react-frontend-architect",
        batches: 2,
        firstTry: 0,
        redo: 0.5,
        outOfScope: 0.5,
        blocked: 0,
        overEstimate: { median: 1, worst: 1 },
        usage: { tokens: 60_000, usd: 1.2 },
      },
      {
        agent: "pytest-test-master",
        batches: 1,
        firstTry: 0,
        redo: 0,
        outOfScope: 0,
        blocked: 1,
        overEstimate: { median: 1, worst: 1 },
        usage: { tokens: 25_000, usd: 0.5 },
      },
    ]);
    const finish = simulation.comments.find((comment) => comment.body.startsWith("### ✅ Feature complete"))!.body;
    expect(finish).toContain("| first-try acceptance | 50 % (3/6) | > 90 % |");
    expect(finish).toContain("- Batch 6 — End-to-end test: blocked → approved by @maintainer");
    expect(finish).toContain(
      "| `react-frontend-architect` | 2 | 0 % | 50 % | 50 % | 0 % | 1 · 1 | 60,000 | $1.20 | $0.60 |",
    );
  });

  it("fail, fail: an automatic retry, then the batch is blocked and the coordination with it", async () => {
    const simulation = await simulate({
      breakdown: notifications,
      scenario: scenario(`outcomes: { "5": [fail, fail] }`),
    });
    clean(simulation);
    expect(simulation.status).toBe("blocked");
    expect(simulation.batches.find((batch) => batch.id === "5")).toMatchObject({
      status: "blocked",
      runs: [{ outcome: "failed" }, { outcome: "failed" }],
    });
    // Batch 6 needs 5: it never starts; no final pull request, no makespan.
    expect(simulation.batches.find((batch) => batch.id === "6")).toMatchObject({ status: "pending", runs: [] });
    expect(simulation.pullRequests.some((pull) => pull.base === "main")).toBe(false);
    expect(simulation.makespan).toBeNull();
    expect(simulation.comments.at(-1)!.body).toMatch(/Blocker: Batch 5/);
  });

  it("blocked and slow runs, a command from a maintainer and a restart of the app in between", async () => {
    const simulation = await simulate({
      breakdown: notifications,
      scenario: scenario(`
outcomes:
  "2": [slow]
  "6": [blocked]
steps:
  - when: { accepted: 2 }
    restart: true
  - comment: /retry 6
`),
    });
    clean(simulation);
    expect(simulation.status).toBe("done");
    expect(outcomes(simulation, "6")).toEqual(["blocked", "accepted"]);
    const { repo, github } = simulation;
    const agentReport = [...repo.comments.values()].find((comment) => comment.user === ACTIONS_LOGIN)!;
    expect(reportFrom(agentReport.body)).toMatchObject({ ok: true, report: { status: "Blocked", batch: "6" } });
    expect([...repo.checkRuns.values()].find((run) => run.name.endsWith("batch 2"))!.title).toMatch(/slow/);
    expect(github.history.some((entry) => entry.kind === "note" && /restarts/.test(entry.text))).toBe(true);
    // The restarted app asked for a token of its own.
    expect(simulation.calls.byRoute["POST /app/installations/{installation_id}/access_tokens"]).toBe(2);
    expect(simulation.comments.some((comment) => comment.author === "maintainer" && comment.body === "/retry 6")).toBe(
      true,
    );
  });

  it("/pause cancels the runs that just started (the simulator ends them cancelled), /resume dispatches them again", async () => {
    const simulation = await simulate({
      breakdown: notifications,
      scenario: scenario(`
steps:
  - when: { accepted: 1 }
    comment: /pause
  - comment: /resume
`),
    });
    clean(simulation);
    expect(simulation.status).toBe("done");
    const cancelled = simulation.github.history.filter(
      (entry) => entry.kind === "run" && entry.conclusion === "cancelled",
    );
    expect(cancelled.length).toBeGreaterThan(0);
    expect(simulation.batches.flatMap((batch) => batch.runs.map((run) => run.outcome))).toContain("cancelled");
    // A cancelled run does no work: no pull request carries its run id.
    const ids = new Set(cancelled.map((entry) => (entry.kind === "run" ? entry.runId : 0)));
    for (const pull of simulation.repo.pulls.values()) {
      const found = reportFrom(pull.body);
      if (found.ok) expect(ids.has(found.report.run)).toBe(false);
    }
  });

  it("dispatches the project's own agent workflow template, which declares exactly the inputs the app sends", () => {
    const template = agentWorkflow();
    expect(template).toBe(
      readFileSync(new URL("../../templates/parallel-coordinator-agent.yml", import.meta.url), "utf8"),
    );
    const workflow = parseWorkflow(template, ".github/workflows/parallel-coordinator-agent.yml");
    expect([...workflow.inputs!.keys()]).toEqual(["issue", "batch", "attempt", "key", "base", "scope", "brief"]);
    expect(workflow.runName).toContain("${{ inputs.key }}");
  });

  it("a bad breakdown: the app answers with one comment and starts nothing", async () => {
    const simulation = await simulate({ breakdown: "# Nothing\n\nJust words, no tasks.\n" });
    clean(simulation);
    expect(simulation.status).toBeNull();
    expect(simulation.batches).toEqual([]);
    expect(simulation.comments).toHaveLength(1);
    expect(simulation.comments[0]!.author).toBe(APP_LOGIN);
    expect(simulation.inputProblems.length).toBeGreaterThan(0);
    expect(simulation.github.history.some((entry) => entry.kind === "dispatch")).toBe(false);
  });

  it.each(["moderation-queue.uk", "webhook-dedup-pipeline"])(
    "plays examples/%s.md to its final pull request, each batch dispatched at its planned start",
    async (name) => {
      const breakdown = readFileSync(new URL(`../../examples/${name}.md`, import.meta.url), "utf8");
      const simulation = await simulate({ breakdown });
      clean(simulation);
      expect(simulation.status).toBe("done");
      expect(simulation.batches.every((batch) => batch.status === "accepted" && batch.runs.length === 1)).toBe(true);
      const { schedule } = simulation.plan!;
      expect(simulation.makespan).toBe(schedule.makespan);
      const dispatched = simulation.github.history.flatMap((entry) =>
        entry.kind === "dispatch"
          ? [[entry.inputs.batch, (Date.parse(entry.at) - Date.parse(simulation.start)) / 60_000]]
          : [],
      );
      expect(Object.fromEntries(dispatched)).toEqual(schedule.start);
      const final = [...simulation.repo.pulls.values()].filter((pull) => pull.base === "main");
      expect(final).toHaveLength(1);
      expect(final[0]!.body).toMatch(/^Closes #\d+\./);
    },
  );

  it("records what the app does wrong: requests GitHub's description rejects, routes it does not know, GraphQL, and thrown errors", async () => {
    const simulation = await simulate({
      breakdown: notifications,
      createApp: () => (app) => {
        app.on("issues.labeled", async (context) => {
          await context.octokit
            .request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
              ...context.issue(),
              body: 5 as unknown as string,
            })
            .catch(() => undefined);
          await context.octokit.request("GET /repos/{owner}/{repo}/branches", context.repo()).catch(() => undefined);
          await context.octokit.graphql("query { viewer { login } }").catch(() => undefined);
          throw new Error("boom");
        });
      },
    });
    expect(simulation.problems).toHaveLength(3);
    expect(simulation.problems[0]).toMatch(/body\.body: must be string/);
    expect(simulation.problems[1]).toMatch(/does not implement GET \/repos\/\{owner\}\/\{repo\}\/branches/);
    expect(simulation.problems[2]).toMatch(/graphql/);
    expect(simulation.errors).toHaveLength(1);
    expect(simulation.errors[0]).toMatch(/^2026-01-05T09:00:00Z issues\.labeled: Error: boom/);
    expect(simulation.status).toBeNull();
  });
});

describe("parallel-coordinator simulate", () => {
  async function run(...args: string[]): Promise<{ status: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const status = await main(["simulate", ...args], { out: (text) => (out += text), err: (text) => (err += text) });
    return { status, out, err };
  }

  it("prints the story, the final dashboard and the figures, as text within 80 columns", async () => {
    const { status, out, err } = await run(example.pathname);
    expect(status).toBe(0);
    expect(err).toBe("");
    expect(out).toMatch(/^09:00 \+0 +maintainer labels #1 \(parallel-coordinator\)$/m);
    expect(out).toMatch(
      /^09:00 \+0 +dispatch parallel-coordinator-agent\.yml on\n {12}parallel-coordinator\/1-fastapi-backend-expert: batch 1, attempt 1 →\n {12}run 5001$/m,
    );
    expect(out).toMatch(
      /^09:00 \+0 +comment 1001 by parallel-coordinator\[bot\] on #1, the dashboard,\n {12}edited \d+ times \(its final body is at the end\)$/m,
    );
    expect(out).toMatch(/check run "parallel-coordinator \/ batch 1" on [0-9a-f]{7}: success — ✓/);
    expect(out).toMatch(
      /merge #2 parallel-coordinator\/1-fastapi-backend-expert →\n {12}parallel-coordinator\/1 \(merge\)/,
    );
    // The dashboard as it ends, after everything that changed it: every batch accepted.
    const end = out.slice(out.indexOf("The dashboard (comment 1001) at the end"));
    expect(end).toMatch(
      /^The dashboard \(comment 1001\) at the end, edited \d+ times, last at 10:30 \+90:\n {4}│ Parallel coordination: Real-time notifications\n/,
    );
    expect(end).toContain("    │ Status: ✅ done — 6 accepted\n");
    expect(end).toContain("    │ [x] 6. End-to-end test");
    expect(end).toContain("    │ (dependency graph: run with --markdown to get the Mermaid source)\n");
    expect(end.indexOf("The dashboard")).toBeLessThan(end.indexOf("\nFigures\n"));
    expect(out).toContain("  coordination: done");
    expect(out).toMatch(/ {2}API calls: \d+ in all, [\d.]+ per batch/);
    expect(out).toContain("  simulated makespan: 1 h 30 min (the plan's: 1 h 30 min");
    expect(out).not.toMatch(/<!--|```|\*\*/);
    expect(Math.max(...out.split("\n").map(displayWidth))).toBeLessThanOrEqual(80);
  });

  it("--markdown prints the comments as the app posts them, the state as its size", async () => {
    const { status, out } = await run(example.pathname, "--markdown");
    expect(status).toBe(0);
    expect(out).toMatch(new RegExp(`<!-- parallel-coordinator:state v${stateVersion} \\(\\d+ characters\\) -->`));
    expect(out).toContain("    │ ```mermaid");
    expect(out).toContain("    │ - [x] **6.** End-to-end test");
  });

  it("--json prints exactly the documented object", async () => {
    const { status, out, err } = await run(example.pathname, "--json");
    expect(status).toBe(0);
    expect(err).toBe("");
    const json = JSON.parse(out) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual([
      "status",
      "batches",
      "scorecard",
      "calls",
      "comments",
      "pullRequests",
      "subIssues",
      "makespan",
      "mode",
      "errors",
    ]);
    expect(json.mode).toBe("app");
    expect((json.scorecard as object[])[0]).toEqual({
      agent: "fastapi-backend-expert",
      batches: 3,
      firstTry: 1,
      redo: 0,
      outOfScope: 0,
      blocked: 0,
      overEstimate: { median: 1, worst: 1 },
      usage: { tokens: 65_000, usd: 1.3 },
    });
    expect(json.errors).toEqual([]);
    expect(json).toMatchObject({
      status: "done",
      makespan: 90,
      batches: expect.arrayContaining([{ id: "1", status: "accepted", runs: [{ outcome: "accepted" }] }]),
    });
    expect(Object.keys(json.calls as object)).toEqual(["total", "rateLimited", "perBatch", "byRoute"]);
    expect((json.comments as object[])[0]).toEqual({
      author: APP_LOGIN,
      body: expect.stringContaining(`<!-- parallel-coordinator:state v${stateVersion} `),
    });
    expect((json.pullRequests as object[])[0]).toEqual({
      number: 2,
      head: "parallel-coordinator/1-fastapi-backend-expert",
      base: "parallel-coordinator/1",
      merged: true,
    });
  });

  it("exits 1 on a bad breakdown or config, still printing the app's answer, and no figure per batch without batches", async () => {
    const breakdown = temporary("bad.md", "# Nothing\n\nJust words, no tasks.\n");
    const { status, out, err } = await run(breakdown);
    expect(status).toBe(1);
    expect(out).toMatch(/comment 1001 by parallel-coordinator\[bot\]/);
    expect(out).toContain("  coordination: not started");
    expect(out).toMatch(/^ {2}API calls: \d+ in all$/m);
    expect(out).not.toContain("per batch");
    // The problems are in the app's comment, printed once; standard error says only that it refused.
    expect(err).toMatch(/bad\.md: the app refused it, naming 1 problem in its comment\n$/);
    const json = JSON.parse((await run(breakdown, "--json")).out);
    expect(json.calls.perBatch).toBeNull();
    expect(json.errors).toEqual([expect.stringMatching(/^breakdown: /)]);

    const config = await run(example.pathname, "--config", temporary("config.yml", "agents: 9\n"));
    expect(config.status).toBe(1);
    // Blamed on the config file, not on the breakdown.
    expect(config.err).toMatch(
      /config\.yml \(as \.github\/parallel-coordinator\.yml\): the app refused it, naming 1 problem in its comment/,
    );
    expect(config.out).toMatch(/comment 1001 by parallel-coordinator\[bot\]/);
    expect(config.out).toContain('field "agents"');
    expect(
      JSON.parse((await run(example.pathname, "--json", "--config", temporary("config.yml", "agents: 9\n"))).out)
        .errors,
    ).toEqual([expect.stringMatching(/^config: field "agents"/)]);
  });

  it("plays a YAML plan file as an issue holds it, and answers an unreadable file in --json with JSON", async () => {
    const plan = temporary(
      "plan.yml",
      "tasks:\n  - { id: a, title: A, domain: backend, estimate: 20 }\n  - { id: b, title: B, domain: frontend, estimate: 20, needs: [a] }\n",
    );
    const played = await run(plan, "--json");
    expect(played.status).toBe(0);
    expect(JSON.parse(played.out)).toMatchObject({
      status: "done",
      batches: [
        { id: "a", status: "accepted" },
        { id: "b", status: "accepted" },
      ],
    });
    const missing = await run(`${plan}.gone`, "--json");
    expect(missing.status).toBe(1);
    expect(JSON.parse(missing.out)).toEqual({ errors: [`simulate: cannot read ${plan}.gone`] });
  });

  it("--force starts with a maintainer's /plan --force: an epic is coordinated anyway", async () => {
    const tasks = Array.from(
      { length: 20 },
      (_, index) =>
        `### ${index + 1}. Part ${index + 1}\n- **Domain:** ${index % 2 === 0 ? "backend" : "frontend"}\n- **Estimate:** 25 min\n- **Files:** \`part${index + 1}.ts\`\n`,
    );
    const epic = temporary("epic.md", `# Epic\n\n${tasks.join("\n")}`);
    const refused = await run(epic, "--json");
    expect(refused.status).toBe(1);
    expect(JSON.parse(refused.out).status).toBeNull();
    const forced = await run(epic, "--force");
    expect(forced.err).toBe("");
    expect(forced.status).toBe(0);
    expect(forced.out).not.toContain("labels #1");
    expect(forced.out).toMatch(/^09:00 \+0 +comment 1001 by maintainer on #1:\n {4}│ \/plan --force$/m);
    expect(forced.out).toContain("  coordination: done");
    expect(forced.out).toContain("  batches: 20 (20 accepted)");
  });

  it("exits 1 on a bad or unfitting scenario and 2 on bad usage", async () => {
    const bad = await run(example.pathname, "--scenario", temporary("bad.yml", 'outcomes: { "3": [explode] }\n'));
    expect(bad.status).toBe(1);
    expect(bad.err).toMatch(/bad\.yml:\n {2}- field "outcomes\.3\.0": /);
    const unfitting = await run(
      example.pathname,
      "--scenario",
      temporary("unfitting.yml", 'outcomes: { "9": [fail] }\n'),
    );
    expect(unfitting.status).toBe(1);
    expect(unfitting.err).toMatch(/no batch has the id or checklist number "9"/);
    expect(unfitting.out).toBe("");
    expect((await run(example.pathname, "--scenario", "/nonexistent.yml")).status).toBe(1);
    expect((await run()).status).toBe(2);
    const bogus = await run(example.pathname, "--bogus", "--briefs");
    expect(bogus).toMatchObject({ status: 2, out: "" });
    expect(bogus.err).toMatch(/^simulate: unknown options --bogus, --briefs\n/);
    expect((await run("/nonexistent.md")).status).toBe(1);
  });
});
