/**
 * The starts of each installation that have yet to show their dashboard.
 * Probot's throttling spaces an installation's writes a second apart, in the
 * order they are asked for: with many features labelled at once, the first
 * starts' branch and dispatch writes would queue ahead of the later starts'
 * dashboards. So a start that has shown its dashboard waits, before its other
 * writes, for the starts pending at that moment to show theirs: every issue
 * shows its plan first. A start is pending from the beginning of its step
 * until it has shown its dashboard or its step ends, however it ends — a
 * refusal, a failure —, so none waits on a start that will not show one; and
 * a start pending later is not waited for, so a stream of labels holds none
 * back for long. Each process keeps its own (replicas each throttle their own
 * writes too).
 */
export interface Acknowledgements {
  /**
   * Runs `start` as a pending start of `installation`. `acknowledged` says it
   * has shown its dashboard; it resolves once the starts pending then have
   * shown theirs or ended.
   */
  pending<T>(installation: string, start: (acknowledged: () => Promise<void>) => Promise<T>): Promise<T>;
}

export function memoryAcknowledgements(): Acknowledgements {
  const pendingIn = new Map<string, Set<Promise<void>>>();
  return {
    async pending(installation, start) {
      const pending = pendingIn.get(installation) ?? new Set<Promise<void>>();
      pendingIn.set(installation, pending);
      let settle = () => {};
      const mine = new Promise<void>((resolve) => (settle = resolve));
      pending.add(mine);
      const shown = () => {
        settle();
        pending.delete(mine);
        if (pending.size === 0 && pendingIn.get(installation) === pending) pendingIn.delete(installation);
      };
      try {
        return await start(async () => {
          shown();
          await Promise.all([...pending]);
        });
      } finally {
        shown();
      }
    },
  };
}
