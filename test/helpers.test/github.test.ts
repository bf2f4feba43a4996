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

const COMMENTS = "[/repos/{owner}/{repo}/issues/{issue_number}/comments]";

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
    expect(() => finishGitHubApiTest()).toThrow(
      /^2 problem\(s\) with requests to GitHub:\n- no interceptor matched GET/,
    );
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
