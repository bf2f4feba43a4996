import { requestFailure, type GitHubClient } from "../github/calls/githubClient.js";
import { statusOf } from "../github/calls/httpErrors.js";
import type { ChangedFile, VerifiedChange } from "./handoff.js";

export function commitMessage(issue: number, batch: string, title: string, key: string, runUrl: string): string {
  return `${title}\n\nIssue #${issue}, batch ${batch} (${key}).\nRun: ${runUrl}\n`;
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

export type Published = { ok: true; sha: string } | { ok: false; reason: string };

type TreeEntry = {
  path: string;
  mode: ChangedFile["mode"];
  type: "blob" | "commit";
  sha?: string | null;
  content?: string;
};

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** A text file travels inside the tree request; other bytes as a blob of their own (one request each). */
async function treeEntry({ github, owner, repo }: Repository, file: ChangedFile): Promise<TreeEntry> {
  const type = file.mode === "160000" ? "commit" : "blob";
  if (file.content === undefined) return { path: file.path, mode: file.mode, type, sha: file.sha };
  const bytes = Buffer.from(file.content, "base64");
  let text: string | undefined;
  try {
    text = bytes.includes(0) ? undefined : utf8.decode(bytes);
  } catch {
    text = undefined;
  }
  if (text !== undefined) return { path: file.path, mode: file.mode, type, content: text };
  const { data } = await github.rest.git.createBlob({ owner, repo, content: file.content, encoding: "base64" });
  return { path: file.path, mode: file.mode, type, sha: data.sha };
}

const moved = (branch: string, now: string, start: string) =>
  `\`${branch}\` moved since this run started (it is at ${now}; the change was made on ${start}): nothing was published. \`/retry\` runs the batch again on the branch as it is.`;

/**
 * Publishes the verified change on the domain branch through GitHub's Git
 * Data API, with nothing run or applied locally: blobs, a tree on the start
 * commit's (which must be the tree the verify step made: else nothing is
 * published), a commit whose parent is the start commit, and the branch moved
 * to it only as a fast-forward from the start commit.
 */
export async function publishChange(
  repository: Repository,
  branch: string,
  change: VerifiedChange,
  message: string,
): Promise<Published> {
  const { github, owner, repo } = repository;
  const ref = `heads/${branch}`;
  const { data: current } = await github.rest.git.getRef({ owner, repo, ref });
  if (current.object.sha !== change.start)
    return { ok: false, reason: moved(branch, current.object.sha, change.start) };
  const { data: start } = await github.rest.git.getCommit({ owner, repo, commit_sha: change.start });
  const entries: TreeEntry[] = [];
  for (const file of change.files) entries.push(await treeEntry(repository, file));
  const { data: tree } = await github.rest.git.createTree({ owner, repo, base_tree: start.tree.sha, tree: entries });
  if (tree.sha !== change.tree) {
    return {
      ok: false,
      reason: `GitHub made the tree ${tree.sha} of the change, not the tree ${change.tree ?? "(none)"} the verify job verified: nothing was published.`,
    };
  }
  const { data: commit } = await github.rest.git.createCommit({
    owner,
    repo,
    message,
    tree: tree.sha,
    parents: [change.start],
  });
  try {
    await github.rest.git.updateRef({ owner, repo, ref, sha: commit.sha, force: false });
  } catch (error) {
    if (statusOf(error) !== 422) throw error;
    const { data: now } = await github.rest.git.getRef({ owner, repo, ref });
    return { ok: false, reason: moved(branch, now.object.sha, change.start) };
  }
  return { ok: true, sha: commit.sha };
}

/** The open pull request from `branch` into `base`, if any (`head` needs the owner: a bare branch name is ignored). */
async function openPullRequest(
  { github, owner, repo }: Repository,
  branch: string,
  base: string,
): Promise<PullRequest | undefined> {
  const { data } = await github.rest.pulls.list({
    owner,
    repo,
    head: `${owner}:${branch}`,
    base,
    state: "open",
    per_page: 10,
  });
  return data[0];
}

async function updatePullRequest(
  { github, owner, repo }: Repository,
  pull: PullRequest,
  title: string,
  body: string,
): Promise<PullRequest> {
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
    if (open !== undefined)
      return {
        kind: "pull request",
        pull: await updatePullRequest(repository, open, title, body("pull request")),
        created: false,
      };
    if (where.canOpen) {
      try {
        const { data } = await github.rest.pulls.create({
          owner,
          repo,
          title,
          head: branch,
          base: where.base,
          body: body("pull request"),
        });
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
          if (raced !== undefined)
            return {
              kind: "pull request",
              pull: await updatePullRequest(repository, raced, title, body("pull request")),
              created: false,
            };
          note = `The pull request could not be opened (${requestFailure(error)}); the commit is on \`${branch}\`.`;
        }
      }
    }
  }
  const { data } = await github.rest.issues.createComment({
    owner,
    repo,
    issue_number: where.issue,
    body: body("comment", note),
  });
  return { kind: "comment", url: data.html_url };
}
