/**
 * GitHub failing half-way through a step: a 5xx or a secondary rate limit on
 * one request. The step must not write the state (the dashboard stays as it
 * was), and the redelivery of the same event must finish it: at the end,
 * everything a person sees on GitHub and the state are what a run without the
 * fault gives — nothing lost, and nothing done twice. The redelivery reaches
 * the same app (its journal remembers the failed step's dispatches and check
 * runs) or a restarted one (which asks GitHub for them).
 *
 * Each case starts from a snapshot of the fake GitHub taken just before the
 * faulty step in a run without faults (the app keeps no state of its own, so
 * a fresh app on that snapshot is where the real one would be).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { useGitHubApi } from "../helpers/github.js";
import { testProbot } from "./app.js";
import { FakeGitHub, deliver, type Fault, type FakeSnapshot } from "./fakeGitHub.js";
import { R, DISPATCH, STEPS, observable, stateOf } from "./feature.js";

useGitHubApi();

interface Outcome {
  seen: ReturnType<typeof observable>;
  state: ReturnType<typeof stateOf>;
}

interface Reference extends Outcome {
  /** Each step's requests, in order. */
  requests: Map<string, string[]>;
  /** The fake GitHub just before each step. */
  before: Map<string, FakeSnapshot>;
}

interface Injected {
  step: string;
  request: string;
  occurrence: number;
  status: number;
  headers?: Record<string, string>;
  carriedOut?: boolean;
}

let reference: Reference;

beforeAll(async () => {
  const probot = testProbot();
  const github = new FakeGitHub();
  const requests = new Map<string, string[]>();
  const before = new Map<string, FakeSnapshot>();
  try {
    for (const step of STEPS) {
      before.set(step.id, github.snapshot());
      await deliver(probot, step.name, step.make(github), step.id);
      requests.set(step.id, github.take());
    }
    reference = { seen: observable(github), state: stateOf(github), requests, before };
  } finally {
    github.close();
  }
});

/**
 * From just before `fault.step` (or from the start, so that the app itself wrote
 * the state the step begins from): that step with one failing request, its
 * redelivery, then the rest.
 */
async function run(fault: Injected, restart = false, fromStart = false): Promise<Outcome> {
  let probot = testProbot();
  const first = fromStart ? STEPS[0]!.id : fault.step;
  const github = new FakeGitHub().restore(reference.before.get(first)!);
  try {
    for (const step of STEPS.slice(STEPS.findIndex((candidate) => candidate.id === first))) {
      const value = step.make(github);
      if (step.id === fault.step) {
        let seen = 0;
        const injected: Fault = {
          when: ({ method, path }) => `${method} ${path}` === fault.request && ++seen === fault.occurrence,
          status: fault.status,
          body: { message: fault.status === 403 ? "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." : "Server Error" },
          ...(fault.headers === undefined ? {} : { headers: fault.headers }),
          ...(fault.carriedOut === true ? { carriedOut: true } : {}),
        };
        github.faults.push(injected);
        const dashboard = github.dashboard();
        await expect(deliver(probot, step.name, value, step.id)).rejects.toThrow();
        expect(injected.times).toBe(0);
        // The state was not written: the dashboard is exactly as before the step.
        expect(github.dashboard()).toBe(dashboard);
        // The app restarted (or another replica without a shared store answers): nothing of the failed step is remembered.
        if (restart) probot = testProbot();
      }
      await deliver(probot, step.name, value, step.id);
    }
    return { seen: observable(github), state: stateOf(github) };
  } finally {
    github.close();
  }
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
const SYNC = `POST ${R}/merges`;
const DASHBOARD = `PATCH ${R}/issues/comments/500`;

/** A fault on each kind of request of each step (a failed read is like the config's: nothing happened yet). */
const cases: Array<[string, string, number]> = [
  ["d-start", `GET ${R}/contents/.github%2Fparallel-coordinator.yml`, 1],
  ["d-start", REFS, 1],
  ["d-start", DISPATCH, 1],
  ["d-start", `POST ${R}/issues/1/comments`, 1],
  ["d-styles", CHECK, 1],
  ["d-styles", `PUT ${R}/pulls/10/merge`, 1],
  ["d-styles", DASHBOARD, 1],
  ["d-api-1", SYNC, 1],
  ["d-api-1", DISPATCH, 1],
  ["d-api-2", `GET ${R}/pulls/11/files`, 1],
  ["d-api-2", SYNC, 1],
  ["d-api-2", DISPATCH, 1],
  ["d-api-2", DASHBOARD, 1],
  ["d-ui", `PUT ${R}/pulls/12/merge`, 1],
  ["d-ui", `POST ${R}/issues/1/comments`, 1],
  ["d-ui", `POST ${R}/pulls`, 1],
  ["d-ui", DASHBOARD, 1],
];

for (const restart of [false, true]) {
  const who = restart ? "a restarted app" : "the same app";
  describe(`a 5xx on a request of a step: the state is not written, the redelivery to ${who} finishes the step`, () => {
    for (const [step, request, occurrence] of cases) {
      it(`${step}: ${request}${occurrence > 1 ? ` (#${occurrence})` : ""} answers 502`, async () => {
        expectSameOutcome(await run({ step, request, occurrence, status: 502 }, restart));
      });
    }
  });

  describe(`a secondary rate limit (403 with retry-after), redelivered to ${who}: the same`, () => {
    const limited: Array<[string, string, number]> = [
      ["d-styles", CHECK, 1],
      ["d-api-1", SYNC, 1],
      ["d-api-2", DISPATCH, 1],
      ["d-ui", `POST ${R}/pulls`, 1],
    ];
    for (const [step, request, occurrence] of limited) {
      it(`${step}: ${request} is rate limited`, async () => {
        expectSameOutcome(await run({ step, request, occurrence, status: 403, headers: { "retry-after": "60", "x-ratelimit-remaining": "4000" } }, restart));
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
