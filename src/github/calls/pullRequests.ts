import type { WrittenEffect } from "../../render/writtenEffect.js";
import type { Effect } from "../../state/effects.js";
import type { Event } from "../../state/events.js";
import { PULL_FILES_LISTED, type ChangedFile, type Evidence } from "../../state/checkIn.js";
import { reportFrom } from "../../report/reportBlock.js";
import { reportMarker } from "../../report/reportSchema.js";
import { messageOf, statusOf } from "./httpErrors.js";
import { branchSha } from "./branches.js";
import { conflictingFiles } from "./conflictingFiles.js";
import { treeEntries } from "./treeEntries.js";
import type { Comment, IssueRef, Octokit } from "./githubTypes.js";

/** Which run's evidence to gather, and what it takes to trust it. */
export interface EvidenceQuery {
  /** The batch's domain branch and the integration branch its pull request goes into. */
  branch: string;
  base: string;
  runId: number;
  /** Who may write the report (state/reportWriters.ts). */
  writers: readonly string[];
  /** Whether the batch's scope allows symlinks: only then are their targets read, to be judged. */
  symlinks: boolean;
}

/**
 * What GitHub shows of a batch run: the pull request from its domain branch
 * (found by `head=owner:branch`: a bare branch name is silently ignored and
 * every pull request comes back), its changed files with their modes in the
 * head's tree, and the runner's report from its body — or, when nothing was
 * committed, from a comment on the issue. A report counts only when one of
 * `writers` wrote it: the comment's author, or the pull request's, who alone
 * besides people with write access can edit its body.
 */
export async function evidenceOf(
  octokit: Octokit,
  where: IssueRef,
  query: EvidenceQuery,
  comments: Comment[],
): Promise<Evidence> {
  const { branch, base, runId, writers } = query;
  const { data: pulls } = await octokit.rest.pulls.list({
    owner: where.owner,
    repo: where.repo,
    head: `${where.owner}:${branch}`,
    base,
    state: "all",
    per_page: 10,
  });
  // The domain branch serves all the domain's batches: a closed pull request is an earlier
  // batch's or run's, unless its report is this run's — merged, or closed for a redo, in a
  // step that then failed (a closed pull request keeps its head: its files are the run's).
  const pull =
    pulls.find((candidate) => candidate.state === "open") ??
    pulls.find((candidate) => {
      const found = reportFrom(candidate.body);
      return found.ok && found.report.run === runId;
    });
  if (pull === undefined) {
    // The runner's comment is not the app's: it counts only for the run the app dispatched.
    const posted = comments
      .filter((comment) => comment.bot && writers.includes(comment.author) && comment.body.includes(reportMarker))
      .map((comment) => reportFrom(comment.body))
      .filter((result) => result.ok && result.report.run === runId);
    return {
      report: posted[posted.length - 1] ?? { ok: false, reason: "no pull request and no report comment for this run" },
    };
  }
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
  const headSha = pull.head.sha;
  const present = listed.filter((file) => file.status !== "removed").map((file) => file.filename);
  const entries = await treeEntries(octokit, where, headSha, present);
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
  const merged = pull.merged_at !== null;
  const opener = pull.user?.login ?? "ghost";
  return {
    pr: {
      number: pull.number,
      headSha,
      files,
      changedFiles,
      merged,
      // Merged already: the integration branch's head as it is now, which has the merge.
      ...(merged ? { baseSha: await branchSha(octokit, where, base) } : {}),
    },
    report: writers.includes(opener)
      ? reportFrom(pull.body)
      : {
          ok: false,
          reason: `#${pull.number} was opened by @${opener}, not by the agent workflow: its description is no report`,
        },
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
