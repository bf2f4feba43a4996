import type { Plan } from "../plan/planModel.js";
import type { Effect } from "../state/effects.js";
import { briefFor } from "./batchBrief.js";
import { checkRunOutput, type CheckRunOutput } from "./checkRunOutput.js";
import { finalPullRequestBody } from "./finish.js";
import { renderMessage } from "./renderMessage.js";

type Of<K extends Effect["kind"]> = Extract<Effect, { kind: K }>;

/** An effect as GitHub receives it: what people and agents read is written out. */
export type WrittenEffect =
  | Exclude<Effect, { kind: "comment" | "dispatch" | "checkRun" | "openFinalPullRequest" }>
  | { kind: "comment"; key: string; body: string }
  | Omit<Of<"dispatch">, "brief">
  | (Omit<Of<"checkRun">, "slow" | "findings"> & CheckRunOutput)
  | (Omit<Of<"openFinalPullRequest">, "summary"> & { body: string });

/** Writes the Markdown an effect describes: a comment's message, the brief, a check run's text, the final pull request's body. */
export function writtenEffect(plan: Plan, effect: Effect): WrittenEffect {
  switch (effect.kind) {
    case "comment":
      return { kind: "comment", key: effect.key, body: renderMessage(effect.message) };
    case "dispatch": {
      const { brief, ...dispatch } = effect;
      // The brief goes last, as the agent workflow's template lists its inputs.
      return {
        ...dispatch,
        inputs: { ...dispatch.inputs, brief: briefFor(plan, effect.batch, brief.context, brief.limit) },
      };
    }
    case "checkRun": {
      const { slow: _slow, findings: _findings, ...check } = effect;
      return { ...check, ...checkRunOutput(effect) };
    }
    case "openFinalPullRequest": {
      const { summary, ...pull } = effect;
      return { ...pull, body: finalPullRequestBody(summary) };
    }
    default:
      return effect;
  }
}
