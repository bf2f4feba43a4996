/**
 * The Actions bot in the simulator: the coordinator workflow `init` writes,
 * run by the rules of Actions on the in-memory GitHub, each run the
 * coordinator action's own code (`runCoordinator`) on its event — and the
 * same coordination through the App, for the same end.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/commandLine.js";
import { ACTIONS_LOGIN, APP_LOGIN } from "../../src/fakeGitHub/conventions.js";
import { simulate, type Simulation } from "../../src/sim/run.js";
import { scenarioFromYaml } from "../../src/sim/scenario.js";

const example = new URL("../../examples/notifications.md", import.meta.url);
const notifications = readFileSync(example, "utf8");

function scenario(text: string) {
  const parsed = scenarioFromYaml(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.scenario;
}

function clean(simulation: Simulation): void {
  expect(simulation.problems).toEqual([]);
  expect(simulation.errors).toEqual([]);
  expect(simulation.log).toEqual([]);
  expect(simulation.stopped).toBeUndefined();
}

/** The first line of each comment, by who wrote it as a role: the coordinator, or a person. */
function commentHeads(simulation: Simulation): string[] {
  return simulation.comments.map(
    (comment) =>
      `${comment.author === APP_LOGIN || comment.author === ACTIONS_LOGIN ? "coordinator" : comment.author}: ${comment.body.split("\n")[0]}`,
  );
}

