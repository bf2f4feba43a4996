/**
 * The sweep: the app reconciles every open coordination of its installations
 * once at start-up and then periodically, so that one whose last event was
 * lost (a webhook GitHub never delivered, a step killed with the app) goes on
 * without a person.
 */
import { describe, expect, it } from "vitest";
import { pauseAfter, sweepInstallation } from "../../src/handlers/installationSweep.js";
import { ConditionalCache } from "../../src/github/calls/conditionalRequests.js";
import { memoryAcknowledgements } from "../../src/handlers/acknowledgements.js";
import { memoryJournal } from "../../src/github/stores/journal.js";
import { memoryLocks } from "../../src/github/stores/lock.js";
import { memoryThrottle } from "../../src/github/stores/throttle.js";
import type { Deps } from "../../src/handlers/deps.js";
import { stateKey } from "../../src/state/codec.js";
import { inThread } from "../state/support.js";
import { stateSecret } from "./appHarness.js";
import { useGitHubApi } from "../helpers/github.js";
import { R, deliver, useWorlds } from "./world.js";
import { DASHBOARD, at, coordinate, feature, statuses } from "./feature.js";

// No request leaves for the network: the app's Octokit talks to the fake GitHub only.
useGitHubApi();
useWorlds();

describe("the sweep", () => {
  it("at start-up, finds the completion of a failed run GitHub never delivered, and retries the batch", async () => {
    const world = feature();
    await deliver(world.probot(), world.labeled(at(0)));
    world.github.faults.dropWebhook({ event: "workflow_run.completed" });
    world.finishRun("pc-1-api-1", { at: at(5), conclusion: "failure" });
    world.now = at(6);
    const { pass } = await world.probotSwept();
    expect(pass).toMatchObject({ coordinations: 1 });
    expect(world.state().batches.api!.runs.map((run) => [run.key, run.outcome])).toEqual([
      ["pc-1-api-1", "failed"],
      ["pc-1-api-2", undefined],
    ]);
    expect(world.dispatches().map((run) => run.inputs.key)).toEqual(["pc-1-api-1", "pc-1-styles-1", "pc-1-api-2"]);
  });

  it("finishes a feature whose last step was killed after its last merge: the final pull request and the finish", async () => {
    const world = feature();
    const probot = world.probot();
    await coordinate(probot, world, async (_delivery, id) => {
      if (id === "d-api-2") world.github.faults.add({ route: `POST ${R}/pulls`, status: 500 });
    }).catch(() => undefined);
    expect(world.state().status).not.toBe("done");
    expect(world.merged()).toHaveLength(3);
    const { pass } = await world.probotSwept();
    expect(pass.coordinations).toBe(1);
    const state = world.state();
    expect(state.status).toBe("done");
    expect(statuses(state)).toEqual({ api: "accepted", styles: "accepted", ui: "accepted" });
    expect(world.pulls().filter((pull) => pull.base === "master")).toHaveLength(1);
    expect(world.appComments().filter((comment) => comment.body.includes("### ✅ Feature complete"))).toHaveLength(1);
  });

  it("starts a labelled issue whose label never reached the app, as of the label, when the person who labelled it may command", async () => {
    const world = feature();
    world.github.faults.dropWebhook({ event: "issues.labeled" });
    world.labeled(at(0));
    world.now = at(3);
    const { pass } = await world.probotSwept();
    expect(pass.coordinations).toBe(1);
    const state = world.state();
    expect(state).toMatchObject({ status: "running", startedAt: at(0) });
    expect(world.dispatches().map((run) => run.inputs.key)).toEqual(["pc-1-api-1", "pc-1-styles-1"]);
  });

  it("rebuilds a coordination whose dashboard was deleted with no checkpoint, when no event of it comes", async () => {
    const world = feature();
    await deliver(world.probot(), world.labeled(at(0)));
    world.github.deleteComment(world.repo, world.dashboard()!, "maintainer");
    world.finishRun("pc-1-styles-1", { files: ["frontend/styles/bell.css"], at: at(15) });
    world.now = at(16);
    const { pass } = await world.probotSwept();
    expect(pass.coordinations).toBe(1);
    const state = world.state();
    expect(statuses(state)).toEqual({ api: "dispatched", styles: "accepted", ui: "pending" });
    expect(state.restores).toEqual([
      expect.stringMatching(
        new RegExp(`^The dashboard's state was rebuilt at ${at(16)} from the issue's breakdown and GitHub's records`),
      ),
    ]);
    expect(world.dispatches().map((run) => run.inputs.key)).toEqual(["pc-1-api-1", "pc-1-styles-1"]);
  });

  it("reads every open issue carrying the label, and reconciles only coordinations that run; one labelled by a person who may not command is not started", async () => {
    const world = feature();
    const probot = world.probot();
    await coordinate(probot, world);
    expect(world.state().status).toBe("done");
    const other = world.github.createIssue(world.repo, {
      title: "Search",
      body: "No plan yet.",
      user: "reader",
      labels: ["parallel-coordinator"],
    });
    world.take();
    const { pass } = await world.probotSwept();
    expect(pass).toMatchObject({ coordinations: 0 });
    const requests = world.take();
    expect(requests).toContain(`GET ${R}/issues/${other.number}/comments`);
    expect(requests).toContain(`GET ${R}/issues/${other.number}/events`);
    expect(requests.filter((request) => !request.startsWith("GET "))).toEqual([]);
    expect(pass.calls).toBeGreaterThanOrEqual(requests.length);
  });

  it("a running coordination where nothing differs: its runs and pull requests are read, nothing is written", async () => {
    const world = feature();
    await deliver(world.probot(), world.labeled(at(0)));
    world.take();
    const { pass } = await world.probotSwept();
    expect(pass.coordinations).toBe(1);
    const requests = world.take();
    expect(requests).toEqual(
      expect.arrayContaining([`GET ${R}/pulls`, `GET ${R}/actions/workflows/parallel-coordinator-agent.yml/runs`]),
    );
    expect(requests.filter((request) => !request.startsWith("GET "))).toEqual([]);
    expect(requests).not.toContain(DASHBOARD);
  });
});

