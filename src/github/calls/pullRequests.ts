import type { WrittenEffect } from "../../render/writtenEffect.js";
import type { Effect } from "../../state/effects.js";
import type { Event } from "../../state/events.js";
import type { Evidence } from "../../state/checkIn.js";
import type { PullRecord } from "../../state/runPull.js";
import type { Completion } from "../../state/reconcile.js";
import { reportFrom } from "../../report/reportBlock.js";
import { messageOf, statusOf } from "./httpErrors.js";
import { branchSha } from "./branches.js";
import { conflictingFiles } from "./conflictingFiles.js";
import type { IssueRef, Octokit } from "./githubTypes.js";

/** A pull request as GitHub lists it, as a record the check-in reads. */
function pullRecordOf(pull: {
  number: number;
  state: string;
  body: string | null;
  merged_at: string | null;
  merge_commit_sha: string | null;
  head: { ref: string; sha: string };
}): PullRecord {
  const merged =
    pull.merged_at === null
      ? {}
      : { mergedAt: pull.merged_at, ...(pull.merge_commit_sha === null ? {} : { mergeSha: pull.merge_commit_sha }) };
  return {
    number: pull.number,
    head: pull.head.ref,
    headSha: pull.head.sha,
    open: pull.state === "open",
    merged: pull.merged_at !== null,
    ...merged,
    report: reportFrom(pull.body),
  };
}

/**
 * The batch pull requests of a coordination: every pull request into its
 * integration branch, most recently changed first. One page of 100: the
 * batches still to settle have the newest changes.
 */
export async function listBatchPulls(octokit: Octokit, where: IssueRef, integration: string): Promise<PullRecord[]> {
  const { data } = await octokit.rest.pulls.list({
    owner: where.owner,
    repo: where.repo,
    base: integration,
    state: "all",
    sort: "updated",
    direction: "desc",
    per_page: 100,
  });
  return data.map(pullRecordOf);
}

/**
 * What the check-in of a run reads on GitHub beyond the records: its pull
 * request's changed files, and — when it is merged already — the integration
 * branch's head as it is now, which has the merge.
 */
export async function evidenceOf(
  octokit: Octokit,
  where: IssueRef,
  completion: Completion,
  base: string,
): Promise<Evidence> {
  const { pull, report } = completion;
  if (pull === undefined) return { report };
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
    owner: where.owner,
    repo: where.repo,
    pull_number: pull.number,
    per_page: 100,
  });
  return {
    pr: {
      number: pull.number,
      headSha: pull.headSha,
      files: files.map((file) => file.filename),
      merged: pull.merged,
      ...(pull.merged ? { baseSha: await branchSha(octokit, where, base) } : {}),
    },
    report,
  };
}

/**
 * Merges an accepted batch's pull request into the integration branch. A refusal
 * is a conflict (with the files likely in it), a head moved since the check-in, or
 * another reason GitHub gives.
 */
export async function mergeBatch(
  octokit: Octokit,
  where: IssueRef,
  effect: Extract<Effect, { kind: "merge" }>,
  method: "merge" | "squash" | "rebase",
  at: string,
): Promise<Event> {
  try {
    const { data } = await octokit.rest.pulls.merge({
      owner: where.owner,
      repo: where.repo,
      pull_number: effect.pr,
      ...(effect.sha === undefined ? {} : { sha: effect.sha }),
      merge_method: method,
      commit_title: `${effect.title} (#${effect.pr})`,
    });
    return { kind: "merged", at, batch: effect.batch, sha: data.sha };
  } catch (error) {
    const status = statusOf(error);
    if (status !== 405 && status !== 409 && status !== 422) throw error;
    const message = messageOf(error);
    const refused = {
      kind: "mergeRefused",
      at,
      batch: effect.batch,
      reason: `${message} (HTTP ${status}; merge method "${method}")`,
    } as const;
    // The `sha` sent is the head checked in: someone pushed to the batch since.
    if (status === 409 && /head branch was modified/i.test(message)) return { ...refused, cause: "moved" };
    // Merged already — by this step before it failed, or by a person — is no refusal; nor is a closed one a conflict.
    const { data: pull } = await octokit.rest.pulls.get({
      owner: where.owner,
      repo: where.repo,
      pull_number: effect.pr,
    });
    if (pull.merged)
      return { kind: "merged", at, batch: effect.batch, sha: await branchSha(octokit, where, effect.base) };
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
      const files = await conflictingFiles(octokit, where, effect.base, effect.head);
      return { ...refused, cause: "conflict", ...(files === undefined ? {} : { files }) };
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
