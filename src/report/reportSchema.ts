import { z } from "zod";

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
  })
  .strict();

export type Report = z.infer<typeof ReportSchema>;
export type ReportInput = z.input<typeof ReportSchema>;

export const reportMarker = "<!-- parallel-coordinator:report -->";
