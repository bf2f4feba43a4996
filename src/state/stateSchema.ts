import { z } from "zod";
import { ConfigSchema } from "../base/config.js";
import { AcceptanceSchema } from "../plan/task.js";
import { UsageSchema } from "../report/reportSchema.js";
import { batchStatuses, coordinationStatuses } from "./status.js";

/** The version of the state this app writes; `migrations.ts` brings every earlier one up to it. */
export const stateVersion = 4;

const iso = z.string().min(1);
const texts = z.array(z.string());

/**
 * A batch of the pinned plan: a `Batch` (plan/planModel.ts) whose deny list
 * is named by its place in the plan's `denies`, and whose `tasks` are left out
 * when they are its own id alone.
 */
const PinnedBatchSchema = z
  .object({
    id: z.string().min(1),
    title: z.string(),
    domain: z.string().min(1),
    agent: z.string().optional(),
    files: texts,
    allow: texts,
    deny: z.number().int().nonnegative(),
    estimate: z.number().positive(),
    needs: texts,
    after: texts,
    tasks: texts.optional(),
    steps: texts,
    accept: z.array(AcceptanceSchema),
    notToDo: texts,
    context: texts,
    output: texts,
    phase: z.string().optional(),
    line: z.number().int().positive().optional(),
  })
  .strict();
export type PinnedBatch = z.infer<typeof PinnedBatchSchema>;

const count = z.number().int().nonnegative();

/**
 * The plan a coordination runs, as it was planned (state/pinnedPlan.ts pins it
 * and reads it back): the issue body and the planner are not read again, so an
 * edited body or a newer planner changes nothing until `/plan`. Kept small: the
 * deny lists, which most batches of a domain share, once each in `denies`; the
 * schedule's start minutes in the batches' order.
 */
export const PinnedPlanSchema = z
  .object({
    title: z.string().optional(),
    level: z
      .object({
        score: count,
        level: z.union([z.literal(1), z.literal(2), z.literal(3)]),
        parts: z
          .object({ scope: count, time: count, agents: count, dependencies: count, documentation: count })
          .strict(),
      })
      .strict(),
    batches: z.array(PinnedBatchSchema),
    denies: z.array(texts),
    conflicts: z.array(z.object({ file: z.string(), domains: texts, owner: z.string(), batches: texts }).strict()),
    schedule: z
      .object({
        agents: z.number().int().positive(),
        start: z.array(z.number().nonnegative()),
        makespan: z.number().nonnegative(),
        lowerBound: z.number().nonnegative(),
        phaseMakespan: z.number().nonnegative(),
        optimal: z.boolean(),
      })
      .strict(),
    context: texts,
    warnings: texts,
  })
  .strict()
  .refine(
    (plan) =>
      plan.schedule.start.length === plan.batches.length &&
      plan.batches.every((batch) => batch.deny < plan.denies.length),
    {
      message: "the pinned plan's start minutes and deny lists do not match its batches",
    },
  );
export type PinnedPlan = z.infer<typeof PinnedPlanSchema>;

/** One workflow run of a batch. */
export const RunSchema = z
  .object({
    attempt: z.number().int().positive(),
    /** `pc-<issue>-<batch>-<attempt>`: in the run's name, so a run can be found without its id. */
    key: z.string().min(1),
    id: z.number().int().positive().optional(),
    dispatchedAt: iso,
    completedAt: iso.optional(),
    /** Minutes the run took, from GitHub's timestamps. */
    minutes: z.number().nonnegative().optional(),
    /** What the check-in made of the run, never changed after: a person's decision is a `Decision` of its own. */
    outcome: z.enum(["accepted", "redo", "failed", "cancelled", "blocked"]).optional(),
    /** The runner's recipe, when its report names one. */
    agent: z.string().optional(),
    usage: UsageSchema.optional(),
  })
  .strict();
export type Run = z.infer<typeof RunSchema>;

/** A person's decision on a batch, in the batch's history beside its runs. */
export const DecisionSchema = z
  .object({ decision: z.enum(["approve", "retry", "skip"]), by: z.string(), at: iso })
  .strict();
export type Decision = z.infer<typeof DecisionSchema>;

export const ChangeSchema = z
  .object({ file: z.string(), line: z.number().int().positive().optional(), summary: z.string() })
  .strict();

