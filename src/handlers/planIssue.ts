import type { Context } from "probot";
import { listSubIssues } from "../github/calls/subIssues.js";
import type { IssueRef } from "../github/calls/githubTypes.js";
import type { PlanResult } from "../schedule/planner.js";
import type { PlanRequest, PlanStopped } from "../schedule/planRequest.js";
import type { Deps } from "./deps.js";

/** An issue planned, and who wrote the sub-issues it was planned from (their bodies' commands are theirs). */
export interface PlannedIssue {
  result: PlanResult | PlanStopped;
  subIssueAuthors: string[];
}

/**
 * An issue planned off the event loop: its body, or, when the body holds no
 * breakdown, its sub-issues. Listing them is a GitHub call, so the worker says
 * when it needs them, and they are planned in the worker too: their text is an
 * issue's text as well.
 */
export async function planIssue(
  context: Pick<Context, "octokit">,
  deps: Deps,
  where: IssueRef,
  request: Omit<PlanRequest, "subIssues">,
): Promise<PlannedIssue> {
  const first = await deps.plan(request);
  if (!("noBreakdown" in first)) return { result: first, subIssueAuthors: [] };
  const subIssues = await listSubIssues(context.octokit, where);
  const second = await deps.plan({ ...request, subIssues });
  // With the sub-issues given, a plan always comes back: an empty list plans the body and says it holds no tasks.
  if ("noBreakdown" in second) throw new Error("a plan with its sub-issues given asked for them again");
  return { result: second, subIssueAuthors: subIssues.filter((sub) => sub.state === "open").map((sub) => sub.author) };
}
