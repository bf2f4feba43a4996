/**
 * Two replicas of the app behind one Redis (`REDIS_URL`): they share the
 * per-issue lock and the journal, so deliveries spread over both never do a
 * thing twice, and a step that failed on one replica is finished by the
 * other without asking GitHub about each thing it did. ioredis-mock stands in for Redis:
 * its clients on one host and port share one server, as replicas share one Redis.
 */
import RedisMock from "ioredis-mock";
import { Probot } from "probot";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useGitHubApi } from "../helpers/github.js";
import { stateSecret } from "./appHarness.js";
import { deliver, useWorlds, type World } from "./world.js";
import { COMMENTS, DASHBOARD, DISPATCH, R, STEPS, at, feature, observable, stateOf, statuses } from "./feature.js";
import app from "../../src/probotApp.js";
import { redisStoreFromUrl } from "../../src/github/stores/redisStore.js";
import { fingerprintOf } from "../../src/state/codec.js";

vi.mock("ioredis", async () => ({ Redis: (await import("ioredis-mock")).default }));

// No request leaves for the network: the app's Octokit talks to the fake GitHub only.
useGitHubApi();
useWorlds();

const REDIS_URL = "redis://localhost:6379";
const stores: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  await new RedisMock(REDIS_URL).flushall();
  await Promise.all(stores.splice(0).map((store) => store.close()));
  vi.unstubAllEnvs();
});

/** A replica: the real app in its own Probot, over its own connection to the shared Redis. */
function replica(world: World): Probot {
  const store = redisStoreFromUrl(REDIS_URL);
  stores.push(store);
  return world.probot({ locks: store.locks, journal: store.journal, throttle: store.throttle });
}

const LOOKUPS = [`GET ${R}/actions/workflows/parallel-coordinator-agent.yml/runs`, `GET ${R}/commits/`];

describe("replicas sharing Redis", () => {
  it("a step that failed on one replica is finished by the other, from the shared journal: no lookup of an effect, nothing twice", async () => {
    const reference = feature();
    const single = replica(reference);
    for (const step of STEPS) await deliver(single, step.make(reference));
    const expected = { seen: observable(reference), state: stateOf(reference) };
    await new RedisMock(REDIS_URL).flushall();

    const world = feature();
    const [a, b] = [replica(world), replica(world)];
    for (const [index, step] of STEPS.entries()) {
      const delivery = step.make(world);
      if (step.id === "d-api-2") {
        // After the merge, the sync and the dispatch of ui, the dashboard write fails on replica a.
        world.github.faults.add({ route: DASHBOARD, status: 502 });
        await expect(deliver(a, delivery)).rejects.toThrow();
        world.take();
        await deliver(b, delivery);
        const redelivered = world.takeCalls();
        // The journal holds what a failed step did: the state cannot vouch for every run dispatched, so the
        // runs are listed once to compare; no effect is looked up one by one, and nothing is done again.
        const lookups = redelivered.filter((call) =>
          LOOKUPS.some((lookup) => `${call.method} ${call.path}`.startsWith(lookup)),
        );
        expect(lookups.map((call) => call.query.branch)).toEqual([undefined]);
        expect(redelivered.map((call) => `${call.method} ${call.path}`)).not.toContain(DISPATCH);
        continue;
      }
      await deliver(index % 2 === 0 ? a : b, delivery);
    }
    expect(observable(world)).toEqual(expected.seen);
    expect({ ...stateOf(world), synced: {} }).toEqual({ ...expected.state, synced: {} });
  });

  it("20 deliveries of one completion spread over both replicas check, merge, dispatch and write once", async () => {
    const world = feature();
    const [a, b] = [replica(world), replica(world)];
    await deliver(a, world.labeled(at(0)));
    await deliver(b, world.finishRun("pc-1-styles-1", { files: ["frontend/styles/bell.css"], at: at(15) }));
    world.take();
    const completion = world.finishRun("pc-1-api-1", { files: ["backend/api/routes.py"], at: at(20) });
    await Promise.all(
      Array.from({ length: 20 }, (_, index) => deliver(index % 2 === 0 ? a : b, structuredClone(completion))),
    );
    const writes = world.take().filter((request) => request !== COMMENTS && !request.startsWith("GET "));
    expect(writes).toEqual([
      `POST ${R}/check-runs`,
      `PUT ${R}/pulls/3/merge`,
      `PATCH ${R}/git/refs/heads%2Fparallel-coordinator%2F1-frontend`,
      DISPATCH,
      DASHBOARD,
    ]);
    expect(statuses(stateOf(world))).toEqual({ api: "accepted", styles: "accepted", ui: "dispatched" });
  });
});

describe("the app as `probot run` starts it", () => {
  it("with REDIS_URL, keeps its journal in Redis: the fingerprint of the dashboard it wrote", async () => {
    vi.stubEnv("WEBHOOK_SECRET", stateSecret);
    vi.stubEnv("REDIS_URL", REDIS_URL);
    const world = feature();
    const probot = new Probot(world.probotOptions());
    await probot.load(app);
    // Without `wait`, the delivery is answered first and the step finishes after: wait for the dashboard.
    await deliver(probot, world.labeled(at(0)));
    const redis = new RedisMock(REDIS_URL);
    for (let tries = 0; (await redis.hget("pc:journal:Codertocat/Hello-World#1", "state")) === null; tries += 1) {
      if (tries > 500) throw new Error("the app wrote no journal entry to Redis");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await redis.hget("pc:journal:Codertocat/Hello-World#1", "state")).toBe(
      fingerprintOf(world.dashboard()!.body),
    );
  });

  it("without WEBHOOK_SECRET, refuses to start: it signs its state with it", async () => {
    vi.stubEnv("WEBHOOK_SECRET", "");
    await expect(new Probot(feature().probotOptions()).load(app)).rejects.toThrow(/WEBHOOK_SECRET is not set/);
  });
});
