import { setTimeout as sleep } from "node:timers/promises";
import RedisMock from "ioredis-mock";
import type { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { redisStore, redisStoreFallingBack, redisStoreFromUrl } from "../../../src/github/stores/redisStore.js";

// redisStoreFromUrl makes its own client: the mock stands in for a Redis server.
vi.mock("ioredis", async () => ({ Redis: (await import("ioredis-mock")).default }));

// ioredis-mock instances on the same host and port share one server, as replicas share one Redis.
const clients: Redis[] = [];
function client(): Redis {
  const redis = new RedisMock();
  clients.push(redis);
  return redis;
}

beforeEach(async () => {
  await client().flushall();
});

afterEach(() => {
  // Each mock client listens on the shared server: left connected, they pile up.
  for (const redis of clients.splice(0)) redis.disconnect();
});

/** Resolves once `open` is called: one piece of work waits for another to reach a point. */
function latch() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe("redis locks", () => {
  it("never runs two pieces of work on one key at once", async () => {
    const { locks } = redisStore(client());
    let running = 0;
    let most = 0;
    const work = (n: number) => async () => {
      running += 1;
      most = Math.max(most, running);
      await sleep(20);
      running -= 1;
      return n;
    };
    const results = await Promise.all([1, 2, 3].map((n) => locks.withLock("issue-1", work(n))));
    expect(results).toEqual([1, 2, 3]);
    expect(most).toBe(1);
  });

  it("runs work on different keys concurrently", async () => {
    // If the keys shared a lock, the first would wait for the second forever and the second would give up.
    const { locks } = redisStore(client(), { lockWaitMs: 2_000 });
    const second = latch();
    await Promise.all([
      locks.withLock("issue-1", () => second.opened),
      locks.withLock("issue-2", async () => second.open()),
    ]);
  });

  it("releases the lock when the work fails", async () => {
    const redis = client();
    const { locks } = redisStore(redis, { lockWaitMs: 2_000 });
    await expect(locks.withLock("issue-1", () => Promise.reject(new Error("step failed")))).rejects.toThrow(
      "step failed",
    );
    expect(await redis.exists("pc:lock:issue-1")).toBe(0);
    expect(await locks.withLock("issue-1", async () => "next")).toBe("next");
  });

  it("never releases a lock another holder took after this one expired", async () => {
    const redis = client();
    const { locks } = redisStore(redis);
    await locks.withLock("issue-1", async () => {
      // Our lock expires and another replica takes it while the work still runs.
      await redis.del("pc:lock:issue-1");
      await redis.set("pc:lock:issue-1", "another holder", "PX", 60_000);
    });
    expect(await redis.get("pc:lock:issue-1")).toBe("another holder");
  });

  it("takes a lock whose holder crashed once its TTL runs out", async () => {
    const redis = client();
    await redis.set("pc:lock:issue-1", "a crashed replica", "PX", 100);
    const { locks } = redisStore(redis, { lockWaitMs: 10_000 });
    expect(await locks.withLock("issue-1", async () => "taken")).toBe("taken");
  });

  it("keeps the lock of slow work beyond its TTL", async () => {
    const redis = client();
    const ttl = 300;
    const first = redisStore(redis, { lockTtlMs: ttl });
    const second = redisStore(client(), { lockTtlMs: ttl, lockWaitMs: 10_000 });
    const events: string[] = [];
    let waiting: Promise<void> | undefined;
    await first.locks.withLock("issue-1", async () => {
      waiting = second.locks.withLock("issue-1", async () => void events.push("second"));
      // Outlive the TTL: wait until the lock has been extended a few times.
      for (let refreshed = 0, last = ttl; refreshed < 3; await sleep(10)) {
        const left = await redis.pttl("pc:lock:issue-1");
        if (left < 0) throw new Error("the lock expired while its work ran");
        if (left > last) refreshed += 1;
        last = left;
      }
      events.push("first");
    });
    await waiting;
    expect(events).toEqual(["first", "second"]);
  });

  it("gives up with a clear error after the wait limit", async () => {
    const redis = client();
    await redis.set("pc:lock:issue-1", "a busy replica", "PX", 60_000);
    const { locks } = redisStore(redis, { lockWaitMs: 200 });
    let ran = false;
    await expect(locks.withLock("issue-1", async () => void (ran = true))).rejects.toThrow(
      "could not take the lock for issue-1 within 200 ms",
    );
    expect(ran).toBe(false);
    expect(await redis.get("pc:lock:issue-1")).toBe("a busy replica");
  });
});

describe("redis journal", () => {
  it("reads nothing for an issue never noted", async () => {
    const { journal } = redisStore(client());
    expect(await journal.read("1")).toBeUndefined();
  });

  it("round-trips notes and settlements", async () => {
    const { journal } = redisStore(client());
    await journal.note("1", "dispatch:api:1", "101");
    await journal.note("1", "check:api:1", "");
    expect(await journal.read("1")).toEqual({ state: "", effects: { "dispatch:api:1": "101", "check:api:1": "" } });

    await journal.settle("1", "fingerprint-a", 4);
    expect(await journal.read("1")).toEqual({ state: "fingerprint-a", seq: 4, effects: {} });

    await journal.note("1", "dispatch:styles:1", "102");
    expect(await journal.read("1")).toEqual({
      state: "fingerprint-a",
      seq: 4,
      effects: { "dispatch:styles:1": "102" },
    });
  });

  it("keeps issues apart", async () => {
    const { journal } = redisStore(client());
    await journal.settle("1", "fingerprint-a", 4);
    await journal.note("2", "dispatch:api:1", "201");
    expect(await journal.read("1")).toEqual({ state: "fingerprint-a", seq: 4, effects: {} });
    expect(await journal.read("2")).toEqual({ state: "", effects: { "dispatch:api:1": "201" } });
  });

  it("lets an issue's entry expire after a week", async () => {
    const redis = client();
    const { journal } = redisStore(redis);
    const week = 7 * 24 * 60 * 60;
    await journal.note("1", "dispatch:api:1", "101");
    expect(await redis.ttl("pc:journal:1")).toBeGreaterThan(week - 60);
    await journal.settle("1", "fingerprint-a", 4);
    expect(await redis.ttl("pc:journal:1")).toBeGreaterThan(week - 60);
    expect(await redis.ttl("pc:journal:1")).toBeLessThanOrEqual(week);
  });
});

describe("two replicas over one Redis", () => {
  it("see each other's locks", async () => {
    const one = redisStore(client());
    const two = redisStore(client(), { lockWaitMs: 10_000 });
    const inside = latch();
    const events: string[] = [];
    const first = one.locks.withLock("issue-1", async () => {
      inside.open();
      await sleep(50);
      events.push("one");
    });
    await inside.opened;
    await two.locks.withLock("issue-1", async () => void events.push("two"));
    await first;
    expect(events).toEqual(["one", "two"]);
  });

  it("see each other's journal entries", async () => {
    const one = redisStore(client()).journal;
    const two = redisStore(client()).journal;
    await one.note("1", "dispatch:api:1", "101");
    expect(await two.read("1")).toEqual({ state: "", effects: { "dispatch:api:1": "101" } });
    await two.settle("1", "fingerprint-a", 4);
    expect(await one.read("1")).toEqual({ state: "fingerprint-a", seq: 4, effects: {} });
  });
});

describe("redis throttle", () => {
  it("takes a key once per window, shared by replicas, and lets it expire with its window", async () => {
    const redis = client();
    const one = redisStore(redis).throttle;
    const two = redisStore(client()).throttle;
    expect(await one.has("refused:o/r#1:bob")).toBe(false);
    expect(await one.take("refused:o/r#1:bob", 3_600)).toBe(true);
    expect(await two.has("refused:o/r#1:bob")).toBe(true);
    expect(await two.take("refused:o/r#1:bob", 3_600)).toBe(false);
    expect(await two.take("refused:o/r#1:eve", 3_600)).toBe(true);
    expect(await redis.ttl("pc:throttle:refused:o/r#1:bob")).toBeGreaterThan(3_500);
    await redis.del("pc:throttle:refused:o/r#1:bob");
    expect(await two.take("refused:o/r#1:bob", 3_600)).toBe(true);
  });
});

describe("a store from a URL", () => {
  it("works over its own connection until closed", async () => {
    const store = redisStoreFromUrl("redis://localhost:6379");
    await store.journal.note("1", "dispatch:api:1", "101");
    expect(await redisStore(client()).journal.read("1")).toEqual({ state: "", effects: { "dispatch:api:1": "101" } });
    expect(await store.locks.withLock("issue-1", async () => "done")).toBe("done");
    await store.close();
  });
});

describe("a store that falls back when Redis fails", () => {
  const refused = () => new Error("connect ECONNREFUSED 127.0.0.1:6379");

  /** A client over the shared mock server whose every command fails while `down` is set, as one to a dead Redis does. */
  function flaky() {
    const state = { down: false };
    const redis = client();
    const proxy = new Proxy(redis, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (typeof value !== "function" || name === "on" || name === "disconnect") return value;
        return (...args: unknown[]) => {
          if (!state.down) return (value as (...a: unknown[]) => unknown).apply(target, args);
          // A transaction is built here and refused when it is sent.
          if (name === "multi") {
            const transaction: Record<string, unknown> = new Proxy(
              {},
              { get: (_t, n) => (n === "exec" ? () => Promise.reject(refused()) : () => transaction) },
            );
            return transaction;
          }
          return Promise.reject(refused());
        };
      },
    });
    return { state, client: proxy as Redis };
  }

  it("runs work under this replica's own lock while Redis is gone, and under Redis's again once it is back", async () => {
    const { state, client: redis } = flaky();
    const warned: string[] = [];
    const { locks } = redisStoreFallingBack(redis, (message) => warned.push(message));
    state.down = true;
    expect(await locks.withLock("issue-1", async () => "done")).toBe("done");
    expect(warned).toEqual(["Redis could not give the lock for issue-1: this replica's own lock is used meanwhile"]);
    // The work's own failure is not a Redis failure: it is not run again.
    state.down = false;
    let runs = 0;
    await expect(
      locks.withLock("issue-1", async () => {
        runs += 1;
        throw new Error("GitHub said no");
      }),
    ).rejects.toThrow("GitHub said no");
    expect(runs).toBe(1);
    expect(warned).toHaveLength(1);
  });

  it("reads no journal while Redis is gone, and drops the entry that missed a note before trusting Redis again", async () => {
    const { state, client: redis } = flaky();
    const { journal } = redisStoreFallingBack(redis, () => undefined);
    await journal.settle("o/r#1", "state-A", 3);
    expect(await journal.read("o/r#1")).toEqual({ state: "state-A", seq: 3, effects: {} });
    state.down = true;
    expect(await journal.read("o/r#1")).toBeUndefined();
    // A dispatch noted while Redis is gone: the entry in Redis would vouch for state-A without it.
    await journal.note("o/r#1", "dispatch:pc-1-api-1", "?");
    state.down = false;
    expect(await journal.read("o/r#1")).toBeUndefined();
    await journal.note("o/r#1", "dispatch:pc-1-api-1", "5001");
    expect(await journal.read("o/r#1")).toEqual({ state: "", effects: { "dispatch:pc-1-api-1": "5001" } });
  });

  it("answers from this replica's own throttle while Redis is gone", async () => {
    const { state, client: redis } = flaky();
    const { throttle } = redisStoreFallingBack(redis, () => undefined);
    state.down = true;
    expect(await throttle.take("refused:o/r#1:x", 60)).toBe(true);
    expect(await throttle.has("refused:o/r#1:x")).toBe(true);
    expect(await throttle.take("refused:o/r#1:x", 60)).toBe(false);
  });
});
