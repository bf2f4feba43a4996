import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { COMMAND_LINE } from "../render/batchBrief.js";

/** The environment variable holding the brief file's path, for the agent. */
export const BRIEF_VARIABLE = "PARALLEL_COORDINATOR_BRIEF";

/**
 * Writes the brief, byte for byte as dispatched, to a new private folder
 * outside the repository (under `RUNNER_TEMP` on a runner), and returns the
 * file's path. The agent reads it from there: the text never becomes part of
 * a command line.
 */
export function writeBriefFile(brief: string, parent: string | undefined): string {
  const dir = mkdtempSync(join(parent !== undefined && parent !== "" ? parent : tmpdir(), "parallel-coordinator-"));
  const path = join(dir, "brief.md");
  writeFileSync(path, brief, { encoding: "utf8", mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

export interface BriefHeader {
  position: number;
  total: number;
  title: string;
}

/** `**Batch**: 2 of 6 - Title`, the brief's first line (src/render/batchBrief.ts writes it). */
export function briefHeader(brief: string): BriefHeader | undefined {
  const first = brief.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
  const match = /^\*\*Batch\*\*: (\d+) of (\d+) - (.*)$/.exec(first.trim());
  if (match === null) return undefined;
  return { position: Number(match[1]), total: Number(match[2]), title: match[3]!.trim() };
}

/**
 * The acceptance commands of a brief: the items of its "Check-in criteria"
 * section that are a code span followed by "passes" (how the brief writes a
 * task's `run:` criterion). Other items are for people and the agent.
 */
export function briefChecks(brief: string): string[] {
  const lines = brief.replace(/\r\n?/g, "\n").split("\n");
  const start = lines.findIndex((line) => line.trimEnd() === "**Check-in criteria**:");
  if (start === -1) return [];
  const checks: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith("**")) break;
    const match = COMMAND_LINE.exec(line.trimEnd());
    if (match !== null && !match[2]!.includes(match[1]!)) checks.push(match[2]!);
  }
  return checks;
}
