import { createPublicKey, type KeyObject } from "node:crypto";
import { mergeTrees, type Commit } from "./commitGraph.js";
import { ACTIONS_LOGIN, API, APP_LOGIN, HttpError, WEB, checkBodyLength } from "./conventions.js";
import { Faults } from "./faults.js";
import { condition, interpolate, type Contexts, type Value } from "./expressions.js";
import {
  MAX_SUB_ISSUES,
  Repo,
  type CheckRun,
  type Issue,
  type IssueComment,
  type MergeMethod,
  type Pull,
  type RepoOptions,
  type Trigger,
  type Workflow,
  type WorkflowRun,
} from "./repository.js";
import type { RequestChecker } from "./requestChecker.js";
import { restApi } from "./restApi.js";
import {
  checkRunActionEvent,
  issueCommentEvent,
  issuesEvent,
  scheduleEvent,
  workflowDispatchEvent,
  workflowRunEvent,
  type Webhook,
} from "./webhookPayloads.js";

/**
 * One in-memory GitHub, for the simulator and for every test that needs more
 * of GitHub than one recorded request: repositories with branches and
 * commits, issues and comments, pull requests, check runs, workflows and
 * their runs, collaborators and reactions.
 *
 * The app talks to it over HTTP: `fetch` answers the REST routes the app uses
 * the way api.github.com does (./restApi.ts), checks every request against
 * GitHub's REST description when it is installed, refuses what GitHub refuses
 * beyond that description, counts every request by its documented route, and
 * fails requests as `faults` say. People, agents and the runner change it
 * through the methods below, which are not counted.
 *
 * Like GitHub, it sends webhooks: `onWebhook` gets each delivery once (a
 * delivery `faults` drop is lost, and only `redeliver` sends one again), and
 * its workflow runs follow the rules of Actions: a run waits for its
 * concurrency group, and what a `GITHUB_TOKEN` does starts no run but a
 * dispatch. It stands in for GitHub and knows nothing of the app.
 */

/** One request made to the REST API. */
export interface Call {
  /** The documented route, e.g. `GET /repos/{owner}/{repo}/pulls`. */
  route: string;
  method: string;
  /** The path as sent, without the query. */
  path: string;
  query: Record<string, string>;
  /** The JSON body, parsed; undefined without one. */
  body: unknown;
  status: number;
  at: string;
}

/** What happened on the fake GitHub, in order: the simulator's story of a coordination. */
export type HistoryEntry =
  | { kind: "comment"; at: string; id: number; issue: number; user: string }
  | { kind: "checkRun"; at: string; id: number; user: string }
  | { kind: "dispatch"; at: string; runId: number; workflow: string; ref: string; inputs: Record<string, string> }
  | { kind: "run"; at: string; runId: number; status: WorkflowRun["status"]; conclusion: string | null }
  | {
      kind: "merge";
      at: string;
      via: "merges" | "pull";
      base: string;
      head: string;
      sha: string;
      pull?: number;
      method?: MergeMethod;
    }
  | { kind: "pullRequest"; at: string; number: number; head: string; base: string; user: string }
  | { kind: "branch"; at: string; branch: string; sha: string; user: string }
  /** A branch moved by a forced update that is no fast-forward: what was on it leaves it. */
  | { kind: "branchMoved"; at: string; branch: string; from: string; sha: string; user: string }
  | { kind: "pullClosed"; at: string; number: number }
  | { kind: "reaction"; at: string; commentId: number; content: string; user: string }
  /** An issue the API made or changed (the app's sub-issues): `change` says how, in a few words. */
  | { kind: "issue"; at: string; number: number; user: string; change: string }
  /** The simulator's own note (an app restart), in its place among the rest. */
  | { kind: "note"; at: string; text: string };

/** A webhook delivery: its GUID (`X-GitHub-Delivery`), event and payload, as `probot.receive` takes it. */
export type Delivery = Webhook & { id: string };

export interface FakeGitHubOptions {
  appId: number;
  /** The app's public key (PEM or key object): JWTs are verified with it. */
  publicKey: string | KeyObject;
  installationId: number;
  /** GitHub's clock: an ISO timestamp. */
  clock: () => string;
  /**
   * How a dispatch's `return_run_details` is answered: github.com returns the
   * run (default); GitHub Enterprise Server before 3.21 answers 204 without
   * it ("ignored") or refuses the field with 400 ("refused").
   */
  returnRunDetails?: "returned" | "ignored" | "refused";
  /**
   * Whether a run that a `GITHUB_TOKEN` dispatched sends its `workflow_run`
   * to the workflows that listen for it. GitHub's docs list no exception for
   * it (so by default it does), but a field report says it did not fire:
   * "silent" plays that.
   */
  workflowRunAfterTokenDispatch?: "fires" | "silent";
}

/** Whether a run holds its concurrency group: started, or about to. */
function isRunning(run: WorkflowRun): boolean {
  return run.status === "queued" || run.status === "in_progress";
}

