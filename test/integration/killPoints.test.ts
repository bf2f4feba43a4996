/**
 * The app killed (`kill -9`) between any two writes of a step, then started
 * again. Nobody redelivers the event whose step died: the restarted app's
 * start-up sweep and the events that follow must finish the feature as if
 * nothing had happened — every batch dispatched once (but the redo the
 * feature asks for), checked once, merged once, and no false blocker.
 *
 * Each kill point is every write the step makes in a run without faults
 * (the reference): the app dies just before it, with every write before it
 * done. A write that fails with a 500 and then nothing more of the step, and
 * a fresh app, is what a kill leaves: its memory (the journal) is gone too.
 */
import { describe, expect, it } from "vitest";
import { useGitHubApi } from "../helpers/github.js";
import { deliver, useWorlds } from "./world.js";
import { STEPS, feature, observable, stateOf } from "./feature.js";

// No request leaves for the network: the app's Octokit talks to the fake GitHub only.
useGitHubApi();
useWorlds();

interface Outcome {
  seen: ReturnType<typeof observable>;
  state: ReturnType<typeof stateOf>;
}

/** The feature without a fault, and each step's writes as `METHOD /path`: the kill points. */
async function played(): Promise<{ reference: Outcome; writes: Map<string, string[]> }> {
  const world = feature();
  const probot = world.probot();
  const writes = new Map<string, string[]>();
  for (const step of STEPS) {
    const from = world.github.calls.length;
    await deliver(probot, step.make(world));
    writes.set(
      step.id,
      world.writes(from).map((call) => `${call.method} ${call.path}`),
    );
  }
  // This world is no test's: its requests were checked like every other's, here.
  expect(world.github.problems).toEqual([]);
  return { reference: { seen: observable(world), state: stateOf(world) }, writes };
}

const { reference, writes } = await played();

/** Plays the feature with the app killed just before the `index`th write of `step`, then restarted. */
async function killed(step: string, index: number): Promise<Outcome> {
  const world = feature();
  const probot = world.probot();
  let restarted = probot;
  for (const { id, make } of STEPS) {
    const delivery = make(world);
    if (id !== step) {
      await deliver(restarted, delivery);
      continue;
    }
    const stepWrites = writes.get(step)!;
    const request = stepWrites[index]!;
    const occurrence = stepWrites.slice(0, index + 1).filter((other) => other === request).length;
    const kill = world.github.faults.add({ route: request, call: occurrence, status: 500 });
    await expect(deliver(probot, delivery)).rejects.toThrow();
    expect(kill.hits).toBe(1);
    // Started again: its start-up sweep, then the events that come.
    ({ probot: restarted } = await world.probotSwept());
  }
  return { seen: observable(world), state: stateOf(world) };
}

describe("killed between two writes of a step, then restarted: the feature finishes, one dispatch per batch (and the redo asked for), no false blocker, what a person sees the same", () => {
  it("has kill points in every step", () => {
    expect(STEPS.every(({ id }) => writes.get(id)!.length > 0)).toBe(true);
  });

  for (const { id } of STEPS) {
    for (const [index, request] of writes.get(id)!.entries()) {
      it(`${id}: before write ${index + 1}, ${request}`, async () => {
        const outcome = await killed(id, index);
        expect(outcome.state.status).toBe("done");
        expect(outcome.seen.dispatches).toEqual(reference.seen.dispatches);
        expect(outcome.seen.checkRuns).toEqual(reference.seen.checkRuns);
        expect(outcome.seen.pulls).toEqual(reference.seen.pulls);
        expect(outcome.seen.refs).toEqual(reference.seen.refs);
        expect(outcome.seen.comments).toEqual(reference.seen.comments);
      });
    }
  }
});
