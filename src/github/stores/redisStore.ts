import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis, type ChainableCommander } from "ioredis";
import type { Journal, JournalEntry } from "./journal.js";
import type { Locks } from "./lock.js";
import type { Throttle } from "./throttle.js";

/**
 * The locks, the journal and the throttle shared by replicas through one Redis (`REDIS_URL`),
 * behind the same interfaces as the in-memory ones.
 */
export interface RedisStore {
  locks: Locks;
  journal: Journal;
  throttle: Throttle;
}

export interface RedisStoreOptions {
  /** A lock's life without a refresh: a crashed holder's lock frees after it. */
  lockTtlMs?: number;
  /** How long `withLock` waits for another holder before it gives up. */
  lockWaitMs?: number;
}

// A step can take ~60 s under Probot's throttling; the refresh keeps a slow step's lock anyway.
const defaultLockTtlMs = 120_000;
// Room for a few such steps queued on one issue ahead of this one.
const defaultLockWaitMs = 300_000;
// The journal is a cache of what GitHub holds: an issue untouched for a week is forgotten.
const journalTtlSeconds = 7 * 24 * 60 * 60;

// Only the holder's token may release or extend a lock: after an expiry it may be another replica's.
const releaseScript = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
const extendScript = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;

export function redisStore(client: Redis, options: RedisStoreOptions = {}): RedisStore {
  return {
    locks: redisLocks(client, options.lockTtlMs ?? defaultLockTtlMs, options.lockWaitMs ?? defaultLockWaitMs),
    journal: redisJournal(client),
    throttle: redisThrottle(client),
  };
}

/**
 * The store over a new connection to `url`; `close` ends the connection.
 * `onError` hears the connection's errors (ioredis reconnects by itself); without it
 * ioredis prints each one to stderr.
 */
export function redisStoreFromUrl(
  url: string,
  onError?: (error: Error) => void,
): RedisStore & { close(): Promise<void> } {
  // A few retries per command, then the step fails and the next event or retry finishes it.
  const client = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 3 });
  if (onError !== undefined) client.on("error", onError);
  return {
    ...redisStore(client),
    async close() {
      await client.quit();
    },
  };
}

function redisLocks(client: Redis, ttlMs: number, waitMs: number): Locks {
  return {
    async withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
      const lock = `pc:lock:${key}`;
      const token = randomUUID();
      const deadline = Date.now() + waitMs;
      while ((await client.set(lock, token, "PX", ttlMs, "NX")) === null) {
        if (Date.now() >= deadline) throw new Error(`could not take the lock for ${key} within ${waitMs} ms`);
        // Jitter, so replicas waiting on one issue do not retry in step.
        await sleep(50 + Math.random() * 150);
      }
      const refresh = setInterval(() => {
        // A failed refresh is tried again at the next tick; the TTL covers two misses.
        client.eval(extendScript, 1, lock, token, ttlMs).catch(() => undefined);
      }, ttlMs / 3);
      refresh.unref();
      try {
        return await work();
      } finally {
        clearInterval(refresh);
        // A failed release only delays the next holder until the TTL: the work's outcome stands.
        await client.eval(releaseScript, 1, lock, token).catch(() => undefined);
      }
    },
  };
}

function redisJournal(client: Redis): Journal {
  const hash = (issue: string) => `pc:journal:${issue}`;
  return {
    async read(issue) {
      const fields = await client.hgetall(hash(issue));
      // HGETALL answers {} for a missing key; a written hash always has a field.
      if (Object.keys(fields).length === 0) return undefined;
      const entry: JournalEntry = {
        state: fields.state ?? "",
        ...(fields.seq === undefined ? {} : { seq: Number(fields.seq) }),
        effects: {},
      };
      for (const [field, value] of Object.entries(fields)) {
        if (field.startsWith("e:")) entry.effects[field.slice(2)] = value;
      }
      return entry;
    },
    async note(issue, effect, answer) {
      await exec(client.multi().hset(hash(issue), `e:${effect}`, answer).expire(hash(issue), journalTtlSeconds));
    },
    async settle(issue, state, seq) {
      await exec(
        client
          .multi()
          .del(hash(issue))
          .hset(hash(issue), "state", state, "seq", String(seq))
          .expire(hash(issue), journalTtlSeconds),
      );
    },
  };
}

function redisThrottle(client: Redis): Throttle {
  const key = (name: string) => `pc:throttle:${name}`;
  return {
    async has(name) {
      return (await client.exists(key(name))) === 1;
    },
    async take(name, seconds) {
      return (await client.set(key(name), "1", "EX", seconds, "NX")) === "OK";
    },
  };
}

/** MULTI answers each command's error in its reply instead of rejecting. */
async function exec(transaction: ChainableCommander): Promise<void> {
  const failure = (await transaction.exec())?.find(([error]) => error !== null)?.[0];
  if (failure) throw failure;
}
