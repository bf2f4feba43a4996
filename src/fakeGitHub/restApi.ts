import { createHash, verify } from "node:crypto";
import { diffTrees } from "./commitGraph.js";
import { entryOf } from "./gitObjects.js";
import { API, APP_LOGIN, APP_SLUG, HttpError, WEB, iso } from "./conventions.js";
import type { FakeGitHub } from "./fakeGitHub.js";
import { faultAnswer, type Fault } from "./faults.js";
import type { CheckRun, Issue, IssueComment, MergeMethod, Pull, Repo, Workflow, WorkflowRun } from "./repository.js";
import { checkRunJson, commentJson, commitJson, issueJson, pullJson, repoJson, runJson } from "./restJson.js";

interface Context {
  repo: Repo;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  headers: Headers;
  url: URL;
  /** Who the request's token acts as. */
  actor: string;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Plain text instead of JSON (raw file contents). */
  text?: string;
}

type Handler = (context: Context) => Reply;

interface Route {
  method: string;
  route: string;
  segments: string[];
  /** Whether the last parameter may span several path segments (`contents/{path}`, `git/ref/{ref}`). */
  greedy: boolean;
  /** Whether the route needs the app's JWT rather than an installation token. */
  app: boolean;
  handle: (context: Omit<Context, "repo"> & { repo?: Repo }) => Reply;
}

const GREEDY = new Set(["path", "ref", "basehead"]);
/** Parameters that must be integers, as GitHub's router requires. */
const INTEGER = new Set([
  "issue_number",
  "pull_number",
  "comment_id",
  "check_run_id",
  "run_id",
  "installation_id",
  "issue_id",
]);
/** A pull request's file list stops at 3,000 files; `changed_files` tells them all. */
const PULL_FILES = 3_000;
/** A comparison lists at most 300 files. */
const COMPARE_FILES = 300;
/** A recursive tree lists at most 100,000 entries (and 7 MB, which the fake leaves out). */
const TREE_ENTRIES = 100_000;

function labelJson(
  github: FakeGitHub,
  repo: Repo,
  name: string,
  label: { color: string; description: string | null },
): Record<string, unknown> {
  return {
    id: github.label(name).id,
    node_id: `L_${name}`,
    url: `${API}/repos/${repo.fullName}/labels/${encodeURIComponent(name)}`,
    name,
    color: label.color,
    default: false,
    description: label.description,
  };
}

/** The permission a token needs to write through a route, as a workflow's `permissions:` names it. */
function writePermission(route: string): string | undefined {
  const path = route.slice(route.indexOf(" ") + 1);
  if (path.startsWith("/repos/{owner}/{repo}/actions/")) return "actions";
  if (path.startsWith("/repos/{owner}/{repo}/check-runs")) return "checks";
  if (path.startsWith("/repos/{owner}/{repo}/pulls")) return "pull-requests";
  if (path.startsWith("/repos/{owner}/{repo}/issues") || path.startsWith("/repos/{owner}/{repo}/labels"))
    return "issues";
  if (/^\/repos\/\{owner\}\/\{repo\}\/(git|merges|contents)/.test(path)) return "contents";
  return undefined;
}

/** A `fetch` that answers GitHub's REST API from a fake GitHub. */
export function restApi(github: FakeGitHub): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  return new RestApi(github).fetch;
}

/**
 * The REST API of the fake GitHub: a `fetch` that routes each request to its
 * documented route, authenticates it as GitHub does (the app's JWT for the
 * app's own routes, a token for the rest, acting as whom it was given to),
 * answers with GitHub's status codes, refusals and JSON or with an injected
 * fault, and records it on the GitHub it serves.
 */
class RestApi {
  readonly #routes: Route[];

