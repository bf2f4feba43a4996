import type { IssueRef } from "../calls/githubTypes.js";

/**
 * GitHub gives a workflow dispatch and a check run no idempotency key, and the
 * state is written last: a step that fails after dispatching leaves no trace
 * of the run in the state. The journal remembers, per issue, the effects done
 * since the state the app last wrote, so a retried step adopts them instead of
 * doing them again. It is a cache of what GitHub already holds: when it cannot
 * vouch (after a restart, or for a state some other writer made), the step asks
 * GitHub. Replicas must share it (`REDIS_URL`), as they share the locks: a
 * replica's own memory cannot know what another one did.
 */
export interface Journal {
  read(issue: string): Promise<JournalEntry | undefined>;
  /** An effect was done; `answer` is what it returned (a run id), or "". */
  note(issue: string, effect: string, answer: string): Promise<void>;
  /** The state with this fingerprint and `seq` was written: it holds every effect noted so far. */
  settle(issue: string, state: string, seq: number): Promise<void>;
}

/** The journal's (and the lock's) key of an issue. */
export function issueKey(where: IssueRef): string {
  return `${where.owner}/${where.repo}#${where.issue}`;
}

/**
 * Whether the journal vouches for a loaded state: it is the one the app wrote
 * last, and no effect has been done since (a step that failed or was killed
 * after a dispatch leaves it noted), so the state holds every run the app
 * dispatched.
 */
export async function vouchesFor(journal: Journal, where: IssueRef, fingerprint: string | undefined): Promise<boolean> {
  const entry = await journal.read(issueKey(where));
  return (
    entry !== undefined &&
    fingerprint !== undefined &&
    entry.state === fingerprint &&
    Object.keys(entry.effects).length === 0
  );
}

export interface JournalEntry {
  /** The fingerprint of the state last written; "" until one is written by this journal. */
  state: string;
  /** The `seq` of the state last written: a dashboard with a lower one was put back by someone. */
  seq?: number;
  effects: Record<string, string>;
}

/** Issues remembered at most, the least recently used forgotten first: forgetting only costs lookups. */
const capacity = 10_000;

export function memoryJournal(): Journal {
  const entries = new Map<string, JournalEntry>();
  const touch = (issue: string, entry: JournalEntry) => {
    entries.delete(issue);
    entries.set(issue, entry);
    if (entries.size > capacity) entries.delete(entries.keys().next().value!);
  };
  return {
    async read(issue) {
      const entry = entries.get(issue);
      return entry === undefined ? undefined : { ...entry, effects: { ...entry.effects } };
    },
    async note(issue, effect, answer) {
      const entry = entries.get(issue) ?? { state: "", effects: {} };
      touch(issue, { ...entry, effects: { ...entry.effects, [effect]: answer } });
    },
    async settle(issue, state, seq) {
      touch(issue, { state, seq, effects: {} });
    },
  };
}
