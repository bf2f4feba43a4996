/**
 * Two replicas of the app behind one Redis (`REDIS_URL`): they share the
 * per-issue lock and the journal, so deliveries spread over both never do a
 * thing twice, and a step that failed on one replica is finished by the
 * other without asking GitHub what it did. ioredis-mock stands in for Redis:
 * its clients on one host and port share one server, as replicas share one Redis.
 */
import RedisMock from "ioredis-mock";
import type { Probot } from "probot";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useGitHubApi } from "../helpers/github.js";
import { bareProbot, stateSecret } from "./app.js";
import { FakeGitHub, deliver } from "./fakeGitHub.js";
import { COMMENTS, DISPATCH, R, STEPS, at, labeled, observable, stateOf, statuses } from "./feature.js";
import { createApp } from "../../src/index.js";
import app from "../../src/index.js";
import { redisStoreFromUrl } from "../../src/github/stores/redisStore.js";
import { fingerprintOf } from "../../src/state/codec.js";

vi.mock("ioredis", async () => ({ Redis: (await import("ioredis-mock")).default }));

useGitHubApi();

const REDIS_URL = "redis://localhost:6379";
const stores: Array<{ close(): Promise<void> }> = [];

afterEach(async () => {
  await new RedisMock(REDIS_URL).flushall();
  await Promise.all(stores.splice(0).map((store) => store.close()));
  vi.unstubAllEnvs();
});

/** A replica: the real app in its own Probot, over its own connection to the shared Redis. */
function replica(): Probot {
  const store = redisStoreFromUrl(REDIS_URL);
  stores.push(store);
  const probot = bareProbot();
  probot.load(createApp({ stateSecret, wait: true, locks: store.locks, journal: store.journal, throttle: store.throttle }));
  return probot;
}

const LOOKUPS = [`GET ${R}/actions/workflows/parallel-coordinator-agent.yml/runs`, `GET ${R}/commits/`];

describe("replicas sharing Redis", () => {
  it("a step that failed on one replica is finished by the other, from the shared journal: no lookup, nothing twice", async () => {
    const reference = new FakeGitHub();
    const single = replica();
    for (const step of STEPS) await deliver(single, step.name, step.make(reference), step.id);
    const expected = { seen: observable(reference), state: stateOf(reference) };
    reference.close();
    await new RedisMock(REDIS_URL).flushall();

    const [a, b] = [replica(), replica()];
    const github = new FakeGitHub();
    for (const [index, step] of STEPS.entries()) {
      const value = step.make(github);
      if (step.id === "d-api-2") {
        // After the merge, the sync and the dispatch of ui, the dashboard write fails on replica a.
        github.faults.push({ when: ({ method, path }) => method === "PATCH" && path === `${R}/issues/comments/500`, status: 502 });
        await expect(deliver(a, step.name, value, step.id)).rejects.toThrow();
        github.take();
        await deliver(b, step.name, value, step.id);
        const redelivered = github.take();
        expect(redelivered.filter((request) => LOOKUPS.some((lookup) => request.startsWith(lookup)))).toEqual([]);
        expect(redelivered).not.toContain(DISPATCH);
        continue;
      }
      await deliver(index % 2 === 0 ? a : b, step.name, value, step.id);
    }
    expect(observable(github)).toEqual(expected.seen);
    expect({ ...stateOf(github), synced: {} }).toEqual({ ...expected.state, synced: {} });
    github.close();
  });

  it("20 deliveries of one completion spread over both replicas check, merge, dispatch and write once", async () => {
    const [a, b] = [replica(), replica()];
    const github = new FakeGitHub();
    await deliver(a, "issues", labeled(), "d-start");
    await deliver(b, "workflow_run", github.finishRun("pc-1-styles-1", { files: ["frontend/styles/bell.css"], at: at(15) }), "d-styles");
    github.take();
    const completion = github.finishRun("pc-1-api-1", { files: ["backend/api/routes.py"], at: at(20) });
    await Promise.all(Array.from({ length: 20 }, (_, index) => deliver(index % 2 === 0 ? a : b, "workflow_run", structuredClone(completion), `d-api-${index}`)));
    const writes = github.take().filter((request) => request !== COMMENTS && !request.startsWith("GET "));
    expect(writes).toEqual([`POST ${R}/check-runs`, `PUT ${R}/pulls/11/merge`, `POST ${R}/merges`, DISPATCH, `PATCH ${R}/issues/comments/500`]);
    expect(statuses(stateOf(github))).toEqual({ api: "accepted", styles: "accepted", ui: "dispatched" });
    github.close();
  });
});

describe("the app as `probot run` starts it", () => {
  it("with REDIS_URL, keeps its journal in Redis: the fingerprint of the dashboard it wrote", async () => {
    vi.stubEnv("WEBHOOK_SECRET", stateSecret);
    vi.stubEnv("REDIS_URL", REDIS_URL);
    const probot = bareProbot();
    probot.load(app);
    const github = new FakeGitHub();
    // Without `wait`, the delivery is answered first and the step finishes after: wait for the dashboard.
    await deliver(probot, "issues", labeled(), "d-start");
    const redis = new RedisMock(REDIS_URL);
    for (let tries = 0; (await redis.hget("pc:journal:Codertocat/Hello-World#1", "state")) === null; tries += 1) {
      if (tries > 500) throw new Error("the app wrote no journal entry to Redis");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await redis.hget("pc:journal:Codertocat/Hello-World#1", "state")).toBe(fingerprintOf(github.dashboard()!));
    github.close();
  });

  it("without WEBHOOK_SECRET, refuses to start: it signs its state with it", async () => {
    vi.stubEnv("WEBHOOK_SECRET", "");
    await expect(bareProbot().load(app)).rejects.toThrow(/WEBHOOK_SECRET is not set/);
  });
});
