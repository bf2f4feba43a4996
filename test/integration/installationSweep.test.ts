/**
 * The sweep: the app reconciles every open coordination of its installations
 * once at start-up and then periodically, so that one whose last event was
 * lost (a webhook GitHub never delivered, a step killed with the app) goes on
 * without a person.
 */
import { describe, expect, it } from "vitest";
import { pauseAfter } from "../../src/handlers/installationSweep.js";
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

describe("pauseAfter", () => {
  it("spreads a pass's calls evenly over the hour its budget allows", () => {
    expect(pauseAfter(6, 600)).toBe(36_000);
    expect(pauseAfter(0, 600)).toBe(0);
    expect(pauseAfter(10, Infinity)).toBe(0);
  });
});
