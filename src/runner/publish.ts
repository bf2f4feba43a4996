import { git, gitOk, type GitOptions } from "./git.js";
import { GitHubApiError, type GitHub, type PullRequest } from "./github.js";

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

/** Whether the branch has commits that the base lacks (GitHub opens no pull request without one). */
export async function aheadOfBase(options: GitOptions, base: string): Promise<boolean> {
  const count = await git(options, ["rev-list", "--count", `refs/remotes/origin/${base}..HEAD`]);
  return count.code === 0 && Number(count.stdout.trim()) > 0;
}

export type Delivery = { kind: "pull request"; pull: PullRequest; created: boolean } | { kind: "comment"; url: string };

/**
 * Puts the report where the app reads it: the domain branch's open pull
 * request into the base (updated: title and body), or a new one when the
 * branch has commits the base lacks; otherwise a comment on the issue.
 */
export async function deliver(
  github: GitHub,
  where: { issue: number; branch?: string; base: string; canOpen: boolean },
  title: string,
  body: (place: "pull request" | "comment", note?: string) => string,
): Promise<Delivery> {
  let note: string | undefined;
  if (where.branch !== undefined) {
    const branch = where.branch;
    const open = await github.openPullRequest(branch, where.base);
    if (open !== undefined) return { kind: "pull request", pull: await github.updatePullRequest(open.number, title, body("pull request")), created: false };
    if (where.canOpen) {
      try {
        return { kind: "pull request", pull: await github.createPullRequest(branch, where.base, title, body("pull request")), created: true };
      } catch (error) {
        if (!(error instanceof GitHubApiError)) throw error;
        if (error.status === 403) {
          // GITHUB_TOKEN where "Allow GitHub Actions to create and approve pull requests" is off: the report still reaches the app.
          note = `The pull request could not be opened (${error.message}); the commit is on \`${branch}\`. Use an App token (see the agent workflow template) or allow GitHub Actions to create pull requests.`;
        } else {
          // Opened meanwhile (a re-run): update that one.
          if (error.status !== 422) throw error;
          const raced = await github.openPullRequest(branch, where.base);
          if (raced !== undefined) return { kind: "pull request", pull: await github.updatePullRequest(raced.number, title, body("pull request")), created: false };
          note = `The pull request could not be opened (${error.message}); the commit is on \`${branch}\`.`;
        }
      }
    }
  }
  const posted = await github.comment(where.issue, body("comment", note));
  return { kind: "comment", url: posted.html_url };
}
