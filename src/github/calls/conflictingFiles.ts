import { isTransient, statusOf } from "./httpErrors.js";
import type { IssueRef, Octokit } from "./githubTypes.js";

/** A file of a comparison, as much of it as is read: its path and blob. */
export interface ComparedFile {
  filename: string;
  sha: string | null;
}

/**
 * The files changed on both sides since the merge base, sorted: where a merge
 * of the two likely conflicts. A file changed to the same blob on both sides
 * merges cleanly (a squash-merged batch's own changes, met again), so it is left out.
 */
export function changedOnBothSides(ours: readonly ComparedFile[], theirs: readonly ComparedFile[]): string[] {
  const other = new Map(theirs.map((file) => [file.filename, file.sha]));
  return ours
    .filter((file) => other.has(file.filename) && (file.sha === null || file.sha !== other.get(file.filename)))
    .map((file) => file.filename)
    .sort();
}

/** The most files GitHub lists in one comparison. */
const comparisonCap = 300;

/** Where a merge conflicts, as far as GitHub's comparisons tell. */
export interface ConflictSeen {
  /** Undefined when they could not be listed. */
  files: string[] | undefined;
  /** Each branch's head as the comparisons saw it (a comparison's base commit), by branch name. */
  heads: Record<string, string>;
}

/**
 * The files a merge of `head` into `base` likely conflicts in. GitHub says only
 * that a merge conflicts, not where: two comparisons, one each way, give what
 * each side changed since their merge base, and each branch's head on the way.
 * Asked only once a merge has conflicted. No files when GitHub refuses a
 * comparison (a 4xx), or when a comparison too large to list in full shows
 * none: the blocker says the files could not be listed; a 5xx or a rate limit
 * fails the step, to be tried again.
 */
export async function conflictingFiles(
  octokit: Octokit,
  where: IssueRef,
  base: string,
  head: string,
): Promise<ConflictSeen> {
  const heads: Record<string, string> = {};
  const changed = async (from: string, to: string): Promise<ComparedFile[]> => {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
      owner: where.owner,
      repo: where.repo,
      basehead: `${from}...${to}`,
    });
    if (data.base_commit?.sha !== undefined) heads[from] = data.base_commit.sha;
    return data.files ?? [];
  };
  try {
    const [ours, theirs] = [await changed(base, head), await changed(head, base)];
    const files = changedOnBothSides(ours, theirs);
    // GitHub lists at most 300 files a comparison: past that, "none on both sides" would be a guess.
    return {
      files: files.length === 0 && Math.max(ours.length, theirs.length) >= comparisonCap ? undefined : files,
      heads,
    };
  } catch (error) {
    const status = statusOf(error);
    if (status !== undefined && status >= 400 && status < 500 && !isTransient(error))
      return { files: undefined, heads };
    throw error;
  }
}
