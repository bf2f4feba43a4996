import { RequestError } from "@octokit/request-error";
import { describe, expect, it } from "vitest";
import { setupGapOf } from "../../src/coordinator/setupGap.js";

function refused(status: number, method: string, url: string, message: string): RequestError {
  return new RequestError(message, status, {
    request: { method: method as "POST", url, headers: {} },
    response: { status, url, headers: {}, data: { message } },
  });
}

describe("what a refused request says the coordinator's workflow or repository lacks", () => {
  it("names the permission of the route a token without it was refused", () => {
    const cases: Array<[string, string, string]> = [
      ["POST", "https://api.github.com/repos/a/b/actions/workflows/agent.yml/dispatches", "actions"],
      ["POST", "https://api.github.com/repos/a/b/check-runs", "checks"],
      ["PUT", "https://api.github.com/repos/a/b/pulls/3/merge", "pull-requests"],
      ["POST", "https://api.github.com/repos/a/b/issues/1/comments", "issues"],
      ["POST", "https://api.github.com/repos/a/b/git/refs", "contents"],
      ["POST", "https://ghe.example.com/api/v3/repos/a/b/merges", "contents"],
    ];
    for (const [method, url, permission] of cases) {
      expect(setupGapOf(refused(403, method, url, "Resource not accessible by integration"))).toEqual({
        what: "permission",
        permission,
        request: `${method} ${new URL(url).pathname.replace(/^\/api\/v3/, "")}`,
        message: "Resource not accessible by integration",
      });
    }
  });

  it("tells the repository setting that keeps Actions from opening pull requests, inside Probot's AggregateError too", () => {
    const error = refused(
      403,
      "POST",
      "https://api.github.com/repos/a/b/pulls",
      "GitHub Actions is not permitted to create or approve pull requests.",
    );
    expect(setupGapOf(new AggregateError([new Error("other"), error]))).toEqual({
      what: "pullRequests",
      request: "POST /repos/a/b/pulls",
      message: "GitHub Actions is not permitted to create or approve pull requests.",
    });
  });

  it("sees no gap in a rate limit, a server error or anything that is not GitHub's refusal", () => {
    expect(
      setupGapOf(
        refused(
          403,
          "POST",
          "https://api.github.com/repos/a/b/issues/1/comments",
          "You have exceeded a secondary rate limit",
        ),
      ),
    ).toBeUndefined();
    expect(
      setupGapOf(refused(502, "POST", "https://api.github.com/repos/a/b/issues/1/comments", "Bad gateway")),
    ).toBeUndefined();
    expect(
      setupGapOf(refused(403, "GET", "https://api.github.com/user", "Resource not accessible by integration")),
    ).toBeUndefined();
    expect(setupGapOf(new Error("boom"))).toBeUndefined();
  });
});
