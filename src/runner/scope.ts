import { matchesAny } from "../plan/glob.js";
import { git, gitOk, zPaths, type GitOptions } from "./git.js";
import type { Scope } from "./inputs.js";

export const WORKFLOWS = ".github/workflows/";

/** Whether the batch may change a file: inside `allow`, outside `deny`, never a workflow (as the app checks it in). */
export function inScope(file: string, scope: Scope): boolean {
  if (file.startsWith(WORKFLOWS)) return false;
  return matchesAny(file, scope.allow) && !matchesAny(file, scope.deny);
}

export interface Change {
  file: string;
  kind: "added" | "modified" | "deleted";
}

export interface GuardResult {
  /** What stays staged for the commit. */
  changes: Change[];
  outOfScope: Array<{ file: string; reverted: boolean }>;
  /** The agent committed on its own: its commits were folded back into the working tree. */
  folded: number;
}

const KINDS: Record<string, Change["kind"]> = { A: "added", D: "deleted" };

/** Staged changes against `start`, one per path (no rename detection: a rename is a deletion and an addition). */
export async function stagedChanges(options: GitOptions, start: string): Promise<Change[]> {
  const fields = zPaths(await gitOk(options, ["diff", "--cached", "--name-status", "--no-renames", "-z", start, "--"]));
  const changes: Change[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) changes.push({ file: fields[i + 1]!, kind: KINDS[fields[i]!.charAt(0)] ?? "modified" });
  return changes;
}

async function revert(options: GitOptions, start: string, file: string): Promise<void> {
  const existed = (await git(options, ["cat-file", "-e", `${start}:${file}`])).code === 0;
  if (existed) {
    await gitOk(options, ["checkout", start, "--", file]);
  } else {
    await gitOk(options, ["rm", "-q", "--cached", "-f", "--", file]);
    await gitOk(options, ["clean", "-q", "-f", "--", file]);
  }
}

/**
 * Stages everything the agent changed since `start` (commits it made on its
 * own are folded back: the runner makes the batch's one commit), then puts
 * back every change outside the scope — or, in `report` mode, only lists it.
 * Changes under `.github/workflows/` are always put back.
 */
export async function guardScope(options: GitOptions, start: string, scope: Scope, mode: "revert" | "report"): Promise<GuardResult> {
  const head = (await gitOk(options, ["rev-parse", "HEAD"])).trim();
  let folded = 0;
  if (head !== start) {
    folded = Number((await git(options, ["rev-list", "--count", `${start}..${head}`])).stdout.trim()) || 1;
    await gitOk(options, ["reset", "-q", "--soft", start]);
  }
  await gitOk(options, ["add", "-A", "--", "."]);
  const outOfScope: GuardResult["outOfScope"] = [];
  for (const change of await stagedChanges(options, start)) {
    if (inScope(change.file, scope)) continue;
    const reverted = mode === "revert" || change.file.startsWith(WORKFLOWS);
    if (reverted) await revert(options, start, change.file);
    outOfScope.push({ file: change.file, reverted });
  }
  return { changes: await stagedChanges(options, start), outOfScope, folded };
}
