import type { WrittenEffect } from "../../render/writtenEffect.js";
import type { IssueRef, Octokit } from "./githubTypes.js";

const conclusions = { accept: "success", minor: "neutral", major: "failure" } as const;

type CheckRunEffect = Extract<WrittenEffect, { kind: "checkRun" }>;

/** Names the run checked in: a check run with it on the head is this check-in's, made in a step that then failed. */
function externalId(where: IssueRef, batch: string, run: number): string {
  return `pc-${where.issue}-${batch}-${run}`;
}

/** The issue, batch and run of a check-in's check run, from its external id; undefined for any other check run. */
export function checkedRun(externalId: string | null): { issue: number; batch: string; run: number } | undefined {
  const match = /^pc-(\d+)-(.+)-(\d+)$/.exec(externalId ?? "");
  return match === null ? undefined : { issue: Number(match[1]), batch: match[2]!, run: Number(match[3]) };
}

/** The check-in's verdict on the batch's pull request head, with an annotation per out-of-scope file. */
export async function createCheckRun(
  octokit: Octokit,
  where: IssueRef,
  effect: CheckRunEffect,
  position: number,
  at: string,
): Promise<void> {
  await octokit.rest.checks.create({
    owner: where.owner,
    repo: where.repo,
    name: checkName(position),
    head_sha: effect.sha,
    status: "completed",
    conclusion: conclusions[effect.verdict],
    completed_at: at,
    external_id: externalId(where, effect.batch, effect.run),
    ...(effect.actions.length === 0 ? {} : { actions: effect.actions }),
    output: {
      title: effect.title,
      summary: effect.summary,
      // GitHub takes at most 50 annotations per request.
      annotations: effect.outOfScope.slice(0, 50).map((path) => ({
        path,
        start_line: 1,
        end_line: 1,
        annotation_level: effect.verdict === "major" ? ("failure" as const) : ("warning" as const),
        message: `Outside batch ${position}'s scope: leave this file to its owner.`,
      })),
    },
    // One that failed on GitHub's side may still have been made: retried by the step, which looks first.
    request: { retries: 0 },
  });
}

/**
 * Whether this check-in's check run is already there (GitHub has no idempotency
 * key for check runs): on the head, or — when the head is a merge, as after the
 * app brought the batch's branch up to date for a redo — on the head it merged
 * into, where a step that failed after the sync had posted it.
 */
export async function hasCheckRun(
  octokit: Octokit,
  where: IssueRef,
  effect: CheckRunEffect,
  position: number,
): Promise<boolean> {
  const on = async (ref: string) =>
    (await checkRunOf(octokit, where, ref, position, effect.batch, effect.run)) !== undefined;
  if (await on(effect.sha)) return true;
  const { data: head } = await octokit.rest.repos.getCommit({
    owner: where.owner,
    repo: where.repo,
    ref: effect.sha,
    per_page: 1,
  });
  const merged = head.parents.length > 1 ? head.parents[0]?.sha : undefined;
  return merged !== undefined && (await on(merged));
}

/** Whether the check-in's check run of a run on `sha` found changes outside the scope (an annotation each); undefined when there is none. */
export async function checkRunFoundOutOfScope(
  octokit: Octokit,
  where: IssueRef,
  sha: string,
  position: number,
  batch: string,
  run: number,
): Promise<boolean | undefined> {
  const own = await checkRunOf(octokit, where, sha, position, batch, run);
  return own === undefined ? undefined : own.output.annotations_count > 0;
}

/** The check-in's check run of a batch's run on `ref`, found by its external id. */
async function checkRunOf(
  octokit: Octokit,
  where: IssueRef,
  ref: string,
  position: number,
  batch: string,
  run: number,
) {
  const { data } = await octokit.rest.checks.listForRef({
    owner: where.owner,
    repo: where.repo,
    ref,
    check_name: checkName(position),
    filter: "all",
    per_page: 100,
  });
  return data.check_runs.find((candidate) => candidate.external_id === externalId(where, batch, run));
}

function checkName(position: number): string {
  return `parallel-coordinator / batch ${position}`;
}
