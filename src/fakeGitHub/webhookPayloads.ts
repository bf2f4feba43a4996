import type { Context } from "probot";
import type { Commit } from "./commitGraph.js";
import { API, APP_SLUG, WEB } from "./conventions.js";
import type { FakeGitHub } from "./fakeGitHub.js";
import type { CheckRun, Issue, IssueComment, Pull, Repo, WorkflowRun } from "./repository.js";

// The payloads' types are GitHub's own webhook schemas (`@octokit/openapi-webhooks-types`, through
// Probot's): whatever GitHub marks required, each payload carries, so the app never meets in the
// fake a payload thinner than GitHub's.
type IssuesEvent = Context<
  "issues.labeled" | "issues.unlabeled" | "issues.opened" | "issues.edited" | "issues.closed" | "issues.reopened"
>["payload"];
type IssueCommentEvent = Context<"issue_comment.created" | "issue_comment.edited" | "issue_comment.deleted">["payload"];
type WorkflowRunEvent = Context<
  "workflow_run.requested" | "workflow_run.in_progress" | "workflow_run.completed"
>["payload"];
type WebhookLabel = NonNullable<Context<"issues.labeled">["payload"]["label"]>;
type AuthorAssociation = Context<"issue_comment.created">["payload"]["comment"]["author_association"];
type Reactions = Context<"issue_comment.created">["payload"]["comment"]["reactions"];
type CompletedRun = Context<"workflow_run.completed">["payload"]["workflow_run"];
type CheckRunActionEvent = Context<"check_run.requested_action">["payload"];
type WorkflowDispatchEvent = Context<"workflow_dispatch">["payload"];

/** A webhook's event and payload, as GitHub sends them. */
export type Webhook =
  | { name: "issues"; payload: IssuesEvent }
  | { name: "issue_comment"; payload: IssueCommentEvent }
  | { name: "workflow_run"; payload: WorkflowRunEvent }
  | { name: "check_run"; payload: CheckRunActionEvent };

/** The payload a run started by `workflow_dispatch` gets: the inputs, the ref and the workflow's path. */
export function workflowDispatchEvent(
  github: FakeGitHub,
  repo: Repo,
  path: string,
  branch: string,
  inputs: Record<string, string>,
  sender: string,
): { name: "workflow_dispatch"; payload: WorkflowDispatchEvent } {
  return {
    name: "workflow_dispatch",
    payload: { inputs: { ...inputs }, ref: `refs/heads/${branch}`, ...common(github, repo, sender), workflow: path },
  };
}

/** The payload a scheduled run gets: its cron line and nothing else (no repository, no sender). */
export function scheduleEvent(cron: string): { name: "schedule"; payload: { schedule: string } } {
  return { name: "schedule", payload: { schedule: cron } };
}

/**
 * `issues.opened`, `issues.labeled` or `issues.unlabeled` (with the label), `issues.edited` (with the body it had),
 * `issues.closed` or `issues.reopened`.
 */
export function issuesEvent(
  github: FakeGitHub,
  repo: Repo,
  issue: Issue,
  sender: string,
  change:
    | { action: "opened" | "closed" | "reopened" }
    | { action: "labeled" | "unlabeled"; label: string }
    | { action: "edited"; from: string },
): Webhook {
  const base = { issue: issueOf(github, repo, issue), ...common(github, repo, sender) };
  switch (change.action) {
    case "opened":
      return { name: "issues", payload: { action: "opened", ...base } as IssuesEvent };
    // GitHub's schema for these two narrows `issue` in ways TypeScript cannot follow from the common shape.
    case "closed":
    case "reopened":
      return { name: "issues", payload: { action: change.action, ...base } as unknown as IssuesEvent };
    case "labeled":
    case "unlabeled":
      return {
        name: "issues",
        payload: { action: change.action, ...base, label: labelOf(github, repo, change.label) },
      };
    case "edited":
      return { name: "issues", payload: { action: "edited", ...base, changes: { body: { from: change.from } } } };
  }
}

