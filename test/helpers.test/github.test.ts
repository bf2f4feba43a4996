import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  assertGitHubRequestsValid,
  clearGitHubRequestProblems,
  finishGitHubApiTest,
  githubApi,
  gitHubRequestProblems,
  useGitHubApi,
} from "../helpers/github.js";
import { checkGitHubRequest, gitHubOpenApiStats, routeOf } from "../../src/fakeGitHub/openapiCheck.js";

const COMMENTS = "[/repos/{owner}/{repo}/issues/{issue_number}/comments]";

describe("checkGitHubRequest", () => {
  beforeAll(() => {
    gitHubOpenApiStats(); // load once, outside the per-test timings
  });

  it("accepts a valid issue comment", () => {
    expect(checkGitHubRequest({ method: "POST", path: "/repos/o/r/issues/1/comments", body: { body: "hi" } })).toEqual(
      [],
    );
  });

  it("names the route and the missing field", () => {
    expect(checkGitHubRequest({ method: "POST", path: "/repos/o/r/issues/1/comments", body: { bodi: "x" } })).toEqual([
      `POST /repos/o/r/issues/1/comments ${COMMENTS}: body: must have required property 'body'`,
      `POST /repos/o/r/issues/1/comments ${COMMENTS}: body: unknown property 'bodi' (not in the description; GitHub ignores it)`,
    ]);
    expect(
      checkGitHubRequest(
        { method: "POST", path: "/repos/o/r/issues/1/comments", body: { bodi: "x" } },
        { unknownBodyProperties: "allow" },
      ),
    ).toEqual([`POST /repos/o/r/issues/1/comments ${COMMENTS}: body: must have required property 'body'`]);
  });

  it("names the route and the mistyped field", () => {
    expect(checkGitHubRequest({ method: "POST", path: "/repos/o/r/issues/1/comments", body: '{"body":5}' })).toEqual([
      `POST /repos/o/r/issues/1/comments ${COMMENTS}: body.body: must be string`,
    ]);
  });

  it("reports a missing required property of git refs", () => {
    expect(
      checkGitHubRequest({ method: "POST", path: "https://api.github.com/repos/o/r/git/refs", body: { ref: "refs/heads/x" } }),
    ).toEqual(["POST /repos/o/r/git/refs [/repos/{owner}/{repo}/git/refs]: body: must have required property 'sha'"]);
  });

  it("reports an unknown operation", () => {
    expect(checkGitHubRequest({ method: "PATCH", path: "/repos/o/r/foo", body: {} })).toEqual([
      "no such operation: PATCH /repos/o/r/foo",
    ]);
    expect(checkGitHubRequest({ method: "patch", path: "/repos/o/r/issues" })).toEqual([
      "no such operation: PATCH /repos/o/r/issues (/repos/{owner}/{repo}/issues is documented for GET, POST)",
    ]);
  });

  it("reports a non-integer issue_number", () => {
    expect(checkGitHubRequest({ method: "POST", path: "/repos/o/r/issues/abc/comments", body: { body: "x" } })).toEqual([
      `POST /repos/o/r/issues/abc/comments ${COMMENTS}: path parameter issue_number: "abc" must be an integer`,
    ]);
  });

  it("checks query parameters: names, types, enums", () => {
    expect(checkGitHubRequest({ method: "GET", path: "/repos/o/r/issues?state=open&per_page=100&page=2" })).toEqual([]);
    const problems = checkGitHubRequest({ method: "GET", path: "/repos/o/r/issues?state=bogus&per_page=x&colour=red" });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/query parameter state: "bogus" must be one of "open", "closed", "all"$/);
    expect(problems[1]).toMatch(/query parameter per_page: "x" must be an integer$/);
    expect(problems[2]).toMatch(/query parameter colour: not documented for this operation \(documented: .*state/);
  });

  it("checks enums, nullable oneOf and additionalProperties: false in bodies", () => {
    const issue = (body: unknown) => checkGitHubRequest({ method: "PATCH", path: "/repos/o/r/issues/1", body });
    expect(issue({ state: "closed", state_reason: null, milestone: null, labels: ["a", { name: "b" }] })).toEqual([]);
    expect(issue({ state: "shut", labels: [5] })).toEqual([
      'PATCH /repos/o/r/issues/1 [/repos/{owner}/{repo}/issues/{issue_number}]: body.state: must be one of "open", "closed"',
      "PATCH /repos/o/r/issues/1 [/repos/{owner}/{repo}/issues/{issue_number}]: body.labels[0]: must match exactly one of: must be string | must be object",
    ]);
    expect(
      checkGitHubRequest({ method: "POST", path: "/repos/o/r/hooks", body: { config: { url: "https://x" }, colour: 1 } }),
    ).toEqual(["POST /repos/o/r/hooks [/repos/{owner}/{repo}/hooks]: body: must NOT have additional property 'colour'"]);
  });

  it("treats an absent required body as {} and rejects a body where none is taken", () => {
    expect(checkGitHubRequest({ method: "PUT", path: "/repos/o/r/pulls/1/merge", body: "" })).toEqual([]);
    expect(checkGitHubRequest({ method: "GET", path: "/repos/o/r", body: { x: 1 } })).toEqual([
      "GET /repos/o/r [/repos/{owner}/{repo}]: body: this operation takes no request body, got properties x",
    ]);
    expect(checkGitHubRequest({ method: "POST", path: "/repos/o/r/issues", body: "{not json" })[0]).toMatch(
      /^POST \/repos\/o\/r\/issues \[\/repos\/\{owner\}\/\{repo\}\/issues\]: body: not valid JSON/,
    );
  });

  it("accepts workflow dispatch with return_run_details, and checks its type", () => {
    const dispatch = (body: unknown) =>
      checkGitHubRequest({ method: "POST", path: "/repos/o/r/actions/workflows/ci.yml/dispatches", body });
    expect(dispatch({ ref: "main", inputs: { anything: "goes" }, return_run_details: true })).toEqual([]);
    expect(dispatch({ ref: "main", return_run_details: "yes" })).toEqual([
      "POST /repos/o/r/actions/workflows/ci.yml/dispatches [/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches]: body.return_run_details: must be boolean",
    ]);
  });

  it("accepts the GitHub App token endpoint", () => {
    const path = "/app/installations/123/access_tokens";
    expect(checkGitHubRequest({ method: "POST", path })).toEqual([]);
    expect(checkGitHubRequest({ method: "POST", path, body: { repositories: ["r"], permissions: { issues: "write" } } })).toEqual(
      [],
    );
    expect(checkGitHubRequest({ method: "POST", path: "/app/installations/me/access_tokens" })).toHaveLength(1);
  });

  it("checks GraphQL requests", () => {
    expect(checkGitHubRequest({ method: "POST", path: "/graphql", body: { query: "{ viewer { login } }", variables: {} } })).toEqual(
      [],
    );
    expect(checkGitHubRequest({ method: "POST", path: "/graphql", body: { qery: "{ viewer { login } }" } })).toEqual([
      "POST /graphql: body.query: must be a non-empty string",
      "POST /graphql: body: must NOT have additional property 'qery'",
    ]);
    expect(checkGitHubRequest({ method: "GET", path: "/graphql" })).toEqual([
      "no such operation: GET /graphql (GraphQL takes POST)",
    ]);
  });
});

