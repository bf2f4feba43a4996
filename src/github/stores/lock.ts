import { Mutex } from "async-mutex";

/**
 * One writer per issue at a time. In one process a mutex per key is enough;
 * replicas sharing an installation need a lock they all see (Redis), behind
 * the same interface.
 */
export interface Locks {
  withLock<T>(key: string, work: () => Promise<T>): Promise<T>;
}

export function memoryLocks(): Locks {
  const held = new Map<string, { mutex: Mutex; users: number }>();
  return {
    async withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
      let entry = held.get(key);
      if (entry === undefined) {
        entry = { mutex: new Mutex(), users: 0 };
        held.set(key, entry);
      }
      entry.users += 1;
      try {
        return await entry.mutex.runExclusive(work);
      } finally {
        // Forget a key once nobody holds or waits for it: one mutex per issue ever seen would leak.
        entry.users -= 1;
        if (entry.users === 0) held.delete(key);
      }
    },
  };
}
