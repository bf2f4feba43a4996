import { API, APP_LOGIN, APP_SLUG, WEB } from "./conventions.js";
import type { FakeGitHub } from "./fakeGitHub.js";
import type { Commit } from "./commitGraph.js";
import type { CheckRun, Issue, IssueComment, Pull, Repo, WorkflowRun } from "./repository.js";

/** The fake's objects as GitHub's REST API shows them. */

export function repoJson(github: FakeGitHub, repo: Repo): Record<string, unknown> {
  const url = `${API}/repos/${repo.fullName}`;
  return {
    id: repo.id,
    node_id: `R_${repo.id}`,
    name: repo.name,
    full_name: repo.fullName,
    private: repo.private,
    owner: { ...github.user(repo.owner), type: "Organization" },
    html_url: `${WEB}/${repo.fullName}`,
    description: "A repository of the fake GitHub",
    fork: false,
    url,
    default_branch: repo.defaultBranch,
    visibility: repo.private ? "private" : "public",
    archived: false,
    disabled: false,
    has_issues: true,
    allow_merge_commit: repo.mergeMethods.has("merge"),
    allow_squash_merge: repo.mergeMethods.has("squash"),
    allow_rebase_merge: repo.mergeMethods.has("rebase"),
    created_at: "2025-01-01T00:00:00Z",
    updated_at: github.now(),
    pushed_at: github.now(),
    clone_url: `${WEB}/${repo.fullName}.git`,
    pulls_url: `${url}/pulls{/number}`,
    issues_url: `${url}/issues{/number}`,
  };
}

export function issueJson(github: FakeGitHub, repo: Repo, issue: Issue | Pull): Record<string, unknown> {
  const pull = repo.pulls.get(issue.number);
  const labels = "labels" in issue ? issue.labels : [];
  return {
    id: repo.id * 1000 + issue.number,
    node_id: `I_${repo.id}_${issue.number}`,
    url: `${API}/repos/${repo.fullName}/issues/${issue.number}`,
    repository_url: `${API}/repos/${repo.fullName}`,
    html_url: `${WEB}/${repo.fullName}/${pull === undefined ? "issues" : "pull"}/${issue.number}`,
    number: issue.number,
    title: issue.title,
    body: issue.body,
    user: github.user(issue.user),
    labels: labels.map((name) => ({
      ...github.label(name),
      node_id: `L_${name}`,
      name,
      default: false,
      description: null,
    })),
    state: issue.state,
    state_reason: "stateReason" in issue ? (issue.stateReason ?? null) : null,
    locked: false,
    assignee: null,
    assignees: [],
    milestone: null,
    comments: [...repo.comments.values()].filter((comment) => comment.issue === issue.number).length,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt ?? null,
    author_association: github.association(repo, issue.user),
    ...("subIssues" in issue ? relationsJson(github, repo, issue) : {}),
    ...(pull === undefined
      ? {}
      : {
          pull_request: {
            url: `${API}/repos/${repo.fullName}/pulls/${pull.number}`,
            html_url: `${WEB}/${repo.fullName}/pull/${pull.number}`,
            merged_at: pull.mergedAt ?? null,
          },
        }),
  };
}

/** An issue's sub-issues, parent and dependencies, as the issue object summarises them. */
function relationsJson(github: FakeGitHub, repo: Repo, issue: Issue): Record<string, unknown> {
  const subs = issue.subIssues.map((number) => repo.issues.get(number)!);
  const completed = subs.filter((sub) => sub.state === "closed").length;
  const parent = github.parentOf(repo, issue);
  const blocking = [...repo.issues.values()].filter((other) => other.blockedBy.includes(issue.number));
  const open = (numbers: readonly Issue[]) => numbers.filter((other) => other.state === "open").length;
  return {
    sub_issues_summary: {
      total: subs.length,
      completed,
      percent_completed: subs.length === 0 ? 0 : Math.floor((completed * 100) / subs.length),
    },
    parent_issue_url: parent === undefined ? null : `${API}/repos/${repo.fullName}/issues/${parent.number}`,
    issue_dependencies_summary: {
      blocked_by: open(issue.blockedBy.map((number) => repo.issues.get(number)!)),
      blocking: open(blocking),
      total_blocked_by: issue.blockedBy.length,
      total_blocking: blocking.length,
    },
  };
}

export function commentJson(github: FakeGitHub, repo: Repo, comment: IssueComment): Record<string, unknown> {
  return {
    id: comment.id,
    node_id: `IC_${comment.id}`,
    url: `${API}/repos/${repo.fullName}/issues/comments/${comment.id}`,
    html_url: `${WEB}/${repo.fullName}/issues/${comment.issue}#issuecomment-${comment.id}`,
    issue_url: `${API}/repos/${repo.fullName}/issues/${comment.issue}`,
    body: comment.body,
    user: github.user(comment.user),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: github.association(repo, comment.user),
    performed_via_github_app: comment.user === APP_LOGIN ? { id: github.appId, slug: APP_SLUG, name: APP_SLUG } : null,
    reactions: {
      url: `${API}/repos/${repo.fullName}/issues/comments/${comment.id}/reactions`,
      ...repo.reactionCounts(comment.id),
    },
  };
}