describe("routeOf", () => {
  it("returns the documented route, preferring literal segments over parameters", () => {
    expect(routeOf("post", "https://api.github.com/repos/o/r/actions/workflows/42/dispatches?x=1")).toBe(
      "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches",
    );
    expect(routeOf("GET", "/repos/o/r/pulls/comments")).toBe("GET /repos/{owner}/{repo}/pulls/comments");
    expect(routeOf("GET", "/repos/o/r/pulls/7")).toBe("GET /repos/{owner}/{repo}/pulls/{pull_number}");
    expect(routeOf("POST", "/app/installations/1/access_tokens")).toBe(
      "POST /app/installations/{installation_id}/access_tokens",
    );
    expect(routeOf("POST", "/graphql")).toBe("POST /graphql");
    expect(routeOf("PATCH", "/repos/o/r/foo")).toBeUndefined();
  });

  it("lets a trailing ref/path parameter span several segments", () => {
    expect(routeOf("GET", "/repos/o/r/contents/docs/a/b.md?ref=main")).toBe("GET /repos/{owner}/{repo}/contents/{path}");
    expect(routeOf("GET", "/repos/o/r/git/ref/heads%2Ffeature%2Fx")).toBe("GET /repos/{owner}/{repo}/git/ref/{ref}");
    expect(routeOf("GET", "/repos/o/r/git/ref/heads/feature/x")).toBe("GET /repos/{owner}/{repo}/git/ref/{ref}");
  });
});

