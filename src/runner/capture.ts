/**
 * The agent's change as data: a binary patch of its working tree against the
 * commit it started from — untracked files included, mode changes and
 * renames visible — made in a repository of the runner's own that borrows
 * the checkout's objects. The agent's `.git` (its hooks, config, includes,
 * filters, monitor, its own commits and branches) plays no part: what the
 * agent leaves in the working tree is the change.
 */
import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPORT_PATH } from "../render/batchBrief.js";
import { gitOk, ownRepository, type ObjectStore } from "./git.js";

/** Writes the patch of `workTree` against `start` to `patchPath` (`.parallel-coordinator/` left out); returns its size in bytes, 0 when nothing changed. */
export async function captureChange(
  store: ObjectStore,
  workTree: string,
  start: string,
  gitDir: string,
  patchPath: string,
): Promise<number> {
  const own = await ownRepository(gitDir, store, workTree);
  writeFileSync(join(gitDir, "info", "exclude"), `/${REPORT_PATH.split("/")[0]}/\n`);
  await gitOk(own, ["read-tree", start]);
  await gitOk(own, ["add", "--all", "--", "."]);
  const tree = (await gitOk(own, ["write-tree"])).stdout.trim();
  await gitOk(own, ["diff-tree", "-p", "--binary", "--full-index", "-M", `--output=${patchPath}`, start, tree]);
  return statSync(patchPath).size;
}
