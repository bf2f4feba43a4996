import { ProbotOctokit } from "probot";
import type { Octokit } from "../../src/github/calls/githubTypes.js";

/** A real Probot Octokit with a fixed token, no retries and no throttling: requests go to nock. */
export function octokit(): Octokit {
  return new ProbotOctokit({
    auth: { token: "test-token" },
    retry: { enabled: false },
    throttle: { enabled: false },
  }) as Octokit;
}

export const where = { owner: "acme", repo: "app", issue: 12 };
export const repo = "/repos/acme/app";

/** An issue comment as GitHub answers it. */
export function apiComment(
  id: number,
  body: string,
  login = "parallel-coordinator[bot]",
  type: "Bot" | "User" = "Bot",
): Record<string, unknown> {
  return {
    id,
    node_id: `IC_${id}`,
    url: `https://api.github.com/repos/acme/app/issues/comments/${id}`,
    html_url: `https://github.com/acme/app/issues/12#issuecomment-${id}`,
    body,
    user: { login, id: id + 1_000_000, type },
    created_at: "2026-01-05T09:00:00Z",
    updated_at: "2026-01-05T09:00:00Z",
    issue_url: "https://api.github.com/repos/acme/app/issues/12",
    author_association: type === "Bot" ? "NONE" : "OWNER",
  };
}
