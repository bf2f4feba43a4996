/**
 * Features labelled at the same moment in one installation: each issue shows
 * its dashboard before any of their starts goes on to its branch and dispatch
 * writes (which Probot's throttling would otherwise queue ahead of the later
 * dashboards), and a start that fails before its dashboard holds none back.
 */
import { describe, expect, it } from "vitest";
import type { Delivery } from "../../src/fakeGitHub/fakeGitHub.js";
import type { Planner } from "../../src/schedule/planRequest.js";
import { useGitHubApi } from "../helpers/github.js";
import { inThread } from "../state/support.js";
import { BODY, DISPATCH, feature } from "./feature.js";
import { MAINTAINER, R, deliver, useWorlds, type World } from "./world.js";

useGitHubApi();
useWorlds();

const LABEL = "parallel-coordinator";

/** Issues #2 and #3 beside #1, the three labelled at once: the label deliveries, #1's first. */
function labelledAtOnce(world: World): Delivery[] {
  const issues = [
    world.issue,
    world.github.createIssue(world.repo, { title: "Second", body: BODY, user: MAINTAINER }),
    world.github.createIssue(world.repo, { title: "Third", body: BODY, user: MAINTAINER }),
  ];
  const from = world.sent.length;
  for (const issue of issues) world.github.addLabel(world.repo, issue, LABEL, MAINTAINER);
  return world.sent.slice(from).filter((delivery) => delivery.name === "issues");
}

/** Resolves once `done` holds. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 5));
}

const dashboardPosted = (world: World, issue: number) =>
  world.github.calls.some((call) => call.method === "POST" && call.path === `${R}/issues/${issue}/comments`);

/** Plans #3 ("Third") only once #1 shows its dashboard: #1 is then ready for its branch while #3 has shown nothing. */
const thirdAfterFirst =
  (world: World): Planner =>
  async (request) => {
    if (request.title === "Third") await until(() => dashboardPosted(world, 1));
    return inThread(request);
  };

describe("features labelled at once in one installation", () => {
  it("each show their dashboard before any branch is made or run dispatched", async () => {
    const world = feature();
    const probot = world.probot({ planner: thirdAfterFirst(world) });
    const from = world.github.calls.length;

    await Promise.all(labelledAtOnce(world).map((delivery) => deliver(probot, delivery)));

    const writes = world.writes(from).map((call) => `${call.method} ${call.path}`);
    const dashboards = [1, 2, 3].map((issue) => `POST ${R}/issues/${issue}/comments`);
    expect(writes.slice(0, 3).sort()).toEqual(dashboards);
    expect(writes.slice(3)).not.toContainEqual(expect.stringMatching(/^POST .*\/issues\/\d+\/comments$/));
    // Then each started: its integration branch, its dispatches.
    for (const issue of [1, 2, 3]) expect(world.repo.branch(`parallel-coordinator/${issue}`)).toBeDefined();
    expect(writes.filter((write) => write === DISPATCH)).toHaveLength(6);
  });

  it("go on when one fails before its dashboard", async () => {
    const world = feature();
    const probot = world.probot({ planner: thirdAfterFirst(world) });
    // #2's comments are read once #1 shows its dashboard and waits for the others: GitHub fails the read.
    world.github.faults.add({
      route: `GET ${R}/issues/2/comments`,
      latency: () => until(() => dashboardPosted(world, 1)),
      status: 502,
      times: Infinity,
    });
    const from = world.github.calls.length;

    const outcomes = await Promise.allSettled(labelledAtOnce(world).map((delivery) => deliver(probot, delivery)));

    expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const writes = world.writes(from).map((call) => `${call.method} ${call.path}`);
    expect(writes.slice(0, 2).sort()).toEqual([`POST ${R}/issues/1/comments`, `POST ${R}/issues/3/comments`]);
    expect(world.repo.branch("parallel-coordinator/1")).toBeDefined();
    expect(world.repo.branch("parallel-coordinator/2")).toBeUndefined();
    expect(world.repo.branch("parallel-coordinator/3")).toBeDefined();
    expect(writes.filter((write) => write === DISPATCH)).toHaveLength(4);
  });
});
