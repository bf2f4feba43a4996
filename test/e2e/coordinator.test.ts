/**
 * The coordinator action as a workflow run runs it: the built bundle
 * (coordinator/dist/, as coordinator/action.yml names it) as its own process, the event's payload in a
 * file named by GITHUB_EVENT_PATH, the run's token and the state key as the
 * action's inputs, GitHub's API the fake GitHub over HTTP, and the job summary
 * in the file GITHUB_STEP_SUMMARY names. One event per run, as GitHub starts
 * them: issues.labeled, workflow_run.completed, workflow_dispatch,
 * issue_comment.created, schedule.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import yaml from "js-yaml";
import { afterEach, describe, expect, it } from "vitest";
import { ACTIONS_LOGIN } from "../../src/fakeGitHub/conventions.js";
import { dashboardMarker } from "../../src/github/stores/markers.js";
import { coordinatorWorkflow } from "../../src/onboarding/actionsFiles.js";
import { serveOverHttp, type ServedGitHub } from "../../src/fakeGitHub/httpServer.js";
import { scheduleEvent, workflowDispatchEvent } from "../../src/fakeGitHub/webhookPayloads.js";
import { decodeState, stateKey } from "../../src/state/codec.js";
import type { State } from "../../src/state/stateSchema.js";
import { at, feature, statuses } from "../integration/feature.js";
import { ISSUE, MAINTAINER, OWNER, REPO, useWorlds, type World } from "../integration/world.js";

useWorlds();

/** The file coordinator/action.yml runs. */
const ENTRY = join(
  import.meta.dirname,
  "../../coordinator",
  (
    yaml.load(readFileSync(join(import.meta.dirname, "../../coordinator/action.yml"), "utf8")) as {
      runs: { main: string };
    }
  ).runs.main,
);
const KEY = "e2e-state-key-0123456789abcdef0123456789";
const COORDINATOR = ".github/workflows/parallel-coordinator.yml";

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

interface Ran {
  code: number | null;
  output: string;
  summary: string;
}

/** A world with the coordinator workflow init writes beside the agent's, served over HTTP. */
async function world(): Promise<{ world: World; api: ServedGitHub }> {
  const made = feature({ files: { [COORDINATOR]: coordinatorWorkflow() } });
  const api = await serveOverHttp(made.github);
  cleanup.push(() => api.close());
  return { world: made, api };
}

/** One run of the coordinator workflow on an event, as the runner starts the action's step. */
async function run(
  api: ServedGitHub,
  event: string,
  payload: unknown,
  inputs: { token: string; key?: string },
): Promise<Ran> {
  const dir = mkdtempSync(join(tmpdir(), "pc-coordinator-"));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const eventPath = join(dir, "event.json");
  const summaryPath = join(dir, "summary.md");
  writeFileSync(eventPath, JSON.stringify(payload));
  writeFileSync(summaryPath, "");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_API_URL: api.url,
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_REF_NAME: "master",
    GITHUB_RUN_ID: "9001",
    GITHUB_WORKFLOW_REF: `${OWNER}/${REPO}/${COORDINATOR}@refs/heads/master`,
    GITHUB_STEP_SUMMARY: summaryPath,
    "INPUT_GITHUB-TOKEN": inputs.token,
    ...(inputs.key === undefined ? {} : { "INPUT_STATE-KEY": inputs.key }),
  };
  const child = spawn(process.execPath, [ENTRY], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return { code, output, summary: readFileSync(summaryPath, "utf8") };
}

/** The dashboard the coordinator posted: a comment of the run token's bot, github-actions[bot]. */
function dashboard(world: World) {
  return world.comments().find((comment) => comment.user === ACTIONS_LOGIN && comment.body.includes(dashboardMarker));
}

function stateIn(world: World): State {
  const decoded = decodeState(dashboard(world)?.body, stateKey(KEY));
  if (!decoded.ok) throw new Error(`no state: ${decoded.reason}`);
  return decoded.state;
}