/** A pull request as `GET …/pulls/{pull_number}` shows it; in lists (`full` false) without the merge and diff figures. */
export function pullJson(github: FakeGitHub, repo: Repo, pull: Pull, full = true): Record<string, unknown> {
  const url = `${API}/repos/${repo.fullName}/pulls/${pull.number}`;
  const { head, base } = repo.pullShas(pull);
  const side = (ref: string, sha: string) => ({
    label: `${repo.owner}:${ref}`,
    ref,
    sha,
    user: github.user(repo.owner),
    repo: repoJson(github, repo),
  });
  return {
    id: repo.id * 10_000 + pull.number,
    node_id: `PR_${repo.id}_${pull.number}`,
    url,
    html_url: `${WEB}/${repo.fullName}/pull/${pull.number}`,
    diff_url: `${WEB}/${repo.fullName}/pull/${pull.number}.diff`,
    issue_url: `${API}/repos/${repo.fullName}/issues/${pull.number}`,
    number: pull.number,
    state: pull.state,
    locked: false,
    title: pull.title,
    body: pull.body,
    user: github.user(pull.user),
    labels: [],
    draft: false,
    created_at: pull.createdAt,
    updated_at: pull.updatedAt,
    closed_at: pull.closedAt ?? null,
    merged_at: pull.mergedAt ?? null,
    merge_commit_sha: pull.mergeCommitSha ?? null,
    head: side(pull.head, head),
    base: side(pull.base, base),
    author_association: github.association(repo, pull.user),
    ...(full ? pullFigures(github, repo, pull, head, base) : {}),
  };
}

function pullFigures(github: FakeGitHub, repo: Repo, pull: Pull, head: string, base: string): Record<string, unknown> {
  const files = repo.pullFiles(pull);
  const mergeable = pull.state === "open" ? repo.mergeable(pull) : null;
  return {
    merged: pull.merged,
    mergeable,
    mergeable_state: pull.state !== "open" ? "unknown" : mergeable ? "clean" : "dirty",
    merged_by: pull.mergedBy === undefined ? null : github.user(pull.mergedBy),
    comments: [...repo.comments.values()].filter((comment) => comment.issue === pull.number).length,
    commits:
      repo.git.get(head) === undefined || repo.git.get(base) === undefined ? 0 : repo.git.between(base, head).length,
    additions: files.reduce((sum, file) => sum + file.additions, 0),
    deletions: files.reduce((sum, file) => sum + file.deletions, 0),
    changed_files: files.length,
    maintainer_can_modify: false,
  };
}

export function runJson(github: FakeGitHub, repo: Repo, run: WorkflowRun): Record<string, unknown> {
  const url = `${API}/repos/${repo.fullName}/actions/runs/${run.id}`;
  const commit = repo.git.get(run.headSha);
  return {
    id: run.id,
    name: run.name,
    node_id: `WFR_${run.id}`,
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: run.path,
    display_title: run.displayTitle,
    run_number: run.runNumber,
    run_attempt: 1,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: run.workflowId,
    check_suite_id: run.id + 1_000_000,
    url,
    html_url: `${WEB}/${repo.fullName}/actions/runs/${run.id}`,
    pull_requests: [],
    created_at: run.createdAt,
    updated_at: run.updatedAt,
    run_started_at: run.runStartedAt,
    actor: github.user(run.actor),
    triggering_actor: github.user(run.actor),
    jobs_url: `${url}/jobs`,
    logs_url: `${url}/logs`,
    check_suite_url: `${API}/repos/${repo.fullName}/check-suites/${run.id + 1_000_000}`,
    artifacts_url: `${url}/artifacts`,
    cancel_url: `${url}/cancel`,
    rerun_url: `${url}/rerun`,
    workflow_url: `${API}/repos/${repo.fullName}/actions/workflows/${run.workflowId}`,
    head_commit:
      commit === undefined
        ? null
        : {
            id: commit.sha,
            tree_id: commit.sha,
            message: commit.message,
            timestamp: commit.at,
            author: { name: commit.author, email: `${commit.author}@users.noreply.github.com` },
            committer: { name: commit.author, email: `${commit.author}@users.noreply.github.com` },
          },
    repository: repoJson(github, repo),
    head_repository: repoJson(github, repo),
  };
}

export function commitJson(github: FakeGitHub, repo: Repo, commit: Commit): Record<string, unknown> {
  const person = { name: commit.author, email: `${commit.author}@users.noreply.github.com`, date: commit.at };
  return {
    sha: commit.sha,
    node_id: `C_${commit.sha}`,
    url: `${API}/repos/${repo.fullName}/commits/${commit.sha}`,
    html_url: `${WEB}/${repo.fullName}/commit/${commit.sha}`,
    commit: {
      message: commit.message,
      author: person,
      committer: person,
      tree: { sha: commit.sha, url: `${API}/repos/${repo.fullName}/git/trees/${commit.sha}` },
      comment_count: 0,
    },
    author: null,
    committer: null,
    parents: commit.parents.map((sha) => ({ sha, url: `${API}/repos/${repo.fullName}/commits/${sha}` })),
  };
}

export function checkRunJson(github: FakeGitHub, repo: Repo, run: CheckRun): Record<string, unknown> {
  return {
    id: run.id,
    node_id: `CR_${run.id}`,
    head_sha: run.headSha,
    external_id: run.externalId ?? "",
    url: `${API}/repos/${repo.fullName}/check-runs/${run.id}`,
    html_url: `${WEB}/${repo.fullName}/runs/${run.id}`,
    details_url: null,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt ?? null,
    output: {
      title: run.title,
      summary: run.summary,
      text: null,
      annotations_count: run.annotations.length,
      annotations_url: `${API}/repos/${repo.fullName}/check-runs/${run.id}/annotations`,
    },
    name: run.name,
    check_suite: { id: run.id + 2_000_000 },
    app: { id: github.appId, slug: APP_SLUG, name: APP_SLUG },
    pull_requests: [],
  };
}
