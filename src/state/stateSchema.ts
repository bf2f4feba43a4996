import { z } from "zod";
import { ConfigSchema } from "../base/config.js";
import { batchStatuses, coordinationStatuses } from "./status.js";

const iso = z.string().min(1);

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
    outcome: z.enum(["accepted", "redo", "failed", "cancelled", "blocked"]).optional(),
  })
  .strict();
export type Run = z.infer<typeof RunSchema>;

export const ChangeSchema = z.object({ file: z.string(), line: z.number().int().positive().optional(), summary: z.string() }).strict();

export const BatchStateSchema = z
  .object({
    status: z.enum(batchStatuses),
    runs: z.array(RunSchema).default([]),
    /** The batch's pull request into the integration branch, once the runner opened it. */
    pr: z.number().int().positive().optional(),
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
    /** Who decided a ✗ batch's fate (`/approve`, `/skip`), when. */
    decidedBy: z.string().optional(),
  })
  .strict();
export type BatchState = z.infer<typeof BatchStateSchema>;

export const StateSchema = z
  .object({
    version: z.literal(1),
    issue: z.number().int().positive(),
    status: z.enum(coordinationStatuses),
    /** The breakdown as it was when planned, with what it was planned with: the plan is derived from these. */
    source: z
      .object({
        body: z.string(),
        config: ConfigSchema,
        agents: z.number().int().min(2).max(4).optional(),
        force: z.boolean().default(false),
        /** Planned with `/plan split`: oversized tasks as their proposed parts. */
        split: z.literal(true).optional(),
      })
      .strict(),
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
    /** Decisions and notes shown on the dashboard and carried into checkpoints. */
    notes: z.array(z.string()).default([]),
    /**
     * Restores of a damaged dashboard, for people: shown on the dashboard, never
     * in an agent's brief. Absent until the first restore, so that a state without
     * one still reads in an app that predates the field.
     */
    restores: z.array(z.string()).optional(),
    pause: z.object({ by: z.string(), at: iso, reason: z.string().optional() }).strict().optional(),
    resumed: z.object({ by: z.string(), at: iso }).strict().optional(),
    /** The pull request from the integration branch to the default branch. */
    finalPr: z.number().int().positive().optional(),
    /** Counted for the final report. */
    integrationIssues: z.number().int().nonnegative().default(0),
  })
  .strict();
export type State = z.infer<typeof StateSchema>;