  constructor(readonly github: FakeGitHub) {
    this.#routes = this.#table();
  }

  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
    const headers = new Headers(init?.headers);
    const text =
      typeof init?.body === "string"
        ? init.body
        : init?.body instanceof Uint8Array
          ? Buffer.from(init.body).toString("utf8")
          : undefined;
    const found = url.origin === API ? this.#match(method, url.pathname) : undefined;
    const route =
      found?.route.route ?? this.github.checkRequests?.routeOf(method, url.pathname) ?? `${method} ${url.pathname}`;
    const body = parseJson(text);
    const fault = this.github.faults.take({ method, path: url.pathname, route, body });
    const latency = fault?.latency;
    if (typeof latency === "number") await new Promise((resolve) => setTimeout(resolve, latency));
    else if (latency !== undefined) await latency();
    const answer = () => this.#answer(method, url, headers, text, found);
    const status = fault?.status;
    const reply = conditional(
      method,
      headers,
      status === undefined ? answer() : this.#fail({ ...fault!, status }, answer),
    );
    this.github.calls.push({
      route,
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      status: reply.status,
      at: this.github.now(),
    });
    return respond(reply, url, this.github.now(), this.github.rateLimited());
  };

  /** A fault's answer; a request GitHub carried out first. */
  #fail(fault: Fault & { status: number }, carryOut: () => Reply): Reply {
    if (fault.carriedOut === true) carryOut();
    const { status, body, headers } = faultAnswer(fault);
    return { status, body, headers };
  }

  #answer(
    method: string,
    url: URL,
    headers: Headers,
    text: string | undefined,
    found: { route: Route; params: Record<string, string> } | undefined,
  ): Reply {
    if (url.origin !== API) {
      this.github.problems.push(`${method} ${url.href}: not api.github.com`);
      return failure(new HttpError(404, "Not Found"));
    }
    if (method === "POST" && url.pathname === "/graphql") {
      this.github.problems.push("POST /graphql: the app should use the REST API only");
      return {
        status: 200,
        body: {
          data: null,
          errors: [{ type: "FAKE", message: "The fake GitHub answers no GraphQL: use the REST API." }],
        },
      };
    }
    const shape = this.github.checkRequests?.check({ method, path: `${url.pathname}${url.search}`, body: text }) ?? [];
    this.github.problems.push(...shape);
    if (found === undefined) {
      const route = this.github.checkRequests?.routeOf(method, url.pathname) ?? `${method} ${url.pathname}`;
      this.github.problems.push(`${method} ${url.pathname}: the fake GitHub does not implement ${route}`);
      return failure(new HttpError(404, `Not Found (the fake GitHub does not implement ${route})`));
    }
    const { route, params } = found;
    // Unknown body properties GitHub ignores; anything else in `shape` it refuses.
    if (shape.some((problem) => !problem.includes("unknown property")))
      return failure(new HttpError(422, `Invalid request.\n\n${shape.join("\n")}`));
    try {
      const actor = this.#authenticate(route, headers);
      let body: Record<string, unknown> = {};
      if (text !== undefined && text.trim() !== "") {
        const parsed = parseJson(text);
        if (parsed === undefined) throw new HttpError(400, "Problems parsing JSON");
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
          throw new HttpError(400, "Body should be a JSON object");
        body = parsed as Record<string, unknown>;
      }
      const repo =
        params.owner === undefined || params.repo === undefined
          ? undefined
          : this.github.repo(params.owner, params.repo);
      if (params.owner !== undefined && repo === undefined) throw new HttpError(404, "Not Found");
      return route.handle({ repo, params, query: url.searchParams, body, headers, url, actor });
    } catch (error) {
      if (error instanceof HttpError) return failure(error);
      throw error;
    }
  }

  #match(method: string, pathname: string): { route: Route; params: Record<string, string> } | undefined {
    const parts = pathname.slice(1).split("/");
    for (const route of this.#routes) {
      if (route.method !== method) continue;
      const { segments } = route;
      if (parts.length !== segments.length && !(route.greedy && parts.length > segments.length)) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < segments.length && ok; i++) {
        const segment = segments[i]!;
        const last = i === segments.length - 1;
        const raw = last && route.greedy ? parts.slice(i).join("/") : parts[i]!;
        if (!segment.startsWith("{")) {
          ok = raw === segment;
          continue;
        }
        const name = segment.slice(1, -1);
        const value = decoded(raw);
        ok = value !== undefined && value !== "" && (!INTEGER.has(name) || /^\d+$/.test(value));
        params[name] = value ?? raw;
      }
      if (ok) return { route, params };
    }
    return undefined;
  }

  /** Who the request acts as: the app (its JWT) on the app's routes, a token's holder on the rest. */
  #authenticate(route: Route, headers: Headers): string {
    const [scheme, credential] = (headers.get("authorization") ?? "").split(/\s+/, 2);
    if (credential === undefined) throw new HttpError(401, "Requires authentication");
    if (route.app) {
      if (scheme?.toLowerCase() !== "bearer" || !this.#validJwt(credential))
        throw new HttpError(401, "A JSON web token could not be decoded");
      return APP_LOGIN;
    }
    const login = this.github.tokenLogin(credential);
    if (login === undefined) throw new HttpError(401, "Bad credentials");
    const writes = this.github.tokenWrites(credential);
    const needs = route.method === "GET" ? undefined : writePermission(route.route);
    // GitHub's words for a token its workflow's `permissions:` did not give this.
    if (writes !== undefined && needs !== undefined && !writes.has(needs))
      throw new HttpError(403, "Resource not accessible by integration");
    return login;
  }

  /** An RS256 JWT signed with the app's private key, issued by the app. */
  #validJwt(jwt: string): boolean {
    const [header, payload, signature] = jwt.split(".");
    if (header === undefined || payload === undefined || signature === undefined) return false;
    try {
      const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { iss?: unknown };
      const signed = verify(
        "RSA-SHA256",
        Buffer.from(`${header}.${payload}`),
        this.github.publicKey,
        Buffer.from(signature, "base64url"),
      );
      return signed && String(claims.iss) === String(this.github.appId);
    } catch {
      return false;
    }
  }

  // ---------------------------------------------------------------------------
  // Routes, as GitHub's REST description names them

  #table(): Route[] {
    const routes: Route[] = [];
    const add = (spec: string, handle: Handler, app = false) => {
      const [method, path] = spec.split(" ") as [string, string];
      const segments = path.slice(1).split("/");
      const last = segments[segments.length - 1]!;
      routes.push({
        method,
        route: spec,
        segments,
        greedy: GREEDY.has(last.slice(1, -1)),
        app,
        handle: (context) => handle(context as Context),
      });
    };
    add(
      "POST /app/installations/{installation_id}/access_tokens",
      ({ params }) => {
        if (Number(params.installation_id) !== this.github.installationId) throw new HttpError(404, "Not Found");
        const token = this.github.createToken();
        const expires = iso(Date.parse(this.github.now()) + 3_600_000);
        return {
          status: 201,
          body: {
            token,
            expires_at: expires,
            permissions: {
              actions: "write",
              checks: "write",
              contents: "write",
              issues: "write",
              metadata: "read",
              pull_requests: "write",
            },
            repository_selection: "selected",
          },
        };
      },
      true,
    );
    add(
      "GET /repos/{owner}/{repo}/installation",
      ({ repo }) => ({
        status: 200,
        body: {
          id: this.github.installationId,
          app_id: this.github.appId,
          app_slug: APP_SLUG,
          account: this.github.user(repo.owner),
          target_type: "Organization",
          repository_selection: "selected",
          permissions: {},
          events: [],
          created_at: "2025-01-01T00:00:00Z",
          updated_at: "2025-01-01T00:00:00Z",
        },
      }),
      true,
    );
    // "List installations for the authenticated app" (https://docs.github.com/rest/apps/apps#list-installations-for-the-authenticated-app): one here.
    add(
      "GET /app/installations",
      ({ query, url }) => {
        const owner = [...this.github.repos.values()][0]?.owner ?? "";
        const installation = {
          id: this.github.installationId,
          app_id: this.github.appId,
          app_slug: APP_SLUG,
          account: this.github.user(owner),
          target_type: "Organization",
          repository_selection: "selected",
          permissions: {},
          events: [],
          created_at: "2025-01-01T00:00:00Z",
          updated_at: "2025-01-01T00:00:00Z",
        };
        return paginate([installation], query, url);
      },
      true,
    );
    // "List repositories accessible to the app installation" (https://docs.github.com/rest/apps/installations#list-repositories-accessible-to-the-app-installation):
    // an object with `total_count` and `repositories`, every repository of this GitHub.
    add("GET /installation/repositories", ({ query, url }) => {
      const repositories = [...this.github.repos.values()].map((repo) => repoJson(this.github, repo));
      const page = paginate(repositories, query, url);
      return { ...page, body: { total_count: repositories.length, repositories: page.body } };
    });
    add("GET /repos/{owner}/{repo}", ({ repo }) => ({ status: 200, body: repoJson(this.github, repo) }));
    add("GET /repos/{owner}/{repo}/contents/{path}", (context) => this.#contents(context));

    // Issues and comments
    add("GET /repos/{owner}/{repo}/issues", ({ repo, query, url }) => {
      // Pull requests are issues here too, as GitHub lists them; `labels` names labels all of which an issue carries.
      const state = query.get("state") ?? "open";
      const labels = (query.get("labels") ?? "")
        .split(",")
        .map((label) => label.trim())
        .filter((label) => label !== "");
      const issues = [...repo.issues.values(), ...repo.pulls.values()]
        .filter((issue) => state === "all" || issue.state === state)
        .filter((issue) => labels.every((label) => "labels" in issue && issue.labels.includes(label)))
        .sort((a, b) => b.number - a.number);
      return paginate(
        issues.map((issue) => issueJson(this.github, repo, issue)),
        query,
        url,
      );
    });
    add("GET /repos/{owner}/{repo}/labels/{name}", ({ repo, params }) => {
      const label = repo.labels.get(params.name!);
      if (label === undefined) throw new HttpError(404, "Not Found");
      return { status: 200, body: labelJson(this.github, repo, params.name!, label) };
    });
    add("POST /repos/{owner}/{repo}/labels", ({ repo, body }) => {
      const name = String(body.name ?? "");
      if (repo.labels.has(name))
        throw new HttpError(422, "Validation Failed", {
          errors: [{ resource: "Label", code: "already_exists", field: "name" }],
        });
      const label = {
        color: typeof body.color === "string" ? body.color : this.github.label(name).color,
        description: typeof body.description === "string" ? body.description : null,
      };
      repo.labels.set(name, label);
      return { status: 201, body: labelJson(this.github, repo, name, label) };
    });
    // An issue by itself names who closed it; lists do not.
    add("GET /repos/{owner}/{repo}/issues/{issue_number}", ({ repo, params }) => {
      const issue = this.#issue(repo, params.issue_number!);
      const closedBy = "closedBy" in issue && issue.closedBy !== undefined ? this.github.user(issue.closedBy) : null;
      return { status: 200, body: { ...issueJson(this.github, repo, issue), closed_by: closedBy } };
    });
    add("POST /repos/{owner}/{repo}/issues", ({ repo, body, actor }) => {
      const labels = Array.isArray(body.labels) ? body.labels.map((label) => labelName(label)) : [];
      const issue = this.github.createIssue(repo, {
        title: requiredTitle(body),
        body: optionalString(body, "body") ?? "",
        user: actor,
        labels,
      });
      this.#told(issue.number, actor, `opened: ${issue.title}${labels.length === 0 ? "" : ` [${labels.join(", ")}]`}`);
      return { status: 201, body: issueJson(this.github, repo, issue) };
    });
    add("PATCH /repos/{owner}/{repo}/issues/{issue_number}", ({ repo, params, body, actor }) => {
      const issue = this.#plainIssue(repo, params.issue_number!);
      const state = body.state === "open" || body.state === "closed" ? body.state : undefined;
      const before = { title: issue.title, labels: issue.labels.join(", "), state: issue.state };
      this.github.updateIssue(
        repo,
        issue,
        {
          ...(body.title === undefined || body.title === null ? {} : { title: requiredTitle(body) }),
          ...(typeof body.body === "string" ? { body: body.body } : {}),
          ...(Array.isArray(body.labels) ? { labels: body.labels.map((label) => labelName(label)) } : {}),
          ...(state === undefined ? {} : { state }),
          ...(typeof body.state_reason === "string" ? { stateReason: body.state_reason } : {}),
        },
        actor,
      );
      const changes = [
        ...(issue.title === before.title ? [] : [`titled ${issue.title}`]),
        ...(issue.labels.join(", ") === before.labels ? [] : [`labels [${issue.labels.join(", ")}]`]),
        ...(issue.state === before.state
          ? []
          : [issue.state === "closed" ? `closed (${issue.stateReason ?? "completed"})` : "reopened"]),
      ];
      if (changes.length > 0) this.#told(issue.number, actor, changes.join(", "));
      return { status: 200, body: issueJson(this.github, repo, issue) };
    });
    // "List issue events" (https://docs.github.com/rest/issues/events#list-issue-events): oldest first; a label event names its label and actor.
    add("GET /repos/{owner}/{repo}/issues/{issue_number}/events", ({ repo, params, query, url }) => {
      const issue = this.#issue(repo, params.issue_number!);
      const events = ("events" in issue ? issue.events : []).map((event) => ({
        id: event.id,
        node_id: `LE_${event.id}`,
        url: `${API}/repos/${repo.fullName}/issues/events/${event.id}`,
        actor: this.github.user(event.actor),
        event: event.event,
        commit_id: null,
        commit_url: null,
        created_at: event.createdAt,
        label: { name: event.label, color: this.github.label(event.label).color },
        performed_via_github_app: null,
      }));
      return paginate(events, query, url);
    });
    add("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", ({ repo, params, query, url }) => {
      const number = Number(params.issue_number);
      this.#issue(repo, params.issue_number!);
      const since = query.get("since");
      const comments = [...repo.comments.values()].filter(
        (comment) => comment.issue === number && (since === null || comment.updatedAt >= since),
      );
      return paginate(
        comments.map((comment) => commentJson(this.github, repo, comment)),
        query,
        url,
      );
    });
    add("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", ({ repo, params, body, actor }) => {
      const text = requiredString(body, "body");
      return {
        status: 201,
        body: commentJson(this.github, repo, this.github.addComment(repo, Number(params.issue_number), actor, text)),
      };
    });
    add("GET /repos/{owner}/{repo}/issues/comments/{comment_id}", ({ repo, params }) => ({
      status: 200,
      body: commentJson(this.github, repo, this.#comment(repo, params.comment_id!)),
    }));
    add("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", ({ repo, params, body, actor }) => {
      const comment = this.#comment(repo, params.comment_id!);
      this.github.editComment(repo, comment, requiredString(body, "body"), actor);
      return { status: 200, body: commentJson(this.github, repo, comment) };
    });
    // "Delete an issue comment" (https://docs.github.com/rest/issues/comments#delete-an-issue-comment): 204, no body.
    add("DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}", ({ repo, params, actor }) => {
      this.github.deleteComment(repo, this.#comment(repo, params.comment_id!), actor);
      return { status: 204 };
    });
    add("POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", ({ repo, params, body, actor }) => {
      const comment = this.#comment(repo, params.comment_id!);
      const content = requiredString(body, "content");
      const existing = repo.reactions.find(
        (reaction) => reaction.commentId === comment.id && reaction.user === actor && reaction.content === content,
      );
      const reaction = existing ?? {
        id: this.github.nextId("reaction"),
        commentId: comment.id,
        content,
        user: actor,
        createdAt: this.github.now(),
      };
      if (existing === undefined) {
        repo.reactions.push(reaction);
        this.github.history.push({
          kind: "reaction",
          at: reaction.createdAt,
          commentId: comment.id,
          content,
          user: actor,
        });
      }
      return {
        status: existing === undefined ? 201 : 200,
        body: {
          id: reaction.id,
          node_id: `REA_${reaction.id}`,
          user: this.github.user(reaction.user),
          content,
          created_at: reaction.createdAt,
        },
      };
    });
    // Sub-issues and dependencies (https://docs.github.com/rest/issues/sub-issues, …/issue-dependencies): an issue is named
    // by its id in a body or the dependency's path, and the answer to a change is the issue the path names.
    add("GET /repos/{owner}/{repo}/issues/{issue_number}/sub_issues", ({ repo, params, query, url }) => {
      const parent = this.#plainIssue(repo, params.issue_number!);
      return paginate(
        parent.subIssues.map((number) => issueJson(this.github, repo, repo.issues.get(number)!)),
        query,
        url,
      );
    });
    add("POST /repos/{owner}/{repo}/issues/{issue_number}/sub_issues", ({ repo, params, body, actor }) => {
      const parent = this.#plainIssue(repo, params.issue_number!);
      const child = this.#issueById(repo, body, "sub_issue_id");
      this.github.addSubIssue(repo, parent, child, body.replace_parent === true);
      this.#told(child.number, actor, `sub-issue of #${parent.number}`);
      return { status: 201, body: issueJson(this.github, repo, parent) };
    });
    add("DELETE /repos/{owner}/{repo}/issues/{issue_number}/sub_issue", ({ repo, params, body }) => {
      const parent = this.#plainIssue(repo, params.issue_number!);
      this.github.removeSubIssue(parent, this.#issueById(repo, body, "sub_issue_id"));
      return { status: 200, body: issueJson(this.github, repo, parent) };
    });
    add("GET /repos/{owner}/{repo}/issues/{issue_number}/parent", ({ repo, params }) => {
      const parent = this.github.parentOf(repo, this.#plainIssue(repo, params.issue_number!));
      if (parent === undefined) throw new HttpError(404, "Not Found");
      return { status: 200, body: issueJson(this.github, repo, parent) };
    });
    add("GET /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by", ({ repo, params, query, url }) => {
      const issue = this.#plainIssue(repo, params.issue_number!);
      return paginate(
        issue.blockedBy.map((number) => issueJson(this.github, repo, repo.issues.get(number)!)),
        query,
        url,
      );
    });
    add("GET /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocking", ({ repo, params, query, url }) => {
      const issue = this.#plainIssue(repo, params.issue_number!);
      const blocking = [...repo.issues.values()].filter((other) => other.blockedBy.includes(issue.number));
      return paginate(
        blocking.map((other) => issueJson(this.github, repo, other)),
        query,
        url,
      );
    });
    add("POST /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by", ({ repo, params, body, actor }) => {
      const issue = this.#plainIssue(repo, params.issue_number!);
      const blocker = this.#issueById(repo, body, "issue_id");
      this.github.addBlockedBy(issue, blocker);
      this.#told(issue.number, actor, `blocked by #${blocker.number}`);
      return { status: 201, body: issueJson(this.github, repo, issue) };
    });
    add("DELETE /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by/{issue_id}", ({ repo, params }) => {
      const issue = this.#plainIssue(repo, params.issue_number!);
      this.github.removeBlockedBy(issue, this.#issueById(repo, { issue_id: Number(params.issue_id) }, "issue_id"));
      return { status: 200, body: issueJson(this.github, repo, issue) };
    });
    // `permission` folds maintain into write and triage into read; `role_name` names the role itself. On a public
    // repository everyone reads; on a private one, someone who is not a collaborator has none.
    add("GET /repos/{owner}/{repo}/collaborators/{username}/permission", ({ repo, params }) => {
      const role = repo.collaborators.get(params.username!) ?? (repo.private ? "none" : "read");
      return {
        status: 200,
        body: {
          permission: role === "maintain" ? "write" : role === "triage" ? "read" : role,
          role_name: role,
          user: this.github.user(params.username!),
        },
      };
    });

    // Git
    add("GET /repos/{owner}/{repo}/git/ref/{ref}", ({ repo, params }) => {
      const ref = `refs/${params.ref}`;
      const sha = repo.refs.get(ref);
      if (sha === undefined) throw new HttpError(404, "Not Found");
      return { status: 200, body: refJson(repo, ref, sha) };
    });
    add("POST /repos/{owner}/{repo}/git/refs", ({ repo, body, actor }) => {
      const ref = requiredString(body, "ref");
      const sha = requiredString(body, "sha");
      this.github.createRef(repo, ref, sha, actor);
      return { status: 201, body: refJson(repo, ref, sha) };
    });
    add("PATCH /repos/{owner}/{repo}/git/refs/{ref}", ({ repo, params, body, actor }) => {
      const ref = `refs/${params.ref}`;
      const sha = requiredString(body, "sha");
      this.github.updateRef(repo, ref, sha, actor, body.force === true);
      return { status: 200, body: refJson(repo, ref, sha) };
    });
    add("DELETE /repos/{owner}/{repo}/git/refs/{ref}", ({ repo, params }) => {
      if (!repo.refs.delete(`refs/${params.ref}`)) throw new HttpError(422, "Reference does not exist");
      return { status: 204 };
    });
    add("GET /repos/{owner}/{repo}/git/trees/{tree_sha}", ({ repo, params, query }) =>
      this.#tree(repo, params.tree_sha!, query.has("recursive")),
    );
    add("GET /repos/{owner}/{repo}/git/blobs/{file_sha}", ({ repo, params }) => {
      const content = repo.blob(params.file_sha!);
      if (content === undefined) throw new HttpError(404, "Not Found");
      const url = `${API}/repos/${repo.fullName}/git/blobs/${params.file_sha}`;
      return {
        status: 200,
        body: {
          sha: params.file_sha,
          node_id: `B_${params.file_sha}`,
          size: Buffer.byteLength(content),
          url,
          content: Buffer.from(content).toString("base64"),
          encoding: "base64",
        },
      };
    });
    add("POST /repos/{owner}/{repo}/merges", ({ repo, body, actor }) => {
      const commit = this.github.mergeBranches(
        repo,
        requiredString(body, "base"),
        requiredString(body, "head"),
        actor,
        optionalString(body, "commit_message"),
      );
      return commit === undefined ? { status: 204 } : { status: 201, body: commitJson(this.github, repo, commit) };
    });
    add("GET /repos/{owner}/{repo}/compare/{basehead}", ({ repo, params }) => {
      const [base, head] = params.basehead!.split("...");
      const baseSha = base === undefined ? undefined : repo.resolve(base);
      const headSha = head === undefined ? undefined : repo.resolve(head);
      if (baseSha === undefined || headSha === undefined) throw new HttpError(404, "Not Found");
      const mergeBase = repo.git.mergeBase(baseSha, headSha);
      const ahead = repo.git.between(baseSha, headSha);
      const behind = repo.git.between(headSha, baseSha).length;
      const status =
        ahead.length === 0 && behind === 0
          ? "identical"
          : behind === 0
            ? "ahead"
            : ahead.length === 0
              ? "behind"
              : "diverged";
      const mergeBaseCommit = mergeBase === undefined ? null : commitJson(this.github, repo, repo.git.get(mergeBase)!);
      const files = diffTrees(mergeBase === undefined ? new Map() : repo.tree(mergeBase), repo.tree(headSha));
      return {
        status: 200,
        body: {
          url: `${API}/repos/${repo.fullName}/compare/${params.basehead}`,
          html_url: `${WEB}/${repo.fullName}/compare/${params.basehead}`,
          status,
          ahead_by: ahead.length,
          behind_by: behind,
          total_commits: ahead.length,
          base_commit: commitJson(this.github, repo, repo.git.get(baseSha)!),
          merge_base_commit: mergeBaseCommit,
          commits: ahead.map((commit) => commitJson(this.github, repo, commit)),
          files: files.slice(0, COMPARE_FILES).map((file) => ({ sha: headSha, ...file })),
        },
      };
    });

    // Pull requests
    add("GET /repos/{owner}/{repo}/pulls", ({ repo, query, url }) => {
      const state = query.get("state") ?? "open";
      const head = query.get("head");
      const base = query.get("base");
      // GitHub filters by head only as `owner:branch`; a bare branch name is ignored.
      const [headOwner, headBranch] =
        head?.includes(":") === true ? (head.split(":", 2) as [string, string]) : [undefined, undefined];
      const sort = query.get("sort") ?? "created";
      const descending = (query.get("direction") ?? (sort === "created" ? "desc" : "asc")) === "desc";
      const pulls = [...repo.pulls.values()]
        .filter((pull) => state === "all" || pull.state === state)
        .filter(
          (pull) =>
            headOwner === undefined ||
            (headOwner.toLowerCase() === repo.owner.toLowerCase() && pull.head === headBranch),
        )
        .filter((pull) => base === null || pull.base === base)
        .sort((a, b) => {
          const order =
            sort === "updated" ? a.updatedAt.localeCompare(b.updatedAt) || a.number - b.number : a.number - b.number;
          return descending ? -order : order;
        });
      return paginate(
        pulls.map((pull) => pullJson(this.github, repo, pull, false)),
        query,
        url,
      );
    });
    add("POST /repos/{owner}/{repo}/pulls", ({ repo, body, actor }) => {
      const headParam = requiredString(body, "head");
      const head = headParam.includes(":") ? headParam.slice(headParam.indexOf(":") + 1) : headParam;
      const pull = this.github.createPull(repo, {
        head,
        base: requiredString(body, "base"),
        title: requiredString(body, "title"),
        body: optionalString(body, "body") ?? "",
        user: actor,
      });
      return { status: 201, body: pullJson(this.github, repo, pull) };
    });
    add("GET /repos/{owner}/{repo}/pulls/{pull_number}", ({ repo, params }) => ({
      status: 200,
      body: pullJson(this.github, repo, this.#pull(repo, params.pull_number!)),
    }));
    add("PATCH /repos/{owner}/{repo}/pulls/{pull_number}", ({ repo, params, body }) => {
      const pull = this.#pull(repo, params.pull_number!);
      const state = optionalString(body, "state");
      if (state !== undefined && state !== "open" && state !== "closed")
        throw new HttpError(422, "Validation Failed", {
          errors: [{ resource: "PullRequest", field: "state", code: "invalid" }],
        });
      const title = optionalString(body, "title");
      const text = optionalString(body, "body");
      this.github.updatePull(repo, pull, {
        ...(title === undefined ? {} : { title }),
        ...(text === undefined ? {} : { body: text }),
        ...(state === undefined ? {} : { state }),
      });
      return { status: 200, body: pullJson(this.github, repo, pull) };
    });
    add("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", ({ repo, params, query, url }) => {
      const pull = this.#pull(repo, params.pull_number!);
      const { head } = repo.pullShas(pull);
      const files = repo.pullFiles(pull).slice(0, PULL_FILES);
      return paginate(
        files.map((file) => ({
          sha: head,
          blob_url: `${WEB}/${repo.fullName}/blob/${head}/${file.filename}`,
          ...file,
        })),
        query,
        url,
      );
    });
    add("PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge", ({ repo, params, body, actor }) => {
      const pull = this.#pull(repo, params.pull_number!);
      const method = (optionalString(body, "merge_method") ?? "merge") as MergeMethod;
      if (!["merge", "squash", "rebase"].includes(method))
        throw new HttpError(422, "Validation Failed", {
          errors: [{ resource: "PullRequest", field: "merge_method", code: "invalid" }],
        });
      const sha = optionalString(body, "sha");
      const title = optionalString(body, "commit_title");
      const merged = this.github.mergePull(repo, pull, {
        method,
        by: actor,
        ...(sha === undefined ? {} : { sha }),
        ...(title === undefined ? {} : { title }),
      });
      return { status: 200, body: { sha: merged, merged: true, message: "Pull Request successfully merged" } };
    });

    // Checks
    add("POST /repos/{owner}/{repo}/check-runs", ({ repo, body, actor }) => {
      const headSha = requiredString(body, "head_sha");
      if (repo.git.get(headSha) === undefined) throw new HttpError(422, `No commit found for SHA: ${headSha}`);
      const at = this.github.now();
      const run: CheckRun = {
        id: this.github.nextId("checkRun"),
        name: requiredString(body, "name"),
        headSha,
        status: "queued",
        conclusion: null,
        title: "",
        summary: "",
        annotations: [],
        actions: [],
        startedAt: optionalString(body, "started_at") ?? at,
        updates: 0,
      };
      this.#updateCheckRun(run, body);
      repo.checkRuns.set(run.id, run);
      this.github.history.push({ kind: "checkRun", at, id: run.id, user: actor });
      return { status: 201, body: checkRunJson(this.github, repo, run) };
    });
    add("GET /repos/{owner}/{repo}/commits/{ref}/check-runs", ({ repo, params, query, url }) => {
      const name = query.get("check_name");
      const runs = [...repo.checkRuns.values()]
        .filter((run) => run.headSha === params.ref && (name === null || run.name === name))
        .sort((a, b) => b.id - a.id);
      const page = paginate(
        runs.map((run) => checkRunJson(this.github, repo, run)),
        query,
        url,
      );
      return { ...page, body: { total_count: runs.length, check_runs: page.body } };
    });
    // After …/commits/{ref}/check-runs: `ref` may hold slashes, and the first route that matches answers.
    add("GET /repos/{owner}/{repo}/commits/{ref}", ({ repo, params }) => {
      const ref = params.ref ?? "";
      const commit = repo.git.get(repo.branch(ref) ?? ref);
      if (commit === undefined) throw new HttpError(422, `No commit found for SHA: ${ref}`);
      return { status: 200, body: commitJson(this.github, repo, commit) };
    });
    add("PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", ({ repo, params, body }) => {
      const run = repo.checkRuns.get(Number(params.check_run_id));
      if (run === undefined) throw new HttpError(404, "Not Found");
      this.#updateCheckRun(run, body);
      run.updates += 1;
      return { status: 200, body: checkRunJson(this.github, repo, run) };
    });

    // Actions
    add("POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches", ({ repo, params, body, actor }) =>
      this.#dispatch(repo, params.workflow_id!, body, actor),
    );
    add("GET /repos/{owner}/{repo}/actions/runs", ({ repo, query, url }) =>
      this.#listRuns(repo, [...repo.runs.values()], query, url),
    );
    add("GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs", ({ repo, params, query, url }) => {
      const workflow = this.#workflow(repo, params.workflow_id!);
      return this.#listRuns(
        repo,
        [...repo.runs.values()].filter((run) => run.workflowId === workflow.id),
        query,
        url,
      );
    });
    add("GET /repos/{owner}/{repo}/actions/runs/{run_id}", ({ repo, params }) => ({
      status: 200,
      body: runJson(this.github, repo, this.#run(repo, params.run_id!)),
    }));
    add("POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel", ({ repo, params }) => {
      this.github.cancelRun(repo, this.#run(repo, params.run_id!));
      return { status: 202, body: {} };
    });
    return routes;
  }

  /** An issue's change, in the story of what happened (the simulator prints it). */
  #told(number: number, user: string, change: string): void {
    this.github.history.push({ kind: "issue", at: this.github.now(), number, user, change });
  }

  #issue(repo: Repo, number: string): Issue | Pull {
    const found = repo.issues.get(Number(number)) ?? repo.pulls.get(Number(number));
    if (found === undefined) throw new HttpError(404, "Not Found");
    return found;
  }

  /** An issue that is no pull request: sub-issues and dependencies are the issues'. */
  #plainIssue(repo: Repo, number: string): Issue {
    const found = repo.issues.get(Number(number));
    if (found === undefined) throw new HttpError(404, "Not Found");
    return found;
  }

  /** The issue a body names by its id (`sub_issue_id`, `issue_id`): 404 when there is none in the repository. */
  #issueById(repo: Repo, body: Record<string, unknown>, key: string): Issue {
    const id = body[key];
    if (typeof id !== "number") throw new HttpError(422, "Invalid request.", { errors: [`"${key}" wasn't supplied.`] });
    const found = this.github.issueById(repo, id);
    if (found === undefined) throw new HttpError(404, "Not Found");
    return found;
  }

  #comment(repo: Repo, id: string): IssueComment {
    const comment = repo.comments.get(Number(id));
    if (comment === undefined) throw new HttpError(404, "Not Found");
    return comment;
  }

  #pull(repo: Repo, number: string): Pull {
    const pull = repo.pulls.get(Number(number));
    if (pull === undefined) throw new HttpError(404, "Not Found");
    return pull;
  }

  #run(repo: Repo, id: string): WorkflowRun {
    const run = repo.runs.get(Number(id));
    if (run === undefined) throw new HttpError(404, "Not Found");
    return run;
  }

  #workflow(repo: Repo, id: string): Workflow {
    const workflow = repo
      .workflows()
      .find((candidate) => String(candidate.id) === id || candidate.path === `.github/workflows/${id}`);
    if (workflow === undefined) throw new HttpError(404, "Not Found");
    return workflow;
  }

  /**
   * A tree (by its SHA, or a commit's by the commit's SHA or a ref): its entries with their
   * modes, and with `recursive` every entry below it, each tree's entries after it. Over
   * 100,000 entries the list stops there and says `truncated`, as GitHub's does.
   */
  #tree(repo: Repo, treeish: string, recursive: boolean): Reply {
    const tree = repo.treeAt(treeish);
    if (tree === undefined) throw new HttpError(404, "Not Found");
    const url = (type: string, sha: string) =>
      `${API}/repos/${repo.fullName}/git/${type === "tree" ? "trees" : "blobs"}/${sha}`;
    const items: Array<Record<string, unknown>> = [];
    const list = (folder: string, prefix: string): void => {
      for (const item of tree.folders.get(folder)!.items) {
        if (items.length > TREE_ENTRIES) return;
        items.push({
          ...item,
          path: `${prefix}${item.path}`,
          ...(item.type === "commit" ? {} : { url: url(item.type, item.sha) }),
        });
        if (recursive && item.type === "tree")
          list(folder === "" ? item.path : `${folder}/${item.path}`, `${prefix}${item.path}/`);
      }
    };
    list(tree.path, "");
    const truncated = items.length > TREE_ENTRIES;
    return {
      status: 200,
      body: { sha: tree.sha, url: url("tree", tree.sha), tree: items.slice(0, TREE_ENTRIES), truncated },
    };
  }

  #contents({ repo, params, query, headers }: Context): Reply {
    const ref = query.get("ref") ?? repo.defaultBranch;
    const sha = repo.resolve(ref);
    if (sha === undefined) throw new HttpError(404, `No commit found for the ref ${ref}`);
    const tree = repo.tree(sha);
    const path = params.path!.replace(/\/+$/, "");
    const stored = tree.get(path);
    const content = stored === undefined ? undefined : entryOf(stored).content;
    const entry = (name: string, type: "file" | "dir") => ({
      type,
      name: name.slice(name.lastIndexOf("/") + 1),
      path: name,
      sha,
      size: tree.get(name)?.length ?? 0,
      url: `${API}/repos/${repo.fullName}/contents/${name}?ref=${ref}`,
    });
    if (content === undefined) {
      // A folder: its files and subfolders, one level deep.
      const children = new Set<string>();
      for (const file of tree.keys()) {
        if (!file.startsWith(`${path}/`)) continue;
        const slash = file.indexOf("/", path.length + 1);
        children.add(slash === -1 ? file : file.slice(0, slash));
      }
      if (children.size === 0) throw new HttpError(404, "Not Found");
      return { status: 200, body: [...children].sort().map((child) => entry(child, tree.has(child) ? "file" : "dir")) };
    }
    if (/raw/.test(headers.get("accept") ?? "")) return { status: 200, text: content };
    return {
      status: 200,
      body: {
        ...entry(path, "file"),
        encoding: "base64",
        content: Buffer.from(content).toString("base64"),
        html_url: `${WEB}/${repo.fullName}/blob/${ref}/${path}`,
        download_url: null,
      },
    };
  }

  /**
   * A check run's fields, refused as GitHub refuses them: over 50 annotations
   * in one request, over 3 actions, an action's label or identifier over 20
   * characters or its description over 40, a summary or text over 65,535.
   */
  #updateCheckRun(run: CheckRun, body: Record<string, unknown>): void {
    const output = (typeof body.output === "object" && body.output !== null ? body.output : {}) as Record<
      string,
      unknown
    >;
    const annotations = Array.isArray(output.annotations) ? output.annotations : [];
    if (annotations.length > 50) throw new HttpError(422, "Only 50 annotations are allowed per request.");
    const actions: unknown[] = Array.isArray(body.actions) ? body.actions : [];
    if (actions.length > 3) throw new HttpError(422, "Only 3 actions are allowed per check run.");
    for (const action of actions) {
      const fields = (typeof action === "object" && action !== null ? action : {}) as Record<string, unknown>;
      for (const [field, most] of [
        ["label", 20],
        ["identifier", 20],
        ["description", 40],
      ] as const) {
        const value = fields[field];
        if (typeof value !== "string")
          throw new HttpError(422, "Validation Failed", {
            errors: [{ resource: "CheckRun", field: `actions.${field}`, code: "missing_field" }],
          });
        if (value.length > most)
          throw new HttpError(422, "Validation Failed", {
            errors: [
              {
                resource: "CheckRun",
                field: `actions.${field}`,
                code: "custom",
                message: `${field} is too long (maximum is ${most} characters)`,
              },
            ],
          });
      }
    }
    for (const field of ["summary", "text"]) {
      const value = output[field];
      if (typeof value === "string" && value.length > 65_535)
        throw new HttpError(422, "Validation Failed", {
          errors: [
            {
              resource: "CheckRun",
              field: `output.${field}`,
              code: "custom",
              message: `${field} is too long (maximum is 65535 characters)`,
            },
          ],
        });
    }
    const conclusion = optionalString(body, "conclusion");
    const status = optionalString(body, "status") ?? (conclusion === undefined ? undefined : "completed");
    if (status === "completed" && conclusion === undefined && run.conclusion === null)
      throw new HttpError(422, "Validation Failed", {
        errors: [{ resource: "CheckRun", field: "conclusion", code: "missing_field" }],
      });
    if (status !== undefined) run.status = status;
    if (conclusion !== undefined) run.conclusion = conclusion;
    if (run.status === "completed") run.completedAt = optionalString(body, "completed_at") ?? this.github.now();
    if (typeof output.title === "string") run.title = output.title;
    if (typeof output.summary === "string") run.summary = output.summary;
    run.annotations.push(...annotations);
    if (Array.isArray(body.actions)) run.actions = actions;
    const externalId = optionalString(body, "external_id");
    if (externalId !== undefined) run.externalId = externalId;
  }

  #dispatch(repo: Repo, workflowId: string, body: Record<string, unknown>, actor: string): Reply {
    const workflow = this.#workflow(repo, workflowId);
    const asked = body.return_run_details;
    if (asked !== undefined && this.github.returnRunDetails === "refused")
      throw new HttpError(400, 'Invalid request.\n\n"return_run_details" is not a permitted key.');
    const given = body.inputs === undefined ? {} : body.inputs;
    if (typeof given !== "object" || given === null || Array.isArray(given))
      throw new HttpError(422, "Invalid request.\n\nFor 'properties/inputs', it is not an object.");
    const run = this.github.dispatch(
      repo,
      workflow,
      requiredString(body, "ref"),
      given as Record<string, unknown>,
      actor,
    );
    if (asked !== true || this.github.returnRunDetails === "ignored") return { status: 204 };
    return {
      status: 200,
      body: {
        workflow_run_id: run.id,
        run_url: `${API}/repos/${repo.fullName}/actions/runs/${run.id}`,
        html_url: `${WEB}/${repo.fullName}/actions/runs/${run.id}`,
      },
    };
  }

  #listRuns(repo: Repo, runs: WorkflowRun[], query: URLSearchParams, url: URL): Reply {
    const branch = query.get("branch");
    const event = query.get("event");
    const status = query.get("status");
    const created = query.get("created");
    const actor = query.get("actor");
    const headSha = query.get("head_sha");
    const chosen = runs
      .filter((run) => branch === null || run.headBranch === branch)
      .filter((run) => event === null || run.event === event)
      .filter((run) => status === null || run.status === status || run.conclusion === status)
      .filter((run) => created === null || createdMatches(created, run.createdAt))
      .filter((run) => actor === null || run.actor === actor)
      .filter((run) => headSha === null || run.headSha === headSha)
      .sort((a, b) => b.id - a.id);
    const page = paginate(
      chosen.map((run) => runJson(this.github, repo, run)),
      query,
      url,
    );
    return { ...page, body: { total_count: chosen.length, workflow_runs: page.body } };
  }
}

