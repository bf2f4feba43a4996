/**
 * A small, scripted GitHub for the lifecycle tests, answered through nock: one
 * persisted interceptor per method on a `githubApi()` scope, so every request
 * the app makes is still checked against GitHub's OpenAPI description, and
 * anything this file does not know is answered 599 and fails the test.
 *
 * It keeps what the app can observe — branches, comments, workflow dispatches,
 * pull requests, check runs, merges — and does what GitHub does where the app
 * depends on it: `head=` without `owner:` is ignored, a ref beside a folder of
 * refs is refused, a dispatch with undeclared inputs is refused, a pull request
 * without commits is refused, a forbidden merge method is refused, a comparison
 * lists the files a test says each branch changed. Faults (5xx,
 * secondary rate limits) are injected per request.
 *
 * The agent is the test: `finishRun` plays what the runner does (open or update
 * the batch's pull request with its files and report) and returns the
 * `workflow_run.completed` payload to deliver.
 */
import { createHash } from "node:crypto";
import nock from "nock";
import type { Probot } from "probot";
import { githubApi } from "../helpers/github.js";
import { reportBlock } from "../../src/report/reportBlock.js";
import { ReportSchema, type ReportInput } from "../../src/report/reportSchema.js";
import { payload } from "./app.js";

export const OWNER = "Codertocat";
export const REPO = "Hello-World";
export const ISSUE = 1;
const base = `/repos/${OWNER}/${REPO}`;

// Request bodies are JSON of any shape, read by the routes below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface Logged {
  method: string;
  /** The path without the query. */
  path: string;
  query: Record<string, string>;
  body: Json;
  status: number;
}

export interface Pull {
  number: number;
  head: string;
  base: string;
  headSha: string;
  body: string;
  title: string;
  state: "open" | "closed";
  mergedAt: string | null;
  mergeSha?: string;
  files: string[];
}

export interface Fault {
  /** Which request: method and path (without query). */
  when: (request: { method: string; path: string; body: Json }) => boolean;
  status: number;
  body?: Json;
  headers?: Record<string, string>;
  /** How many matching requests fail; once by default. */
  times?: number;
  /** GitHub carried the request out, and the answer was lost on the way back (a 502 from a proxy, a timeout). */
  carriedOut?: boolean;
}

export interface FakeOptions {
  /** `.github/parallel-coordinator.yml`, raw; none by default. */
  config?: string;
  /** Inputs the agent workflow declares; all of the contract's by default. */
  declaredInputs?: string[];
  /** Merge methods the repository allows. */
  mergeMethods?: Array<"merge" | "squash" | "rebase">;
  /**
   * How the server treats `return_run_details`: GitHub.com returns the run
   * (default); an older GitHub Enterprise Server answers 204 without it
   * ("ignored") or refuses the field with 400 ("refused").
   */
  runDetails?: "returned" | "ignored" | "refused";
  /** Branches that exist besides `master`. */
  branches?: Record<string, string>;
}

export interface FakeSnapshot {
  refs: Map<string, string>;
  comments: FakeGitHub["comments"];
  dispatches: FakeGitHub["dispatches"];
  pulls: Pull[];
  checkRuns: Json[];
  commits: Map<string, Set<string>>;
  conflicting: Set<number>;
  syncConflicts: Set<string>;
  changed: Map<string, string[]>;
  noCommits: boolean;
  counters: readonly [number, number, number];
}

const CONTRACT_INPUTS = ["issue", "batch", "attempt", "key", "base", "scope", "brief"];

export class FakeGitHub {
  readonly refs = new Map<string, string>([["master", "base-sha"]]);
  readonly comments: Array<{ id: number; body: string; login: string; type: "Bot" | "User" }> = [];
  readonly dispatches: Array<{ ref: string; inputs: Record<string, string>; runId?: number; returnRunDetails: boolean; completed?: { conclusion: string; started: string; at: string } }> = [];
  readonly pulls: Pull[] = [];
  readonly checkRuns: Json[] = [];
  readonly log: Logged[] = [];
  readonly faults: Fault[] = [];
  /** Pull requests that conflict with their base when merged. */
  readonly conflicting = new Set<number>();
  /** Branches whose sync (Merges API) conflicts. */
  readonly syncConflicts = new Set<string>();
  /** Files a comparison lists as changed on its head branch since the merge base, by branch; none unless a test says. */
  readonly changed = new Map<string, string[]>();
  /** Every commit with the commits it contains (itself included). */
  readonly commits = new Map<string, Set<string>>([["base-sha", new Set(["base-sha"])]]);
  /** Whether `POST /pulls` from the integration branch finds no commits. */
  noCommits = false;
  tokens = 0;
  private taken = 0;
  private nextComment = 500;
  private nextPull = 10;
  private nextRun = 1001;
  private readonly options: FakeOptions;

