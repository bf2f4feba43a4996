import { createPublicKey, type KeyObject } from "node:crypto";
import yaml from "js-yaml";
import { CommitGraph, diffTrees, type Commit, type FileChange, type Tree } from "./commitGraph.js";
import type { RequestChecker } from "./requestChecker.js";

/**
 * An in-memory GitHub: repositories with branches and commits, issues and
 * comments, pull requests, check runs, workflow runs, collaborators and
 * reactions, and their JSON as GitHub shows it. The app reaches it through
 * `RestApi` (./rest.ts), which answers the REST routes the app uses the way
 * api.github.com does and counts every request by its documented route.
 *
 * The simulator's own actors (the scripted agent, people) change it through
 * the methods below, which are not counted: only the app talks HTTP.
 */

export const API = "https://api.github.com";
export const WEB = "https://github.com";
export const APP_SLUG = "parallel-coordinator";
export const APP_LOGIN = `${APP_SLUG}[bot]`;
export const ACTIONS_LOGIN = "github-actions[bot]";

/** A timestamp as GitHub writes them: whole seconds, `Z`. */
export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export type Permission = "admin" | "maintain" | "write" | "triage" | "read" | "none";
export type MergeMethod = "merge" | "squash" | "rebase";

export interface Issue {
  number: number;
  title: string;
  body: string;
  user: string;
  labels: string[];
  state: "open" | "closed";
  createdAt: string;
  updatedAt: string;
  closedAt?: string;
}

export interface IssueComment {
  id: number;
  issue: number;
  user: string;
  body: string;
  createdAt: string;
  updatedAt: string;
  /** Times the body was edited after it was posted. */
  edits: number;
  /** When it was last written, as a count of comment writes: later writes have higher numbers. */
  written: number;
}

export interface Pull {
  number: number;
  title: string;
  body: string;
  user: string;
  head: string;
  base: string;
  state: "open" | "closed";
  merged: boolean;
  mergedAt?: string;
  mergeCommitSha?: string;
  createdAt: string;
  updatedAt: string;
  closedAt?: string;
  /** Head and base commits when it closed: a closed pull request's files no longer move. */
  closedShas?: { head: string; base: string };
}

export interface CheckRun {
  id: number;
  name: string;
  headSha: string;
  status: string;
  conclusion: string | null;
  title: string;
  summary: string;
  annotations: unknown[];
  externalId?: string;
  startedAt: string;
  completedAt?: string;
  /** Times it was updated after it was created. */
  updates: number;
}

export interface Workflow {
  id: number;
  path: string;
  name: string;
  runName?: string;
  /** Declared `workflow_dispatch` inputs, with whether each is required. */
  inputs?: Map<string, { required: boolean }>;
}

export interface WorkflowRun {
  id: number;
  workflowId: number;
  path: string;
  name: string;
  displayTitle: string;
  headBranch: string;
  headSha: string;
  event: "workflow_dispatch";
  status: "queued" | "in_progress" | "completed";
  conclusion: string | null;
  runNumber: number;
  actor: string;
  inputs: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  runStartedAt: string;
  cancelRequested: boolean;
}

export interface Reaction {
  id: number;
  commentId: number;
  content: string;
  user: string;
  createdAt: string;
}

/** One request the app made. */
export interface Call {
  route: string;
  method: string;
  path: string;
  status: number;
  at: string;
}

/** What happened on the simulated GitHub, in order: the simulator's story of a coordination. */
export type HistoryEntry =
  | { kind: "comment"; at: string; id: number; issue: number; user: string }
  | { kind: "checkRun"; at: string; id: number; user: string }
  | { kind: "dispatch"; at: string; runId: number; workflow: string; ref: string; inputs: Record<string, string> }
  | { kind: "run"; at: string; runId: number; status: WorkflowRun["status"]; conclusion: string | null }
  | { kind: "merge"; at: string; via: "merges" | "pull"; base: string; head: string; sha: string; pull?: number; method?: MergeMethod }
  | { kind: "pullRequest"; at: string; number: number; head: string; base: string; user: string }
  | { kind: "branch"; at: string; branch: string; sha: string; user: string }
  | { kind: "reaction"; at: string; commentId: number; content: string; user: string }
  /** The simulator's own note (an app restart), in its place among the rest. */
  | { kind: "note"; at: string; text: string };