export class FakeGitHub {
  readonly repos = new Map<string, Repo>();
  /** Every request to the REST API, in order. */
  readonly calls: Call[] = [];
  readonly history: HistoryEntry[] = [];
  /** Requests GitHub's description rejects, routes the fake does not know, GraphQL: each one a bug in the caller or the fake. */
  readonly problems: string[] = [];
  /** Every webhook GitHub sent or meant to send, in order; a dropped one never reached `onWebhook`. */
  readonly deliveries: Array<{ delivery: Delivery; dropped: boolean }> = [];
  readonly faults = new Faults();
  /** Set to check every request to the REST API against GitHub's description. */
  checkRequests: RequestChecker | undefined;
  /** Where webhooks go, each once. */
  onWebhook: ((delivery: Delivery) => void) | undefined;
  /** Told of every workflow run that may start: at once, or when its concurrency group frees. */
  onRunQueued: ((repo: Repo, run: WorkflowRun) => void) | undefined;
  /** A `fetch` that answers GitHub's REST API from this GitHub. */
  readonly fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

  readonly appId: number;
  readonly installationId: number;
  readonly returnRunDetails: NonNullable<FakeGitHubOptions["returnRunDetails"]>;
  readonly workflowRunAfterTokenDispatch: NonNullable<FakeGitHubOptions["workflowRunAfterTokenDispatch"]>;
  /** The app's public key: the REST API verifies the app's JWTs with it. */
  readonly publicKey: KeyObject;
  readonly #clock: () => string;
  /** Token → who acts with it, and what it may write when it is limited (a workflow's `permissions:`). */
  readonly #tokens = new Map<string, { login: string; writes?: ReadonlySet<string> }>();
  readonly #userIds = new Map<string, number>();
  #ids = {
    repo: 500_000,
    comment: 1_000,
    checkRun: 7_000,
    run: 5_000,
    reaction: 9_000,
    event: 11_000,
    token: 0,
    write: 0,
    delivery: 0,
  };

  constructor(options: FakeGitHubOptions) {
    this.appId = options.appId;
    this.installationId = options.installationId;
    this.publicKey = typeof options.publicKey === "string" ? createPublicKey(options.publicKey) : options.publicKey;
    this.returnRunDetails = options.returnRunDetails ?? "returned";
    this.workflowRunAfterTokenDispatch = options.workflowRunAfterTokenDispatch ?? "fires";
    this.#clock = options.clock;
    this.fetch = restApi(this);
  }

  now(): string {
    return this.#clock();
  }

  /** The requests that cost rate limit: all but those answered `304 Not Modified` (conditional requests). */
  rateLimited(): number {
    return this.calls.filter((call) => call.status !== 304).length;
  }

  // ---------------------------------------------------------------------------
  // Tokens

  /** An installation token of the app (as the token endpoint hands them out), or one that acts as `login`. */
  createToken(login = APP_LOGIN, writes?: readonly string[]): string {
    const token = `ghs_fake${String(++this.#ids.token).padStart(32, "0")}`;
    this.#tokens.set(token, { login, ...(writes === undefined ? {} : { writes: new Set(writes) }) });
    return token;
  }

  /**
   * A workflow run's `GITHUB_TOKEN`: it acts as github-actions[bot]; with
   * `writes`, it may write only what those permissions of the workflow's
   * `permissions:` allow (`issues`, `contents`, …), as GitHub scopes it.
   */
  actionsToken(writes?: readonly string[]): string {
    return this.createToken(ACTIONS_LOGIN, writes);
  }

  /** Who acts with a token; undefined for a token GitHub never gave. */
  tokenLogin(token: string): string | undefined {
    return this.#tokens.get(token)?.login;
  }

  /** The permissions a limited token may write with; undefined when it is not limited. */
  tokenWrites(token: string): ReadonlySet<string> | undefined {
    return this.#tokens.get(token)?.writes;
  }

  /** The next id of a kind of object: ids of a kind count up, so two runs of a test or simulation get the same ids. */
  nextId(kind: "checkRun" | "run" | "reaction"): number {
    return ++this.#ids[kind];
  }

  note(text: string): void {
    this.history.push({ kind: "note", at: this.now(), text });
  }

  // ---------------------------------------------------------------------------
  // The world, as people, agents and the app change it

  createRepo(options: RepoOptions): Repo {
    const repo = new Repo(++this.#ids.repo, options.owner, options.name, options, this.now());
    this.repos.set(repo.fullName.toLowerCase(), repo);
    return repo;
  }

  repo(owner: string, name: string): Repo | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  /** An issue, opened (`issues.opened`), then labelled with each of its labels (`issues.labeled`), as GitHub reports both. */
  createIssue(repo: Repo, issue: { title: string; body: string; user: string; labels?: string[] }): Issue {
    checkBodyLength(issue.body, "Issue");
    const at = this.now();
    const labels = issue.labels ?? [];
    for (const label of labels) this.#knowLabel(repo, label);
    const created: Issue = {
      number: repo.nextNumber(),
      title: issue.title,
      body: issue.body,
      user: issue.user,
      labels: [...labels],
      state: "open",
      createdAt: at,
      updatedAt: at,
      events: [],
      subIssues: [],
      blockedBy: [],
    };
    repo.issues.set(created.number, created);
    this.#emit(issuesEvent(this, repo, created, issue.user, { action: "opened" }));
    for (const label of labels) {
      created.events.push({ id: ++this.#ids.event, event: "labeled", actor: issue.user, label, createdAt: at });
      this.#emit(issuesEvent(this, repo, created, issue.user, { action: "labeled", label }));
    }
    return created;
  }

  addLabel(repo: Repo, issue: Issue, label: string, by: string): void {
    if (issue.labels.includes(label)) return;
    this.#knowLabel(repo, label);
    issue.labels.push(label);
    issue.updatedAt = this.now();
    issue.events.push({ id: ++this.#ids.event, event: "labeled", actor: by, label, createdAt: issue.updatedAt });
    this.#emit(issuesEvent(this, repo, issue, by, { action: "labeled", label }));
  }

  /** A label put on an issue exists in the repository from then on, as GitHub makes it when the API adds an unknown one. */
  #knowLabel(repo: Repo, name: string): void {
    if (!repo.labels.has(name)) repo.labels.set(name, { color: this.label(name).color, description: null });
  }

  removeLabel(repo: Repo, issue: Issue, label: string, by: string): void {
    if (!issue.labels.includes(label)) return;
    issue.labels = issue.labels.filter((name) => name !== label);
    issue.updatedAt = this.now();
    issue.events.push({ id: ++this.#ids.event, event: "unlabeled", actor: by, label, createdAt: issue.updatedAt });
    this.#emit(issuesEvent(this, repo, issue, by, { action: "unlabeled", label }));
  }

  /** The issue whose id (as the REST API gives it) is `id`, in `repo`. */
  issueById(repo: Repo, id: number): Issue | undefined {
    const number = id - repo.id * 1000;
    return Number.isInteger(number) && number > 0 ? repo.issues.get(number) : undefined;
  }

  /** The issue `child` is a sub-issue of, if any. */
  parentOf(repo: Repo, child: Issue): Issue | undefined {
    return [...repo.issues.values()].find((issue) => issue.subIssues.includes(child.number));
  }

  /**
   * `child` becomes the last sub-issue of `parent`, as "Add sub-issue" does:
   * refused (422) for the issue itself, one that has a parent already (unless
   * `replaceParent`), one that is already there, or a 101st.
   */
  addSubIssue(repo: Repo, parent: Issue, child: Issue, replaceParent = false): void {
    const invalid = (message: string) =>
      new HttpError(422, "Validation Failed", {
        errors: [{ resource: "Issue", code: "custom", field: "sub_issue_id", message }],
      });
    if (child.number === parent.number) throw invalid("An issue cannot be a sub-issue of itself");
    if (parent.subIssues.includes(child.number)) throw invalid("Issue is already a sub-issue of this issue");
    const former = this.parentOf(repo, child);
    if (former !== undefined && !replaceParent)
      throw invalid("Issue may not contain duplicate sub-issues and Sub issue may only have one parent");
    if (parent.subIssues.length >= MAX_SUB_ISSUES)
      throw invalid(`Parent cannot have more than ${MAX_SUB_ISSUES} sub-issues`);
    if (former !== undefined) former.subIssues = former.subIssues.filter((number) => number !== child.number);
    parent.subIssues.push(child.number);
    parent.updatedAt = this.now();
  }

  removeSubIssue(parent: Issue, child: Issue): void {
    if (!parent.subIssues.includes(child.number)) throw new HttpError(404, "Not Found");
    parent.subIssues = parent.subIssues.filter((number) => number !== child.number);
    parent.updatedAt = this.now();
  }

  /** `issue` is blocked by `blocker` ("Add a dependency an issue is blocked by"); refused (422) for itself or twice. */
  addBlockedBy(issue: Issue, blocker: Issue): void {
    const invalid = (message: string) =>
      new HttpError(422, "Validation Failed", {
        errors: [{ resource: "Issue", code: "custom", field: "issue_id", message }],
      });
    if (blocker.number === issue.number) throw invalid("An issue cannot be blocked by itself");
    if (issue.blockedBy.includes(blocker.number)) throw invalid("Issue is already blocked by this issue");
    issue.blockedBy.push(blocker.number);
    issue.updatedAt = this.now();
  }

  removeBlockedBy(issue: Issue, blocker: Issue): void {
    if (!issue.blockedBy.includes(blocker.number)) throw new HttpError(404, "Not Found");
    issue.blockedBy = issue.blockedBy.filter((number) => number !== blocker.number);
    issue.updatedAt = this.now();
  }

  /**
   * An issue changed as "Update an issue" changes it: its title and body (`issues.edited`), its labels, replaced
   * whole (`issues.labeled` / `issues.unlabeled` for each one added or taken off; an unknown one is made), and its
   * state with its reason (`issues.closed` / `issues.reopened`; the reason is ignored unless the state changes). Closing records who closed it; a reopened issue's
   * reason is `reopened`.
   */
  updateIssue(
    repo: Repo,
    issue: Issue,
    changes: { title?: string; body?: string; labels?: string[]; state?: "open" | "closed"; stateReason?: string },
    by: string,
  ): void {
    if (changes.body !== undefined) checkBodyLength(changes.body, "Issue");
    const at = this.now();
    const from = issue.body;
    const edited =
      (changes.title !== undefined && changes.title !== issue.title) ||
      (changes.body !== undefined && changes.body !== issue.body);
    if (changes.title !== undefined) issue.title = changes.title;
    if (changes.body !== undefined) issue.body = changes.body;
    if (edited) {
      issue.updatedAt = at;
      this.#emit(issuesEvent(this, repo, issue, by, { action: "edited", from }));
    }
    if (changes.labels !== undefined) {
      const wanted = [...new Set(changes.labels)];
      for (const label of issue.labels.filter((name) => !wanted.includes(name)))
        this.removeLabel(repo, issue, label, by);
      for (const label of wanted) this.addLabel(repo, issue, label, by);
    }
    const state = changes.state ?? issue.state;
    if (state === "closed" && issue.state === "open") this.closeIssue(repo, issue, by, changes.stateReason);
    else if (state === "open" && issue.state === "closed") this.reopenIssue(repo, issue, by);
  }

  /** A person (or the app) closes an issue: `completed` unless another reason is given (`issues.closed`). */
  closeIssue(repo: Repo, issue: Issue, by: string, reason = "completed"): void {
    if (issue.state === "closed") return;
    const at = this.now();
    issue.state = "closed";
    issue.stateReason = reason;
    issue.closedBy = by;
    issue.closedAt = at;
    issue.updatedAt = at;
    this.#emit(issuesEvent(this, repo, issue, by, { action: "closed" }));
  }

  /** A closed issue opened again (`issues.reopened`): its reason is `reopened`, and nobody closed it. */
  reopenIssue(repo: Repo, issue: Issue, by: string): void {
    if (issue.state === "open") return;
    issue.state = "open";
    issue.stateReason = "reopened";
    delete issue.closedBy;
    delete issue.closedAt;
    issue.updatedAt = this.now();
    this.#emit(issuesEvent(this, repo, issue, by, { action: "reopened" }));
  }

  editIssue(repo: Repo, issue: Issue, body: string, by: string): void {
    checkBodyLength(body, "Issue");
    const from = issue.body;
    issue.body = body;
    issue.updatedAt = this.now();
    this.#emit(issuesEvent(this, repo, issue, by, { action: "edited", from }));
  }

  /** A comment on an issue or a pull request; GitHub sends `issue_comment.created` for both. */
  addComment(repo: Repo, issue: number, user: string, body: string): IssueComment {
    if (!repo.issues.has(issue) && !repo.pulls.has(issue)) throw new HttpError(404, "Not Found");
    checkBodyLength(body, "IssueComment");
    const at = this.now();
    const comment: IssueComment = {
      id: ++this.#ids.comment,
      issue,
      user,
      body,
      createdAt: at,
      updatedAt: at,
      edits: 0,
      written: ++this.#ids.write,
    };
    repo.comments.set(comment.id, comment);
    this.history.push({ kind: "comment", at, id: comment.id, issue, user });
    this.#emit(issueCommentEvent(this, repo, comment, user));
    return comment;
  }

  /**
   * A person presses one of a check run's buttons (`identifier`, as the app gave it): GitHub sends
   * `check_run.requested_action` to the app that made the check run. Only a button it shows can be pressed.
   */
  pressCheckRunButton(repo: Repo, run: CheckRun, identifier: string, user: string): void {
    if (!(run.actions as Array<{ identifier?: unknown }>).some((action) => action.identifier === identifier)) {
      throw new Error(`check run ${run.id} has no button "${identifier}"`);
    }
    this.#emit(checkRunActionEvent(this, repo, run, identifier, user));
  }

  /** A new body for a comment, by anyone with write access (the app's own comments included); an unchanged one is no edit. */
  editComment(repo: Repo, comment: IssueComment, body: string, by: string): void {
    checkBodyLength(body, "IssueComment");
    if (comment.body === body) return;
    const from = comment.body;
    comment.body = body;
    comment.edits += 1;
    comment.updatedAt = this.now();
    comment.written = ++this.#ids.write;
    this.#emit(issueCommentEvent(this, repo, comment, by, { from }));
  }

  /** Deletes a comment, as a person (or the app) may: GitHub sends `issue_comment.deleted` with the body it had. */
  deleteComment(repo: Repo, comment: IssueComment, by: string): void {
    repo.comments.delete(comment.id);
    this.#emit(issueCommentEvent(this, repo, comment, by, "deleted"));
  }

  /** Commits changes (`null` deletes a file) on top of a branch and pushes the branch to the new commit. */
  commit(repo: Repo, branch: string, changes: Record<string, string | null>, message: string, user: string): Commit {
    const parent = repo.branch(branch);
    if (parent === undefined) throw new HttpError(404, `Branch ${branch} not found`);
    const tree = new Map(repo.tree(parent));
    for (const [path, content] of Object.entries(changes)) {
      if (content === null) tree.delete(path);
      else tree.set(path, content);
    }
    const commit = repo.git.create([parent], tree, message, user, this.now());
    this.#push(repo, branch, commit.sha, user);
    return commit;
  }

  /** A ref (`refs/heads/x`) at a commit, refused as GitHub refuses it. */
  createRef(repo: Repo, ref: string, sha: string, user: string): void {
    if (!/^refs\/[^/]+\/.+/.test(ref))
      throw new HttpError(422, "Reference name must start with 'refs/' and have at least two slashes.");
    if (repo.git.get(sha) === undefined) throw new HttpError(422, "Object does not exist");
    if (repo.refs.has(ref)) throw new HttpError(422, "Reference already exists");
    // git keeps refs as files: `a/b` cannot sit beside a ref `a`, nor `a` beside a folder `a/`.
    for (const existing of repo.refs.keys()) {
      if (existing.startsWith(`${ref}/`) || ref.startsWith(`${existing}/`))
        throw new HttpError(422, "Reference update failed");
    }
    if (!ref.startsWith("refs/heads/")) {
      repo.refs.set(ref, sha);
      return;
    }
    const branch = ref.slice("refs/heads/".length);
    this.history.push({ kind: "branch", at: this.now(), branch, sha, user });
    this.#push(repo, branch, sha, user);
  }

  /** Moves a ref: a fast-forward unless forced. */
  updateRef(repo: Repo, ref: string, sha: string, user: string, force = false): void {
    const current = repo.refs.get(ref);
    if (current === undefined) throw new HttpError(422, "Reference does not exist");
    if (repo.git.get(sha) === undefined) throw new HttpError(422, "Object does not exist");
    const forward = repo.git.isAncestor(current, sha);
    if (!force && !forward) throw new HttpError(422, "Update is not a fast forward");
    if (!ref.startsWith("refs/heads/")) {
      repo.refs.set(ref, sha);
      return;
    }
    const branch = ref.slice("refs/heads/".length);
    if (!forward) this.history.push({ kind: "branchMoved", at: this.now(), branch, from: current, sha, user });
    this.#push(repo, branch, sha, user);
  }

  /** The Merges API: `head` merged into the branch `base` with a merge commit; undefined when `base` has it already. */
  mergeBranches(repo: Repo, base: string, head: string, user: string, message?: string): Commit | undefined {
    const baseSha = repo.branch(base);
    if (baseSha === undefined) throw new HttpError(404, "Base does not exist");
    const headSha = repo.resolve(head);
    if (headSha === undefined) throw new HttpError(404, "Head does not exist");
    if (repo.git.isAncestor(headSha, baseSha)) return undefined;
    const merged = repo.git.merge(baseSha, headSha);
    if (!merged.ok) throw new HttpError(409, "Merge conflict");
    const commit = repo.git.create(
      [baseSha, headSha],
      merged.tree,
      message ?? `Merge ${head} into ${base}`,
      user,
      this.now(),
    );
    this.history.push({ kind: "merge", at: this.now(), via: "merges", base, head, sha: commit.sha });
    this.#push(repo, base, commit.sha, user);
    return commit;
  }

  /** The open pull request from `head` into `base`, if any. */
  openPull(repo: Repo, head: string, base: string): Pull | undefined {
    return [...repo.pulls.values()].find((pull) => pull.state === "open" && pull.head === head && pull.base === base);
  }

  createPull(repo: Repo, pull: { head: string; base: string; title: string; body: string; user: string }): Pull {
    const failed = (error: Record<string, unknown>) =>
      new HttpError(422, "Validation Failed", { errors: [{ resource: "PullRequest", ...error }] });
    checkBodyLength(pull.body, "PullRequest");
    const headSha = repo.branch(pull.head);
    const baseSha = repo.branch(pull.base);
    if (baseSha === undefined) throw failed({ field: "base", code: "invalid" });
    if (headSha === undefined) throw failed({ field: "head", code: "invalid" });
    if (this.openPull(repo, pull.head, pull.base) !== undefined)
      throw failed({ code: "custom", message: `A pull request already exists for ${repo.owner}:${pull.head}.` });
    if (repo.git.isAncestor(headSha, baseSha))
      throw failed({ code: "custom", message: `No commits between ${pull.base} and ${pull.head}` });
    const at = this.now();
    const created: Pull = {
      number: repo.nextNumber(),
      title: pull.title,
      body: pull.body,
      user: pull.user,
      head: pull.head,
      base: pull.base,
      state: "open",
      merged: false,
      createdAt: at,
      updatedAt: at,
    };
    repo.pulls.set(created.number, created);
    this.history.push({
      kind: "pullRequest",
      at,
      number: created.number,
      head: created.head,
      base: created.base,
      user: pull.user,
    });
    this.#trigger(repo, "pull_request", pull.head, headSha, pull.user);
    return created;
  }

  updatePull(repo: Repo, pull: Pull, changes: { title?: string; body?: string; state?: "open" | "closed" }): void {
    if (changes.body !== undefined) checkBodyLength(changes.body, "PullRequest");
    if (changes.title !== undefined) pull.title = changes.title;
    if (changes.body !== undefined) pull.body = changes.body;
    if (changes.state === "closed" && pull.state === "open") {
      this.history.push({ kind: "pullClosed", at: this.now(), number: pull.number });
      this.closePull(repo, pull);
    }
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

  /**
   * Merges a pull request by a method the repository allows, refused as
   * GitHub refuses it: a closed one or one that conflicts (405), a forbidden
   * method (405), a head that moved since `sha` was read (409).
   */
  mergePull(
    repo: Repo,
    pull: Pull,
    options: { method: MergeMethod; by: string; sha?: string; title?: string },
  ): string {
    const { method } = options;
    if (pull.state !== "open") throw new HttpError(405, "Pull Request is not mergeable");
    if (!repo.mergeMethods.has(method))
      throw new HttpError(
        405,
        `${{ merge: "Merge commits", squash: "Squash merges", rebase: "Rebase merges" }[method]} are not allowed on this repository.`,
      );
    const { head, base } = repo.pullShas(pull);
    if (options.sha !== undefined && options.sha !== head)
      throw new HttpError(409, "Head branch was modified. Review and try the merge again.");
    const merged = repo.git.merge(base, head);
    if (!merged.ok) throw new HttpError(405, "Pull Request is not mergeable");
    const at = this.now();
    let sha: string;
    if (method === "merge") {
      sha = repo.git.create(
        [base, head],
        merged.tree,
        options.title ?? `Merge pull request #${pull.number} from ${repo.owner}/${pull.head}`,
        options.by,
        at,
      ).sha;
    } else if (method === "squash") {
      sha = repo.git.create(
        [base],
        merged.tree,
        options.title ?? `${pull.title} (#${pull.number})`,
        options.by,
        at,
      ).sha;
    } else {
      // Each commit of the head replayed on the base, in order; merge commits are left out, as git rebase does.
      sha = base;
      for (const commit of repo.git.between(base, head).filter((candidate) => candidate.parents.length === 1)) {
        const step = mergeTrees(repo.tree(commit.parents[0]!), repo.tree(sha), commit.tree);
        if (!step.ok) throw new HttpError(405, "Pull Request is not mergeable");
        sha = repo.git.create([sha], step.tree, commit.message, commit.author, at).sha;
      }
    }
    pull.merged = true;
    pull.mergedAt = at;
    pull.mergedBy = options.by;
    pull.mergeCommitSha = sha;
    this.closePull(repo, pull, { head, base });
    this.history.push({
      kind: "merge",
      at,
      via: "pull",
      base: pull.base,
      head: pull.head,
      sha,
      pull: pull.number,
      method,
    });
    this.#push(repo, pull.base, sha, options.by);
    return sha;
  }

  // ---------------------------------------------------------------------------
  // Actions

  /**
   * A `workflow_dispatch` of a workflow on a branch, refused as GitHub refuses
   * it: no such ref, no such trigger in the workflow at that ref, more than 25
   * inputs or 65,535 characters of them, an input it does not declare, a
   * required one missing. It starts a run even when a `GITHUB_TOKEN` asks.
   */
  dispatch(repo: Repo, workflow: Workflow, ref: string, given: Record<string, unknown>, actor: string): WorkflowRun {
    const branch = ref.replace(/^refs\/heads\//, "");
    const sha = repo.branch(branch) ?? repo.resolve(ref);
    if (sha === undefined) throw new HttpError(422, `No ref found for: ${ref}`);
    const text = repo.tree(sha).get(workflow.path);
    const atRef = text === undefined ? undefined : repo.workflowAt(workflow.path, text);
    if (atRef?.inputs === undefined) throw new HttpError(422, "Workflow does not have 'workflow_dispatch' trigger");
    const names = Object.keys(given);
    if (names.length > 25)
      throw new HttpError(
        422,
        `Invalid request.\n\nFor 'properties/inputs', ${names.length} properties are more than the 25 allowed.`,
      );
    const unexpected = names.filter((name) => !atRef.inputs!.has(name));
    if (unexpected.length > 0) throw new HttpError(422, `Unexpected inputs provided: ${JSON.stringify(unexpected)}`);
    for (const [name, value] of Object.entries(given)) {
      if (typeof value !== "string")
        throw new HttpError(
          422,
          `Invalid request.\n\nFor 'properties/${name}', ${JSON.stringify(value)} is not a string.`,
        );
    }
    const missing = [...atRef.inputs]
      .filter(([name, { required }]) => required && given[name] === undefined)
      .map(([name]) => name);
    if (missing.length > 0) throw new HttpError(422, `Required input '${missing[0]}' not provided`);
    const inputs = given as Record<string, string>;
    if (Object.entries(inputs).reduce((sum, [name, value]) => sum + name.length + value.length, 0) > 65_535)
      throw new HttpError(422, "inputs are too large.");
    const run = this.#createRun(
      repo,
      atRef,
      "workflow_dispatch",
      branch,
      sha,
      actor,
      inputs,
      workflowDispatchEvent(this, repo, atRef.path, branch, inputs, actor).payload,
    );
    this.history.push({
      kind: "dispatch",
      at: run.createdAt,
      runId: run.id,
      workflow: atRef.path,
      ref: branch,
      inputs: run.inputs,
    });
    this.#enqueue(repo, run);
    return run;
  }

  /** Moves a run along: `in_progress`, then `completed` with its conclusion, which frees its concurrency group. */
  setRunStatus(
    repo: Repo,
    run: WorkflowRun,
    status: "in_progress" | "completed",
    conclusion: string | null = null,
  ): void {
    const at = this.now();
    run.status = status;
    run.conclusion = status === "completed" ? conclusion : null;
    run.updatedAt = at;
    if (status === "in_progress") run.runStartedAt = at;
    this.history.push({ kind: "run", at, runId: run.id, status, conclusion: run.conclusion });
    this.#emit(workflowRunEvent(this, repo, run, status));
    if (status !== "completed" || run.group === undefined) return;
    const group = [...repo.runs.values()].filter((other) => other.group === run.group);
    const next = group.find((other) => other.status === "pending");
    if (next !== undefined && !group.some(isRunning)) this.#queue(repo, next);
  }

  /** Cancels a run that has not finished: it ends `cancelled`. */
  cancelRun(repo: Repo, run: WorkflowRun): void {
    if (run.status === "completed") throw new HttpError(409, "Cannot cancel a workflow run that is completed.");
    run.cancelRequested = true;
    this.setRunStatus(repo, run, "completed", "cancelled");
  }

  /** The contexts a run's expressions read: `github` (the event's payload in `github.event`), `inputs`, `vars`. */
  #contexts(
    repo: Repo,
    workflow: Workflow,
    event: Trigger,
    branch: string,
    actor: string,
    inputs: Record<string, string>,
    payload: Record<string, unknown>,
  ): Contexts {
    const github = {
      event: payload as Value,
      event_name: event,
      ref: `refs/heads/${branch}`,
      ref_name: branch,
      workflow: workflow.name,
      repository: repo.fullName,
      actor,
    };
    return { github, inputs: event === "workflow_dispatch" ? inputs : {}, vars: {} };
  }

  #createRun(
    repo: Repo,
    workflow: Workflow,
    event: Trigger,
    branch: string,
    sha: string,
    actor: string,
    inputs: Record<string, string>,
    payload: Record<string, unknown>,
  ): WorkflowRun {
    const at = this.now();
    const contexts = this.#contexts(repo, workflow, event, branch, actor, inputs, payload);
    // A one-job workflow whose job its `if:` skips takes no place in the job's concurrency group.
    const skipped = workflow.job?.if !== undefined && !condition(workflow.job.if, contexts);
    const concurrency = workflow.concurrency ?? (skipped ? undefined : workflow.job?.concurrency);
    const run: WorkflowRun = {
      id: this.nextId("run"),
      workflowId: workflow.id,
      path: workflow.path,
      name: workflow.name,
      displayTitle: workflow.runName === undefined ? workflow.name : interpolate(workflow.runName, contexts),
      headBranch: branch,
      headSha: sha,
      event,
      status: "queued",
      conclusion: null,
      runNumber: [...repo.runs.values()].filter((other) => other.workflowId === workflow.id).length + 1,
      actor,
      inputs: { ...inputs },
      payload,
      // Group names are case insensitive: `prod` and `Prod` are one group.
      ...(concurrency === undefined ? {} : { group: interpolate(concurrency.group, contexts).toLowerCase() }),
      cancelInProgress: concurrency?.cancelInProgress === true,
      skipped,
      createdAt: at,
      updatedAt: at,
      runStartedAt: at,
      cancelRequested: false,
    };
    repo.runs.set(run.id, run);
    return run;
  }

  /**
   * A new run: `requested`, then queued, or pending while its concurrency
   * group runs another. A group holds at most one running and one pending
   * run: a newer pending run cancels the older one, and with
   * `cancel-in-progress` the running one too.
   */
  #enqueue(repo: Repo, run: WorkflowRun): void {
    this.#emit(workflowRunEvent(this, repo, run, "requested"));
    if (run.skipped) {
      // Every job skipped: the run ends at once, having used no runner.
      this.setRunStatus(repo, run, "completed", "skipped");
      return;
    }
    if (this.faults.loses(run.path)) {
      // Lost (`faults.loseRun`): cancelled while it waited, it never held its group.
      run.cancelRequested = true;
      this.setRunStatus(repo, run, "completed", "cancelled");
      return;
    }
    const group = [...repo.runs.values()].filter(
      (other) => other !== run && run.group !== undefined && other.group === run.group,
    );
    const running = group.find(isRunning);
    if (running === undefined) {
      this.#queue(repo, run);
      return;
    }
    run.status = "pending";
    for (const older of group.filter((other) => other.status === "pending")) this.cancelRun(repo, older);
    if (run.cancelInProgress) this.cancelRun(repo, running);
  }

  #queue(repo: Repo, run: WorkflowRun): void {
    run.status = "queued";
    run.updatedAt = this.now();
    this.onRunQueued?.(repo, run);
  }

  /**
   * A branch moves: the runs of the workflows at that commit that run on
   * `push` start, unless a `GITHUB_TOKEN` pushed; so do the `pull_request`
   * runs of an open pull request from that branch.
   */
  #push(repo: Repo, branch: string, sha: string, user: string): void {
    repo.refs.set(`refs/heads/${branch}`, sha);
    this.#trigger(repo, "push", branch, sha, user);
    if ([...repo.pulls.values()].some((pull) => pull.state === "open" && pull.head === branch))
      this.#trigger(repo, "pull_request", branch, sha, user);
  }

  /** Events a `GITHUB_TOKEN` causes start no workflow run ("Triggering a workflow from a workflow"); only a dispatch does. */
  #trigger(repo: Repo, event: "push" | "pull_request", branch: string, sha: string, actor: string): void {
    if (actor === ACTIONS_LOGIN) return;
    for (const workflow of repo.workflows(sha).filter((candidate) => candidate.on.has(event))) {
      this.#enqueue(
        repo,
        this.#createRun(repo, workflow, event, branch, sha, actor, {}, { ref: `refs/heads/${branch}` }),
      );
    }
  }

  /**
   * The runs an event starts in the workflows of the default branch that
   * listen for it (its activity type among their `types`, for `workflow_run`
   * its workflow among their `workflows`). What a `GITHUB_TOKEN` caused starts
   * none ("Triggering a workflow from a workflow"), so the Actions bot's own
   * comments never start it again; a run a `GITHUB_TOKEN` dispatched sends its
   * `workflow_run` as `workflowRunAfterTokenDispatch` says.
   */
  #startWorkflows(webhook: Webhook): void {
    // A press of a check run's button goes to the app that made the check run only.
    if (webhook.name === "check_run") return;
    const { payload } = webhook;
    const repo = this.repo(payload.repository.owner.login, payload.repository.name);
    if (repo === undefined) return;
    const run = webhook.name === "workflow_run" ? webhook.payload.workflow_run : undefined;
    const causedBy = run?.actor?.login ?? payload.sender.login;
    if (causedBy === ACTIONS_LOGIN && (run === undefined || this.workflowRunAfterTokenDispatch === "silent")) return;
    const sha = repo.branch(repo.defaultBranch)!;
    for (const workflow of repo.workflows(sha)) {
      const filter = workflow.on.get(webhook.name);
      if (filter === undefined) continue;
      if (filter.types !== undefined && !filter.types.includes(String(payload.action))) continue;
      if (run !== undefined && !(filter.workflows ?? []).includes(run.name ?? "")) continue;
      this.#enqueue(
        repo,
        this.#createRun(
          repo,
          workflow,
          webhook.name,
          repo.defaultBranch,
          sha,
          payload.sender.login,
          {},
          payload as unknown as Record<string, unknown>,
        ),
      );
    }
  }

  /**
   * A schedule comes round: a run of each workflow of the default branch with
   * a `schedule`, its payload the cron line alone, as GitHub's is. GitHub
   * delays scheduled runs under load and sometimes drops them: the caller
   * decides when one comes.
   */
  schedule(repo: Repo): WorkflowRun[] {
    const sha = repo.branch(repo.defaultBranch)!;
    return repo.workflows(sha).flatMap((workflow) => {
      const cron = workflow.on.get("schedule")?.crons?.[0];
      if (cron === undefined) return [];
      const run = this.#createRun(
        repo,
        workflow,
        "schedule",
        repo.defaultBranch,
        sha,
        repo.owner,
        {},
        scheduleEvent(cron).payload,
      );
      this.#enqueue(repo, run);
      return [run];
    });
  }

  // ---------------------------------------------------------------------------
  // Webhooks

  #emit(webhook: Webhook): void {
    const delivery: Delivery = {
      ...webhook,
      id: `00000000-0000-4000-8000-${String(++this.#ids.delivery).padStart(12, "0")}`,
    };
    const dropped = this.faults.drops(webhook.name, webhook.payload.action);
    this.deliveries.push({ delivery, dropped });
    if (dropped) return;
    this.onWebhook?.(delivery);
    this.#startWorkflows(webhook);
  }

  /** Sends a delivery again, as a person does from the app's settings or the redelivery API: GitHub never does by itself. */
  redeliver(id: string): Delivery {
    const found = this.deliveries.find((entry) => entry.delivery.id === id);
    if (found === undefined) throw new Error(`no delivery ${id}`);
    this.onWebhook?.(found.delivery);
    return found.delivery;
  }

  // ---------------------------------------------------------------------------
  // Who is who, the same in every answer and payload

  /** A login's id. */
  userId(login: string): number {
    let id = this.#userIds.get(login);
    if (id === undefined) {
      id = login === APP_LOGIN ? 200_000_001 : login === ACTIONS_LOGIN ? 41_898_282 : 100_000 + this.#userIds.size + 1;
      this.#userIds.set(login, id);
    }
    return id;
  }

  /** A user as the REST API shows one. */
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

  /** A label's id and colour. */
  label(name: string): { id: number; color: string } {
    return { id: 300_000 + [...name].reduce((sum, char) => sum + char.charCodeAt(0), 0), color: "0e8a16" };
  }

  association(repo: Repo, login: string): "OWNER" | "COLLABORATOR" | "NONE" {
    if (login === repo.owner) return "OWNER";
    const permission = repo.collaborators.get(login);
    return permission === undefined || permission === "none" ? "NONE" : "COLLABORATOR";
  }
}
