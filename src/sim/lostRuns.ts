import type { CoordinatorRuns } from "./actionsBot.js";

/**
 * Which of the coordinator's runs GitHub loses in a simulation
 * (`SimulationOptions.lostRuns`), drawn from a seed: each of the first
 * `count` runs after the start is lost with chance `fraction`. The same seed
 * draws the same places, so a simulation that went wrong plays again.
 */
export function lostPlaces(count: number, fraction: number, seed: number): number[] {
  const random = seeded(seed);
  return Array.from({ length: count }, (_, index) => index + 1).filter(() => random() < fraction);
}

/** Numbers in [0, 1) from a 32-bit seed (mulberry32): the same seed, the same numbers, on every machine. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The coordinator's runs after the start's whose job ran or would have: the places `lostRuns` counts. */
export function runsAfterStart(runs: CoordinatorRuns): number {
  return runs.total - runs.skipped - 1;
}