/** `issue_comment.created`, or `issue_comment.edited` with the body it had: for an issue's comment or a pull request's (then `issue.pull_request` is set). */
/** `issue_comment`: `created`; `edited`, with the body it had (`from`); or `deleted`, with the body it had last. */
export function issueCommentEvent(
  github: FakeGitHub,
  repo: Repo,
  comment: IssueComment,
  sender: string,
  change?: { from: string } | "deleted",
): Webhook {
  const issue = repo.issues.get(comment.issue) ?? repo.pulls.get(comment.issue)!;
  const url = `${API}/repos/${repo.fullName}/issues/comments/${comment.id}`;
  const base = {
    issue: {
      ...issueOf(github, repo, issue),
      state: issue.state,
      locked: false,
      assignee: null,
      labels: labelsOf(github, repo, issue),
    },
    comment: {
      id: comment.id,
      node_id: `IC_${comment.id}`,
      url,
      html_url: `${WEB}/${repo.fullName}/issues/${comment.issue}#issuecomment-${comment.id}`,
      issue_url: `${API}/repos/${repo.fullName}/issues/${comment.issue}`,
      body: comment.body,
      user: userOf(github, comment.user),
      created_at: comment.createdAt,
      updated_at: comment.updatedAt,
      author_association: github.association(repo, comment.user),
      performed_via_github_app: null,
      reactions: reactionsOf(repo, comment.id, `${url}/reactions`),
    },
    ...common(github, repo, sender),
  };
  if (change === "deleted") return { name: "issue_comment", payload: { action: "deleted", ...base } };
  return {
    name: "issue_comment",
    payload:
      change === undefined
        ? { action: "created", ...base }
        : { action: "edited", ...base, changes: { body: { from: change.from } } },
  };
}

/** `workflow_run` with action `requested`, `in_progress` or `completed`, sent by the run's actor. */
export function workflowRunEvent(
  github: FakeGitHub,
  repo: Repo,
  run: WorkflowRun,
  action: "requested" | "in_progress" | "completed",
): Webhook {
  const workflow = repo.workflows().find((candidate) => candidate.id === run.workflowId);
  const workflowUrl = `${API}/repos/${repo.fullName}/actions/workflows/${run.workflowId}`;
  const base = {
    workflow: {
      id: run.workflowId,
      node_id: `W_${run.workflowId}`,
      name: workflow?.name ?? run.name,
      path: workflow?.path ?? run.path,
      state: "active",
      created_at: "2025-01-01T00:00:00Z",
      updated_at: "2025-01-01T00:00:00Z",
      url: workflowUrl,
      html_url: `${WEB}/${repo.fullName}/blob/${repo.defaultBranch}/${workflow?.path ?? run.path}`,
      badge_url: `${WEB}/${repo.fullName}/workflows/${encodeURIComponent(workflow?.name ?? run.name)}/badge.svg`,
    },
    ...common(github, repo, run.actor),
  };
  const workflowRun = runOf(github, repo, run, workflowUrl);
  // Each action's schema narrows status and conclusion: the run's own values, as GitHub sends them at that moment.
  if (action === "completed") {
    return {
      name: "workflow_run",
      payload: {
        action,
        ...base,
        workflow_run: { ...workflowRun, status: "completed", conclusion: conclusionOf(run.conclusion) },
      },
    };
  }
  return {
    name: "workflow_run",
    payload:
      action === "requested"
        ? { action, ...base, workflow_run: { ...workflowRun, status: "queued", conclusion: null } }
        : { action, ...base, workflow_run: { ...workflowRun, status: "in_progress", conclusion: null } },
  };
}

/**
 * `check_run.requested_action`: a person pressed one of a check run's buttons
 * (`identifier` is the button's). GitHub sends it to the app that made the check
 * run only, with no time of the press; `pull_requests` are the open ones whose
 * head is the check run's commit.
 */
