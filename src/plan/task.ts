import { z } from "zod";

/**
 * One acceptance criterion: a command to run (`run`) or a check a person or
 * agent verifies (`check`). Markdown ✅ lines become checks; YAML `- run: …`
 * becomes a command.
 */
export const AcceptanceSchema = z.union([
  z.object({ run: z.string().min(1) }).strict(),
  z.object({ check: z.string().min(1) }).strict(),
]);
export type Acceptance = z.infer<typeof AcceptanceSchema>;

/**
 * A task as the breakdown states it, before batching. This is also the shape
 * of the plain task objects that sub-issues are read into, and of a YAML plan's
 * `tasks:` entries (where an acceptance line may be a bare string).
 */
export const TaskSchema = z
  .object({
    id: z.string().min(1),
    title: z.string().min(1),
    domain: z.string().min(1).optional(),
    agent: z.string().min(1).optional(),
    /** Minutes. Optional here so that its absence is reported with the task's place. */
    estimate: z.number().positive().optional(),
    files: z.array(z.string().min(1)).default([]),
    needs: z.array(z.string().min(1)).default([]),
    /** The "Tasks" / "Scope" items: what to do. */
    steps: z.array(z.string()).default([]),
    accept: z.array(AcceptanceSchema).default([]),
    notToDo: z.array(z.string()).default([]),
    /** "Context" items: what the task itself says. */
    context: z.array(z.string()).default([]),
    /** The text of the sections it sits in (its phase, a SYNC POINT it builds on), placed by the reader: the brief carries it first. */
    around: z.array(z.string()).optional(),
    /** "Output" items: what the task hands on. */
    output: z.array(z.string()).default([]),
    /** The phase heading the task sits under, if any. */
    phase: z.string().optional(),
    /** Where the task starts in its source (1-based line), for messages. */
    line: z.number().int().positive().optional(),
    /** Where some of its fields are written (1-based lines): a problem with one is reported there, not at the heading. */
    fieldLines: z
      .object({
        estimate: z.number().int().positive(),
        files: z.number().int().positive(),
        needs: z.number().int().positive(),
      })
      .partial()
      .strict()
      .optional(),
  })
  .strict();
export type Task = z.infer<typeof TaskSchema>;
export type TaskInput = z.input<typeof TaskSchema>;
