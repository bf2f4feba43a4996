import yaml from "js-yaml";
import { CommitGraph, diffTrees, type FileChange, type Tree } from "./commitGraph.js";
import { gitObjects, type Folder } from "./gitObjects.js";

/** What one repository of the fake GitHub holds, as plain data with the few rules that read it. */

export type Permission = "admin" | "maintain" | "write" | "triage" | "read" | "none";
export type MergeMethod = "merge" | "squash" | "rebase";

export interface Issue {
  number: number;
  title: string;
  body: string;
  user: string;
  labels: string[];
  state: "open" | "closed";
  /** Why it was last closed or reopened (`completed`, `not_planned`, `duplicate`, `reopened`), as GitHub records it. */
  stateReason?: string;
  /** Who closed it last, while it is closed. */
  closedBy?: string;
  createdAt: string;
  updatedAt: string;
  closedAt?: string;
  /** What "List issue events" shows of it, oldest first: each label added or removed, by whom. */
  events: IssueEvent[];
  /** Its sub-issues' numbers, in their order (GitHub's priority), at most `MAX_SUB_ISSUES`. */
  subIssues: number[];
  /** The numbers of the issues it is blocked by. */
  blockedBy: number[];
}

export interface IssueEvent {
  id: number;
  event: "labeled" | "unlabeled";
  actor: string;
  label: string;
  createdAt: string;
}

/** GitHub holds at most 100 sub-issues under one parent, closed ones included. */
export const MAX_SUB_ISSUES = 100;

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
  mergedBy?: string;
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
  /** The buttons, as the app gave them. */
  actions: unknown[];
  externalId?: string;
  startedAt: string;
  completedAt?: string;
  /** Times it was updated after it was created. */
  updates: number;
}

/** The events of a workflow's `on:` the fake starts runs for. */
export type Trigger =
  "workflow_dispatch" | "push" | "pull_request" | "issues" | "issue_comment" | "workflow_run" | "schedule";

/** A trigger's filters: the activity `types`, the `workflows` a `workflow_run` listens to, a schedule's `cron` lines. */
export interface TriggerFilter {
  types?: string[];
  workflows?: string[];
  crons?: string[];
}

/** `concurrency:`: the group (an expression) and whether a newer run cancels the running one. */
export interface Concurrency {
  group: string;
  cancelInProgress: boolean;
}

export interface Workflow {
  id: number;
  path: string;
  name: string;
  runName?: string;
  /** The events of its `on:` (any, not only those the fake starts runs for), with their filters. */
  on: Map<string, TriggerFilter>;
  /** Declared `workflow_dispatch` inputs, with whether each is required; none without that trigger. */
  inputs?: Map<string, { required: boolean }>;
  /** Its `concurrency:`. */
  concurrency?: Concurrency;
  /**
   * Its job's `if:` and `concurrency:`, when it has one job: a job its `if:`
   * skips takes no runner and no place in a group, and its run ends skipped.
   */
  job?: { if?: string; concurrency?: Concurrency };
}

export interface WorkflowRun {
  id: number;
  workflowId: number;
  path: string;
  name: string;
  displayTitle: string;
  headBranch: string;
  headSha: string;
  event: Trigger;
  /** `pending` waits for its concurrency group; `queued` may start. */
  status: "pending" | "queued" | "in_progress" | "completed";
  conclusion: string | null;
  runNumber: number;
  actor: string;
  inputs: Record<string, string>;
  /** The event's payload, as the run's steps read it (`GITHUB_EVENT_PATH`). */
  payload: Record<string, unknown>;
  /** Its concurrency group, evaluated when it was created. */
  group?: string;
  cancelInProgress: boolean;
  /** Its one job was skipped by its `if:`: it ends at once, on no runner. */
  skipped: boolean;
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

export interface RepoOptions {
  owner: string;
  name: string;
  files?: Record<string, string>;
  defaultBranch?: string;
  /** Merge methods the repository allows for pull requests (all three by default). */
  mergeMethods?: MergeMethod[];
  collaborators?: Record<string, Permission>;
  /** Private by default; on a public one every GitHub user may read. */
  private?: boolean;
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
  /** The repository's labels, by name; a label put on an issue is one of them. */
  readonly labels = new Map<string, { color: string; description: string | null }>();
  readonly collaborators: Map<string, Permission>;
  readonly mergeMethods: Set<MergeMethod>;
  readonly defaultBranch: string;
  /** Whether it is private: people change it, and the next payloads say so. */
  private: boolean;
  readonly #workflowIds = new Map<string, number>();
  #nextNumber = 1;
  /** Trees and blobs, made from a commit's files when the Git Data API is first asked for them: a tree's SHA → its folder. */
  readonly #trees = new Map<string, { folders: ReadonlyMap<string, Folder>; path: string }>();
  readonly #blobs = new Map<string, string>();
  /** A commit's SHA → its root tree's. */
  readonly #roots = new Map<string, string>();

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
    this.private = options.private ?? true;
    const root = this.git.create([], new Map(Object.entries(options.files ?? {})), "Initial commit", owner, at);
    this.refs.set(`refs/heads/${this.defaultBranch}`, root.sha);
  }

