import { z } from "zod";

/** What the agent says it used on a run: tokens, and the cost in US dollars as it reports it. */
export const UsageSchema = z
  .object({ tokens: z.number().int().nonnegative().optional(), usd: z.number().nonnegative().optional() })
  .strict();
export type Usage = z.infer<typeof UsageSchema>;

/**
 * The runner's report of one batch run: the contract between the agent runner
 * (which writes it) and the app (which checks the batch in with it). It lives
 * in the batch pull request's body — or, when nothing was committed, in a
 * comment on the issue — as a fenced `json` block after `reportMarker`.
 */
export const ReportSchema = z
  .object({
    version: z.literal(1),
    issue: z.number().int().positive(),
    batch: z.string().min(1),
    /** The workflow run id: the app accepts a report only for a run it dispatched. */
    run: z.number().int().positive(),
    status: z.enum(["Complete", "Blocked", "Needs Review"]),
    changes: z
      .array(
        z
          .object({ file: z.string().min(1), line: z.number().int().positive().optional(), summary: z.string() })
          .strict(),
      )
      .default([]),
    acceptance: z
      .array(z.object({ check: z.string().min(1), passed: z.boolean(), output: z.string().default("") }).strict())
      .default([]),
    integrationPoints: z.array(z.string().min(1)).default([]),
    blockers: z.array(z.string().min(1)).default([]),
    /** Changes the runner found outside the batch's scope, and whether it reverted them. */
    outOfScope: z.array(z.object({ file: z.string().min(1), reverted: z.boolean() }).strict()).default([]),
    summary: z.string().default(""),
    /** The agent that ran the batch, as the runner knows it: its recipe (`claude`, `codex`, …). */
    agent: z.string().min(1).max(100).optional(),
    usage: UsageSchema.optional(),
  })
  .strict();

export type Report = z.infer<typeof ReportSchema>;
export type ReportInput = z.input<typeof ReportSchema>;

export const reportMarker = "<!-- parallel-coordinator:report -->";