/** A refusal, as GitHub words it: the status and the JSON body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  get body(): Record<string, unknown> {
    return { message: this.message, ...this.extra, documentation_url: "https://docs.github.com/rest", status: String(this.status) };
  }
}

export interface RepoOptions {
  owner: string;
  name: string;
  files?: Record<string, string>;
  defaultBranch?: string;
  /** Merge methods the repository allows for pull requests (all three by default). */
  mergeMethods?: MergeMethod[];
  collaborators?: Record<string, Permission>;
}

/** One repository. */
export class Repo {
  readonly git = new CommitGraph();
  /** Full ref names (`refs/heads/main`) → commit sha. */
  readonly refs = new Map<string, string>();
  readonly issues = new Map<number, Issue>();
  readonly pulls = new Map<number, Pull>();
  readonly comments = new Map<number, IssueComment>();
  readonly checkRuns = new Map<number, CheckRun>();
  readonly runs = new Map<number, WorkflowRun>();
  readonly reactions: Reaction[] = [];
  readonly collaborators: Map<string, Permission>;
  readonly mergeMethods: Set<MergeMethod>;
  readonly defaultBranch: string;
  readonly #workflowIds = new Map<string, number>();
  #nextNumber = 1;

  constructor(
    readonly id: number,
    readonly owner: string,
    readonly name: string,
    options: RepoOptions,
    at: string,
  ) {
    this.defaultBranch = options.defaultBranch ?? "main";
    this.mergeMethods = new Set(options.mergeMethods ?? ["merge", "squash", "rebase"]);
    this.collaborators = new Map(Object.entries(options.collaborators ?? {}));
    this.collaborators.set(owner, "admin");
    const root = this.git.create([], new Map(Object.entries(options.files ?? {})), "Initial commit", owner, at);
    this.refs.set(`refs/heads/${this.defaultBranch}`, root.sha);
  }

  get fullName(): string {
    return `${this.owner}/${this.name}`;
  }

  nextNumber(): number {
    return this.#nextNumber++;
  }

  branch(name: string): string | undefined {
    return this.refs.get(`refs/heads/${name}`);
  }

  /** A branch name, a full ref or a commit sha → the commit sha. */
  resolve(ref: string): string | undefined {
    if (this.git.get(ref) !== undefined) return ref;
    return this.refs.get(ref) ?? this.refs.get(`refs/heads/${ref}`) ?? this.refs.get(`refs/tags/${ref}`) ?? this.refs.get(`refs/${ref}`);
  }

  tree(sha: string): Tree {
    return this.git.get(sha)!.tree;
  }

  /** The workflows under `.github/workflows` on the default branch. */
  workflows(): Workflow[] {
    const tree = this.tree(this.branch(this.defaultBranch)!);
    return [...tree.keys()]
      .filter((path) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(path))
      .sort()
      .map((path) => this.workflowAt(path, tree.get(path)!));
  }

  workflowAt(path: string, text: string): Workflow {
    let id = this.#workflowIds.get(path);
    if (id === undefined) {
      id = 161_000 + this.#workflowIds.size + 1;
      this.#workflowIds.set(path, id);
    }
    return { id, path, ...parseWorkflow(text, path) };
  }

  /** A pull request's head and base commits, and the files it changes (three-dot diff). */
  pullShas(pull: Pull): { head: string; base: string } {
    return pull.closedShas ?? { head: this.branch(pull.head) ?? "", base: this.branch(pull.base) ?? "" };
  }