export function checkRunActionEvent(
  github: FakeGitHub,
  repo: Repo,
  run: CheckRun,
  identifier: string,
  sender: string,
): Webhook {
  const repoRef = { id: repo.id, url: `${API}/repos/${repo.fullName}`, name: repo.name };
  const pulls = [...repo.pulls.values()]
    .filter((pull) => pull.state === "open" && repo.pullShas(pull).head === run.headSha)
    .map((pull) => {
      const { head, base } = repo.pullShas(pull);
      return {
        id: pull.number + 900_000,
        number: pull.number,
        url: `${API}/repos/${repo.fullName}/pulls/${pull.number}`,
        head: { ref: pull.head, sha: head, repo: repoRef },
        base: { ref: pull.base, sha: base, repo: repoRef },
      };
    });
  const owner = userOf(github, repo.owner, true);
  const app = {
    id: github.appId,
    slug: APP_SLUG,
    node_id: `A_${github.appId}`,
    owner,
    name: APP_SLUG,
    description: null,
    external_url: `${WEB}/apps/${APP_SLUG}`,
    html_url: `${WEB}/apps/${APP_SLUG}`,
    created_at: "2025-01-01T00:00:00Z",
    updated_at: "2025-01-01T00:00:00Z",
    permissions: {
      checks: "write",
      contents: "write",
      issues: "write",
      pull_requests: "write",
      actions: "write",
      metadata: "read",
    },
    events: ["issues", "issue_comment", "workflow_run", "check_run"],
  };
  const url = `${API}/repos/${repo.fullName}/check-runs/${run.id}`;
  const conclusion = run.conclusion as CheckRunActionEvent["check_run"]["conclusion"];
  const status = run.status as CheckRunActionEvent["check_run"]["status"];
  return {
    name: "check_run",
    payload: {
      action: "requested_action",
      check_run: {
        id: run.id,
        node_id: `CR_${run.id}`,
        head_sha: run.headSha,
        external_id: run.externalId ?? "",
        url,
        html_url: `${WEB}/${repo.fullName}/runs/${run.id}`,
        details_url: `${WEB}/apps/${APP_SLUG}`,
        status,
        conclusion,
        started_at: run.startedAt,
        completed_at: run.completedAt ?? null,
        output: {
          title: run.title,
          summary: run.summary,
          text: null,
          annotations_count: run.annotations.length,
          annotations_url: `${url}/annotations`,
        },
        name: run.name,
        check_suite: {
          id: run.id + 2_000_000,
          node_id: `CS_${run.id + 2_000_000}`,
          head_branch: pulls[0]?.head.ref ?? null,
          head_sha: run.headSha,
          status: "completed",
          conclusion: run.conclusion as NonNullable<CheckRunActionEvent["check_run"]["check_suite"]>["conclusion"],
          url: `${API}/repos/${repo.fullName}/check-suites/${run.id + 2_000_000}`,
          before: null,
          after: run.headSha,
          pull_requests: pulls,
          app,
          created_at: run.startedAt,
          updated_at: run.completedAt ?? run.startedAt,
        },
        app,
        pull_requests: pulls,
      },
      requested_action: { identifier },
      ...common(github, repo, sender),
    },
  };
}

/** What every payload carries: the repository, its organisation (the simulated repository's owner is one), the sender, the app's installation. */
function common(
  github: FakeGitHub,
  repo: Repo,
  sender: string,
): Pick<WorkflowRunEvent, "repository" | "organization" | "sender" | "installation"> {
  const id = github.userId(repo.owner);
  const url = `${API}/orgs/${encodeURIComponent(repo.owner)}`;
  return {
    repository: repositoryOf(github, repo),
    organization: {
      login: repo.owner,
      id,
      node_id: `O_${id}`,
      url,
      repos_url: `${url}/repos`,
      events_url: `${url}/events`,
      hooks_url: `${url}/hooks`,
      issues_url: `${url}/issues`,
      members_url: `${url}/members{/member}`,
      public_members_url: `${url}/public_members{/member}`,
      avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
      description: null,
    },
    sender: userOf(github, sender),
    installation: {
      id: github.installationId,
      node_id: `MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u${github.installationId}`,
    },
  };
}

