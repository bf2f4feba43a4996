import type { Batch, Plan } from "../plan/planModel.js";
import type { PinnedBatch, PinnedPlan, State } from "./stateSchema.js";

/**
 * The plan as the state keeps it (`PinnedPlanSchema`): the same data in less
 * room. A deny list is kept once and named by its place, `tasks` is left out
 * when it is the batch's own id alone, the start minutes follow the batches.
 */
export function pinPlan(plan: Plan): PinnedPlan {
  const denies: string[][] = [];
  const places = new Map<string, number>();
  const batches = plan.batches.map(({ scope, tasks, ...batch }): PinnedBatch => {
    const key = JSON.stringify(scope.deny);
    let deny = places.get(key);
    if (deny === undefined) {
      deny = denies.push(scope.deny) - 1;
      places.set(key, deny);
    }
    return { ...batch, allow: scope.allow, deny, ...(tasks.length === 1 && tasks[0] === batch.id ? {} : { tasks }) };
  });
  return {
    ...(plan.title === undefined ? {} : { title: plan.title }),
    level: plan.level,
    batches,
    denies,
    conflicts: plan.conflicts,
    schedule: { ...plan.schedule, start: plan.batches.map((batch) => plan.schedule.start[batch.id]!) },
    context: plan.context,
    warnings: plan.warnings,
  };
}

/** The plan a coordination runs: the one pinned in its state when it was planned. */
export function planOf(state: State): Plan {
  const pinned = state.plan;
  const batches = pinned.batches.map(({ allow, deny, tasks, ...batch }): Batch => ({
    ...batch,
    scope: { allow, deny: pinned.denies[deny]! },
    tasks: tasks ?? [batch.id],
  }));
  return {
    ...(pinned.title === undefined ? {} : { title: pinned.title }),
    level: pinned.level,
    batches,
    conflicts: pinned.conflicts,
    schedule: {
      ...pinned.schedule,
      start: Object.fromEntries(batches.map((batch, index) => [batch.id, pinned.schedule.start[index]!])),
    },
    context: pinned.context,
    warnings: pinned.warnings,
  };
}
