/**
 * The GitHub the command tests talk to: a small in-test store of what GitHub
 * holds for one issue — its comments above all, plus branches, workflow runs,
 * pull requests and people's permissions — answered through nock. One
 * persisted interceptor per method on a `githubApi()` scope, so every request
 * is still checked against GitHub's OpenAPI description; a request this file
 * does not know is answered 599 and recorded in `unknown`.
 *
 * Nothing of the app survives between two Probot instances except what this
 * store holds: that is what the restart tests rely on. Its clock is the time of
 * the latest event made (a comment, the label, a run's end): dispatches and
 * merges happen then.
 */
import type { Probot } from "probot";
import { githubApi } from "../helpers/github.js";
import { reportBlock } from "../../src/report/read.js";
import { ReportSchema, type ReportInput } from "../../src/report/schema.js";
import { decodeState, stateKey } from "../../src/state/codec.js";
import { dashboardMarker } from "../../src/github/markers.js";
import { createdMatches } from "../../src/fakeGitHub/restApi.js";
import type { State } from "../../src/state/schema.js";
import { payload, stateSecret } from "./app.js";
import { FILES, PLAN_YAML } from "../fixtures/notifications.js";

export const OWNER = "Codertocat";
export const REPO = "Hello-World";
export const ISSUE = 1;
export const APP_LOGIN = "parallel-coordinator[bot]";
const repo = `/repos/${OWNER}/${REPO}`;

// Request and webhook bodies are JSON of any shape, read by the routes below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface StoredComment {
  id: number;
  body: string;
  user: { login: string; type: "User" | "Bot" };
  created_at: string;
  updated_at: string;
}

export interface Request {
  method: string;
  /** Without the query. */
  path: string;
  body: Json;
}

export interface Dispatch {
  ref: string;
  inputs: Record<string, string>;
  runId: number;
  createdAt: string;
  /** Set when the run ends. */
  completed?: { conclusion: string; started: string; at: string };
}

interface Pull {
  number: number;
  head: string;
  base: string;
  body: string;
  files: string[];
  state: "open" | "closed";
  mergedAt: string | null;
  mergeSha?: string;
}

export const ISSUE_BODY = `# Notifications\n\n\`\`\`yaml\n${PLAN_YAML}\`\`\`\n`;

export const T0 = "2026-03-02T09:00:00Z";

/** `minutes` after T0, as GitHub writes times. */
export function at(minutes: number): string {
  return new Date(Date.parse(T0) + minutes * 60_000).toISOString().replace(/\.000Z$/, "Z");
}

const key = stateKey(stateSecret);

export class CommandsHub {
  comments: StoredComment[] = [];
  /** Repository role by login; anyone else is not a collaborator (404). */
  roles = new Map<string, string>([
    ["maintainer", "write"],
    ["admin", "admin"],
    ["reader", "read"],
  ]);
  requests: Request[] = [];
  unknown: string[] = [];
  reactions: Array<{ comment: number; content: string }> = [];
  refs = new Map<string, string>([["master", "base-sha"]]);
  dispatches: Dispatch[] = [];
  cancelled: number[] = [];
  pulls: Pull[] = [];
  merged: number[] = [];
  checkRuns: Json[] = [];
  /** Requests that fail (GitHub erring), each as many times as given. */
  faults: Array<{ method: string; path: RegExp; status: number; times: number }> = [];
  finalPulls: Array<{ head: string; base: string; title: string; body: string; number: number }> = [];
  /** GitHub's time: that of the latest event made. */
  now = T0;
  private nextId = 5000;

  /** The persisted interceptors: GitHub, for as long as the test runs. */
  install(): void {
    const scope = githubApi().persist();
    for (const method of ["GET", "POST", "PATCH", "PUT"] as const) {
      scope.intercept(() => true, method).reply((uri, body) => {
        const [path = "", query = ""] = uri.split("?");
        const parsed: Json = typeof body === "string" && body !== "" ? JSON.parse(body) : body === "" ? undefined : body;
        this.requests.push({ method, path, body: parsed });
        const fault = this.faults.find((candidate) => candidate.times > 0 && candidate.method === method && candidate.path.test(path));
        if (fault !== undefined) {
          fault.times -= 1;
          return [fault.status, { message: "fault" }];
        }
        const answer = this.route(method, path, new URLSearchParams(query), parsed);
        if (answer === undefined) {
          this.unknown.push(`${method} ${uri}`);
          return [599, { message: `the test's GitHub does not know ${method} ${path}` }];
        }
        return answer;
      });
    }
  }