/** GitHub's date qualifiers as the runs API takes them: `>=date`, `<date`, `a..b`, `a..*`, or one day. */
export function createdMatches(filter: string, at: string): boolean {
  const range = /^(.+)\.\.(.+)$/.exec(filter);
  if (range !== null) {
    return (
      (range[1] === "*" || compareDate(at, range[1]!) >= 0) &&
      (range[2] === "*" || compareDate(at, range[2]!, true) <= 0)
    );
  }
  const comparison = /^(>=|<=|>|<)?(.+)$/.exec(filter)!;
  const [operator, date] = [comparison[1], comparison[2]!];
  switch (operator) {
    case ">=":
      return compareDate(at, date) >= 0;
    case ">":
      return compareDate(at, date, true) > 0;
    case "<=":
      return compareDate(at, date, true) <= 0;
    case "<":
      return compareDate(at, date) < 0;
    default:
      return compareDate(at, date) >= 0 && compareDate(at, date, true) <= 0;
  }
}

/** Compares a timestamp with a date or timestamp; a bare date is its first moment, or with `end` its last. */
function compareDate(at: string, date: string, end = false): number {
  const bound = /^\d{4}-\d{2}-\d{2}$/.test(date)
    ? Date.parse(`${date}T00:00:00Z`) + (end ? 86_399_999 : 0)
    : Date.parse(date);
  return Math.sign(Date.parse(at) - bound);
}