export const BatchStateSchema = z
  .object({
    status: z.enum(batchStatuses),
    runs: z.array(RunSchema).default([]),
    /** The batch's pull request into the integration branch, once the runner opened it. */
    pr: z.number().int().positive().optional(),
    /** The head of the pull request the last check-in judged: what `/approve` merges unless it names another. */
    head: z.string().min(1).optional(),
    /** Check-in findings of the last run: the redo's brief carries them. */
    findings: z.array(z.string()).default([]),
    /** Redo dispatches used (⚠ allows one). */
    redos: z.number().int().nonnegative().default(0),
    /** Automatic retries used after failed runs. */
    retries: z.number().int().nonnegative().default(0),
    /** Check-ins that found changes outside the batch's scope. */
    scopeStrikes: z.number().int().nonnegative().default(0),
    /** From the accepted report: what dependents receive as context. */
    summary: z.string().optional(),
    integrationPoints: z.array(z.string()).default([]),
    changes: z.array(ChangeSchema).default([]),
    /** Why the batch is blocked, for people. */
    blocker: z.string().optional(),
    /** Commits arrived on the pull request after its check-in: a `/retry` builds on them instead of starting clean. */
    pushed: z.literal(true).optional(),
    /** Conflicts handed back to the agent: a conflicting batch runs once more on the up-to-date integration branch, then it is a blocker. */
    handBacks: z.number().int().nonnegative().default(0),
    /** The conflict its runs resolve until it merges: their briefs name the files (absent when they could not be listed). */
    conflict: z
      .object({ files: z.array(z.string()).optional() })
      .strict()
      .optional(),
    /** People's decisions on the batch (`/approve`, `/retry`, `/skip`), oldest first. */
    decisions: z.array(DecisionSchema).default([]),
    /** Times the batch was blocked. */
    blocked: z.number().int().nonnegative().default(0),
  })
  .strict();
export type BatchState = z.infer<typeof BatchStateSchema>;

export const StateSchema = z
  .object({
    version: z.literal(stateVersion),
    issue: z.number().int().positive(),
    status: z.enum(coordinationStatuses),
    /** The repository's config as it was when planned. */
    config: ConfigSchema,
    plan: PinnedPlanSchema,
    /** The repository's default branch and the integration branch made from it. */
    base: z.string().min(1),
    integration: z.string().min(1),
    /** The integration branch's head commit, as the app last made or saw it. */
    head: z.string().min(1),
    /** The integration branch's head each domain branch was last brought up to date with. */
    synced: z.record(z.string(), z.string()).default({}),
    batches: z.record(z.string(), BatchStateSchema),
    startedAt: iso,
    updatedAt: iso,
    /**
     * How many times the app has written a state on this issue, this one included (it
     * counts on across coordinations and re-plans): a state with a lower number than one
     * the app wrote later is a rollback — an earlier dashboard put back — and is refused.
     */
    seq: z.number().int().nonnegative().default(0),
    /** Decisions and notes shown on the dashboard and carried into checkpoints. */
    notes: z.array(z.string()).default([]),
    /**
     * Restores of a damaged dashboard, for people: shown on the dashboard, never
     * in an agent's brief. Absent until the first restore, so that a state without
     * one still reads in an app that predates the field.
     */
    restores: z.array(z.string()).optional(),
    /** `budget`: the budget paused it, not a person (`by` is then `budget`). */
    pause: z
      .object({ by: z.string(), at: iso, reason: z.string().optional(), budget: z.literal(true).optional() })
      .strict()
      .optional(),
    resumed: z.object({ by: z.string(), at: iso }).strict().optional(),
    /**
     * The author of the text planned (the issue's, a sub-issue's) who may not command:
     * GitHub does not say who last edited a body, so its acceptance commands may be theirs.
     * They are then checks for the agent, never run; only the agent workflow's own `checks:`
     * run. Absent: every author may command.
     */
    commandsWithheld: z.object({ author: z.string() }).strict().optional(),
    /** The pull request from the integration branch to the default branch. */
    finalPr: z.number().int().positive().optional(),
    /** Counted for the final report. */
    integrationIssues: z.number().int().nonnegative().default(0),
    /**
     * The budget in force: the config's, raised by `/resume budget`. `passed`: it paused the
     * coordination once; a `/resume` that does not raise it goes on past it.
     */
    budget: z
      .object({
        minutes: z.number().positive().optional(),
        usd: z.number().positive().optional(),
        passed: z.literal(true).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type State = z.infer<typeof StateSchema>;
