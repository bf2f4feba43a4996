/**
 * GitHub failing half-way through a step: a 5xx or a secondary rate limit on
 * one request, injected into the fake GitHub. The step must not write the
 * state (the dashboard stays as it was), and the redelivery of the same
 * event must finish it: at the end, everything a person sees on GitHub and
 * the state are what a run without the fault gives — nothing lost, and
 * nothing done twice. The redelivery reaches the same app (its journal
 * remembers the failed step's dispatches and check runs) or a restarted one
 * (which asks GitHub for them). And a webhook GitHub lost, which only a
 * redelivery by hand brings.
 *
 * Each case plays the steps before the faulty one on a fresh fake GitHub,
 * then meets that step with a fresh app (the app keeps no state of its own,
 * so a fresh app is where the real one would be), unless the case starts
 * from the first step so that the app itself wrote the state it begins from.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { useGitHubApi } from "../helpers/github.js";
import { deliver, useWorlds } from "./world.js";
import { DASHBOARD as DASHBOARD_EDIT, DISPATCH, R, STEPS, feature, observable, stateOf } from "./feature.js";

// No request leaves for the network: the app's Octokit talks to the fake GitHub only.
useGitHubApi();
useWorlds();

interface Outcome {
  seen: ReturnType<typeof observable>;
  state: ReturnType<typeof stateOf>;
}

interface Injected {
  step: string;
  /** The request, as `METHOD /path`. */
  request: string;
  occurrence: number;
  status: number;
  headers?: Record<string, string>;
  carriedOut?: boolean;
}

let reference: Outcome;

beforeAll(async () => {
  const world = feature();
  const probot = world.probot();
  for (const step of STEPS) await deliver(probot, step.make(world));
  reference = { seen: observable(world), state: stateOf(world) };
});

/**
 * From just before `fault.step` (or from the start): that step with one
 * failing request, its redelivery, then the rest.
 */
async function run(fault: Injected, restart = false, fromStart = false): Promise<Outcome> {
  const world = feature();
  const first = fromStart ? 0 : STEPS.findIndex((candidate) => candidate.id === fault.step);
  const replay = world.probot();
  for (const step of STEPS.slice(0, first)) await deliver(replay, step.make(world));
  let probot = world.probot();
  for (const step of STEPS.slice(first)) {
    const delivery = step.make(world);
    if (step.id === fault.step) {
      const injected = world.github.faults.add({
        route: fault.request,
        call: fault.occurrence,
        status: fault.status,
        body: {
          message:
            fault.status === 403
              ? "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
              : "Server Error",
        },
        ...(fault.headers === undefined ? {} : { headers: fault.headers }),
        ...(fault.carriedOut === true ? { carriedOut: true } : {}),
      });
      const dashboard = world.dashboard()?.body;
      await expect(deliver(probot, delivery)).rejects.toThrow();
      expect(injected.hits).toBe(1);
      // The state was not written: the dashboard is exactly as before the step — or, at the start, the plan posted first, not started.
      if (dashboard === undefined && world.dashboard() !== undefined) expect(world.state().status).toBe("planned");
      else expect(world.dashboard()?.body).toBe(dashboard);
      // The app restarted (or another replica without a shared store answers): nothing of the failed step is remembered.
      if (restart) probot = world.probot();
    }
    await deliver(probot, delivery);
  }
  return { seen: observable(world), state: stateOf(world) };
}

/**
 * What must come out the same with or without the fault: every comment, pull
 * request, branch, check run and dispatch, and the state. The state's `synced`
 * (which domain branches still need a sync) may differ after a repeated merge:
 * it only costs a sync call later.
 */
function expectSameOutcome(outcome: Outcome): void {
  const { seen } = outcome;
  expect(seen.comments).toEqual(reference.seen.comments);
  expect(seen.pulls).toEqual(reference.seen.pulls);
  expect(seen.refs).toEqual(reference.seen.refs);
  expect(seen.checkRuns).toEqual(reference.seen.checkRuns);
  expect(seen.dispatches).toEqual(reference.seen.dispatches);
  const comparable = (state: Outcome["state"]) => ({ ...state, synced: {} });
  expect(comparable(outcome.state)).toEqual(comparable(reference.state));
}

const REFS = `POST ${R}/git/refs`;
const CHECK = `POST ${R}/check-runs`;
/** A domain branch moved to the integration head before a dispatch. */
const RESET = "PATCH /repos/{owner}/{repo}/git/refs/{ref}";
const DASHBOARD = DASHBOARD_EDIT;