describe("githubApi + useGitHubApi (through @octokit/rest and nock)", () => {
  useGitHubApi();
  const quiet = () => undefined;
  const octokit = new Octokit({ auth: "test-token", log: { debug: quiet, info: quiet, warn: quiet, error: quiet } });

  it("lets a valid request through", async () => {
    const scope = githubApi().post("/repos/o/r/issues/1/comments", { body: "hi" }).reply(201, { id: 7 });
    const { data } = await octokit.rest.issues.createComment({ owner: "o", repo: "r", issue_number: 1, body: "hi" });
    expect(data).toEqual({ id: 7 });
    scope.done();
    expect(gitHubRequestProblems()).toEqual([]);
  });

  it("fails the test for a wrong body, naming route and field", async () => {
    githubApi().post("/repos/o/r/issues/1/comments").reply(201, { id: 7 });
    await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      owner: "o",
      repo: "r",
      issue_number: 1,
      body: 5 as unknown as string, // deliberately wrong: Octokit's types would reject it
    });
    expect(() => finishGitHubApiTest()).toThrow(
      `1 problem(s) with requests to GitHub:\n- POST /repos/o/r/issues/1/comments ${COMMENTS}: body.body: must be string`,
    );
    expect(gitHubRequestProblems()).toEqual([]); // reported once, then forgotten
  });

  it("fails the test for a non-integer issue_number and for an unknown route", async () => {
    githubApi().post(/.*/).times(2).reply(201, {});
    await octokit.request("POST /repos/o/r/issues/abc/comments", { body: "x" });
    await octokit.request("POST /repos/o/r/nonsense", {});
    expect(gitHubRequestProblems()).toEqual([
      `POST /repos/o/r/issues/abc/comments ${COMMENTS}: path parameter issue_number: "abc" must be an integer`,
      "no such operation: POST /repos/o/r/nonsense",
    ]);
    expect(() => assertGitHubRequestsValid()).toThrow(/^2 problem\(s\) with requests to GitHub:/);
  });

  it("fails the test for a request no interceptor matched", async () => {
    githubApi().get("/repos/o/r/pulls").reply(200, []);
    await expect(octokit.rest.pulls.list({ owner: "o", repo: "r", state: "closed" })).rejects.toThrow();
    expect(gitHubRequestProblems()).toEqual([
      "no interceptor matched GET api.github.com/repos/o/r/pulls?state=closed (real network is disabled)",
    ]);
    // The unmatched request is checked too, to tell a wrong mock from a wrong request.
    await expect(octokit.request("GET /repos/o/r/pulls", { state: "shut" })).rejects.toThrow();
    expect(gitHubRequestProblems().slice(1)).toEqual([
      "no interceptor matched GET api.github.com/repos/o/r/pulls?state=shut (real network is disabled)",
      '  GET /repos/o/r/pulls [/repos/{owner}/{repo}/pulls]: query parameter state: "shut" must be one of "open", "closed", "all"',
    ]);
    expect(() => finishGitHubApiTest()).toThrow(/^2 problem\(s\) with requests to GitHub:\n- no interceptor matched GET/);
    expect(gitHubRequestProblems()).toEqual([]);
  });

  it("accepts the App token endpoint and GraphQL", async () => {
    githubApi()
      .post("/app/installations/99/access_tokens")
      .reply(201, { token: "t", expires_at: "2030-01-01T00:00:00Z" })
      .post("/graphql")
      .reply(200, { data: { viewer: { login: "me" } } });
    await octokit.request("POST /app/installations/{installation_id}/access_tokens", { installation_id: 99 });
    const result = await octokit.graphql<{ viewer: { login: string } }>("query { viewer { login } }");
    expect(result.viewer.login).toBe("me");
    expect(gitHubRequestProblems()).toEqual([]);
  });

  it("removes leftover interceptors after each test", () => {
    githubApi().get("/repos/o/r").reply(200, {});
    finishGitHubApiTest();
    expect(githubApi().pendingMocks()).toEqual([]);
  });

  describe("real network", () => {
    let server: Server;
    let url: string;
    beforeAll(async () => {
      server = createServer((_req, res) => res.end("ok"));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it("allows 127.0.0.1 and blocks everything else", async () => {
      expect(await (await fetch(url)).text()).toBe("ok");
      expect(gitHubRequestProblems()).toEqual([]);
      await expect(fetch("https://example.com/")).rejects.toThrow();
      expect(gitHubRequestProblems()).toEqual(["no interceptor matched GET example.com/ (real network is disabled)"]);
      clearGitHubRequestProblems();
    });
  });
});
