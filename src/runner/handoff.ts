/**
 * What one job of the agent workflow hands the next, as files in an artifact:
 * data only, read with size caps and validated, never trusted for more than
 * it is. The agent job's folder is the agent's to write (it may forge any of
 * it); the verify job's `change.json` is pinned by the SHA-256 the verify job
 * sets as a job output before any repository code runs there, which no later
 * process can change.
 *
 *   <RUNNER_TEMP>/parallel-coordinator/agent/     agent.json, change.patch        (agent → verify)
 *   <RUNNER_TEMP>/parallel-coordinator/verified/  change.json, change.patch,
 *                                                 acceptance.json                 (verify → publish)
 */
import { createHash } from "node:crypto";
import { lstatSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { ReportSchema } from "../report/reportSchema.js";

/** The folder of the runner's own files in the job, and of each hand-over. */
export function runnerFolder(runnerTemp: string, name: "agent" | "verified" | "git-agent" | "git-verify"): string {
  return join(runnerTemp, "parallel-coordinator", name);
}

export const PATCH_FILE = "change.patch";
export const AGENT_FILE = "agent.json";
export const CHANGE_FILE = "change.json";
export const ACCEPTANCE_FILE = "acceptance.json";
/** agent.json and acceptance.json are small (the agent's report is at most 1 MiB). */
const JSON_BYTES = 4 * 1024 * 1024;

const objectId = z.string().regex(/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/, "an object id");
const text = (max: number) => z.string().max(max);

/** The fields of the report an agent may fill (see agentReport.ts): each absent unless the agent gave it, no defaults. */
export const AgentReportSchema = z
  .object({
    status: ReportSchema.shape.status.optional(),
    summary: ReportSchema.shape.summary.unwrap().optional(),
    changes: ReportSchema.shape.changes.unwrap().optional(),
    integrationPoints: ReportSchema.shape.integrationPoints.unwrap().optional(),
    blockers: ReportSchema.shape.blockers.unwrap().optional(),
    agent: ReportSchema.shape.agent,
    usage: ReportSchema.shape.usage,
  })
  .strict();

/** agent.json: how the agent's run went, beside its patch. */
export const AgentHandoffSchema = z
  .object({
    version: z.literal(1),
    key: z.string(),
    /** The commit the agent started from; the patch is against it. */
    start: objectId,
    /** Why the run cannot count as done (a crash, the time limit). */
    failure: text(10_000).optional(),
    agent: AgentReportSchema,
    notes: z.array(text(2_000)).max(50),
  })
  .strict();
export type AgentHandoff = z.infer<typeof AgentHandoffSchema>;

const Mode = z.enum(["100644", "100755", "120000", "160000"]);

/** One file of the verified change: what the publish job writes, or removes. */
export const ChangedFileSchema = z
  .object({
    path: z.string().min(1).max(4_096),
    status: z.enum(["added", "modified", "deleted"]),
    /** The mode after the change; for a deleted file, the mode it had. */
    mode: Mode,
    /** The new blob (or, for a submodule, commit); null when deleted. */
    sha: objectId.nullable(),
    /** The new bytes, base64; absent for deletions and submodules. */
    content: z.string().optional(),
  })
  .strict();
export type ChangedFile = z.infer<typeof ChangedFileSchema>;

/** change.json: the change as the verify step judged it, with everything the publish job needs and nothing it must run. */
export const VerifiedChangeSchema = z
  .object({
    version: z.literal(1),
    key: z.string(),
    start: objectId,
    /** The tree the change makes of the start commit's (when it has files): the publish job checks GitHub built the same. */
    tree: objectId.optional(),
    scopeMode: z.enum(["revert", "report"]),
    failure: text(10_000).optional(),
    agent: AgentReportSchema,
    notes: z.array(text(4_000)).max(500),
    files: z.array(ChangedFileSchema),
    outOfScope: z.array(z.object({ file: z.string().min(1), reverted: z.boolean() }).strict()),
  })
  .strict();
export type VerifiedChange = z.infer<typeof VerifiedChangeSchema>;

/** acceptance.json: the acceptance commands' results (written where repository code runs: data, not proof). */
export const AcceptanceSchema = z
  .object({
    version: z.literal(1),
    key: z.string(),
    acceptance: ReportSchema.shape.acceptance.unwrap().max(200),
    notes: z.array(text(2_000)).max(50),
  })
  .strict();
export type AcceptanceResult = z.infer<typeof AcceptanceSchema>;

/** A hand-over folder, emptied: what an earlier run (or the agent) left there must not speak for this one. */
export function freshFolder(path: string): string {
  rmSync(path, { recursive: true, force: true });
  mkdirSync(path, { recursive: true });
  return path;
}

export type Read<T> = { ok: true; value: T } | { ok: false; reason: string };

/** A regular file of a hand-over folder (never a link), at most `maxBytes`. */
export function readHandoffBytes(folder: string, name: string, maxBytes: number): Read<Buffer> {
  const path = join(folder, name);
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return { ok: false, reason: `\`${name}\` is missing` };
  }
  if (!stat.isFile()) return { ok: false, reason: `\`${name}\` is not a file` };
  if (stat.size > maxBytes)
    return { ok: false, reason: `\`${name}\` is ${stat.size} bytes, over the ${maxBytes} allowed` };
  return { ok: true, value: readFileSync(path) };
}

/** JSON bytes of a hand-over file, validated with its schema. */
export function parseHandoff<T extends z.ZodType>(name: string, bytes: Buffer, schema: T): Read<z.infer<T>> {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    return { ok: false, reason: `\`${name}\` is not JSON (${(error as Error).message})` };
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return {
      ok: false,
      reason: `\`${name}\` is not valid: ${first === undefined ? "" : `${first.path.join(".")}: ${first.message}`}`,
    };
  }
  return { ok: true, value: parsed.data };
}

/** Writes a JSON hand-over file; returns its bytes. */
export function writeHandoffJson(folder: string, name: string, value: unknown): Buffer {
  const bytes = Buffer.from(`${JSON.stringify(value)}\n`, "utf8");
  writeFileSync(join(folder, name), bytes);
  return bytes;
}

/** A JSON hand-over file of at most `maxBytes`, validated with its schema. */
export function readHandoffJson<T extends z.ZodType>(
  folder: string,
  name: string,
  schema: T,
  maxBytes = JSON_BYTES,
): Read<z.infer<T>> {
  const read = readHandoffBytes(folder, name, maxBytes);
  return read.ok ? parseHandoff(name, read.value, schema) : read;
}

/** The SHA-256 of bytes, as the verify job's `digest` output writes it. */
export function digestOf(bytes: Buffer): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

/** The largest change.json the publish job reads: max-change-bytes (at most 32 MiB) in base64, with room. */
export const CHANGE_FILE_BYTES = 64 * 1024 * 1024;

/** A hand-over file whose SHA-256 must be `digest` (the verify job's output). */
export function readDigested(folder: string, name: string, digest: string): Read<Buffer> {
  const read = readHandoffBytes(folder, name, CHANGE_FILE_BYTES);
  if (!read.ok) return read;
  const found = digestOf(read.value);
  if (found !== digest)
    return {
      ok: false,
      reason: `\`${name}\` is not what the verify job verified: its SHA-256 is ${found}, the verify job's output says ${digest}`,
    };
  return read;
}
