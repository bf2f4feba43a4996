import { requestFailure, type GitHubClient } from "../github/calls/githubClient.js";
import { statusOf } from "../github/calls/httpErrors.js";
import { git, gitOk, type GitOptions } from "./git.js";

/** The batch's one commit, from what the scope guard left staged. Hooks do not run: the checks are the runner's. */
export async function commitStaged(options: GitOptions, message: string): Promise<string> {
  await gitOk(options, ["-c", "commit.gpgsign=false", "commit", "-q", "--no-verify", "-m", message]);
  return (await gitOk(options, ["rev-parse", "HEAD"])).trim();
}

export function commitMessage(issue: number, batch: string, title: string, key: string, runUrl: string): string {
  return `${title}\n\nIssue #${issue}, batch ${batch} (${key}).\nRun: ${runUrl}\n`;
}

/** Pushes the domain branch (never forced): a branch that moved on meanwhile is a failure to report. */
export async function push(options: GitOptions, branch: string): Promise<string | undefined> {
  const result = await git(options, ["push", "--quiet", "origin", `HEAD:refs/heads/${branch}`]);
  if (result.code === 0) return undefined;
  const why = (result.stderr || result.stdout).trim().split("\n").slice(-3).join(" / ");
  return `Pushing \`${branch}\` failed: ${why}`;
}

/** What the runner keeps of a pull request. */
export interface PullRequest {
  number: number;
  html_url: string;
}

export type Delivery = { kind: "pull request"; pull: PullRequest; created: boolean } | { kind: "comment"; url: string };

/** The repository the run is in, and the client on the action's token. */
export interface Repository {
  github: GitHubClient;
  owner: string;
  repo: string;
}

/** The open pull request from `branch` into `base`, if any (`head` needs the owner: a bare branch name is ignored). */
async function openPullRequest({ github, owner, repo }: Repository, branch: string, base: string): Promise<PullRequest | undefined> {
  const { data } = await github.rest.pulls.list({ owner, repo, head: `${owner}:${branch}`, base, state: "open", per_page: 10 });
  return data[0];
}

async function updatePullRequest({ github, owner, repo }: Repository, pull: PullRequest, title: string, body: string): Promise<PullRequest> {
  const { data } = await github.rest.pulls.update({ owner, repo, pull_number: pull.number, title, body });
  return { number: data.number, html_url: data.html_url };
}

/**
 * Puts the report where the app reads it: the domain branch's open pull
 * request into the base (updated: title and body), or a new one when the
 * branch has commits the base lacks; otherwise a comment on the issue.
 */
export async function deliver(
  repository: Repository,
  where: { issue: number; branch?: string; base: string; canOpen: boolean },
  title: string,
  body: (place: "pull request" | "comment", note?: string) => string,
): Promise<Delivery> {
  const { github, owner, repo } = repository;
  let note: string | undefined;
  if (where.branch !== undefined) {
    const branch = where.branch;
    const open = await openPullRequest(repository, branch, where.base);
    if (open !== undefined) return { kind: "pull request", pull: await updatePullRequest(repository, open, title, body("pull request")), created: false };
    if (where.canOpen) {
      try {
        const { data } = await github.rest.pulls.create({ owner, repo, title, head: branch, base: where.base, body: body("pull request") });
        return { kind: "pull request", pull: { number: data.number, html_url: data.html_url }, created: true };
      } catch (error) {
        const status = statusOf(error);
        if (status === 403) {
          // GITHUB_TOKEN where "Allow GitHub Actions to create and approve pull requests" is off: the report still reaches the app.
          note = `The pull request could not be opened (${requestFailure(error)}); the commit is on \`${branch}\`. Use an App token (see the agent workflow template) or allow GitHub Actions to create pull requests.`;
        } else {
          // Opened meanwhile (a re-run): update that one.
          if (status !== 422) throw error;
          const raced = await openPullRequest(repository, branch, where.base);
          if (raced !== undefined) return { kind: "pull request", pull: await updatePullRequest(repository, raced, title, body("pull request")), created: false };
          note = `The pull request could not be opened (${requestFailure(error)}); the commit is on \`${branch}\`.`;
        }
      }
    }
  }
  const { data } = await github.rest.issues.createComment({ owner, repo, issue_number: where.issue, body: body("comment", note) });
  return { kind: "comment", url: data.html_url };
}
