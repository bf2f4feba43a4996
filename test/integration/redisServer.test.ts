/**
 * Two replicas on a real Redis (`redis-server`, started here on a free port),
 * which is killed mid-run and comes back empty. Losing Redis costs only what
 * it keeps, while it is gone: GitHub calls go on (Probot's own throttling is
 * not on Redis: `probotEnvironment`), each replica falls back to its own locks
 * and an empty journal, and the Redis that comes back empty is used again
 * without restarting the replicas. The feature finishes, nothing done twice.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import type { Probot } from "probot";
import { afterAll, describe, expect, it } from "vitest";
import { redisStoreFromUrl } from "../../src/github/stores/redisStore.js";
import { useGitHubApi } from "../helpers/github.js";
import { deliver, useWorlds, type World } from "./world.js";
import { STEPS, at, feature, observable, statuses } from "./feature.js";

// No request leaves for the network but to the local Redis: the app's Octokit talks to the fake GitHub only.
useGitHubApi();
useWorlds();

const binary = spawnSync("redis-server", ["--version"], { encoding: "utf8" });
const present = binary.status === 0;
if (!present)
  process.stdout.write(
    "redisServer.test.ts: skipped — no redis-server on this machine (Debian: apt-get install redis-server; .ci/run installs it)\n",
  );

const servers: ChildProcess[] = [];
const stores: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
  for (const server of servers.splice(0)) server.kill("SIGKILL");
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A fresh, empty redis-server on `port`, keeping nothing on disk; resolves once it answers. */
async function redisServer(port: number): Promise<ChildProcess> {
  const server = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  servers.push(server);
  const probe = new Redis(port, "127.0.0.1", { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on("error", () => undefined);
  for (let tries = 0; ; tries += 1) {
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      return server;
    } catch {
      if (tries > 100) throw new Error(`redis-server did not answer on port ${port}`);
      probe.disconnect();
      await sleep(50);
    }
  }
}

async function killed(server: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => server.once("exit", resolve));
  server.kill("SIGKILL");
  await exited;
}

function replica(world: World, url: string, fallbacks: string[]): Probot {
  const store = redisStoreFromUrl(
    url,
    () => undefined,
    (message) => fallbacks.push(message),
  );
  stores.push(store);
  return world.probot({ locks: store.locks, journal: store.journal, throttle: store.throttle });
}

describe.skipIf(!present)("two replicas on a real Redis that is killed mid-run and comes back empty", () => {
  it("go on through the outage on their own locks and journal, take the empty Redis up again, and finish the feature with nothing done twice", async () => {
    const reference = feature();
    const single = reference.probot();
    for (const step of STEPS) await deliver(single, step.make(reference));

    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    let server = await redisServer(port);
    const world = feature();
    const fallbacks: string[] = [];
    const [a, b] = [replica(world, url, fallbacks), replica(world, url, fallbacks)];
    const redis = () => new Redis(port, "127.0.0.1", { maxRetriesPerRequest: 1 }).on("error", () => undefined);

    // d-start and d-styles with Redis up: the journal is in Redis.
    await deliver(a, STEPS[0]!.make(world));
    await deliver(b, STEPS[1]!.make(world));
    const before = redis();
    expect(await before.exists("pc:journal:Codertocat/Hello-World#1")).toBe(1);
    before.disconnect();

    // Redis is killed: api's first run ends, and its step (check run, sync, the redo's dispatch, the dashboard) goes through.
    await killed(server);
    await deliver(a, STEPS[2]!.make(world));
    expect(statuses(world.state())).toEqual({ api: "dispatched", styles: "accepted", ui: "pending" });
    expect(world.dispatchOf("api").inputs.key).toBe("pc-1-api-2");
    expect(fallbacks.length).toBeGreaterThan(0);

    // Redis comes back empty on the same port: the replicas use it again, unrestarted.
    server = await redisServer(port);
    for (let tries = 0; ; tries += 1) {
      fallbacks.length = 0;
      await deliver(b, world.comment("/status", "maintainer", at(19)));
      if (fallbacks.length === 0) break;
      if (tries > 100) throw new Error(`the replicas did not take Redis up again: ${fallbacks.join("; ")}`);
      await sleep(50);
    }
    for (const [index, step] of STEPS.slice(3).entries()) await deliver(index % 2 === 0 ? a : b, step.make(world));
    const after = redis();
    expect(await after.exists("pc:journal:Codertocat/Hello-World#1")).toBe(1);
    after.disconnect();

    expect(world.state().status).toBe("done");
    const seen = observable(world);
    const expected = observable(reference);
    expect(seen.dispatches).toEqual(expected.dispatches);
    expect(seen.checkRuns).toEqual(expected.checkRuns);
    expect(seen.pulls).toEqual(expected.pulls);
  });
});