/** A path segment decoded, or undefined when its escapes are malformed (GitHub answers 404). */
function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function paginate(items: unknown[], query: URLSearchParams, url: URL): Reply & { body: unknown[] } {
  const perPage = Math.min(100, Math.max(1, Number(query.get("per_page") ?? 30) || 30));
  const page = Math.max(1, Number(query.get("page") ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (number: number, rel: string) => {
    const target = new URL(url.href);
    target.searchParams.set("per_page", String(perPage));
    target.searchParams.set("page", String(number));
    return `<${target.href}>; rel="${rel}"`;
  };
  const links = [
    ...(page > 1 ? [link(page - 1, "prev")] : []),
    ...(page < last ? [link(page + 1, "next"), link(last, "last")] : []),
    ...(page > 1 ? [link(1, "first")] : []),
  ];
  return {
    status: 200,
    body: items.slice((page - 1) * perPage, page * perPage),
    ...(links.length === 0 ? {} : { headers: { link: links.join(", ") } }),
  };
}

/** An issue's title: a string or a number, never empty (GitHub answers 422 "title wasn't supplied"). */
function requiredTitle(body: Record<string, unknown>): string {
  const title = typeof body.title === "number" ? String(body.title) : body.title;
  if (typeof title !== "string" || title.trim() === "")
    throw new HttpError(422, "Invalid request.", { errors: [`"title" wasn't supplied.`] });
  return title;
}

/** A label given by its name, or as an object with one. */
function labelName(label: unknown): string {
  const name = typeof label === "string" ? label : (label as { name?: unknown } | null)?.name;
  if (typeof name !== "string" || name === "") throw new HttpError(422, "Validation Failed", { errors: ["label"] });
  return name;
}

function requiredString(body: Record<string, unknown>, key: string): string {
  const value = optionalString(body, key);
  if (value === undefined) throw new HttpError(422, "Invalid request.", { errors: [`"${key}" wasn't supplied.`] });
  return value;
}

function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string")
    throw new HttpError(422, `Invalid request.\n\nFor 'properties/${key}', ${JSON.stringify(value)} is not a string.`);
  return value;
}

function refJson(repo: Repo, ref: string, sha: string): Record<string, unknown> {
  return {
    ref,
    node_id: `REF_${ref}`,
    url: `${API}/repos/${repo.fullName}/git/${ref}`,
    object: { sha, type: "commit", url: `${API}/repos/${repo.fullName}/git/commits/${sha}` },
  };
}

/** A JSON text, parsed; undefined when there is none or it is not JSON. */
function parseJson(text: string | undefined): unknown {
  if (text === undefined || text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function failure(error: HttpError): Reply {
  return { status: error.status, body: error.body };
}

/**
 * GitHub's conditional requests ("Best practices for using the REST API: use
 * conditional requests if appropriate"): a GET answered 200 carries an `etag`,
 * a digest of what it answered; the same request sent again with that value in
 * `If-None-Match` is answered `304 Not Modified`, with no body, while the answer
 * is unchanged — and, made with a token, costs nothing of the rate limit.
 */
function conditional(method: string, headers: Headers, reply: Reply): Reply {
  if (method !== "GET" || reply.status !== 200) return reply;
  const content = reply.text ?? JSON.stringify(reply.body ?? null);
  const etag = `W/"${createHash("sha256").update(content).digest("hex").slice(0, 32)}"`;
  const sent = (headers.get("if-none-match") ?? "").split(",").map((value) => value.trim());
  if (sent.includes(etag) || sent.includes("*")) return { status: 304, headers: { ...reply.headers, etag } };
  return { ...reply, headers: { ...reply.headers, etag } };
}

function respond(reply: Reply, url: URL, at: string, used: number): Response {
  const reset = Math.floor(Date.parse(at) / 1000) + 3600;
  const headers = new Headers({
    "content-type": reply.text === undefined ? "application/json; charset=utf-8" : "text/plain; charset=utf-8",
    date: new Date(at).toUTCString(),
    "x-github-api-version-selected": "2022-11-28",
    "x-github-request-id": `SIM:${used}`,
    "x-ratelimit-limit": "5000",
    "x-ratelimit-remaining": String(Math.max(0, 5000 - used)),
    "x-ratelimit-used": String(used),
    "x-ratelimit-reset": String(reset),
    "x-ratelimit-resource": "core",
    ...reply.headers,
  });
  const noBody = reply.status === 204 || reply.status === 304 || (reply.body === undefined && reply.text === undefined);
  const response = new Response(noBody ? null : (reply.text ?? JSON.stringify(reply.body)), {
    status: reply.status,
    headers,
  });
  // A response fetched over the network knows its URL (Octokit's pagination reads it); one made here must be told.
  Object.defineProperty(response, "url", { value: url.href });
  return response;
}
