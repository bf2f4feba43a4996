import type { Effect } from "../state/effects.js";
import type { IssueRef, Octokit } from "./types.js";

const conclusions = { accept: "success", minor: "neutral", major: "failure" } as const;

/** The check-in's verdict on the batch's pull request head, with an annotation per out-of-scope file. */
export async function createCheckRun(octokit: Octokit, where: IssueRef, effect: Extract<Effect, { kind: "checkRun" }>, position: number, at: string): Promise<void> {
  await octokit.rest.checks.create({
    owner: where.owner,
    repo: where.repo,
    name: `parallel-coordinator / batch ${position}`,
    head_sha: effect.sha,
    status: "completed",
    conclusion: conclusions[effect.verdict],
    completed_at: at,
    external_id: `pc-${where.issue}-${effect.batch}`,
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
  });
}
