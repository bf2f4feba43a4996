import type { Plan } from "../../plan/planModel.js";
import { renderDashboard } from "../../render/dashboard.js";
import { encodeState } from "../../state/codec.js";
import type { State } from "../../state/stateSchema.js";
import { dashboardView } from "../../state/dashboardView.js";
import { dashboardMarker } from "./markers.js";
import { stateFromComments } from "./loadState.js";
import { listComments } from "../calls/issueComments.js";
import { withFaultBanner } from "../../render/faultBanner.js";
import type { Comment, IssueRef, Octokit } from "../calls/githubTypes.js";

/**
 * The dashboard comment's body: the rendered plan and progress, then the signed state.
 * `subIssues`: the sub-issue that mirrors each batch, when the config mirrors them.
 */
export function dashboardBody(
  plan: Plan,
  state: State,
  repoUrl: string,
  key: Buffer,
  subIssues?: Readonly<Record<string, number>>,
): string {
  return `${renderDashboard(plan, dashboardView(plan, state, repoUrl, subIssues))}\n\n${dashboardMarker}\n${encodeState(state, key)}`;
}

/** GitHub's limit for a comment's body. */
const COMMENT_LIMIT = 65_536;

/**
 * A new or re-planned coordination whose dashboard would leave no room for
 * what it keeps as it goes (runs, findings, bounded report excerpts: about
 * 400 characters a batch, measured on a 100-batch run): its size and the
 * limit, or undefined when it fits. One that does not would fail to write its
 * state half-way; it is refused before anything starts instead.
 */
export function tooLargeToStart(
  plan: Plan,
  state: State,
  repoUrl: string,
  key: Buffer,
): { size: number; limit: number } | undefined {
  const size = dashboardBody(plan, state, repoUrl, key).length;
  const limit = COMMENT_LIMIT - 2_000 - 400 * plan.batches.length;
  return size > limit ? { size, limit } : undefined;
}

/**
 * Writes the state: edits the one dashboard comment in place (never re-posts
 * it), or posts it the first time. Writes nothing when the body is unchanged.
 * The dashboard as written.
 */
export async function ensureDashboard(
  octokit: Octokit,
  where: IssueRef,
  dashboard: Comment | undefined,
  body: string,
): Promise<Comment> {
  if (dashboard === undefined) {
    const { data } = await octokit.rest.issues.createComment({
      owner: where.owner,
      repo: where.repo,
      issue_number: where.issue,
      body,
    });
    return {
      id: data.id,
      body,
      author: data.user?.login ?? "",
      bot: true,
      createdAt: data.created_at,
      updatedAt: data.updated_at,
    };
  }
  if (dashboard.body === body) return dashboard;
  const { data } = await octokit.rest.issues.updateComment({
    owner: where.owner,
    repo: where.repo,
    comment_id: dashboard.id,
    body,
  });
  return { ...dashboard, body, updatedAt: data.updated_at };
}

/**
 * Puts a banner at the top of the issue's dashboard, or takes it off
 * (`banner` undefined): outside the signed state, so no state is written and
 * the journal's fingerprint stays. Nothing when the issue has no dashboard.
 */
export async function showOnDashboard(
  octokit: Octokit,
  where: IssueRef,
  key: Buffer,
  banner: string | undefined,
): Promise<void> {
  const { dashboard } = stateFromComments(await listComments(octokit, where), key, where.issue);
  if (dashboard === undefined) return;
  const body = withFaultBanner(dashboard.body, banner);
  if (body !== dashboard.body)
    await octokit.rest.issues.updateComment({ owner: where.owner, repo: where.repo, comment_id: dashboard.id, body });
}
