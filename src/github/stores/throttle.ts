/**
 * At most one of a kind per window, per key: the answer to a refused command
 * (once per person, issue and hour), a reader's /status or /help. On a public
 * repository every GitHub user may comment, and each answer is a write that
 * counts against the installation's rate limits. Replicas share it through
 * Redis (`REDIS_URL`); without it each replica keeps its own.
 */
export interface Throttle {
  /** Whether `key` was taken within its window. */
  has(key: string): Promise<boolean>;
  /** True, and the window starts, when `key` is free; false while its window lasts. */
  take(key: string, seconds: number): Promise<boolean>;
}

/** Keys remembered at most, the oldest forgotten first: forgetting one only allows one more answer. */
const capacity = 50_000;

export function memoryThrottle(now: () => number = Date.now): Throttle {
  const until = new Map<string, number>();
  const live = (key: string) => {
    const end = until.get(key);
    if (end !== undefined && end <= now()) until.delete(key);
    return end !== undefined && end > now();
  };
  return {
    async has(key) {
      return live(key);
    },
    async take(key, seconds) {
      if (live(key)) return false;
      until.set(key, now() + seconds * 1_000);
      if (until.size > capacity) until.delete(until.keys().next().value!);
      return true;
    },
  };
}

/** The windows the commands use, in seconds. */
export const windows = {
  /** A person's refused command is answered once; the next ones within the hour are not. */
  refusal: 60 * 60,
  /** A reader's /status or /help: one answer per person and issue in ten minutes. */
  reader: 10 * 60,
} as const;