/** A user as every payload shows one (a sender, an author, an actor, an owner). */
function userOf(github: FakeGitHub, login: string, organization = false) {
  const id = github.userId(login);
  const url = `${API}/users/${encodeURIComponent(login)}`;
  const bot = login.endsWith("[bot]");
  const type: "Bot" | "User" | "Organization" = organization ? "Organization" : bot ? "Bot" : "User";
  return {
    login,
    id,
    node_id: `U_${id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: "",
    url,
    html_url: bot ? `${WEB}/apps/${login.slice(0, -"[bot]".length)}` : `${WEB}/${login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type,
    site_admin: false,
  };
}

/** The repository as every payload shows it. */
function repositoryOf(github: FakeGitHub, repo: Repo) {
  const url = `${API}/repos/${repo.fullName}`;
  const open = [...repo.issues.values(), ...repo.pulls.values()].filter((issue) => issue.state === "open").length;
  return {
    id: repo.id,
    node_id: `R_${repo.id}`,
    name: repo.name,
    full_name: repo.fullName,
    private: repo.private,
    owner: userOf(github, repo.owner, true),
    html_url: `${WEB}/${repo.fullName}`,
    description: "A repository of the parallel-coordinator simulator",
    fork: false,
    url,
    forks_url: `${url}/forks`,
    keys_url: `${url}/keys{/key_id}`,
    collaborators_url: `${url}/collaborators{/collaborator}`,
    teams_url: `${url}/teams`,
    hooks_url: `${url}/hooks`,
    issue_events_url: `${url}/issues/events{/number}`,
    events_url: `${url}/events`,
    assignees_url: `${url}/assignees{/user}`,
    branches_url: `${url}/branches{/branch}`,
    tags_url: `${url}/tags`,
    blobs_url: `${url}/git/blobs{/sha}`,
    git_tags_url: `${url}/git/tags{/sha}`,
    git_refs_url: `${url}/git/refs{/sha}`,
    trees_url: `${url}/git/trees{/sha}`,
    statuses_url: `${url}/statuses/{sha}`,
    languages_url: `${url}/languages`,
    stargazers_url: `${url}/stargazers`,
    contributors_url: `${url}/contributors`,
    subscribers_url: `${url}/subscribers`,
    subscription_url: `${url}/subscription`,
    commits_url: `${url}/commits{/sha}`,
    git_commits_url: `${url}/git/commits{/sha}`,
    comments_url: `${url}/comments{/number}`,
    issue_comment_url: `${url}/issues/comments{/number}`,
    contents_url: `${url}/contents/{+path}`,
    compare_url: `${url}/compare/{base}...{head}`,
    merges_url: `${url}/merges`,
    archive_url: `${url}/{archive_format}{/ref}`,
    downloads_url: `${url}/downloads`,
    issues_url: `${url}/issues{/number}`,
    pulls_url: `${url}/pulls{/number}`,
    milestones_url: `${url}/milestones{/number}`,
    notifications_url: `${url}/notifications{?since,all,participating}`,
    labels_url: `${url}/labels{/name}`,
    releases_url: `${url}/releases{/id}`,
    deployments_url: `${url}/deployments`,
    created_at: "2025-01-01T00:00:00Z",
    updated_at: github.now(),
    pushed_at: github.now(),
    git_url: `git://github.com/${repo.fullName}.git`,
    ssh_url: `git@github.com:${repo.fullName}.git`,
    clone_url: `${WEB}/${repo.fullName}.git`,
    svn_url: `${WEB}/${repo.fullName}`,
    homepage: null,
    size: 0,
    stargazers_count: 0,
    watchers_count: 0,
    language: null,
    has_issues: true,
    has_projects: false,
    has_downloads: true,
    has_wiki: false,
    has_pages: false,
    has_discussions: false,
    forks_count: 0,
    mirror_url: null,
    archived: false,
    disabled: false,
    open_issues_count: open,
    license: null,
    allow_forking: false,
    is_template: false,
    web_commit_signoff_required: false,
    topics: [],
    visibility: repo.private ? "private" : "public",
    forks: 0,
    open_issues: open,
    watchers: 0,
    default_branch: repo.defaultBranch,
    allow_merge_commit: repo.mergeMethods.has("merge"),
    allow_squash_merge: repo.mergeMethods.has("squash"),
    allow_rebase_merge: repo.mergeMethods.has("rebase"),
    custom_properties: {},
  };
}

function labelOf(github: FakeGitHub, repo: Repo, name: string): WebhookLabel {
  const { id, color } = github.label(name);
  return {
    id,
    node_id: `L_${name}`,
    url: `${API}/repos/${repo.fullName}/labels/${encodeURIComponent(name)}`,
    name,
    color,
    default: false,
    description: null,
  };
}

function labelsOf(github: FakeGitHub, repo: Repo, issue: Issue | Pull): WebhookLabel[] {
  return ("labels" in issue ? issue.labels : []).map((name) => labelOf(github, repo, name));
}

function reactionsOf(repo: Repo, commentId: number | undefined, url: string): Reactions {
  return { url, ...repo.reactionCounts(commentId) };
}

/** The issue (or pull request, for a comment on one) as the `issues` event shows it. */
function issueOf(github: FakeGitHub, repo: Repo, issue: Issue | Pull) {
  const pull = repo.pulls.get(issue.number);
  const url = `${API}/repos/${repo.fullName}/issues/${issue.number}`;
  const association: AuthorAssociation = github.association(repo, issue.user);
  return {
    id: repo.id * 1000 + issue.number,
    node_id: `I_${repo.id}_${issue.number}`,
    url,
    repository_url: `${API}/repos/${repo.fullName}`,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: `${WEB}/${repo.fullName}/${pull === undefined ? "issues" : "pull"}/${issue.number}`,
    number: issue.number,
    title: issue.title,
    body: issue.body,
    user: userOf(github, issue.user),
    labels: labelsOf(github, repo, issue),
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
    author_association: association,
    active_lock_reason: null,
    draft: false,
    performed_via_github_app: null,
    reactions: reactionsOf(repo, undefined, `${url}/reactions`),
    timeline_url: `${url}/timeline`,
    ...(pull === undefined
      ? {}
      : {
          pull_request: {
            url: `${API}/repos/${repo.fullName}/pulls/${pull.number}`,
            html_url: `${WEB}/${repo.fullName}/pull/${pull.number}`,
            diff_url: `${WEB}/${repo.fullName}/pull/${pull.number}.diff`,
            patch_url: `${WEB}/${repo.fullName}/pull/${pull.number}.patch`,
            merged_at: pull.mergedAt ?? null,
          },
        }),
  };
}

/** The run as every `workflow_run` action shows it, but for its status and conclusion. */
function runOf(github: FakeGitHub, repo: Repo, run: WorkflowRun, workflowUrl: string) {
  const url = `${API}/repos/${repo.fullName}/actions/runs/${run.id}`;
  const commit = repo.git.get(run.headSha);
  const suite = run.id + 1_000_000;
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
    workflow_id: run.workflowId,
    check_suite_id: suite,
    check_suite_node_id: `CS_${suite}`,
    url,
    html_url: `${WEB}/${repo.fullName}/actions/runs/${run.id}`,
    pull_requests: [],
    referenced_workflows: [],
    created_at: run.createdAt,
    updated_at: run.updatedAt,
    run_started_at: run.runStartedAt,
    actor: userOf(github, run.actor),
    triggering_actor: userOf(github, run.actor),
    jobs_url: `${url}/jobs`,
    logs_url: `${url}/logs`,
    check_suite_url: `${API}/repos/${repo.fullName}/check-suites/${suite}`,
    artifacts_url: `${url}/artifacts`,
    cancel_url: `${url}/cancel`,
    rerun_url: `${url}/rerun`,
    previous_attempt_url: null,
    workflow_url: workflowUrl,
    head_commit: headCommitOf(commit ?? { sha: run.headSha, message: "", at: run.createdAt, author: run.actor }),
    repository: repositoryOf(github, repo),
    head_repository: repositoryOf(github, repo),
  };
}

function headCommitOf(commit: Pick<Commit, "sha" | "message" | "at" | "author">): CompletedRun["head_commit"] {
  const person = { name: commit.author, email: `${commit.author}@users.noreply.github.com` };
  return {
    id: commit.sha,
    tree_id: commit.sha,
    message: commit.message,
    timestamp: commit.at,
    author: person,
    committer: person,
  };
}

function conclusionOf(conclusion: string | null): CompletedRun["conclusion"] {
  const known = [
    "success",
    "failure",
    "neutral",
    "cancelled",
    "timed_out",
    "action_required",
    "stale",
    "skipped",
  ] as const;
  return known.find((value) => value === conclusion) ?? null;
}
