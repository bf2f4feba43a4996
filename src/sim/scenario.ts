import yaml from "js-yaml";
import { z } from "zod";
import type { Plan } from "../plan/planModel.js";
import type { Problem } from "../base/problem.js";
import { outcomes, type Outcome } from "./simulatedAgent.js";

const StepSchema = z
  .object({
    /** Wait until this many batches are accepted; without it, until nothing is pending. */
    when: z.object({ accepted: z.number().int().nonnegative() }).strict().optional(),
    /** A comment to post on the feature issue (`/pause`, `/resume`, …). */
    comment: z.string().min(1).optional(),
    /** Who posts it (default `maintainer`, who may command; `reader` may not). */
    by: z.string().min(1).optional(),
    /** Stop the app and start a new one: only GitHub remembers anything. */
    restart: z.literal(true).optional(),
  })
  .strict()
  .refine((step) => (step.comment === undefined) === (step.restart === true), {
    message: "a step either posts a `comment` or is `restart: true`",
  })
  .refine((step) => step.by === undefined || step.comment !== undefined, { message: "`by` goes with a `comment`" });

export const ScenarioSchema = z
  .object({
    /** Outcomes of a batch's runs, in order, by batch id or checklist number; runs beyond the list accept. */
    outcomes: z.record(z.string(), z.array(z.enum(outcomes))).default({}),
    steps: z.array(StepSchema).default([]),
  })
  .strict();

export type Scenario = z.infer<typeof ScenarioSchema>;
export type Step = Scenario["steps"][number];

export const emptyScenario: Scenario = { outcomes: {}, steps: [] };

/** A scenario file, or every problem with it. */
export function scenarioFromYaml(text: string): { ok: true; scenario: Scenario } | { ok: false; problems: Problem[] } {
  let value: unknown;
  try {
    value = yaml.load(text);
  } catch (error) {
    return {
      ok: false,
      problems: [{ message: `not valid YAML: ${(error as { reason?: string }).reason ?? String(error)}` }],
    };
  }
  const parsed = ScenarioSchema.safeParse(value ?? {});
  if (parsed.success) return { ok: true, scenario: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => ({
      ...(issue.path.length === 0 ? {} : { field: issue.path.join(".") }),
      message: issue.message,
    })),
  };
}

/**
 * The scenario's outcomes by batch id: a key is a batch id, else a number on
 * the checklist (`"3"` is batch 3's id when a batch has that id, else the
 * third batch). Without a plan, keys are taken as ids.
 */
export function outcomesByBatch(
  scenario: Scenario,
  plan: Plan | undefined,
): { ok: true; outcomes: Map<string, Outcome[]> } | { ok: false; problems: Problem[] } {
  const resolved = new Map<string, Outcome[]>();
  const problems: Problem[] = [];
  for (const [key, list] of Object.entries(scenario.outcomes)) {
    if (plan === undefined || plan.batches.some((batch) => batch.id === key)) {
      resolved.set(key, list);
      continue;
    }
    const byNumber = /^\d+$/.test(key) ? plan.batches[Number(key) - 1] : undefined;
    if (byNumber === undefined) {
      problems.push({
        field: `outcomes.${key}`,
        message: `no batch has the id or checklist number "${key}"; the batches are ${plan.batches.map((batch, index) => `${index + 1} (${batch.id})`).join(", ")}`,
      });
    } else if (byNumber.id in scenario.outcomes) {
      problems.push({
        field: `outcomes.${key}`,
        message: `batch ${key} is "${byNumber.id}", which the scenario names too`,
      });
    } else {
      resolved.set(byNumber.id, list);
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, outcomes: resolved };
}
