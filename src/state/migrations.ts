import { z } from "zod";
import { ConfigSchema } from "../base/config.js";
import { formatProblem } from "../base/problem.js";
import { readBreakdown } from "../plan/readBreakdown.js";
import { planFromSource } from "../schedule/planner.js";
import { pinPlan } from "./pinnedPlan.js";
import { stateVersion } from "./stateSchema.js";

export type Migrated = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * A state written by an earlier version of the app, brought up to the version
 * this one writes (`stateVersion`), one step per version: the step of version
 * n takes a state of version n to n + 1. A step reads only what its version
 * changes and carries the rest over as it is; `StateSchema` checks the result.
 * A step never changes once released: states it reads stay in issues for as
 * long as the issues do.
 */
const steps: Readonly<Record<number, (value: unknown) => Migrated>> = {
  1: pinnedFromV1,
  2: fromV2,
  3: decisionsFromV3,
};

/** `value`, a state of `version` (at most `stateVersion`), as a state of `stateVersion`. */
export function migrated(value: unknown, version: number): Migrated {
  let result: Migrated = { ok: true, value };
  for (let from = version; from < stateVersion && result.ok; from++) result = steps[from]!(result.value);
  return result;
}

/** What version 1 kept instead of the plan: the issue body as planned, and what it was planned with. */
const V1Schema = z.looseObject({
  source: z
    .object({
      body: z.string(),
      config: ConfigSchema,
      agents: z.number().int().min(2).max(4).optional(),
      force: z.boolean().default(false),
    })
    .strict(),
  batches: z.record(z.string(), z.unknown()),
});

/**
 * 1 → 2, the plan pinned: version 1 derived the plan from the body on every
 * event, so it is derived once more, here, and kept. The release that brought
 * version 2 changed no planning rule, so its planner gives the plan version 1
 * ran; a later planner may not, and a body that no longer plans to the very
 * batches the state holds is refused, never run with another plan.
 */
function pinnedFromV1(value: unknown): Migrated {
  const parsed = V1Schema.safeParse(value);
  if (!parsed.success)
    return { ok: false, reason: `the state (v1) is not valid: ${parsed.error.issues[0]?.message ?? ""}` };
  const { source, ...state } = parsed.data;
  const planned = planFromSource(readBreakdown(source.body), source.config, {
    ...(source.agents === undefined ? {} : { agents: source.agents }),
    force: source.force,
  });
  if (!planned.ok)
    return {
      ok: false,
      reason: `the state (v1) holds no plan, and its issue body no longer plans: ${planned.problems.map(formatProblem).join("; ")}`,
    };
  const ids = planned.plan.batches.map((batch) => batch.id);
  if (ids.length !== Object.keys(state.batches).length || ids.some((id) => !Object.hasOwn(state.batches, id))) {
    return {
      ok: false,
      reason: `the state (v1) holds no plan, and its issue body now plans other batches than the state's (${ids.join(", ")})`,
    };
  }
  return { ok: true, value: { ...state, version: 2, config: source.config, plan: pinPlan(planned.plan) } };
}

/**
 * 2 → 3: what version 3 adds is absent from a version 2 state and has its
 * meaning there — no batch's checked-in `head` (`/approve` then asks a person to
 * name it), no `commandsWithheld` (the body's commands run, as they did), `seq`
 * 0 (the count of writes starts with the next). The version is raised so that
 * an app of version 2 leaves a version 3 state alone rather than refuse its new
 * fields as damage.
 */
function fromV2(value: unknown): Migrated {
  return { ok: true, value: { ...(value as Record<string, unknown>), version: 3 } };
}

/** What version 3 kept of a person's decision on a batch: who made the last one. */
const V3Schema = z.looseObject({ batches: z.record(z.string(), z.looseObject({ decidedBy: z.string().optional() })) });

/**
 * 3 → 4, decisions kept apart from runs: version 3 kept only who decided a
 * batch's fate last, and `/approve` rewrote the blocked run as accepted. The
 * name is dropped (the notes say who decided what, and when); a rewritten
 * run cannot be told from an accepted one, so it stays as it is. What else
 * version 4 adds is absent from a version 3 state and has its meaning there:
 * no decisions and no blocks counted, no conflict handed back, no commits kept
 * for a `/retry`, no budget, no usage reported.
 */
function decisionsFromV3(value: unknown): Migrated {
  const parsed = V3Schema.safeParse(value);
  if (!parsed.success)
    return { ok: false, reason: `the state (v3) is not valid: ${parsed.error.issues[0]?.message ?? ""}` };
  const batches = Object.fromEntries(
    Object.entries(parsed.data.batches).map(([id, { decidedBy: _decidedBy, ...batch }]) => [id, batch]),
  );
  return { ok: true, value: { ...parsed.data, version: 4, batches } };
}
