import type { WrittenEffect } from "../../render/writtenEffect.js";
import type { Effect } from "../../state/effects.js";
import type { Event } from "../../state/events.js";
import { PULL_FILES_LISTED, type ChangedFile, type Evidence } from "../../state/checkIn.js";
import type { PullRecord } from "../../state/runPull.js";
import type { Completion } from "../../state/reconcile.js";
import { reportFrom } from "../../report/reportBlock.js";
import { messageOf, statusOf } from "./httpErrors.js";
import { branchSha } from "./branches.js";
import { conflictingFiles } from "./conflictingFiles.js";
import { treeEntries } from "./treeEntries.js";
import type { IssueRef, Octokit } from "./githubTypes.js";

/** A pull request as GitHub lists it. */
interface ListedPull {
  number: number;
  state: string;
  body: string | null;
  merged_at: string | null;
  merge_commit_sha: string | null;
  head: { ref: string; sha: string };
  user: { login: string } | null;
}

/**
 * A pull request as a record the check-in reads. Its report counts only when
 * one of `writers` opened it (state/reportWriters.ts): its opener alone,
 * besides people with write access, can edit its body.
 */
function pullRecordOf(pull: ListedPull, writers: readonly string[]): PullRecord {
  const merged =
    pull.merged_at === null
      ? {}
      : { mergedAt: pull.merged_at, ...(pull.merge_commit_sha === null ? {} : { mergeSha: pull.merge_commit_sha }) };
  const opener = pull.user?.login ?? "ghost";
  return {
    number: pull.number,
    head: pull.head.ref,
    headSha: pull.head.sha,
    open: pull.state === "open",
    merged: pull.merged_at !== null,
    ...merged,
    report: writers.includes(opener)
      ? reportFrom(pull.body)
      : {
          ok: false,
          reason: `#${pull.number} was opened by @${opener}, not by the agent workflow: its description is no report`,
        },
  };
}

/**
 * The batch pull requests of a coordination: every pull request into its
 * integration branch, most recently changed first, each with its report when
 * one of `writers` opened it. One page of 100: the batches still to settle
 * have the newest changes.
 */
export async function listBatchPulls(
  octokit: Octokit,
  where: IssueRef,
  integration: string,
  writers: readonly string[],
): Promise<PullRecord[]> {
  const { data } = await octokit.rest.pulls.list({
    owner: where.owner,
    repo: where.repo,
    base: integration,
    state: "all",
    sort: "updated",
    direction: "desc",
    per_page: 100,
  });
  return data.map((pull) => pullRecordOf(pull, writers));
}

/**
 * What the check-in of a run reads on GitHub beyond the records: its pull
 * request's changed files with their modes in the head's tree (a symlink's
 * target too, when the batch's scope allows symlinks, to be judged), and —
 * when it is merged already — the integration branch's head as it is now,
 * which has the merge.
 */
export async function evidenceOf(
  octokit: Octokit,
  where: IssueRef,
  completion: Completion,
  query: { base: string; symlinks: boolean },
): Promise<Evidence> {
  const { pull, report } = completion;
  if (pull === undefined) return { report };
  const listed = await octokit.paginate(octokit.rest.pulls.listFiles, {
    owner: where.owner,
    repo: where.repo,
    pull_number: pull.number,
    per_page: 100,
  });
  // GitHub lists at most 3,000 files: only then is the count asked for.
  const changedFiles =
    listed.length < PULL_FILES_LISTED
      ? listed.length
      : (await octokit.rest.pulls.get({ owner: where.owner, repo: where.repo, pull_number: pull.number })).data
          .changed_files;
  const present = listed.filter((file) => file.status !== "removed").map((file) => file.filename);
  const entries = await treeEntries(octokit, where, pull.headSha, present);
  const files: ChangedFile[] = [];
  for (const file of listed) {
    const entry = file.status === "removed" ? undefined : entries.get(file.filename);
    const target = entry?.mode === SYMLINK && query.symlinks ? await blobText(octokit, where, entry.sha) : undefined;
    files.push({
      path: file.filename,
      ...(file.previous_filename === undefined ? {} : { previous: file.previous_filename }),
      ...(entry === undefined ? {} : { mode: entry.mode }),
      ...(target === undefined ? {} : { target }),
    });
  }
  return {
    pr: {
      number: pull.number,
      headSha: pull.headSha,
      files,
      changedFiles,
      merged: pull.merged,
      // Merged already: the integration branch's head as it is now, which has the merge.
      ...(pull.merged ? { baseSha: await branchSha(octokit, where, query.base) } : {}),
    },
    report,
  };
}

