import { describe, expect, expectTypeOf, it } from "vitest";
import {
  createGitHubClient,
  LONGEST_RATE_LIMIT_WAIT_S,
  requestFailure,
  type GitHubClient,
} from "../../../src/github/calls/githubClient.js";
import type { Octokit } from "../../../src/github/calls/githubTypes.js";
import { githubApi, useGitHubApi } from "../../helpers/github.js";

useGitHubApi();

const repo = "/repos/octo/app";
const pull = { number: 9, html_url: "https://github.com/octo/app/pull/9" };

/** A client whose waits last a millisecond a second: the retries happen as in a job, only sooner. */
function client(): { github: GitHubClient; warnings: string[] } {
  const warnings: string[] = [];
  const ignore = () => {};
  const github = createGitHubClient({
    token: "ghs_token",
    baseUrl: "https://api.github.com",
    userAgent: "parallel-coordinator-test",
    log: { debug: ignore, info: ignore, warn: (message) => void warnings.push(message), error: ignore },
    msPerSecond: 1,
  });
  return { github, warnings };
}

async function failure(request: Promise<unknown>): Promise<unknown> {
  try {
    await request;
  } catch (error) {
    return error;
  }
  throw new Error("the request succeeded");
}

describe("the GitHub client of the runner and the Actions entry", () => {
  it("has the app's calls (REST methods, pagination), so that the engine's GitHub code can run on it", () => {
    expectTypeOf<GitHubClient>().toExtend<Pick<Octokit, "rest" | "paginate" | "request">>();
  });

  it("retries an answer of 5xx, and no answer at all, until GitHub answers", async () => {
    const { github } = client();
    const api = githubApi()
      .get(`${repo}/pulls`)
      .reply(502, { message: "Server Error" })
      .get(`${repo}/pulls`)
      .replyWithError("socket hang up")
      .get(`${repo}/pulls`)
      .reply(503, { message: "Unavailable" })
      .get(`${repo}/pulls`)
      .reply(200, [pull]);
    const { data } = await github.rest.pulls.list({ owner: "octo", repo: "app" });
    api.done();
    expect(data).toEqual([pull]);
  });

  it("gives up after three retries, with GitHub's answer", async () => {
    const { github } = client();
    const api = githubApi().get(`${repo}/pulls`).times(4).reply(500, { message: "oops" });
    const error = await failure(github.rest.pulls.list({ owner: "octo", repo: "app" }));
    api.done();
    expect(requestFailure(error)).toBe("GitHub answered 500 to GET /repos/octo/app/pulls: oops");
  });

  it("never retries an answer about the request itself (4xx)", async () => {
    const { github } = client();
    // One interceptor each: a retry would meet none, and the test would fail on it.
    const api = githubApi()
      .post(`${repo}/pulls`)
      .reply(422, { message: "Validation Failed", errors: [{ message: "A pull request already exists for octo:b." }] })
      .patch(`${repo}/pulls/9`)
      .reply(404, { message: "Not Found" })
      .post(`${repo}/issues/7/comments`)
      .reply(403, { message: "Resource not accessible by integration" });
    const created = await failure(
      github.rest.pulls.create({ owner: "octo", repo: "app", title: "t", head: "b", base: "main" }),
    );
    const updated = await failure(github.rest.pulls.update({ owner: "octo", repo: "app", pull_number: 9, body: "x" }));
    const commented = await failure(
      github.rest.issues.createComment({ owner: "octo", repo: "app", issue_number: 7, body: "x" }),
    );
    api.done();
    expect(requestFailure(created)).toBe(
      "GitHub answered 422 to POST /repos/octo/app/pulls: Validation Failed (A pull request already exists for octo:b.)",
    );
    expect(requestFailure(updated)).toBe("GitHub answered 404 to PATCH /repos/octo/app/pulls/9: Not Found");
    expect(requestFailure(commented)).toBe(
      "GitHub answered 403 to POST /repos/octo/app/issues/7/comments: Resource not accessible by integration",
    );
  });

  it("waits out a secondary rate limit for as long as retry-after says, then retries", async () => {
    const { github, warnings } = client();
    const api = githubApi()
      .patch(`${repo}/pulls/9`)
      .reply(
        403,
        { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." },
        { "retry-after": "42" },
      )
      .patch(`${repo}/pulls/9`)
      .reply(200, pull);
    const { data } = await github.rest.pulls.update({ owner: "octo", repo: "app", pull_number: 9, body: "report" });
    api.done();
    expect(data).toEqual(pull);
    expect(warnings).toEqual([
      "GitHub's secondary rate limit on PATCH /repos/{owner}/{repo}/pulls/{pull_number}: retrying in 42 s.",
    ]);
  });

  it("waits for the primary rate limit's reset when it is near, and not when it is not", async () => {
    const { github, warnings } = client();
    const limited = (resetInSeconds: number) => ({
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": String(Math.ceil(Date.now() / 1000) + resetInSeconds),
    });
    const api = githubApi()
      .get(`${repo}/pulls`)
      .reply(403, { message: "API rate limit exceeded for installation ID 1." }, limited(5))
      .get(`${repo}/pulls`)
      .reply(200, [])
      .get(`${repo}/pulls`)
      .reply(
        403,
        { message: "API rate limit exceeded for installation ID 1." },
        limited(LONGEST_RATE_LIMIT_WAIT_S + 600),
      );
    expect((await github.rest.pulls.list({ owner: "octo", repo: "app" })).data).toEqual([]);
    const error = await failure(github.rest.pulls.list({ owner: "octo", repo: "app" }));
    api.done();
    expect(requestFailure(error)).toBe(
      "GitHub answered 403 to GET /repos/octo/app/pulls: API rate limit exceeded for installation ID 1.",
    );
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      /^GitHub's rate limit on GET \/repos\/\{owner\}\/\{repo\}\/pulls: retrying in \d+ s\.$/,
    );
    expect(warnings[1]).toMatch(
      /^GitHub's rate limit on GET \/repos\/\{owner\}\/\{repo\}\/pulls: not retrying \(retry 1, \d+ s to wait\)\.$/,
    );
  });

  it("says when GitHub could not be reached at all", async () => {
    const { github } = client();
    const api = githubApi().get(`${repo}/pulls`).times(4).replyWithError("getaddrinfo ENOTFOUND api.github.com");
    const error = await failure(github.rest.pulls.list({ owner: "octo", repo: "app" }));
    api.done();
    expect(requestFailure(error)).toBe(
      "GitHub could not be reached for GET /repos/octo/app/pulls: getaddrinfo ENOTFOUND api.github.com",
    );
  });
});