  get fullName(): string {
    return `${this.owner}/${this.name}`;
  }

  /** Issues and pull requests share one sequence of numbers. */
  nextNumber(): number {
    return this.#nextNumber++;
  }

  branch(name: string): string | undefined {
    return this.refs.get(`refs/heads/${name}`);
  }

  /** A branch name, a full ref or a commit sha → the commit sha. */
  resolve(ref: string): string | undefined {
    if (this.git.get(ref) !== undefined) return ref;
    return (
      this.refs.get(ref) ??
      this.refs.get(`refs/heads/${ref}`) ??
      this.refs.get(`refs/tags/${ref}`) ??
      this.refs.get(`refs/${ref}`)
    );
  }

  tree(sha: string): Tree {
    return this.git.get(sha)!.tree;
  }

  /** A tree by its SHA, or the root tree of a commit (by SHA or ref), with the folders around it. */
  treeAt(treeish: string): (Folder & { folders: ReadonlyMap<string, Folder>; path: string }) | undefined {
    const commit = this.resolve(treeish);
    let sha = treeish;
    if (commit !== undefined) {
      let root = this.#roots.get(commit);
      if (root === undefined) {
        const { folders, blobs } = gitObjects(this.tree(commit));
        for (const [path, folder] of folders) this.#trees.set(folder.sha, { folders, path });
        for (const [blob, content] of blobs) this.#blobs.set(blob, content);
        root = folders.get("")!.sha;
        this.#roots.set(commit, root);
      }
      sha = root;
    }
    const found = this.#trees.get(sha);
    return found === undefined ? undefined : { ...found.folders.get(found.path)!, ...found };
  }

  /** A blob's content, by SHA, once a tree holding it was read. */
  blob(sha: string): string | undefined {
    return this.#blobs.get(sha);
  }

  /** The workflows under `.github/workflows` of a commit (the default branch's head by default). */
  workflows(sha = this.branch(this.defaultBranch)!): Workflow[] {
    const tree = this.tree(sha);
    return [...tree.keys()]
      .filter((path) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(path))
      .sort()
      .map((path) => this.workflowAt(path, tree.get(path)!));
  }