/** The files of a branch, by path, but the workflows (the Actions bot's repository has one more). */
function files(simulation: Simulation, branch: string): string[] {
  return [...simulation.repo.tree(simulation.repo.branch(branch)!).keys()]
    .filter((path) => !path.startsWith(".github/workflows/"))
    .sort();
}

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe("the simulator's Actions bot", () => {
  const story = scenario(`
outcomes:
  "3": [out-of-scope, accept]
  "5": [fail]
steps:
  - when: { accepted: 2 }
    comment: /pause
  - restart: true
  - comment: /resume
`);

  it("plays the notifications example (/pause, a restart, /resume, an out-of-scope batch, a failed run) to the same end as the App", async () => {
    const app = await simulate({ breakdown: notifications, scenario: story });
    const actions = await simulate({ breakdown: notifications, scenario: story, mode: "actions" });
    clean(app);
    clean(actions);
    for (const simulation of [app, actions]) {
      expect(simulation.status).toBe("done");
      // The out-of-scope run was sent back, the failed one tried again.
      expect(simulation.batches.find((batch) => batch.id === "3")!.runs.map((run) => run.outcome)).toContain("redo");
      expect(simulation.batches.find((batch) => batch.id === "5")!.runs.map((run) => run.outcome)).toEqual([
        "failed",
        "accepted",
      ]);
    }
    expect(actions.batches.map((batch) => [batch.id, batch.status])).toEqual(
      app.batches.map((batch) => [batch.id, batch.status]),
    );
    // The same pull requests, merged the same way, and the same final one into main.
    expect(actions.pullRequests).toEqual(app.pullRequests);
    expect(files(actions, "parallel-coordinator/1")).toEqual(files(app, "parallel-coordinator/1"));
    expect([...actions.repo.refs.keys()].sort()).toEqual([...app.repo.refs.keys()].sort());
    // A person reads the same story: the pause's checkpoint, the resume, the finish.
    for (const simulation of [app, actions]) {
      expect(commentHeads(simulation)).toEqual(
        expect.arrayContaining([
          "maintainer: /pause",
          expect.stringMatching(/^coordinator: ### ⏸ Session checkpoint/),
          "maintainer: /resume",
          "coordinator: ### 🔄 Resumed by @maintainer",
          "coordinator: ### ✅ Feature complete: Real-time notifications",
        ]),
      );
    }
    // The Actions bot's comments are github-actions[bot]'s; the App's, the App's.
    expect(
      new Set(actions.comments.filter((comment) => comment.author !== "maintainer").map((comment) => comment.author)),
    ).toEqual(new Set([ACTIONS_LOGIN]));
    // No App anywhere: no installation token, no webhook delivered.
    expect(actions.calls.byRoute["POST /app/installations/{installation_id}/access_tokens"]).toBeUndefined();
    // A check run's buttons are an App's (GitHub sends a press to the app that made the check run): the bot's have none.
    const buttons = (simulation: typeof app) =>
      [...simulation.repo.checkRuns.values()].filter((run) => run.actions.length > 0).length;
    expect(buttons(app)).toBeGreaterThan(0);
    expect(buttons(actions)).toBe(0);
  }, 120_000);

  it("counts the coordinator's runs by trigger and the minutes they bill: every event a run, the bot's own comments none", async () => {
    const simulation = await simulate({ breakdown: notifications, mode: "actions" });
    clean(simulation);
    expect(simulation.status).toBe("done");
    const runs = simulation.coordinatorRuns!;
    // Opened (skipped: no label yet), labelled; every batch's run ends with its nudge, and its workflow_run (skipped: it nudged); the sweep.
    expect(runs.byTrigger).toMatchObject({ issues: 2, workflow_run: 6 });
    expect(runs.skipped).toBe(7);
    expect(runs.byTrigger.workflow_dispatch).toBeGreaterThanOrEqual(6);
    expect(runs.byTrigger.schedule).toBeGreaterThan(0);
    expect(runs.byTrigger.issue_comment).toBeUndefined();
    expect(runs.total).toBe(Object.values(runs.byTrigger).reduce((sum, n) => sum + n, 0));
    expect(runs.ran + runs.skipped + runs.cancelled).toBe(runs.total);
    expect(runs.minutes).toBe(runs.ran);
    expect(simulation.mode).toBe("actions");
  }, 60_000);

  // A field report says GitHub sent no workflow_run for a run a GITHUB_TOKEN dispatched: the nudges carry it alone.
  it("finishes when GitHub sends no workflow_run for the runs it dispatched: the agent workflow's nudge names each run", async () => {
    const simulation = await simulate({
      breakdown: notifications,
      mode: "actions",
      workflowRunAfterTokenDispatch: "silent",
    });
    clean(simulation);
    expect(simulation.status).toBe("done");
    expect(simulation.coordinatorRuns!.byTrigger.workflow_run).toBeUndefined();
    expect(simulation.batches.every((batch) => batch.status === "accepted")).toBe(true);
  }, 60_000);

  it("finishes a coordination whose run failed half-way (its effects done, its state not written): one dispatch and one check run per batch", async () => {
    // The third dashboard edit fails: that run's check-in merged and dispatched, and wrote no state.
    const simulation = await simulate({
      breakdown: notifications,
      mode: "actions",
      faults: [{ route: "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", call: 3, status: 502 }],
    });
    expect(simulation.problems).toEqual([]);
    expect(simulation.errors).toHaveLength(1);
    expect(simulation.errors[0]).toMatch(
      /coordinator run \d+ \(workflow_dispatch\): GitHub answered 502 to PATCH \/repos\/acme\/shop\/issues\/comments\/\d+: Server Error/,
    );
    expect(simulation.status).toBe("done");
    const dispatches = simulation.github.history.filter(
      (entry) => entry.kind === "dispatch" && entry.workflow.endsWith("parallel-coordinator-agent.yml"),
    );
    expect(dispatches).toHaveLength(simulation.batches.length);
    expect(simulation.repo.checkRuns.size).toBe(simulation.batches.length);
  }, 60_000);

  it("runs in a repository holding exactly what init writes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pc-sim-init-"));
    made.push(dir);
    await main(["init", dir], { out: () => undefined, err: () => undefined });
    const simulation = await simulate({ breakdown: notifications, mode: "actions", maxDeliveries: 3 });
    const tree = simulation.repo.tree(simulation.repo.branch(simulation.repo.defaultBranch)!);
    for (const path of [
      ".github/workflows/parallel-coordinator.yml",
      ".github/workflows/parallel-coordinator-agent.yml",
    ]) {
      expect(tree.get(path), path).toBe(readFileSync(join(dir, path), "utf8"));
    }
  }, 60_000);

  it("is what simulate --mode actions prints: the coordinator's runs in the figures, and in --json", async () => {
    let out = "";
    const status = await main(["simulate", example.pathname, "--mode", "actions", "--json"], {
      out: (text) => (out += text),
      err: () => undefined,
    });
    expect(status).toBe(0);
    const json = JSON.parse(out) as {
      mode: string;
      status: string;
      coordinatorRuns: { byTrigger: Record<string, number>; minutes: number };
    };
    expect(json).toMatchObject({ mode: "actions", status: "done" });
    expect(json.coordinatorRuns.minutes).toBeGreaterThan(0);
    let text = "";
    await main(["simulate", example.pathname, "--mode", "actions"], {
      out: (chunk) => (text += chunk),
      err: () => undefined,
    });
    // The heading names the example by its absolute path, so where it wraps depends on where the clone is.
    expect(text.replace(/\s+/g, " ")).toContain("the Actions bot (the coordinator workflow's runs)");
    // Figures wrap at 80 columns: read as one line each.
    const figures = text.replace(/\n {4}/g, " ");
    expect(figures).toMatch(/\n {2}coordinator runs: \d+ \(2 issues, .*\): \d+ ran, [\d.]+ per batch/);
    expect(figures).toMatch(/\n {2}Actions minutes of the coordinator: \d+/);
    let errors = "";
    expect(
      await main(["simulate", example.pathname, "--mode", "server"], {
        out: () => undefined,
        err: (chunk) => (errors += chunk),
      }),
    ).toBe(2);
    expect(errors).toContain('simulate: --mode is app or actions, not "server"');
  }, 60_000);
});
