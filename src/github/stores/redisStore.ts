import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis, type ChainableCommander } from "ioredis";
import type { Journal, JournalEntry } from "./journal.js";
import { memoryLocks, type Locks } from "./lock.js";
import { memoryThrottle, type Throttle } from "./throttle.js";

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
 * Losing Redis costs only what Redis keeps, and only while it is gone: a
 * command that fails (Redis down, unreachable, restarting) falls back to this
 * replica's own memory — its locks (so one replica still works on an issue at
 * a time, though replicas no longer exclude each other), an empty journal (so
 * each step asks GitHub what it did), its own throttle — and the next command
 * goes to Redis again, whether it came back with its data or empty. `warn`
 * hears each fallback; `onError`, the connection's errors (ioredis reconnects
 * by itself; without `onError` it prints each one to stderr).
 */
export function redisStoreFromUrl(
  url: string,
  onError?: (error: Error) => void,
  warn: (message: string, error: unknown) => void = () => {},
): RedisStore & { close(): Promise<void> } {
  // No queue while disconnected and one retry: a command fails at once, and the memory takes over.
  const client = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  if (onError !== undefined) client.on("error", onError);
  return {
    ...redisStoreFallingBack(client, warn),
    async close() {
      await client.quit().catch(() => client.disconnect());
    },
  };
}

/** The Redis store, with this replica's memory taking over each command Redis fails (see `redisStoreFromUrl`). */
export function redisStoreFallingBack(
  client: Redis,
  warn: (message: string, error: unknown) => void,
  options: RedisStoreOptions = {},
): RedisStore {
  const redis = redisStore(client, options);
  const memory = { locks: memoryLocks(), throttle: memoryThrottle() };
  // Issues whose Redis journal entry missed a note made meanwhile: it would vouch for a state without the effect
  // noted, so it is dropped before Redis is used for them again.
  const missed = new Set<string>();
  const trusted = async (issue: string): Promise<void> => {
    if (!missed.has(issue)) return;
    await client.del(journalKey(issue));
    missed.delete(issue);
  };
  return {
    locks: {
      async withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
        const lock = { taken: false };
        try {
          return await redis.locks.withLock(key, async () => {
            lock.taken = true;
            return work();
          });
        } catch (error) {
          // Only a lock Redis could not give falls back; the work's own failure is the work's.
          if (lock.taken || error instanceof LockTimeout) throw error;
          warn(`Redis could not give the lock for ${key}: this replica's own lock is used meanwhile`, error);
          return memory.locks.withLock(key, work);
        }
      },
    },
    journal: {
      async read(issue) {
        try {
          await trusted(issue);
          return await redis.journal.read(issue);
        } catch (error) {
          // Nothing read: the step cannot be vouched for, and asks GitHub.
          warn(`Redis could not read the journal of ${issue}: the step asks GitHub what was done`, error);
          return undefined;
        }
      },
      async note(issue, effect, answer) {
        try {
          await trusted(issue);
          await redis.journal.note(issue, effect, answer);
        } catch (error) {
          warn(
            `Redis could not note ${effect} of ${issue}: its journal entry is dropped once Redis answers again`,
            error,
          );
          missed.add(issue);
        }
      },
      async settle(issue, state, seq) {
        try {
          await trusted(issue);
          await redis.journal.settle(issue, state, seq);
        } catch (error) {
          // An entry left for an older state vouches for nothing.
          warn(`Redis could not settle the journal of ${issue}`, error);
        }
      },
    },
    throttle: {
      async has(name) {
        try {
          return await redis.throttle.has(name);
        } catch (error) {
          warn("Redis could not read a throttle: this replica's own is used meanwhile", error);
          return memory.throttle.has(name);
        }
      },
      async take(name, seconds) {
        try {
          return await redis.throttle.take(name, seconds);
        } catch (error) {
          warn("Redis could not take a throttle: this replica's own is used meanwhile", error);
          return memory.throttle.take(name, seconds);
        }
      },
    },
  };
}

/** Another holder kept the lock for longer than a step waits. */
export class LockTimeout extends Error {}

function redisLocks(client: Redis, ttlMs: number, waitMs: number): Locks {
  return {
    async withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
      const lock = `pc:lock:${key}`;
      const token = randomUUID();
      const deadline = Date.now() + waitMs;
      while ((await client.set(lock, token, "PX", ttlMs, "NX")) === null) {
        if (Date.now() >= deadline) throw new LockTimeout(`could not take the lock for ${key} within ${waitMs} ms`);
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

const journalKey = (issue: string) => `pc:journal:${issue}`;

function redisJournal(client: Redis): Journal {
  const hash = journalKey;
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