  /** A workflow as one commit's file says, under the id its path has on GitHub. */
  workflowAt(path: string, text: string): Workflow {
    let id = this.#workflowIds.get(path);
    if (id === undefined) {
      id = 161_000 + this.#workflowIds.size + 1;
      this.#workflowIds.set(path, id);
    }
    return { id, path, ...parsedWorkflow(text, path) };
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

  /** A comment's reactions, counted as GitHub shows them in comments and payloads; none for `undefined` (an issue). */
  reactionCounts(
    commentId: number | undefined,
  ): { total_count: number } & Record<
    "+1" | "-1" | "laugh" | "confused" | "heart" | "hooray" | "rocket" | "eyes",
    number
  > {
    const reactions =
      commentId === undefined ? [] : this.reactions.filter((reaction) => reaction.commentId === commentId);
    const count = (content: string) => reactions.filter((reaction) => reaction.content === content).length;
    return {
      total_count: reactions.length,
      "+1": count("+1"),
      "-1": count("-1"),
      laugh: count("laugh"),
      confused: count("confused"),
      heart: count("heart"),
      hooray: count("hooray"),
      rocket: count("rocket"),
      eyes: count("eyes"),
    };
  }

  /** Whether the pull request's head merges cleanly into its base. */
  mergeable(pull: Pull): boolean {
    const { head, base } = this.pullShas(pull);
    return this.git.get(head) !== undefined && this.git.get(base) !== undefined && this.git.merge(base, head).ok;
  }
}

/** Workflow files read, by path, then text (a tree's own string: its hash is kept): every event reads the default branch's workflows, and YAML is slow to read. */
const parsedWorkflows = new Map<string, Map<string, Readonly<Omit<Workflow, "id" | "path">>>>();
/** Texts kept a path: enough for every version a test or simulation holds; past it, the path's are read again. */
const PARSED_TEXTS_KEPT = 16;

/** `parseWorkflow`, each file text read once. */
function parsedWorkflow(text: string, path: string): Readonly<Omit<Workflow, "id" | "path">> {
  let texts = parsedWorkflows.get(path);
  if (texts === undefined) parsedWorkflows.set(path, (texts = new Map()));
  let parsed = texts.get(text);
  if (parsed === undefined) {
    parsed = parseWorkflow(text, path);
    if (texts.size >= PARSED_TEXTS_KEPT) texts.clear();
    texts.set(text, parsed);
  }
  return parsed;
}

/** A workflow file's name, run-name, triggers, `workflow_dispatch` inputs, concurrency and its one job's. */
export function parseWorkflow(text: string, path: string): Omit<Workflow, "id" | "path"> {
  let doc: unknown;
  try {
    doc = yaml.load(text);
  } catch {
    doc = undefined;
  }
  const root = record(doc) ?? {};
  const name = typeof root.name === "string" ? root.name : path;
  const runName = typeof root["run-name"] === "string" ? root["run-name"] : undefined;
  const on = root.on;
  const triggers: Record<string, unknown> =
    typeof on === "string"
      ? { [on]: null }
      : Array.isArray(on)
        ? Object.fromEntries(on.map((item) => [String(item), null]))
        : (record(on) ?? {});
  const concurrency = concurrencyOf(root.concurrency);
  const declared =
    "workflow_dispatch" in triggers ? (record(record(triggers.workflow_dispatch)?.inputs) ?? {}) : undefined;
  const jobs = Object.values(record(root.jobs) ?? {});
  const only = jobs.length === 1 ? record(jobs[0]) : undefined;
  const jobConcurrency = concurrencyOf(only?.concurrency);
  const job =
    only === undefined
      ? undefined
      : {
          ...(typeof only.if === "string" ? { if: only.if } : {}),
          ...(jobConcurrency === undefined ? {} : { concurrency: jobConcurrency }),
        };
  return {
    name,
    ...(runName === undefined ? {} : { runName }),
    on: new Map(Object.entries(triggers).map(([event, value]) => [event, filterOf(value)])),
    ...(declared === undefined
      ? {}
      : {
          inputs: new Map(
            Object.entries(declared).map(([key, value]) => [key, { required: record(value)?.required === true }]),
          ),
        }),
    ...(concurrency === undefined ? {} : { concurrency }),
    ...(job === undefined ? {} : { job }),
  };
}

/** A trigger's `types`, `workflows` and, for `schedule`, its `cron` lines. */
function filterOf(value: unknown): TriggerFilter {
  const strings = (items: unknown) =>
    Array.isArray(items) ? items.map(String) : typeof items === "string" ? [items] : undefined;
  if (Array.isArray(value)) return { crons: value.map((item) => String(record(item)?.cron ?? "")) };
  const types = strings(record(value)?.types);
  const workflows = strings(record(value)?.workflows);
  return { ...(types === undefined ? {} : { types }), ...(workflows === undefined ? {} : { workflows }) };
}

/** `concurrency: group` or `concurrency: { group, cancel-in-progress }`. */
function concurrencyOf(value: unknown): Concurrency | undefined {
  if (typeof value === "string") return { group: value, cancelInProgress: false };
  const group = record(value)?.group;
  return typeof group === "string"
    ? { group, cancelInProgress: record(value)?.["cancel-in-progress"] === true }
    : undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
