import { z } from "zod";
import type { WrittenEffect } from "../../render/writtenEffect.js";
import type { Event } from "../../state/events.js";
import { BranchRefused, ensureBranch, moveBranch, syncBranch } from "./branches.js";
import { conflictingFiles } from "./conflictingFiles.js";
import { messageOf, statusOf } from "./httpErrors.js";
import { findDispatchedRun } from "./workflowRuns.js";
import type { IssueRef, Octokit } from "./githubTypes.js";

// A dispatch that failed on GitHub's side may still have started a run: never re-sent blindly by
// Octokit's retry plugin, but retried by the step, which looks for the run first.
const noRetry = { retries: 0 };

// Octokit's typed method predates `return_run_details`; its answer is read here.
const RunDetailsSchema = z.object({ workflow_run_id: z.number().int().positive(), html_url: z.string().optional() });

/**
 * Dispatches a batch's run on its domain branch: creates the branch, moves it
 * back to the integration head (closing the pull request of the rejected work it
 * held) or brings it up to date first, as the engine decided, then starts the agent workflow and learns the run id at
 * once. A server that does not know `return_run_details` (GitHub Enterprise
 * Server before 3.21) answers 204 or refuses the field: the run is then found
 * later by the key in its name. With `since` (the coordination's start), a run
 * already dispatched with the effect's key since then is adopted instead of
 * dispatching again.
 */
export async function dispatchRun(
  octokit: Octokit,
  where: IssueRef,
  workflow: string,
  effect: Extract<WrittenEffect, { kind: "dispatch" }>,
  at: string,
  since: string | undefined,
): Promise<Event> {
  let fresh = false;
  if (effect.create !== undefined) {
    try {
      fresh = (await ensureBranch(octokit, where, effect.ref, effect.create)) === "created";
    } catch (error) {
      if (error instanceof BranchRefused)
        return { kind: "dispatchRefused", at, batch: effect.batch, reason: error.message };
      throw error;
    }
  }
  // A step that may have run before (see Journal) looks for its run first; a branch made just now has none.
  if (since !== undefined && !fresh) {
    const runId = await findDispatchedRun(octokit, where, workflow, effect.ref, effect.key, since);
    if (runId !== undefined) return { kind: "dispatched", at, batch: effect.batch, attempt: effect.attempt, runId };
  }
  // A branch left from before (an earlier coordination of the issue) holds nothing of this one's.
  const reset = effect.reset ?? (effect.create !== undefined && !fresh ? effect.create : undefined);
  if (reset !== undefined) {
    // Closed first: a closed pull request keeps the head it had, so a retried check-in of the rejected run still finds its files.
    if (effect.close !== undefined)
      await octokit.rest.pulls.update({
        owner: where.owner,
        repo: where.repo,
        pull_number: effect.close,
        state: "closed",
      });
    await moveBranch(octokit, where, effect.ref, reset);
  }
  if (effect.sync !== undefined && (await syncBranch(octokit, where, effect.ref, effect.sync)) === "conflict") {
    const seen = await conflictingFiles(octokit, where, effect.ref, effect.sync);
    const integrationHead = seen.heads[effect.sync];
    return {
      kind: "syncConflict",
      at,
      batch: effect.batch,
      branch: effect.ref,
      ...(seen.files === undefined ? {} : { files: seen.files }),
      ...(integrationHead === undefined ? {} : { integrationHead }),
    };
  }
  const route = "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches" as const;
  const request = {
    owner: where.owner,
    repo: where.repo,
    workflow_id: workflow,
    ref: effect.ref,
    inputs: effect.inputs,
  };
  try {
    let response;
    try {
      response = await octokit.request(route, { ...request, return_run_details: true, request: noRetry });
    } catch (error) {
      if (statusOf(error) !== 400 || !/return_run_details/i.test(messageOf(error))) throw error;
      response = await octokit.request(route, { ...request, request: noRetry });
    }
    const details = RunDetailsSchema.safeParse(response.data);
    return {
      kind: "dispatched",
      at,
      batch: effect.batch,
      attempt: effect.attempt,
      ...(details.success ? { runId: details.data.workflow_run_id } : {}),
    };
  } catch (error) {
    // 404: no such workflow; 422: inputs the workflow does not declare, or a bad ref.
    if (statusOf(error) === 404 || statusOf(error) === 422) {
      return {
        kind: "dispatchRefused",
        at,
        batch: effect.batch,
        reason: `${messageOf(error)}. Check that .github/workflows/${workflow} exists on ${effect.ref} and declares the inputs issue, batch, attempt, key, base, scope and brief.`,
      };
    }
    throw error;
  }
}