const SYMLINK = "120000";

/** A blob's content as text: a symlink's is its target. */
async function blobText(octokit: Octokit, where: IssueRef, sha: string): Promise<string> {
  const { data } = await octokit.rest.git.getBlob({ owner: where.owner, repo: where.repo, file_sha: sha });
  return Buffer.from(data.content, data.encoding === "base64" ? "base64" : "utf8").toString("utf8");
}

/**
 * Merges an accepted (or approved) batch's pull request into the integration
 * branch, at the head checked in (or approved) only. A refusal is a conflict (with
 * the files likely in it), a head moved since (with the head it has now), or
 * another reason GitHub gives.
 */
export async function mergeBatch(
  octokit: Octokit,
  where: IssueRef,
  effect: Extract<Effect, { kind: "merge" }>,
  method: "merge" | "squash" | "rebase",
  at: string,
): Promise<Event> {
  const approval = effect.approval === undefined ? {} : { approval: effect.approval };
  try {
    const { data } = await octokit.rest.pulls.merge({
      owner: where.owner,
      repo: where.repo,
      pull_number: effect.pr,
      sha: effect.sha,
      merge_method: method,
      commit_title: `${effect.title} (#${effect.pr})`,
    });
    return { kind: "merged", at, batch: effect.batch, sha: data.sha, ...approval };
  } catch (error) {
    const status = statusOf(error);
    if (status !== 405 && status !== 409 && status !== 422) throw error;
    const message = messageOf(error);
    const refused = {
      kind: "mergeRefused",
      at,
      batch: effect.batch,
      reason: `${message} (HTTP ${status}; merge method "${method}")`,
      ...approval,
    } as const;
    // Merged already — by this step before it failed, or by a person — is no refusal; nor is a closed one a conflict.
    const { data: pull } = await octokit.rest.pulls.get({
      owner: where.owner,
      repo: where.repo,
      pull_number: effect.pr,
    });
    // The `sha` sent is the head checked in (or approved): someone pushed to the batch since.
    if (status === 409 && /head branch was modified/i.test(message))
      return { ...refused, cause: "moved", head: pull.head.sha };
    if (pull.merged)
      return {
        kind: "merged",
        at,
        batch: effect.batch,
        sha: await branchSha(octokit, where, effect.base),
        ...approval,
      };
    if (pull.state === "closed")
      return {
        ...refused,
        reason: `#${effect.pr} was closed without merging. Reopen it, or \`/retry\` or \`/skip\` the batch.`,
        cause: "refused",
      };
    // 405 covers a method the repository forbids, a conflict, and branch protection; GitHub may not have computed `mergeable` yet.
    if (
      status === 409 ||
      pull.mergeable_state === "dirty" ||
      (pull.mergeable === null && /not mergeable|conflict/i.test(message))
    ) {
      const seen = await conflictingFiles(octokit, where, effect.base, effect.head);
      const integrationHead = seen.heads[effect.base];
      return {
        ...refused,
        cause: "conflict",
        ...(seen.files === undefined ? {} : { files: seen.files }),
        ...(integrationHead === undefined ? {} : { integrationHead }),
      };
    }
    return { ...refused, cause: "refused" };
  }
}

/** The pull request from the integration branch into the default branch; finds the one already open. */
export async function openFinalPullRequest(
  octokit: Octokit,
  where: IssueRef,
  effect: Extract<WrittenEffect, { kind: "openFinalPullRequest" }>,
  at: string,
): Promise<Event> {
  try {
    const { data } = await octokit.rest.pulls.create({
      owner: where.owner,
      repo: where.repo,
      head: effect.head,
      base: effect.base,
      title: effect.title,
      body: effect.body,
    });
    return { kind: "finalPullRequest", at, number: data.number };
  } catch (error) {
    if (statusOf(error) !== 422) throw error;
    const { data: open } = await octokit.rest.pulls.list({
      owner: where.owner,
      repo: where.repo,
      head: `${where.owner}:${effect.head}`,
      base: effect.base,
      state: "open",
    });
    // None is open and none can be (no commits between the branches): the finish says so.
    return open[0] === undefined
      ? { kind: "finalPullRequestRefused", at, reason: messageOf(error) }
      : { kind: "finalPullRequest", at, number: open[0].number };
  }
}