  pullFiles(pull: Pull): FileChange[] {
    const { head, base } = this.pullShas(pull);
    if (this.git.get(head) === undefined || this.git.get(base) === undefined) return [];
    const mergeBase = this.git.mergeBase(base, head);
    return diffTrees(mergeBase === undefined ? new Map() : this.tree(mergeBase), this.tree(head));
  }

  /** Whether the pull request's head merges cleanly into its base. */
  mergeable(pull: Pull): boolean {
    const { head, base } = this.pullShas(pull);
    return this.git.get(head) !== undefined && this.git.get(base) !== undefined && this.git.merge(base, head).ok;
  }
}

/** A workflow file's name, run-name and `workflow_dispatch` inputs. */
export function parseWorkflow(text: string, path: string): Omit<Workflow, "id" | "path"> {
  let doc: unknown;
  try {
    doc = yaml.load(text);
  } catch {
    doc = undefined;
  }
  const record = (value: unknown): Record<string, unknown> | undefined =>
    typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  const root = record(doc) ?? {};
  const name = typeof root.name === "string" ? root.name : path;
  const runName = typeof root["run-name"] === "string" ? root["run-name"] : undefined;
  const on = root.on;
  const triggers = typeof on === "string" ? { [on]: null } : Array.isArray(on) ? Object.fromEntries(on.map((item) => [String(item), null])) : (record(on) ?? {});
  if (!("workflow_dispatch" in triggers)) return { name, ...(runName === undefined ? {} : { runName }) };
  const declared = record(record(triggers.workflow_dispatch)?.inputs) ?? {};
  const inputs = new Map(Object.entries(declared).map(([key, value]) => [key, { required: record(value)?.required === true }]));
  return { name, ...(runName === undefined ? {} : { runName }), inputs };
}

export interface InMemoryGitHubOptions {
  appId: number;
  /** The app's public key (PEM or key object): JWTs are verified with it. */
  publicKey: string | KeyObject;
  installationId: number;
  /** The simulated clock: an ISO timestamp. */
  clock: () => string;
}

export class InMemoryGitHub {
  readonly repos = new Map<string, Repo>();
  /** Every request to the REST API, in order. */
  readonly calls: Call[] = [];
  readonly history: HistoryEntry[] = [];
  /** Requests GitHub's description rejects, routes the simulator does not know, GraphQL: each one a bug to fix. */
  readonly problems: string[] = [];
  /** Set to check every request to the REST API against GitHub's description. */
  checkRequest: RequestChecker | undefined;
  /** Told of every workflow run a dispatch starts, and of every cancellation asked for. */
  onDispatch: ((repo: Repo, run: WorkflowRun) => void) | undefined;
  onCancel: ((repo: Repo, run: WorkflowRun) => void) | undefined;

  readonly appId: number;
  readonly installationId: number;
  /** The app's public key: the REST API verifies the app's JWTs with it. */
  readonly publicKey: KeyObject;
  readonly #clock: () => string;
  readonly #tokens = new Set<string>();
  readonly #userIds = new Map<string, number>();
  #ids = { repo: 500_000, comment: 1_000, checkRun: 7_000, run: 5_000, reaction: 9_000, token: 0, write: 0 };

  constructor(options: InMemoryGitHubOptions) {
    this.appId = options.appId;
    this.installationId = options.installationId;
    this.publicKey = typeof options.publicKey === "string" ? createPublicKey(options.publicKey) : options.publicKey;
    this.#clock = options.clock;
  }

  now(): string {
    return this.#clock();
  }

  // ---------------------------------------------------------------------------
  // The world, as the simulator's actors change it (not counted as API calls)

  /** An installation token of the app, as the token endpoint hands them out. */
  createToken(): string {
    const token = `ghs_sim${String(++this.#ids.token).padStart(32, "0")}`;
    this.#tokens.add(token);
    return token;
  }

  hasToken(token: string): boolean {
    return this.#tokens.has(token);
  }

  /** The next id of a kind of object: ids of a kind count up, so runs of a simulation get the same ids each time. */
  nextId(kind: "checkRun" | "run" | "reaction"): number {
    return ++this.#ids[kind];
  }

