import type { Batch } from "../plan/planModel.js";
import { codeSpan } from "../base/markdownText.js";

/** Files a blocker names; the rest are counted. A blocker is kept in the state, which must fit one comment. */
export const CONFLICT_FILES_SHOWN = 20;

/** A batch whose branch would not merge, as its blocker names it. */
export interface Stopped {
  batch: Batch;
  /** The batch's number on the checklist, for the commands. */
  number: number;
  /** The domain branch, where a conflict is resolved. */
  branch: string;
  integration: string;
}

/** A conflicting file and the domain that owns it (absent when no domain does). */
export interface FileOwner {
  file: string;
  owner?: string;
}

const ranAgain = "Merge conflict again, after the batch ran once more on the up-to-date integration branch:";

/**
 * The batch's pull request conflicts with the integration branch: a second time (`again`), or as
 * a person approved it. `files`: undefined when they could not be listed. Both sides are named:
 * this batch's branch, and each file's owner.
 */
export function mergeConflictBlocker(
  stopped: Stopped,
  pr: number | undefined,
  files: readonly FileOwner[] | undefined,
  again: boolean,
): string {
  const { branch, integration, number } = stopped;
  return [
    `${again ? ranAgain : "Merge conflict:"} ${pull(pr)} from ${branch} (${side(stopped)}) cannot merge into ${integration}.`,
    conflictFiles(files),
    `A person who knows both sides resolves it on ${branch}, then \`/approve ${number} <SHA of the resolved head>\` merges the pull request at that head; \`/retry ${number}\` runs the batch again from the integration branch.`,
  ].join(" ");
}

/** The commits kept on the batch's domain branch conflict, a second time, with the integration branch it is brought up to date with before a run. */
export function syncConflictBlocker(stopped: Stopped, files: readonly FileOwner[] | undefined): string {
  const { branch, integration, number } = stopped;
  return [
    `${ranAgain} ${branch} (${side(stopped)}) cannot be brought up to date with ${integration}.`,
    conflictFiles(files),
    `A person who knows both sides resolves it on ${branch} (merging ${integration} into it), then \`/approve ${number} <SHA of the resolved head>\` merges the pull request at that head; \`/retry ${number}\` runs the batch again from the integration branch.`,
  ].join(" ");
}

/**
 * Someone pushed to the batch's pull request after its check-in: GitHub merges only the head
 * checked in. Not a conflict. `now`: the head it has instead, when GitHub said.
 */
export function headMovedBlocker(stopped: Stopped, pr: number | undefined, now: string | undefined): string {
  const { number } = stopped;
  return (
    `New commits arrived on ${pull(pr)} after its check-in${now === undefined ? "" : ` (its head is now \`${now}\`)`}, so it was not merged. ` +
    `\`/retry ${number}\` runs the batch again on its branch, new commits included, and checks that run in; ` +
    `\`/approve ${number} ${now ?? "<full commit SHA>"}\` merges the pull request at that head, unchecked.`
  );
}

function pull(pr: number | undefined): string {
  return pr === undefined ? "the pull request" : `#${pr}`;
}

function conflictFiles(files: readonly FileOwner[] | undefined): string {
  if (files === undefined)
    return "The files in conflict could not be listed: GitHub would not compare the branches, or the comparison was too large to list.";
  if (files.length === 0) return "GitHub's comparison shows no file changed differently on both sides.";
  const more = files.length - CONFLICT_FILES_SHOWN;
  const shown = files
    .slice(0, CONFLICT_FILES_SHOWN)
    .map(({ file, owner }) => `${codeSpan(file)} (${owner === undefined ? "no domain's" : `the ${owner} domain's`})`);
  return `Files changed on both sides, each with the domain that owns it: ${shown.join(", ")}${more > 0 ? ` and ${more} more` : ""}.`;
}

/** This batch's side of the conflict: its number, its domain, and its agent when the breakdown names one. */
function side(stopped: Stopped): string {
  const { batch, number } = stopped;
  return `batch ${number}'s side: the ${batch.domain} domain${batch.agent === undefined ? "" : `, agent ${codeSpan(batch.agent)}`}`;
}
