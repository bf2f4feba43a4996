import type { Plan } from "../../plan/planModel.js";
import type { Event } from "../../state/events.js";
import type { State } from "../../state/stateSchema.js";
import { ensureMirror, type FeatureIssue, type Mirrored } from "./mirror.js";

/**
 * A step's pass over the mirror, after its events and before the state is
 * written: the sub-issues brought up to the state, and the `/skip`s of people
 * who closed one decided on (`decide` carries each out as the step's own
 * event) — then the mirror again, so that a skipped batch's sub-issue shows
 * it. The second pass judges no close: a close it meets is the next step's.
 */
export async function keepMirror(
  issue: FeatureIssue,
  plan: Plan,
  state: () => State,
  decide: (event: Event) => Promise<void>,
): Promise<Mirrored | undefined> {
  const first = await ensureMirror(issue, plan, state(), true);
  if (first === undefined || first.skips.length === 0) return first;
  for (const skip of first.skips) await decide(skip);
  return ensureMirror(issue, plan, state(), false);
}