  note(text: string): void {
    this.history.push({ kind: "note", at: this.now(), text });
  }

  createRepo(options: RepoOptions): Repo {
    const repo = new Repo(++this.#ids.repo, options.owner, options.name, options, this.now());
    this.repos.set(repo.fullName.toLowerCase(), repo);
    return repo;
  }

  repo(owner: string, name: string): Repo | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  createIssue(repo: Repo, issue: { title: string; body: string; user: string; labels?: string[] }): Issue {
    const at = this.now();
    const created: Issue = { number: repo.nextNumber(), title: issue.title, body: issue.body, user: issue.user, labels: issue.labels ?? [], state: "open", createdAt: at, updatedAt: at };
    repo.issues.set(created.number, created);
    return created;
  }

  addComment(repo: Repo, issue: number, user: string, body: string): IssueComment {
    if (!repo.issues.has(issue) && !repo.pulls.has(issue)) throw new HttpError(404, "Not Found");
    checkBodyLength(body);
    const at = this.now();
    const comment: IssueComment = { id: ++this.#ids.comment, issue, user, body, createdAt: at, updatedAt: at, edits: 0, written: ++this.#ids.write };
    repo.comments.set(comment.id, comment);
    this.history.push({ kind: "comment", at, id: comment.id, issue, user });
    return comment;
  }

  /** A new body for a comment; an unchanged one is no edit. */
  editComment(comment: IssueComment, body: string): void {
    checkBodyLength(body);
    if (comment.body === body) return;
    comment.body = body;
    comment.edits += 1;
    comment.updatedAt = this.now();
    comment.written = ++this.#ids.write;
  }

  /** Commits changes (`null` deletes a file) on top of a branch and moves the branch to the new commit. */
  commit(repo: Repo, branch: string, changes: Record<string, string | null>, message: string, user: string): Commit {
    const parent = repo.branch(branch);
    if (parent === undefined) throw new HttpError(404, `Branch ${branch} not found`);
    const tree = new Map(repo.tree(parent));
    for (const [path, content] of Object.entries(changes)) {
      if (content === null) tree.delete(path);
      else tree.set(path, content);
    }
    const commit = repo.git.create([parent], tree, message, user, this.now());
    repo.refs.set(`refs/heads/${branch}`, commit.sha);
    return commit;
  }

  /** A ref (`refs/heads/x`) at a commit, refused as GitHub refuses it. */
  createRef(repo: Repo, ref: string, sha: string, user: string): void {
    if (!/^refs\/[^/]+\/.+/.test(ref)) throw new HttpError(422, "Reference name must start with 'refs/' and have at least two slashes.");
    if (repo.git.get(sha) === undefined) throw new HttpError(422, "Object does not exist");
    if (repo.refs.has(ref)) throw new HttpError(422, "Reference already exists");
    // git keeps refs as files: `a/b` cannot sit beside a ref `a`, nor `a` beside a folder `a/`.
    for (const existing of repo.refs.keys()) {
      if (existing.startsWith(`${ref}/`) || ref.startsWith(`${existing}/`)) throw new HttpError(422, "Reference update failed");
    }
    repo.refs.set(ref, sha);
    if (ref.startsWith("refs/heads/")) this.history.push({ kind: "branch", at: this.now(), branch: ref.slice("refs/heads/".length), sha, user });
  }

  /** The open pull request from `head` into `base`, if any. */
  openPull(repo: Repo, head: string, base: string): Pull | undefined {
    return [...repo.pulls.values()].find((pull) => pull.state === "open" && pull.head === head && pull.base === base);
  }

  createPull(repo: Repo, pull: { head: string; base: string; title: string; body: string; user: string }): Pull {
    const failed = (error: Record<string, unknown>) => new HttpError(422, "Validation Failed", { errors: [{ resource: "PullRequest", ...error }] });
    const headSha = repo.branch(pull.head);
    const baseSha = repo.branch(pull.base);
    if (baseSha === undefined) throw failed({ field: "base", code: "invalid" });
    if (headSha === undefined) throw failed({ field: "head", code: "invalid" });
    if (this.openPull(repo, pull.head, pull.base) !== undefined) throw failed({ code: "custom", message: `A pull request already exists for ${repo.owner}:${pull.head}.` });
    if (repo.git.isAncestor(headSha, baseSha)) throw failed({ code: "custom", message: `No commits between ${pull.base} and ${pull.head}` });
    const at = this.now();
    const created: Pull = { number: repo.nextNumber(), title: pull.title, body: pull.body, user: pull.user, head: pull.head, base: pull.base, state: "open", merged: false, createdAt: at, updatedAt: at };
    repo.pulls.set(created.number, created);
    this.history.push({ kind: "pullRequest", at, number: created.number, head: created.head, base: created.base, user: pull.user });
    return created;
  }

  updatePull(repo: Repo, pull: Pull, changes: { title?: string; body?: string; state?: "open" | "closed" }): void {
    if (changes.title !== undefined) pull.title = changes.title;
    if (changes.body !== undefined) pull.body = changes.body;
    if (changes.state === "closed" && pull.state === "open") this.closePull(repo, pull);
    if (changes.state === "open" && pull.state === "closed" && !pull.merged) {
      pull.state = "open";
      delete pull.closedAt;
      delete pull.closedShas;
    }
    pull.updatedAt = this.now();
  }

  /** Closes a pull request; its files stay what they were. */
  closePull(repo: Repo, pull: Pull, shas = repo.pullShas(pull)): void {
    const at = this.now();
    pull.state = "closed";
    pull.closedAt = at;
    pull.updatedAt = at;
    pull.closedShas = shas;
  }

  /** Moves a run along: `in_progress`, then `completed` with its conclusion. */
  setRunStatus(repo: Repo, run: WorkflowRun, status: WorkflowRun["status"], conclusion: string | null = null): void {
    const at = this.now();
    run.status = status;
    run.conclusion = status === "completed" ? conclusion : null;
    run.updatedAt = at;
    if (status === "in_progress") run.runStartedAt = at;
    this.history.push({ kind: "run", at, runId: run.id, status, conclusion: run.conclusion });
  }

  // ---------------------------------------------------------------------------
  // JSON as the REST API and webhooks show it

  /** A login's id, the same in every answer and payload. */
  userId(login: string): number {
    let id = this.#userIds.get(login);
    if (id === undefined) {
      id = login === APP_LOGIN ? 200_000_001 : login === ACTIONS_LOGIN ? 41_898_282 : 100_000 + this.#userIds.size + 1;
      this.#userIds.set(login, id);
    }
    return id;
  }

  user(login: string): Record<string, unknown> {
    const id = this.userId(login);
    const bot = login.endsWith("[bot]");
    return {
      login,
      id,
      node_id: `U_${id}`,
      avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
      gravatar_id: "",
      url: `${API}/users/${encodeURIComponent(login)}`,
      html_url: bot ? `${WEB}/apps/${login.slice(0, -"[bot]".length)}` : `${WEB}/${login}`,
      type: bot ? "Bot" : "User",
      site_admin: false,
    };
  }

  repoJson(repo: Repo): Record<string, unknown> {
    const url = `${API}/repos/${repo.fullName}`;
    return {
      id: repo.id,
      node_id: `R_${repo.id}`,
      name: repo.name,
      full_name: repo.fullName,
      private: true,
      owner: { ...this.user(repo.owner), type: "Organization" },
      html_url: `${WEB}/${repo.fullName}`,
      description: "A repository of the parallel-coordinator simulator",
      fork: false,
      url,
      default_branch: repo.defaultBranch,
      visibility: "private",
      archived: false,
      disabled: false,
      has_issues: true,
      allow_merge_commit: repo.mergeMethods.has("merge"),
      allow_squash_merge: repo.mergeMethods.has("squash"),
      allow_rebase_merge: repo.mergeMethods.has("rebase"),
      created_at: "2025-01-01T00:00:00Z",
      updated_at: this.now(),
      pushed_at: this.now(),
      clone_url: `${WEB}/${repo.fullName}.git`,
      pulls_url: `${url}/pulls{/number}`,
      issues_url: `${url}/issues{/number}`,
    };
  }

  issueJson(repo: Repo, issue: Issue | Pull): Record<string, unknown> {
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
      user: this.user(issue.user),
      labels: labels.map((name) => this.#label(name)),
      state: issue.state,
      locked: false,
      assignee: null,
      assignees: [],
      milestone: null,
      comments: [...repo.comments.values()].filter((comment) => comment.issue === issue.number).length,
      created_at: issue.createdAt,
      updated_at: issue.updatedAt,
      closed_at: issue.closedAt ?? null,
      author_association: this.association(repo, issue.user),
      ...(pull === undefined ? {} : { pull_request: { url: `${API}/repos/${repo.fullName}/pulls/${pull.number}`, html_url: `${WEB}/${repo.fullName}/pull/${pull.number}`, merged_at: pull.mergedAt ?? null } }),
    };
  }

  commentJson(repo: Repo, comment: IssueComment): Record<string, unknown> {
    const reactions = repo.reactions.filter((reaction) => reaction.commentId === comment.id);
    const count = (content: string) => reactions.filter((reaction) => reaction.content === content).length;
    return {
      id: comment.id,
      node_id: `IC_${comment.id}`,
      url: `${API}/repos/${repo.fullName}/issues/comments/${comment.id}`,
      html_url: `${WEB}/${repo.fullName}/issues/${comment.issue}#issuecomment-${comment.id}`,
      issue_url: `${API}/repos/${repo.fullName}/issues/${comment.issue}`,
      body: comment.body,
      user: this.user(comment.user),
      created_at: comment.createdAt,
      updated_at: comment.updatedAt,
      author_association: this.association(repo, comment.user),
      performed_via_github_app: comment.user === APP_LOGIN ? { id: this.appId, slug: APP_SLUG, name: APP_SLUG } : null,
      reactions: {
        url: `${API}/repos/${repo.fullName}/issues/comments/${comment.id}/reactions`,
        total_count: reactions.length,
        "+1": count("+1"),
        "-1": count("-1"),
        laugh: count("laugh"),
        confused: count("confused"),
        heart: count("heart"),
        hooray: count("hooray"),
        rocket: count("rocket"),
        eyes: count("eyes"),
      },
    };
  }

  /** A pull request as `GET …/pulls/{pull_number}` shows it; in lists (`full` false) without the merge and diff figures. */
  pullJson(repo: Repo, pull: Pull, full = true): Record<string, unknown> {
    const url = `${API}/repos/${repo.fullName}/pulls/${pull.number}`;
    const { head, base } = repo.pullShas(pull);
    const side = (ref: string, sha: string) => ({ label: `${repo.owner}:${ref}`, ref, sha, user: this.user(repo.owner), repo: this.repoJson(repo) });
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
      user: this.user(pull.user),
      labels: [],
      draft: false,
      created_at: pull.createdAt,
      updated_at: pull.updatedAt,
      closed_at: pull.closedAt ?? null,
      merged_at: pull.mergedAt ?? null,
      merge_commit_sha: pull.mergeCommitSha ?? null,
      head: side(pull.head, head),
      base: side(pull.base, base),
      author_association: this.association(repo, pull.user),
      ...(full ? this.#pullFigures(repo, pull, head, base) : {}),
    };
  }

  #pullFigures(repo: Repo, pull: Pull, head: string, base: string): Record<string, unknown> {
    const files = repo.pullFiles(pull);
    const mergeable = pull.state === "open" ? repo.mergeable(pull) : null;
    return {
      merged: pull.merged,
      mergeable,
      mergeable_state: pull.state !== "open" ? "unknown" : mergeable ? "clean" : "dirty",
      merged_by: pull.merged ? this.user(APP_LOGIN) : null,
      comments: [...repo.comments.values()].filter((comment) => comment.issue === pull.number).length,
      commits: repo.git.get(head) === undefined || repo.git.get(base) === undefined ? 0 : repo.git.between(base, head).length,
      additions: files.reduce((sum, file) => sum + file.additions, 0),
      deletions: files.reduce((sum, file) => sum + file.deletions, 0),
      changed_files: files.length,
      maintainer_can_modify: false,
    };
  }

  workflowJson(repo: Repo, workflow: Workflow): Record<string, unknown> {
    return {
      id: workflow.id,
      node_id: `W_${workflow.id}`,
      name: workflow.name,
      path: workflow.path,
      state: "active",
      created_at: "2025-01-01T00:00:00Z",
      updated_at: "2025-01-01T00:00:00Z",
      url: `${API}/repos/${repo.fullName}/actions/workflows/${workflow.id}`,
      html_url: `${WEB}/${repo.fullName}/blob/${repo.defaultBranch}/${workflow.path}`,
      badge_url: `${WEB}/${repo.fullName}/workflows/${encodeURIComponent(workflow.name)}/badge.svg`,
    };
  }

  runJson(repo: Repo, run: WorkflowRun): Record<string, unknown> {
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
      actor: this.user(run.actor),
      triggering_actor: this.user(run.actor),
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
          : { id: commit.sha, tree_id: commit.sha, message: commit.message, timestamp: commit.at, author: { name: commit.author, email: `${commit.author}@users.noreply.github.com` }, committer: { name: commit.author, email: `${commit.author}@users.noreply.github.com` } },
      repository: this.repoJson(repo),
      head_repository: this.repoJson(repo),
    };
  }