  private route(method: string, path: string, query: URLSearchParams, body: Json): [number, Json] | undefined {
    const id = () => ++this.nextId;
    let match: RegExpExecArray | null;
    if (method === "POST" && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) return [201, { token: "t", expires_at: "2030-01-01T00:00:00Z" }];
    if (method === "GET" && /\/contents\//.test(path)) return [404, { message: "Not Found" }];
    if (method === "GET" && path === `${repo}/issues/${ISSUE}/comments`) {
      const page = Number(query.get("page") ?? "1");
      const size = Number(query.get("per_page") ?? "30");
      return [200, this.comments.slice((page - 1) * size, page * size)];
    }
    if (method === "POST" && path === `${repo}/issues/${ISSUE}/comments`) {
      const stamp = this.comments[this.comments.length - 1]?.created_at ?? T0;
      const comment: StoredComment = { id: id(), body: body.body, user: { login: APP_LOGIN, type: "Bot" }, created_at: stamp, updated_at: stamp };
      this.comments.push(comment);
      return [201, comment];
    }
    if ((match = new RegExp(`^${repo}/issues/comments/(\\d+)$`).exec(path)) !== null && method === "PATCH") {
      const comment = this.comments.find((candidate) => candidate.id === Number(match![1]));
      if (comment === undefined) return [404, { message: "Not Found" }];
      comment.body = body.body;
      return [200, comment];
    }
    if ((match = new RegExp(`^${repo}/issues/comments/(\\d+)/reactions$`).exec(path)) !== null && method === "POST") {
      this.reactions.push({ comment: Number(match[1]), content: body.content });
      return [201, { id: id(), content: body.content }];
    }
    if ((match = new RegExp(`^${repo}/collaborators/([^/]+)/permission$`).exec(path)) !== null && method === "GET") {
      const login = decodeURIComponent(match[1]!);
      const role = this.roles.get(login);
      if (role === undefined) return [404, { message: "Not Found" }];
      const permission = role === "maintain" ? "write" : role === "triage" ? "read" : role;
      return [200, { permission, role_name: role, user: { login } }];
    }
    if ((match = new RegExp(`^${repo}/git/ref/heads%2F(.+)$`).exec(path)) !== null && method === "GET") {
      const sha = this.refs.get(decodeURIComponent(match[1]!));
      return sha === undefined ? [404, { message: "Not Found" }] : [200, { ref: `refs/heads/${match[1]}`, object: { sha, type: "commit" } }];
    }
    if (method === "POST" && path === `${repo}/git/refs`) {
      const branch = String(body.ref).replace(/^refs\/heads\//, "");
      if (this.refs.has(branch)) return [422, { message: "Reference already exists" }];
      this.refs.set(branch, body.sha);
      return [201, { ref: body.ref, object: { sha: body.sha } }];
    }
    if ((match = new RegExp(`^${repo}/git/refs/heads%2F(.+)$`).exec(path)) !== null && method === "PATCH") {
      const branch = decodeURIComponent(match[1]!);
      if (!this.refs.has(branch)) return [422, { message: "Reference does not exist" }];
      this.refs.set(branch, body.sha);
      return [200, { ref: `refs/heads/${branch}`, object: { sha: body.sha, type: "commit" } }];
    }
    if (method === "POST" && path === `${repo}/merges`) {
      const sha = `sync-${id()}`;
      this.refs.set(body.base, sha);
      return [201, { sha }];
    }
    if (method === "POST" && path === `${repo}/actions/workflows/parallel-coordinator-agent.yml/dispatches`) {
      const runId = id();
      this.dispatches.push({ ref: body.ref, inputs: body.inputs, runId, createdAt: this.now });
      return [200, { workflow_run_id: runId, run_url: `https://api.github.com${repo}/actions/runs/${runId}`, html_url: `https://github.com/${OWNER}/${REPO}/actions/runs/${runId}` }];
    }
    if (method === "GET" && path === `${repo}/actions/workflows/parallel-coordinator-agent.yml/runs`) {
      const branch = query.get("branch");
      const event = query.get("event");
      const created = query.get("created");
      const runs = this.dispatches
        .filter((dispatch) => branch === null || dispatch.ref === branch)
        .filter((dispatch) => (event === null || event === "workflow_dispatch") && (created === null || createdMatches(created, dispatch.createdAt)))
        .reverse()
        .map((dispatch) => this.runJson(dispatch));
      return [200, { total_count: runs.length, workflow_runs: runs }];
    }
    if (method === "GET" && (match = new RegExp(`^${repo}/commits/([^/]+)/check-runs$`).exec(path)) !== null) {
      const runs = this.checkRuns.filter((run) => run.head_sha === decodeURIComponent(match![1]!) && run.name === query.get("check_name"));
      return [200, { total_count: runs.length, check_runs: runs }];
    }
    if ((match = new RegExp(`^${repo}/actions/runs/(\\d+)/cancel$`).exec(path)) !== null && method === "POST") {
      this.cancelled.push(Number(match[1]));
      return [202, {}];
    }
    if (method === "GET" && path === `${repo}/pulls`) {
      const head = query.get("head");
      const base = query.get("base");
      const state = query.get("state") ?? "open";
      const found = this.pulls
        .filter((pull) => (head === null || `${OWNER}:${pull.head}` === head) && (base === null || pull.base === base) && (state === "all" || pull.state === state))
        .reverse();
      return [200, found.map((pull) => this.pullJson(pull))];
    }
    if ((match = new RegExp(`^${repo}/pulls/(\\d+)$`).exec(path)) !== null && method === "GET") {
      const pull = this.pulls.find((candidate) => candidate.number === Number(match![1]));
      if (pull === undefined) return [404, { message: "Not Found" }];
      return [200, { ...this.pullJson(pull), merged: pull.mergedAt !== null, mergeable: pull.state === "open" ? true : null, mergeable_state: pull.state === "open" ? "clean" : "unknown" }];
    }
    if ((match = new RegExp(`^${repo}/pulls/(\\d+)$`).exec(path)) !== null && method === "PATCH") {
      const pull = this.pulls.find((candidate) => candidate.number === Number(match![1]));
      if (pull === undefined) return [404, { message: "Not Found" }];
      if (body.state === "closed" && pull.state === "open") pull.state = "closed";
      return [200, this.pullJson(pull)];
    }
    if ((match = new RegExp(`^${repo}/pulls/(\\d+)/files$`).exec(path)) !== null && method === "GET") {
      const pull = this.pulls.find((candidate) => candidate.number === Number(match![1]));
      return pull === undefined ? [404, { message: "Not Found" }] : [200, pull.files.map((filename) => ({ filename, status: "modified" }))];
    }
    if ((match = new RegExp(`^${repo}/pulls/(\\d+)/merge$`).exec(path)) !== null && method === "PUT") {
      const pull = this.pulls.find((candidate) => candidate.number === Number(match![1]));
      if (pull === undefined) return [404, { message: "Not Found" }];
      if (pull.state !== "open") return [405, { message: "Pull Request is not mergeable" }];
      pull.state = "closed";
      pull.mergedAt = this.now;
      this.merged.push(pull.number);
      const sha = `merge-${pull.number}`;
      pull.mergeSha = sha;
      this.refs.set(pull.base, sha);
      return [200, { sha, merged: true, message: "Pull Request successfully merged" }];
    }
    if (method === "POST" && path === `${repo}/check-runs`) {
      const run = { ...body, id: id() };
      this.checkRuns.push(run);
      return [201, run];
    }
    if (method === "POST" && path === `${repo}/pulls`) {
      const number = id();
      this.finalPulls.push({ head: body.head, base: body.base, title: body.title, body: body.body, number });
      return [201, { number, html_url: `https://github.com/${OWNER}/${REPO}/pull/${number}` }];
    }
    return undefined;
  }

  private pullJson(pull: Pull): Json {
    return {
      number: pull.number,
      state: pull.state,
      body: pull.body,
      merged_at: pull.mergedAt,
      merge_commit_sha: pull.mergeSha ?? null,
      updated_at: pull.mergedAt ?? T0,
      head: { ref: pull.head, sha: `head-${pull.number}` },
      base: { ref: pull.base },
    };
  }

  private runJson(dispatch: Dispatch): Json {
    return {
      id: dispatch.runId,
      name: "parallel-coordinator agent",
      display_title: `Batch ${dispatch.inputs.batch} · ${dispatch.inputs.key}`,
      path: ".github/workflows/parallel-coordinator-agent.yml",
      event: "workflow_dispatch",
      status: dispatch.completed === undefined ? "in_progress" : "completed",
      conclusion: dispatch.completed?.conclusion ?? null,
      head_branch: dispatch.ref,
      created_at: dispatch.createdAt,
      run_started_at: dispatch.completed?.started ?? dispatch.createdAt,
      updated_at: dispatch.completed?.at ?? dispatch.createdAt,
    };
  }

  // What people and the tests read.

  /** The app's comments, oldest first. */
  appComments(): StoredComment[] {
    return this.comments.filter((comment) => comment.user.type === "Bot");
  }

  dashboard(): StoredComment | undefined {
    return this.appComments().find((comment) => comment.body.includes(dashboardMarker));
  }

  /** The dashboard as a person reads it (without the word joiners that keep `@name` from pinging). */
  dashboardText(): string {
    return (this.dashboard()?.body ?? "").replaceAll("\u2060", "");
  }

  /** The state the dashboard holds, verified as the app would. */
  state(): State {
    const decoded = decodeState(this.dashboard()?.body, key);
    if (!decoded.ok) throw new Error(`the dashboard holds no state: ${decoded.reason}`);
    return decoded.state;
  }

  /** Requests that change something on GitHub or tell somebody something (not reads, not the token). */
  writes(): Request[] {
    return this.requests.filter((request) => request.method !== "GET" && !request.path.startsWith("/app/"));
  }

  /** The dashboard edits made since request `from`. */
  dashboardEdits(from = 0): Request[] {
    const id = this.dashboard()?.id;
    return this.requests.slice(from).filter((request) => request.method === "PATCH" && request.path === `${repo}/issues/comments/${id}`);
  }

  // What people and agents do.

  /** A person's comment as GitHub stores it, and the `issue_comment.created` delivery for it. */
  comment(body: string, by: string, when: string, options: { bot?: boolean; issueBody?: string; private?: boolean } = {}): { id: string; name: "issue_comment"; payload: Json } {
    const comment: StoredComment = { id: ++this.nextId, body, user: { login: by, type: options.bot === true ? "Bot" : "User" }, created_at: when, updated_at: when };
    this.comments.push(comment);
    this.now = when;
    return {
      id: `comment-${comment.id}`,
      name: "issue_comment",
      payload: payload("issue_comment", "created", (value) => {
        value.issue.number = ISSUE;
        value.issue.body = options.issueBody ?? ISSUE_BODY;
        value.comment = { ...value.comment, id: comment.id, body, created_at: when, updated_at: when, user: { ...value.comment.user, login: by, type: comment.user.type } };
        value.sender = { ...value.sender, login: by, type: comment.user.type };
        if (options.private !== undefined) value.repository.private = options.private;
      }),
    };
  }

  /** The label that makes the issue a coordination, added at `when`. */
  labeled(when = T0, body = ISSUE_BODY): { id: string; name: "issues"; payload: Json } {
    this.now = when;
    return {
      id: `labeled-${++this.nextId}`,
      name: "issues",
      payload: payload("issues", "labeled", (value) => {
        value.label.name = "parallel-coordinator";
        value.issue.number = ISSUE;
        value.issue.body = body;
        value.issue.labels = [{ ...value.label }];
        value.issue.updated_at = when;
      }),
    };
  }

  /** The latest dispatch of `batch`. */
  dispatchOf(batch: string): Dispatch {
    const found = this.dispatches.filter((dispatch) => dispatch.inputs.batch === batch);
    if (found.length === 0) throw new Error(`batch ${batch} was never dispatched`);
    return found[found.length - 1]!;
  }

  /**
   * What the agent does when its run ends: opens the batch's pull request with
   * its file and a report (`fields` changes it), then GitHub's
   * `workflow_run.completed` delivery.
   */
  finishRun(dispatch: Dispatch, started: string, ended: string, fields: Partial<ReportInput> = {}, conclusion = "success"): { id: string; name: "workflow_run"; payload: Json } {
    const batch = dispatch.inputs.batch!;
    this.now = ended;
    dispatch.completed = { conclusion, started, at: ended };
    if (conclusion === "success") {
      const report: ReportInput = {
        version: 1,
        issue: ISSUE,
        batch,
        run: dispatch.runId,
        status: "Complete",
        changes: [{ file: FILES[batch]!, line: 1, summary: `${batch} done` }],
        acceptance: [{ check: "tests", passed: true, output: "ok" }],
        integrationPoints: [`${batch}: exports ${batch}Client`],
        blockers: [],
        summary: `Finished ${batch}.`,
        ...fields,
      };
      const open = this.pulls.find((pull) => pull.head === dispatch.ref && pull.state === "open");
      const body = `Batch ${batch}.\n\n${reportBlock(ReportSchema.parse(report))}\n`;
      // The runner's commit moves the domain branch.
      this.refs.set(dispatch.ref, `${dispatch.inputs.key}-sha`);
      if (open !== undefined) open.body = body;
      else this.pulls.push({ number: ++this.nextId, head: dispatch.ref, base: dispatch.inputs.base!, body, files: [FILES[batch]!], state: "open", mergedAt: null });
    }
    return {
      id: `run-${dispatch.runId}-${conclusion}`,
      name: "workflow_run",
      payload: payload("workflow_run", "completed", (value) => {
        Object.assign(value.workflow_run, {
          id: dispatch.runId,
          event: "workflow_dispatch",
          name: "parallel-coordinator agent",
          display_title: `parallel-coordinator ${dispatch.inputs.key}`,
          path: ".github/workflows/parallel-coordinator-agent.yml",
          status: "completed",
          conclusion,
          created_at: started,
          run_started_at: started,
          updated_at: ended,
          head_branch: dispatch.ref,
        });
      }),
    };
  }

  /** Deliver an event to `probot`. */
  async deliver(probot: Probot, event: { id: string; name: string; payload: Json }): Promise<void> {
    await probot.receive(event as Parameters<Probot["receive"]>[0]);
  }
}
