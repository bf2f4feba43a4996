/**
 * GitHub failing half-way through a step: a 5xx or a secondary rate limit on
 * one request. The step must not write the state (the dashboard stays as it
 * was), and the redelivery of the same event must finish it: at the end,
 * everything a person sees on GitHub and the state are what a run without the
 * fault gives — nothing lost, and nothing done twice except where a known gap
 * is named below.
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

/** From just before `fault.step`: that step with one failing request, its redelivery, then the rest. */
async function run(fault: Injected): Promise<Outcome> {
  const probot = testProbot();
  const github = new FakeGitHub().restore(reference.before.get(fault.step)!);
  try {
    for (const step of STEPS.slice(STEPS.findIndex((candidate) => candidate.id === fault.step))) {
      const value = step.make(github);
      if (step.id === fault.step) {
        let seen = 0;
        const injected: Fault = {
          when: ({ method, path }) => `${method} ${path}` === fault.request && ++seen === fault.occurrence,
          status: fault.status,
          body: { message: fault.status === 403 ? "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." : "Server Error" },
          ...(fault.headers === undefined ? {} : { headers: fault.headers }),
        };
        github.faults.push(injected);
        const dashboard = github.dashboard();
        await expect(deliver(probot, step.name, value, step.id)).rejects.toThrow();
        expect(injected.times).toBe(0);
        // The state was not written: the dashboard is exactly as before the step.
        expect(github.dashboard()).toBe(dashboard);
      }
      await deliver(probot, step.name, value, step.id);
    }
    return { seen: observable(github), state: stateOf(github) };
  } finally {
    github.close();
  }
}

/**
 * Where the guarantee does not hold yet (see the report of the engine's tests).
 * GitHub gives a workflow dispatch and a check run no idempotency key, so
 * neither is safe to repeat: a failure after a dispatch in the same step
 * dispatches that run again on redelivery, and a failure after a check run
 * re-creates it unless the pull request was merged meanwhile (a merged pull
 * request tells the redelivery that its check-in happened).
 */
function knownGaps({ step, request, occurrence }: Injected): { dispatch: boolean; checkRun: boolean } {
  const requests = reference.requests.get(step)!;
  let count = 0;
  const index = requests.findIndex((candidate) => candidate === request && ++count === occurrence);
  expect(index, `${request} #${occurrence} is not among ${step}'s requests`).toBeGreaterThanOrEqual(0);
  const before = requests.slice(0, index);
  const merged = before.some((candidate) => /\/pulls\/\d+\/merge$/.test(candidate));
  return {
    dispatch: before.some((candidate) => candidate.endsWith("/dispatches")),
    checkRun: before.some((candidate) => candidate.endsWith("/check-runs")) && !merged,
  };
}

/**
 * What must come out the same with or without the fault. The state's `synced`
 * (which domain branches still need a sync) may differ after a repeated merge:
 * it only costs a sync call later. Where a known gap applies, the duplicates
 * are counted and the rest compared without them.
 */
function expectSameOutcome(outcome: Outcome, gaps: { dispatch: boolean; checkRun: boolean }): void {
  const { seen } = outcome;
  expect(seen.comments).toEqual(reference.seen.comments);
  expect(seen.pulls).toEqual(reference.seen.pulls);
  expect(seen.refs).toEqual(reference.seen.refs);
  const unique = <T>(items: T[]) => [...new Map(items.map((item) => [JSON.stringify(item), item])).values()];
  if (gaps.checkRun) {
    expect(unique(seen.checkRuns)).toEqual(reference.seen.checkRuns);
    expect(seen.checkRuns.length).toBe(reference.seen.checkRuns.length + 1);
  } else {
    expect(seen.checkRuns).toEqual(reference.seen.checkRuns);
  }
  if (gaps.dispatch) {
    expect(unique(seen.dispatches)).toEqual(reference.seen.dispatches);
    expect(seen.dispatches.length).toBeGreaterThan(reference.seen.dispatches.length);
  } else {
    expect(seen.dispatches).toEqual(reference.seen.dispatches);
  }
  const comparable = (state: Outcome["state"]) => ({
    ...state,
    synced: {},
    // A run dispatched twice is recorded with the id of the second.
    batches: Object.fromEntries(Object.entries(state.batches).map(([id, batch]) => [id, { ...batch, runs: batch.runs.map((one) => ({ ...one, id: gaps.dispatch ? 0 : one.id })) }])),
  });
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

describe("a 5xx on a request of a step: the state is not written, the redelivery finishes the step", () => {
  for (const [step, request, occurrence] of cases) {
    it(`${step}: ${request}${occurrence > 1 ? ` (#${occurrence})` : ""} answers 502`, async () => {
      const fault = { step, request, occurrence, status: 502 };
      expectSameOutcome(await run(fault), knownGaps(fault));
    });
  }
});

describe("a secondary rate limit (403 with retry-after): the same", () => {
  const limited: Array<[string, string, number]> = [
    ["d-styles", CHECK, 1],
    ["d-api-1", SYNC, 1],
    ["d-api-2", DISPATCH, 1],
    ["d-ui", `POST ${R}/pulls`, 1],
  ];
  for (const [step, request, occurrence] of limited) {
    it(`${step}: ${request} is rate limited`, async () => {
      const fault = { step, request, occurrence, status: 403, headers: { "retry-after": "60", "x-ratelimit-remaining": "4000" } };
      expectSameOutcome(await run(fault), knownGaps(fault));
    });
  }
});

describe("known gaps, shown (these fail until dispatches and check runs are safe to repeat)", () => {
  it.fails("a failure after a dispatch in the same step dispatches that run again on redelivery", async () => {
    const outcome = await run({ step: "d-api-2", request: DASHBOARD, occurrence: 1, status: 502 });
    expect(outcome.seen.dispatches).toEqual(reference.seen.dispatches);
  });

  it.fails("a failure after a check run, before the merge, re-creates the check run on redelivery", async () => {
    const outcome = await run({ step: "d-styles", request: `PUT ${R}/pulls/10/merge`, occurrence: 1, status: 502 });
    expect(outcome.seen.checkRuns).toEqual(reference.seen.checkRuns);
  });
});
