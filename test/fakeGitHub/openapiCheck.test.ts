/**
 * The checker of requests against GitHub's REST description, which the fake
 * GitHub and the tests' nock interceptors use.
 */
import { beforeAll, describe, expect, it } from "vitest";
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
      checkGitHubRequest({
        method: "POST",
        path: "https://api.github.com/repos/o/r/git/refs",
        body: { ref: "refs/heads/x" },
      }),
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
    expect(checkGitHubRequest({ method: "POST", path: "/repos/o/r/issues/abc/comments", body: { body: "x" } })).toEqual(
      [`POST /repos/o/r/issues/abc/comments ${COMMENTS}: path parameter issue_number: "abc" must be an integer`],
    );
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
      checkGitHubRequest({
        method: "POST",
        path: "/repos/o/r/hooks",
        body: { config: { url: "https://x" }, colour: 1 },
      }),
    ).toEqual([
      "POST /repos/o/r/hooks [/repos/{owner}/{repo}/hooks]: body: must NOT have additional property 'colour'",
    ]);
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
    expect(
      checkGitHubRequest({ method: "POST", path, body: { repositories: ["r"], permissions: { issues: "write" } } }),
    ).toEqual([]);
    expect(checkGitHubRequest({ method: "POST", path: "/app/installations/me/access_tokens" })).toHaveLength(1);
  });

  it("checks GraphQL requests", () => {
    expect(
      checkGitHubRequest({ method: "POST", path: "/graphql", body: { query: "{ viewer { login } }", variables: {} } }),
    ).toEqual([]);
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
    expect(routeOf("GET", "/repos/o/r/contents/docs/a/b.md?ref=main")).toBe(
      "GET /repos/{owner}/{repo}/contents/{path}",
    );
    expect(routeOf("GET", "/repos/o/r/git/ref/heads%2Ffeature%2Fx")).toBe("GET /repos/{owner}/{repo}/git/ref/{ref}");
    expect(routeOf("GET", "/repos/o/r/git/ref/heads/feature/x")).toBe("GET /repos/{owner}/{repo}/git/ref/{ref}");
  });
});