/** A fault on each kind of request of each step (a failed read is like the config's: nothing happened yet). */
const cases: Array<[string, string, number]> = [
  ["d-start", `GET ${R}/contents/.github%2Fparallel-coordinator.yml`, 1],
  ["d-start", REFS, 1],
  ["d-start", DISPATCH, 1],
  ["d-start", `POST ${R}/issues/1/comments`, 1],
  ["d-styles", CHECK, 1],
  ["d-styles", `PUT ${R}/pulls/2/merge`, 1],
  ["d-styles", DASHBOARD, 1],
  ["d-api-1", RESET, 1],
  ["d-api-1", `PATCH ${R}/pulls/3`, 1],
  ["d-api-1", DISPATCH, 1],
  ["d-api-2", `GET ${R}/pulls/4/files`, 1],
  ["d-api-2", RESET, 1],
  ["d-api-2", DISPATCH, 1],
  ["d-api-2", DASHBOARD, 1],
  ["d-ui", `PUT ${R}/pulls/5/merge`, 1],
  ["d-ui", `POST ${R}/issues/1/comments`, 1],
  ["d-ui", `POST ${R}/pulls`, 1],
  ["d-ui", DASHBOARD, 1],
];

for (const restart of [false, true]) {
  const who = restart ? "a restarted app" : "the same app";
  describe(`a 5xx on a request of a step: the state is not written, the redelivery to ${who} finishes the step`, () => {
    for (const [step, request, occurrence] of cases) {
      // d-api-1's dispatch: api's ⚠ check-in moves the backend branch back and closes #3 before the redo's dispatch
      // fails; the retried step finds #3 closed with its head and the run's report, checks it in alike and does both again harmlessly.
      it(`${step}: ${request}${occurrence > 1 ? ` (#${occurrence})` : ""} answers 502`, async () => {
        expectSameOutcome(await run({ step, request, occurrence, status: 502 }, restart));
      });
    }
  });

  describe(`a secondary rate limit (403 with retry-after), redelivered to ${who}: the same`, () => {
    const limited: Array<[string, string, number]> = [
      ["d-styles", CHECK, 1],
      ["d-api-1", RESET, 1],
      ["d-api-2", DISPATCH, 1],
      ["d-ui", `POST ${R}/pulls`, 1],
    ];
    for (const [step, request, occurrence] of limited) {
      it(`${step}: ${request} is rate limited`, async () => {
        expectSameOutcome(
          await run(
            {
              step,
              request,
              occurrence,
              status: 403,
              headers: { "retry-after": "60", "x-ratelimit-remaining": "4000" },
            },
            restart,
          ),
        );
      });
    }
  });
}

describe("a dispatch or a check run GitHub carried out, whose answer was lost (502): the redelivery does not do it again", () => {
  const lost: Array<[string, string]> = [
    ["d-start", DISPATCH],
    ["d-styles", CHECK],
    ["d-api-2", DISPATCH],
  ];
  for (const restart of [false, true]) {
    for (const [step, request] of lost) {
      it(`${step}: ${request}, redelivered to ${restart ? "a restarted app" : "the same app"}`, async () => {
        // From the start: the journal vouches for the state the step begins from, and must not for the lost request.
        expectSameOutcome(await run({ step, request, occurrence: 1, status: 502, carriedOut: true }, restart, true));
      });
    }
  }
});

// "Handling failed webhook deliveries" (https://docs.github.com/webhooks/using-webhooks/handling-failed-webhook-deliveries):
// "GitHub does not automatically redeliver failed deliveries"; a person redelivers one by hand.
describe("a webhook GitHub never delivered", () => {
  it("a run's completion, lost: it never reaches the app; redelivered by hand, it is checked in and the feature finishes, nothing done twice", async () => {
    const world = feature();
    const probot = world.probot();
    // styles' is the first completion GitHub sends.
    const drop = world.github.faults.dropWebhook({ event: "workflow_run.completed" });
    for (const step of STEPS) {
      const delivery = step.make(world);
      if (step.id === "d-styles") {
        expect(drop.hits).toBe(1);
        expect(world.sent).not.toContain(delivery);
        continue;
      }
      await deliver(probot, delivery);
      if (step.id === "d-api-1") {
        const lost = world.github.deliveries.find((entry) => entry.dropped)!.delivery;
        await deliver(probot, world.github.redeliver(lost.id));
      }
    }
    const state = stateOf(world);
    expect(state.status).toBe("done");
    expect(Object.values(state.batches).map((batch) => batch.status)).toEqual(["accepted", "accepted", "accepted"]);
    expect(world.dispatches().map((run) => run.inputs.key)).toEqual(reference.seen.dispatches.map(([, key]) => key));
    expect(world.checkRuns()).toHaveLength(reference.seen.checkRuns.length);
    expect(world.merged()).toHaveLength(3);
    expect(world.comments()).toHaveLength(reference.seen.comments.length);
  });
});
