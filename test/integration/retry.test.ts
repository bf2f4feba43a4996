/**
 * GitHub does not redeliver a webhook by itself, and the app answers a
 * delivery before its step runs: a step that meets a GitHub error is tried
 * again later by the app itself, and finishes without doing anything twice.
 */
import { describe, expect, it } from "vitest";
import type { Fault } from "../../src/fakeGitHub/faults.js";
import { useGitHubApi } from "../helpers/github.js";
import { deliver, useWorlds, type World } from "./world.js";
import { DISPATCH, at, feature, stateOf, statuses } from "./feature.js";
import { faultMarker } from "../../src/render/faultBanner.js";
import { decodeState, stateKey } from "../../src/state/codec.js";
import { stateSecret } from "./appHarness.js";

const key = stateKey(stateSecret);

// No request leaves for the network: the app's Octokit talks to the fake GitHub only.
useGitHubApi();
useWorlds();

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let tries = 0; !condition(); tries += 1) {
    if (tries > 1_000) throw new Error(`still waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The app as `npm start` runs it: it answers first and tries a failed step again after these delays. */
function app(world: World, retryDelays: number[], faultAfterMs?: number) {
  return world.probot({ wait: false, retryDelays, ...(faultAfterMs === undefined ? {} : { faultAfterMs }) });
}

/** The request that writes the state into the dashboard after the start's branches and dispatches (it was posted with the plan first). */
const dashboardWrite: Pick<Fault, "route" | "when"> = {
  route: "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}",
  when: ({ body }) => ((body as { body?: string }).body ?? "").includes("<!-- parallel-coordinator:dashboard -->"),
};

describe("a failed step is tried again by the app", () => {
  it("the dashboard write fails after the dispatches: the retry writes it, and dispatches nothing again", async () => {
    const world = feature();
    world.github.faults.add({ ...dashboardWrite, status: 502 });
    await deliver(app(world, [20, 20]), world.labeled(at(0)));
    await until(() => world.dashboard() !== undefined && stateOf(world).status === "running", "the dashboard");
    expect(statuses(stateOf(world))).toEqual({ api: "dispatched", styles: "dispatched", ui: "pending" });
    expect(world.dispatches().map((run) => run.inputs.key)).toEqual(["pc-1-api-1", "pc-1-styles-1"]);
  });

  it("gives up after its retries: the step is left for the issue's next event, with the old state", async () => {
    const world = feature();
    const fault = world.github.faults.add({ ...dashboardWrite, status: 502, times: 10 });
    await deliver(app(world, [10, 10]), world.labeled(at(0)));
    await until(() => fault.hits === 3, "three tries");
    // No fourth try comes.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fault.hits).toBe(3);
    // The dashboard posted first still shows the plan, not started.
    expect(stateOf(world).status).toBe("planned");
    expect(world.take().filter((request) => request === DISPATCH)).toHaveLength(2);
  });

  it("a step that keeps failing: the dashboard says so, with what GitHub answered and the next try, and the banner comes off when the step succeeds", async () => {
    const world = feature();
    const fault = world.github.faults.add({ route: DISPATCH, status: 502, times: 2 });
    await deliver(app(world, [60, 60], 20), world.labeled(at(0)));
    await until(() => fault.hits === 2 && stateOf(world).status === "running", "the step to succeed at its third try");
    const banners = world
      .dashboardEdits()
      .map((call) => (call.body as { body: string }).body)
      .filter((body) => body.startsWith(faultMarker));
    expect(banners.length).toBeGreaterThan(0);
    expect(banners[0]).toMatch(
      /^<!-- parallel-coordinator:fault -->\n> ⚠ \*\*A step of this coordination has been failing since \d{4}-\d\d-\d\d \d\d:\d\d UTC\.\*\* GitHub answered 502: Server Error\. The app is retrying it; next try at \d{4}-\d\d-\d\d \d\d:\d\d UTC\.\n\n## Parallel coordination/,
    );
    // Outside the signed state: the state it showed is the one the step began from.
    const shown = decodeState(banners[0], key);
    expect(shown.ok && shown.state.status).toBe("planned");
    expect(world.dashboard()!.body.startsWith(faultMarker)).toBe(false);
    expect(world.dispatches().map((run) => run.inputs.key)).toEqual(["pc-1-api-1", "pc-1-styles-1"]);
  });
});