describe("the coordinator action, built, on a workflow run's events", () => {
  it("coordinates a feature from its events alone: the label starts it, a finished run is checked in, the sweep catches a completion that was lost, /pause pauses it", async () => {
    const { world: w, api } = await world();
    const token = w.github.actionsToken();

    const started = await run(api, "issues", w.labeled(at(0)).payload, { token, key: KEY });
    expect(started.code, started.output).toBe(0);
    expect(statuses(stateIn(w))).toEqual({ api: "dispatched", styles: "dispatched", ui: "pending" });
    expect(w.dispatches().map((dispatched) => dispatched.inputs.key)).toEqual(["pc-1-api-1", "pc-1-styles-1"]);
    expect(started.summary).toContain("### parallel-coordinator: `issues.labeled` on Codertocat/Hello-World#1");
    expect(started.summary).toContain("- posted the dashboard on #1");
    expect(started.summary).toContain(
      "- dispatched `parallel-coordinator-agent.yml` on `parallel-coordinator/1-backend` (`pc-1-api-1`)",
    );
    expect(started.summary).toContain("The coordination is **running**: 0 of 3 batches accepted.");

    const finished = await run(
      api,
      "workflow_run",
      w.finishRun("pc-1-api-1", { at: at(20), files: ["backend/api/routes.ts"] }).payload,
      { token, key: KEY },
    );
    expect(finished.code, finished.output).toBe(0);
    // ui needs api, and waits for styles: one run per domain at a time.
    expect(statuses(stateIn(w))).toEqual({ api: "accepted", styles: "dispatched", ui: "pending" });
    expect(finished.summary).toMatch(/- created the check run `.+`\n/);
    expect(finished.summary).toMatch(/- merged pull request #\d+\n/);

    // A person's nudge from the Actions tab: nothing has ended, nothing to do.
    const nudge = workflowDispatchEvent(w.github, w.repo, COORDINATOR, "master", { issue: String(ISSUE) }, MAINTAINER);
    const nudged = await run(api, nudge.name, nudge.payload, { token, key: KEY });
    expect(nudged.code, nudged.output).toBe(0);
    expect(nudged.summary).toContain("### parallel-coordinator: `workflow_dispatch` on Codertocat/Hello-World#1");
    expect(nudged.summary).toContain("Nothing to do");

    // styles' run ends, and its workflow_run is lost (its coordinator run was cancelled in its group, say).
    const styles = w.runOf("pc-1-styles-1");
    w.finishRun(styles, { at: at(22), files: ["frontend/styles/bell.css"] });
    // The schedule's sweep finds the run ended that the state waits for, and nudges the coordinator naming it.
    const sweep = scheduleEvent("7,22,37,52 * * * *");
    const swept = await run(api, sweep.name, sweep.payload, { token, key: KEY });
    expect(swept.code, swept.output).toBe(0);
    expect(swept.summary).toContain(`- nudged the coordinator for #1 (run ${styles.id} ended)`);
    const sweepNudge = [...w.repo.runs.values()].findLast(
      (candidate) => candidate.path === COORDINATOR && candidate.event === "workflow_dispatch",
    )!;
    expect([sweepNudge.inputs, sweepNudge.actor]).toEqual([
      { issue: "1", run: String(styles.id) },
      "github-actions[bot]",
    ]);
    // That nudge's run checks styles in, as its workflow_run would have: ui starts.
    const caughtUp = await run(api, "workflow_dispatch", sweepNudge.payload, { token, key: KEY });
    expect(caughtUp.code, caughtUp.output).toBe(0);
    expect(statuses(stateIn(w))).toEqual({ api: "accepted", styles: "accepted", ui: "dispatched" });

    const paused = await run(api, "issue_comment", w.comment("/pause waiting for review", MAINTAINER, at(25)).payload, {
      token,
      key: KEY,
    });
    expect(paused.code, paused.output).toBe(0);
    expect(stateIn(w).pause?.by).toBe(MAINTAINER);
    expect(paused.summary).toContain("- reacted `eyes` to comment");

    // ui's run ends: nothing runs any more, so the coordination is paused.
    const stopped = await run(
      api,
      "workflow_run",
      w.finishRun("pc-1-ui-1", { at: at(45), files: ["frontend/bell/Bell.tsx"] }).payload,
      { token, key: KEY },
    );
    expect(stopped.code, stopped.output).toBe(0);
    expect(stateIn(w).status).toBe("paused");
    // A paused coordination needs no nudge: the schedule reads, and starts nothing.
    const quiet = await run(api, sweep.name, sweep.payload, { token, key: KEY });
    expect(quiet.code, quiet.output).toBe(0);
    expect(quiet.summary).toContain("Nothing to do: the run changed nothing on GitHub.");
  }, 120_000);

  it("starts nothing without the state key, and says so once on the issue and in the summary", async () => {
    const { world: w, api } = await world();
    const token = w.github.actionsToken();
    const payload = w.labeled(at(0)).payload;
    for (const key of [undefined, "short"]) {
      const ran = await run(api, "issues", payload, { token, ...(key === undefined ? {} : { key }) });
      expect(ran.code).toBe(1);
      expect(ran.output).toContain("::error title=parallel-coordinator::The secret PARALLEL_COORDINATOR_STATE_KEY");
      expect(ran.summary).toContain("**The run failed.**");
    }
    expect(w.dispatches()).toEqual([]);
    const told = w.comments().filter((comment) => comment.body.includes("PARALLEL_COORDINATOR_STATE_KEY"));
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toContain("Settings** → **Secrets and variables** → **Actions**");
  }, 60_000);

  it("names the permission a token lacks on the issue, and leaves nothing half-done for the run that has it", async () => {
    const { world: w, api } = await world();
    const payload = w.labeled(at(0)).payload;
    const limited = await run(api, "issues", payload, {
      token: w.github.actionsToken(["contents", "issues", "checks", "pull-requests"]),
      key: KEY,
    });
    expect(limited.code).toBe(1);
    expect(w.dispatches()).toEqual([]);
    // The dashboard is posted with the plan before any branch or dispatch: it stays planned, nothing started.
    expect(stateIn(w).status).toBe("planned");
    const told = w.comments().filter((comment) => comment.body.includes("cannot run here yet"));
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toContain("must give its job `actions: write` under `permissions:`");
    expect(limited.summary).toContain("(refused: 403)");

    const again = await run(api, "issues", payload, { token: w.github.actionsToken(), key: KEY });
    expect(again.code, again.output).toBe(0);
    expect(statuses(stateIn(w))).toEqual({ api: "dispatched", styles: "dispatched", ui: "pending" });
  }, 60_000);

  it("fails at once, naming what is missing, outside a workflow run", async () => {
    const child = spawn(process.execPath, [ENTRY], {
      env: { PATH: process.env.PATH ?? "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(1);
    expect(output).toContain("::error title=parallel-coordinator::GITHUB_EVENT_NAME is not set");
    expect(output).toContain("the input `github-token` is empty");
  });
});