  constructor(options: FakeOptions = {}) {
    this.options = options;
    for (const [branch, sha] of Object.entries(options.branches ?? {})) this.refs.set(branch, sha);
    const scope = githubApi().persist();
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
      scope.intercept(() => true, method).reply((uri, body) => this.answer(method, uri, body));
    }
  }

  /** Everything the fake holds, to start another fake (and another test) from this point. */
  snapshot(): FakeSnapshot {
    return structuredClone({
      refs: this.refs,
      comments: this.comments,
      dispatches: this.dispatches,
      pulls: this.pulls,
      checkRuns: this.checkRuns,
      commits: this.commits,
      conflicting: this.conflicting,
      syncConflicts: this.syncConflicts,
      changed: this.changed,
      noCommits: this.noCommits,
      counters: [this.nextComment, this.nextPull, this.nextRun] as const,
    });
  }

  /** Takes over a snapshot's contents (the log starts empty). */
  restore(snapshot: FakeSnapshot): this {
    const copy = structuredClone(snapshot);
    const refill = <K, V>(target: Map<K, V>, source: Map<K, V>) => {
      target.clear();
      for (const [key, value] of source) target.set(key, value);
    };
    refill(this.refs, copy.refs);
    refill(this.commits, copy.commits);
    refill(this.changed, copy.changed);
    this.comments.splice(0, Infinity, ...copy.comments);
    this.dispatches.splice(0, Infinity, ...copy.dispatches);
    this.pulls.splice(0, Infinity, ...copy.pulls);
    this.checkRuns.splice(0, Infinity, ...copy.checkRuns);
    this.conflicting.clear();
    for (const number of copy.conflicting) this.conflicting.add(number);
    this.syncConflicts.clear();
    for (const branch of copy.syncConflicts) this.syncConflicts.add(branch);
    this.noCommits = copy.noCommits;
    [this.nextComment, this.nextPull, this.nextRun] = copy.counters;
    return this;
  }

  /** Removes the interceptors (also done by `useGitHubApi()` after each test). */
  close(): void {
    nock.cleanAll();
  }

  /** Requests since the last call, as `METHOD /path`, with the full entries in `entries`. */
  take(): string[] {
    return this.takeEntries().map((entry) => `${entry.method} ${entry.path}`);
  }

  takeEntries(): Logged[] {
    const entries = this.log.slice(this.taken);
    this.taken = this.log.length;
    return entries;
  }

  /** The comments as people see them. */
  commentBodies(): string[] {
    return this.comments.map((comment) => comment.body);
  }

  dashboard(): string | undefined {
    return this.comments.find((comment) => comment.type === "Bot" && comment.body.includes("<!-- parallel-coordinator:dashboard -->"))?.body;
  }

  /** A person's comment (or edit of one). */
  addComment(body: string, login = "octocat", type: "Bot" | "User" = "User"): number {
    const id = this.nextComment++;
    this.comments.push({ id, body, login, type });
    return id;
  }

  runId(key: string): number {
    const found = this.dispatches.find((dispatch) => dispatch.inputs.key === key && dispatch.runId !== undefined);
    if (found === undefined) throw new Error(`no run was dispatched with key ${key}; dispatched: ${this.dispatches.map((d) => d.inputs.key).join(", ")}`);
    return found.runId!;
  }

  /**
   * The runner's work for the dispatch with `key`: commits `files` to its
   * branch, opens (or updates) the pull request with the report, and ends the
   * run; answers the `workflow_run.completed` payload.
   */
  finishRun(
    key: string,
    options: { files?: string[]; report?: Partial<ReportInput>; conclusion?: "success" | "failure" | "cancelled" | "timed_out"; minutes?: number; at: string; noPullRequest?: boolean },
  ): Json {
    // Dispatched twice (a repeated step), both runs go on; the later one is the one the app recorded.
    const dispatch = this.dispatches.findLast((candidate) => candidate.inputs.key === key);
    if (dispatch === undefined) throw new Error(`no dispatch with key ${key}`);
    const runId = dispatch.runId ?? this.nextRun++;
    dispatch.runId = runId;
    const conclusion = options.conclusion ?? "success";
    if (conclusion === "success" && options.noPullRequest !== true) {
      const report = ReportSchema.parse({
        version: 1,
        issue: ISSUE,
        batch: dispatch.inputs.batch,
        run: runId,
        status: "Complete",
        changes: (options.files ?? []).map((file, index) => ({ file, line: index + 1, summary: `changed ${file}` })),
        acceptance: [{ check: "tests", passed: true, output: "ok" }],
        integrationPoints: [`${dispatch.inputs.batch} is ready at ${(options.files ?? ["?"])[0]}`],
        summary: `Batch ${dispatch.inputs.batch} done.`,
        ...options.report,
      });
      const body = `Batch ${dispatch.inputs.batch}, attempt ${dispatch.inputs.attempt}.\n\n${reportBlock(report)}\n`;
      const sha = `${key}-sha`;
      this.commit(sha, this.refs.get(dispatch.ref));
      this.refs.set(dispatch.ref, sha);
      const open = this.pulls.find((pull) => pull.head === dispatch.ref && pull.base === dispatch.inputs.base && pull.state === "open");
      if (open !== undefined) {
        open.body = body;
        open.headSha = sha;
        open.files = options.files ?? [];
      } else {
        this.pulls.push({
          number: this.nextPull++,
          head: dispatch.ref,
          base: dispatch.inputs.base!,
          headSha: sha,
          body,
          title: `Batch ${dispatch.inputs.batch}`,
          state: "open",
          mergedAt: null,
          files: options.files ?? [],
        });
      }
    }
    const minutes = options.minutes ?? 15;
    const started = new Date(Date.parse(options.at) - minutes * 60_000).toISOString().replace(/\.000Z$/, "Z");
    dispatch.completed = { conclusion, started, at: options.at };
    return payload("workflow_run", "completed", (value) => {
      value.repository = structuredClone(payload("issues", "labeled").repository);
      Object.assign(value.workflow_run, {
        id: runId,
        name: "parallel-coordinator agent",
        display_title: `Agent ${key}`,
        path: ".github/workflows/parallel-coordinator-agent.yml",
        event: "workflow_dispatch",
        status: "completed",
        conclusion,
        head_branch: dispatch.ref,
        run_started_at: started,
        created_at: started,
        updated_at: options.at,
        pull_requests: [],
      });
    });
  }

  /** A new commit with its parents. */
  private commit(sha: string, ...parents: Array<string | undefined>): void {
    const contains = new Set([sha]);
    for (const parent of parents) for (const ancestor of parent === undefined ? [] : this.ancestry(parent)) contains.add(ancestor);
    this.commits.set(sha, contains);
  }

  private ancestry(sha: string): Set<string> {
    return this.commits.get(sha) ?? new Set([sha]);
  }

  private answer(method: string, uri: string, body: Json): readonly [number, Json?, Record<string, string>?] {
    const url = new URL(uri, "https://api.github.com");
    const path = url.pathname;
    const query = Object.fromEntries(url.searchParams);
    if (method === "POST" && path === "/app/installations/2/access_tokens") {
      this.tokens += 1;
      return [201, { token: "installation-token", expires_at: "2099-01-01T00:00:00Z" }];
    }
    const fault = this.faults.find((candidate) => (candidate.times ?? 1) > 0 && candidate.when({ method, path, body }));
    let result: readonly [number, Json?, Record<string, string>?];
    if (fault !== undefined) {
      fault.times = (fault.times ?? 1) - 1;
      if (fault.carriedOut === true) this.route(method, path, query, body);
      result = [fault.status, fault.body ?? { message: `fault ${fault.status}` }, fault.headers ?? {}];
    } else {
      result = this.route(method, path, query, body);
    }
    this.log.push({ method, path, query, body: body === "" ? undefined : body, status: result[0] });
    return result;
  }

  private route(method: string, path: string, query: Record<string, string>, body: Json): readonly [number, Json?, Record<string, string>?] {
    const key = `${method} ${path}`;
    let match: RegExpExecArray | null;

    if (key === `GET ${base}/contents/.github%2Fparallel-coordinator.yml` || key === `GET ${base}/contents/.github/parallel-coordinator.yml`) {
      if (this.options.config === undefined) return [404, { message: "Not Found" }];
      return [200, this.options.config, { "content-type": "application/vnd.github.raw; charset=utf-8" }];
    }
    if (key === `GET /repos/${OWNER}/.github/contents/.github%2Fparallel-coordinator.yml`) return [404, { message: "Not Found" }];

    if (key === `GET ${base}/issues/${ISSUE}/comments`) {
      return [200, this.comments.map((comment) => this.apiComment(comment))];
    }
    // Other issues of the repository exist, without comments.
    if (method === "GET" && new RegExp(`^${base}/issues/\\d+/comments$`).test(path)) return [200, []];
    if (key === `POST ${base}/issues/${ISSUE}/comments`) {
      const id = this.nextComment++;
      const comment = { id, body: body.body as string, login: "parallel-coordinator[bot]", type: "Bot" as const };
      this.comments.push(comment);
      return [201, this.apiComment(comment)];
    }
    if (method === "PATCH" && (match = new RegExp(`^${base}/issues/comments/(\\d+)$`).exec(path)) !== null) {
      const comment = this.comments.find((candidate) => candidate.id === Number(match![1]));
      if (comment === undefined) return [404, { message: "Not Found" }];
      comment.body = body.body;
      return [200, this.apiComment(comment)];
    }

    if (method === "GET" && (match = new RegExp(`^${base}/git/ref/heads%2F(.+)$`).exec(path)) !== null) {
      const branch = decodeURIComponent(match[1]!);
      const sha = this.refs.get(branch);
      if (sha === undefined) return [404, { message: "Not Found" }];
      return [200, { ref: `refs/heads/${branch}`, node_id: "REF", url: `https://api.github.com${base}/git/refs/heads/${branch}`, object: { sha, type: "commit", url: "https://api.github.com/x" } }];
    }
    if (key === `POST ${base}/git/refs`) {
      const branch = String(body.ref).replace(/^refs\/heads\//, "");
      if (this.refs.has(branch)) return [422, { message: "Reference already exists", documentation_url: "https://docs.github.com/rest/git/refs#create-a-reference" }];
      // git keeps refs as files: `a/b` cannot sit beside a branch `a`, nor `a` beside `a/b`.
      const clash = [...this.refs.keys()].some((other) => other.startsWith(`${branch}/`) || branch.startsWith(`${other}/`));
      if (clash) return [422, { message: "Reference update failed", documentation_url: "https://docs.github.com/rest/git/refs#create-a-reference" }];
      this.refs.set(branch, body.sha);
      return [201, { ref: body.ref, node_id: "REF", url: "https://api.github.com/x", object: { sha: body.sha, type: "commit", url: "https://api.github.com/y" } }];
    }
    if (key === `POST ${base}/merges`) {
      if (this.syncConflicts.has(body.base)) return [409, { message: "Merge conflict" }];
      const from = this.refs.get(body.head);
      const into = this.refs.get(body.base);
      if (from === undefined || into === undefined) return [404, { message: "Not Found" }];
      // Everything there already: GitHub answers 204, nothing to merge.
      if (this.ancestry(into).has(from)) return [204];
      const sha = `sync-${createHash("sha1").update(`${into}+${from}`).digest("hex").slice(0, 8)}`;
      this.commit(sha, into, from);
      this.refs.set(body.base, sha);
      return [201, { sha, commit: { message: body.commit_message } }];
    }

    if (method === "GET" && (match = new RegExp(`^${base}/compare/(.+)$`).exec(path)) !== null) {
      const [from, to] = decodeURIComponent(match[1]!).split("...") as [string, string];
      if (!this.refs.has(from) || !this.refs.has(to)) return [404, { message: "Not Found" }];
      // Each side's blob differs: the same path changed on both sides is a conflict.
      const files = (this.changed.get(to) ?? []).map((filename) => ({ sha: `${to}:${filename}`, filename, status: "modified", additions: 1, deletions: 1, changes: 2 }));
      return [200, { status: "diverged", ahead_by: 1, behind_by: 1, total_commits: 1, commits: [], files }];
    }

    if (method === "POST" && (match = new RegExp(`^${base}/actions/workflows/([^/]+)/dispatches$`).exec(path)) !== null) {
      const inputs = (body.inputs ?? {}) as Record<string, string>;
      const declared = this.options.declaredInputs ?? CONTRACT_INPUTS;
      const unexpected = Object.keys(inputs).filter((name) => !declared.includes(name));
      if (unexpected.length > 0) return [422, { message: `Unexpected inputs provided: ${JSON.stringify(unexpected)}`, documentation_url: "https://docs.github.com/rest/actions/workflows#create-a-workflow-dispatch-event" }];
      if (!this.refs.has(body.ref)) return [422, { message: `No ref found for: ${body.ref}` }];
      if (body.return_run_details !== undefined && this.options.runDetails === "refused") {
        return [400, { message: 'Invalid request.\n\n"return_run_details" is not a permitted key.', documentation_url: "https://docs.github.com/enterprise-server@3.16/rest/actions/workflows#create-a-workflow-dispatch-event" }];
      }
      const details = body.return_run_details === true && this.options.runDetails !== "ignored";
      const runId = this.nextRun++;
      this.dispatches.push({ ref: body.ref, inputs, runId, returnRunDetails: details });
      if (!details) return [204];
      return [200, { workflow_run_id: runId, run_url: `https://api.github.com${base}/actions/runs/${runId}`, html_url: `https://github.com/${OWNER}/${REPO}/actions/runs/${runId}` }];
    }

    // Every run the app dispatched (on `branch`), whatever `created` asks: the app must pass over runs its state knows.
    if (method === "GET" && new RegExp(`^${base}/actions/workflows/[^/]+/runs$`).test(path)) {
      const runs = this.dispatches
        .filter((dispatch) => dispatch.runId !== undefined && (query.branch === undefined || dispatch.ref === query.branch))
        .reverse()
        .map((dispatch) => ({
          id: dispatch.runId,
          name: "parallel-coordinator agent",
          display_title: `Batch ${dispatch.inputs.batch} · ${dispatch.inputs.key}`,
          event: "workflow_dispatch",
          head_branch: dispatch.ref,
          status: dispatch.completed === undefined ? "in_progress" : "completed",
          conclusion: dispatch.completed?.conclusion ?? null,
          created_at: dispatch.completed?.started ?? "2026-01-05T09:00:00Z",
          run_started_at: dispatch.completed?.started ?? "2026-01-05T09:00:00Z",
          updated_at: dispatch.completed?.at ?? "2026-01-05T09:00:00Z",
        }));
      return [200, { total_count: runs.length, workflow_runs: runs }];
    }

    if (key === `GET ${base}/pulls`) {
      const head = query.head;
      // GitHub ignores a `head` without `owner:` and lists every pull request.
      const byHead = head !== undefined && head.includes(":") ? this.pulls.filter((pull) => `${OWNER}:${pull.head}` === head) : this.pulls;
      const state = query.state ?? "open";
      const found = byHead
        .filter((pull) => query.base === undefined || pull.base === query.base)
        .filter((pull) => state === "all" || pull.state === state)
        .sort((a, b) => b.number - a.number);
      return [200, found.map((pull) => this.apiPull(pull))];
    }
    if (method === "GET" && (match = new RegExp(`^${base}/pulls/(\\d+)$`).exec(path)) !== null) {
      const pull = this.pulls.find((candidate) => candidate.number === Number(match![1]));
      if (pull === undefined) return [404, { message: "Not Found" }];
      const mergeable = pull.state === "open" ? !this.conflicting.has(pull.number) : null;
      return [200, { ...this.apiPull(pull), merged: pull.mergedAt !== null, mergeable, mergeable_state: mergeable === null ? "unknown" : mergeable ? "clean" : "dirty" }];
    }
    if (method === "GET" && (match = new RegExp(`^${base}/pulls/(\\d+)/files$`).exec(path)) !== null) {
      const pull = this.pulls.find((candidate) => candidate.number === Number(match![1]));
      if (pull === undefined) return [404, { message: "Not Found" }];
      return [200, pull.files.map((filename, index) => ({ sha: `blob-${index}`, filename, status: "modified", additions: 1, deletions: 0, changes: 1 }))];
    }
    if (method === "PUT" && (match = new RegExp(`^${base}/pulls/(\\d+)/merge$`).exec(path)) !== null) {
      const pull = this.pulls.find((candidate) => candidate.number === Number(match![1]));
      if (pull === undefined) return [404, { message: "Not Found" }];
      const methodUsed = body.merge_method ?? "merge";
      const allowed = this.options.mergeMethods ?? ["merge", "squash", "rebase"];
      if (!allowed.includes(methodUsed)) {
        const names = { merge: "Merge commits", squash: "Squash merges", rebase: "Rebase merges" } as const;
        return [405, { message: `${names[methodUsed as keyof typeof names]} are not allowed on this repository.`, documentation_url: "https://docs.github.com/rest/pulls/pulls#merge-a-pull-request" }];
      }
      if (pull.state !== "open") return [405, { message: "Pull Request is not mergeable" }];
      if (this.conflicting.has(pull.number)) return [405, { message: "Pull Request is not mergeable" }];
      if (body.sha !== undefined && body.sha !== pull.headSha) return [409, { message: "Head branch was modified. Review and try the merge again." }];
      const sha = `merge-${pull.number}`;
      this.commit(sha, this.refs.get(pull.base), pull.headSha);
      pull.state = "closed";
      pull.mergedAt = "2026-01-05T12:00:00Z";
      pull.mergeSha = sha;
      this.refs.set(pull.base, sha);
      return [200, { sha, merged: true, message: "Pull Request successfully merged" }];
    }
    if (key === `POST ${base}/pulls`) {
      if (this.noCommits) {
        return [422, { message: "Validation Failed", errors: [{ resource: "PullRequest", code: "custom", message: `No commits between ${body.base} and ${body.head}` }] }];
      }
      const open = this.pulls.find((pull) => pull.head === body.head && pull.base === body.base && pull.state === "open");
      if (open !== undefined) {
        return [422, { message: "Validation Failed", errors: [{ resource: "PullRequest", code: "custom", message: `A pull request already exists for ${OWNER}:${body.head}.` }] }];
      }
      const pull: Pull = { number: this.nextPull++, head: body.head, base: body.base, headSha: this.refs.get(body.head) ?? "?", body: body.body, title: body.title, state: "open", mergedAt: null, files: [] };
      this.pulls.push(pull);
      return [201, this.apiPull(pull)];
    }
    if (method === "GET" && (match = new RegExp(`^${base}/commits/([^/]+)/check-runs$`).exec(path)) !== null) {
      const sha = decodeURIComponent(match[1]!);
      const runs = this.checkRuns
        .map((run, index) => ({ ...run, id: 9001 + index }))
        .filter((run) => run.head_sha === sha && (query.check_name === undefined || run.name === query.check_name));
      return [200, { total_count: runs.length, check_runs: runs }];
    }
    if (key === `POST ${base}/check-runs`) {
      this.checkRuns.push(body);
      return [201, { id: 9000 + this.checkRuns.length, name: body.name, head_sha: body.head_sha, status: body.status, conclusion: body.conclusion }];
    }
    return [599, { message: `the fake GitHub does not know ${method} ${path}` }];
  }

  private apiComment(comment: { id: number; body: string; login: string; type: "Bot" | "User" }): Json {
    return {
      id: comment.id,
      node_id: `IC_${comment.id}`,
      url: `https://api.github.com${base}/issues/comments/${comment.id}`,
      html_url: `https://github.com/${OWNER}/${REPO}/issues/${ISSUE}#issuecomment-${comment.id}`,
      body: comment.body,
      user: { login: comment.login, id: comment.id + 10_000, type: comment.type },
      created_at: "2026-01-05T09:00:00Z",
      updated_at: "2026-01-05T09:00:00Z",
      issue_url: `https://api.github.com${base}/issues/${ISSUE}`,
      author_association: comment.type === "Bot" ? "NONE" : "OWNER",
    };
  }

  private apiPull(pull: Pull): Json {
    return {
      number: pull.number,
      state: pull.state,
      title: pull.title,
      body: pull.body,
      merged_at: pull.mergedAt,
      merge_commit_sha: pull.mergeSha ?? null,
      updated_at: pull.mergedAt ?? "2026-01-05T09:00:00Z",
      html_url: `https://github.com/${OWNER}/${REPO}/pull/${pull.number}`,
      head: { ref: pull.head, sha: pull.headSha, label: `${OWNER}:${pull.head}` },
      base: { ref: pull.base, sha: this.refs.get(pull.base) ?? "?", label: `${OWNER}:${pull.base}` },
    };
  }
}

/** Delivers an event to the app as GitHub would, with a delivery id. */
export async function deliver(probot: Probot, name: string, value: Json, id: string): Promise<void> {
  await probot.receive({ id, name, payload: value } as never);
}