describe("the sweep's reads, sent as conditional requests", () => {
  /** The App's sweep of the world's installation, pass after pass, with one cache of GitHub's answers. */
  async function sweeper(world: ReturnType<typeof feature>) {
    const probot = world.probot();
    const deps: Deps = {
      key: stateKey(stateSecret),
      locks: memoryLocks(),
      journal: memoryJournal(),
      throttle: memoryThrottle(),
      plan: inThread,
      buttons: true,
      reads: new ConditionalCache(),
      acknowledgements: memoryAcknowledgements(),
      run: async (_origin, _where, work) => work(),
    };
    // Each pass with an Octokit of its own, as each round of `startSweeps` has.
    return async () =>
      sweepInstallation(
        deps,
        { id: "sweep", log: probot.log, octokit: await probot.auth(2) },
        { everyMs: 0, callsPerHour: Infinity, clock: () => world.now },
        2,
      );
  }

  it("a pass over a coordination where nothing changed since the last costs no rate limit but the config's reads", async () => {
    const world = feature();
    await deliver(world.probot(), world.labeled(at(0)));
    const sweep = await sweeper(world);
    const first = await sweep();
    expect(first).toMatchObject({ coordinations: 1, notModified: 0 });
    const again = await sweep();
    expect(again).toMatchObject({ coordinations: 1, calls: 7 });
    // The repositories, the labelled issues, the issue's comments, its pull requests and runs: 304; the config's
    // two reads (the repository's and the organisation's `.github`) are 404s, which carry no etag.
    expect(world.github.calls.slice(-again.calls).map((call) => `${call.status} ${call.route}`)).toEqual([
      "304 GET /installation/repositories",
      "404 GET /repos/{owner}/{repo}/contents/{path}",
      "404 GET /repos/{owner}/{repo}/contents/{path}",
      "304 GET /repos/{owner}/{repo}/issues",
      "304 GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
      "304 GET /repos/{owner}/{repo}/pulls",
      "304 GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs",
    ]);
    expect(again.notModified).toBe(again.calls - 2);
  });

  it("checks in a completion whose webhook was lost as before: what changed is read in full", async () => {
    const world = feature();
    await deliver(world.probot(), world.labeled(at(0)));
    const sweep = await sweeper(world);
    await sweep();
    world.github.faults.dropWebhook({ event: "workflow_run.completed" });
    world.finishRun("pc-1-styles-1", { files: ["frontend/styles/bell.css"], at: at(15) });
    world.now = at(16);
    const pass = await sweep();
    expect(pass.notModified).toBeLessThan(pass.calls - 2);
    expect(statuses(world.state())).toEqual({ api: "dispatched", styles: "accepted", ui: "pending" });
    // The pass's own write changed the comments: the next pass reads them in full, and then nothing changed again.
    expect((await sweep()).notModified).toBeGreaterThan(0);
    const idle = await sweep();
    expect(idle.notModified).toBe(idle.calls - 2);
  });
});

describe("pauseAfter", () => {
  it("spreads a pass's calls evenly over the hour its budget allows", () => {
    expect(pauseAfter(6, 600)).toBe(36_000);
    expect(pauseAfter(0, 600)).toBe(0);
    expect(pauseAfter(10, Infinity)).toBe(0);
  });
});
