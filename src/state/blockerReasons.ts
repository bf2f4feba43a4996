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

/** The batch's pull request conflicts with the integration branch. `files`: undefined when they could not be listed. */
export function mergeConflictBlocker(
  stopped: Stopped,
  pr: number | undefined,
  files: readonly string[] | undefined,
): string {
  const { branch, integration, number } = stopped;
  return [
    `Merge conflict: ${pull(pr)} from ${branch} cannot merge into ${integration}.`,
    conflictFiles(files),
    `${owner(stopped.batch)} resolves it on ${branch}, then \`/approve ${number} <SHA of the resolved head>\` merges the pull request at that head, or \`/retry ${number}\` runs the batch again.`,
  ].join(" ");
}

/** The domain branch conflicts with the integration branch it is brought up to date with before a run. */
export function syncConflictBlocker(stopped: Stopped, files: readonly string[] | undefined): string {
  const { branch, integration, number } = stopped;
  return [
    `Merge conflict: ${branch} cannot be brought up to date with ${integration}.`,
    conflictFiles(files),
    `${owner(stopped.batch)} resolves it on ${branch} (merging ${integration} into it), then \`/retry ${number}\` runs the batch on it.`,
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

function conflictFiles(files: readonly string[] | undefined): string {
  if (files === undefined)
    return "The files in conflict could not be listed: GitHub would not compare the branches, or the comparison was too large to list.";
  if (files.length === 0) return "GitHub's comparison shows no file changed differently on both sides.";
  const more = files.length - CONFLICT_FILES_SHOWN;
  return `Files changed on both sides: ${files.slice(0, CONFLICT_FILES_SHOWN).map(codeSpan).join(", ")}${more > 0 ? ` and ${more} more` : ""}.`;
}

/** The branch's owner: the batch's domain, and its agent when the breakdown names one. */
function owner(batch: Batch): string {
  return `The owner, the ${batch.domain} domain${batch.agent === undefined ? "" : ` (agent ${codeSpan(batch.agent)})`},`;
}