  commitJson(repo: Repo, commit: Commit): Record<string, unknown> {
    const person = { name: commit.author, email: `${commit.author}@users.noreply.github.com`, date: commit.at };
    return {
      sha: commit.sha,
      node_id: `C_${commit.sha}`,
      url: `${API}/repos/${repo.fullName}/commits/${commit.sha}`,
      html_url: `${WEB}/${repo.fullName}/commit/${commit.sha}`,
      commit: { message: commit.message, author: person, committer: person, tree: { sha: commit.sha, url: `${API}/repos/${repo.fullName}/git/trees/${commit.sha}` }, comment_count: 0 },
      author: null,
      committer: null,
      parents: commit.parents.map((sha) => ({ sha, url: `${API}/repos/${repo.fullName}/commits/${sha}` })),
    };
  }

  checkRunJson(repo: Repo, run: CheckRun): Record<string, unknown> {
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
      output: { title: run.title, summary: run.summary, text: null, annotations_count: run.annotations.length, annotations_url: `${API}/repos/${repo.fullName}/check-runs/${run.id}/annotations` },
      name: run.name,
      check_suite: { id: run.id + 2_000_000 },
      app: { id: this.appId, slug: APP_SLUG, name: APP_SLUG },
      pull_requests: [],
    };
  }

  /** A label's id and colour, the same in every answer and payload. */
  label(name: string): { id: number; color: string } {
    return { id: 300_000 + [...name].reduce((sum, char) => sum + char.charCodeAt(0), 0), color: "0e8a16" };
  }

  #label(name: string): Record<string, unknown> {
    return { ...this.label(name), node_id: `L_${name}`, name, default: false, description: null };
  }

  association(repo: Repo, login: string): "OWNER" | "COLLABORATOR" | "NONE" {
    if (login === repo.owner) return "OWNER";
    const permission = repo.collaborators.get(login);
    return permission === undefined || permission === "none" ? "NONE" : "COLLABORATOR";
  }

}

/** GitHub caps an issue comment or pull request body at 65,536 characters. */
export function checkBodyLength(body: string): void {
  if (body.length > 65_536) throw new HttpError(422, "Validation Failed", { errors: [{ resource: "IssueComment", code: "custom", field: "body", message: "body is too long (maximum is 65536 characters)" }] });
}
