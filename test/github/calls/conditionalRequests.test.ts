import { generateKeyPairSync } from "node:crypto";
import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { ConditionalCache, readConditionally } from "../../../src/github/calls/conditionalRequests.js";
import { listComments } from "../../../src/github/calls/issueComments.js";
import type { Octokit } from "../../../src/github/calls/githubTypes.js";
import { FakeGitHub } from "../../../src/fakeGitHub/fakeGitHub.js";
import { T0 } from "../../state/support.js";

const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });

/** The fake GitHub with one issue, and an Octokit of the app whose repeated reads go through `cache`. */
function setup(cache = new ConditionalCache()) {
  const github = new FakeGitHub({ appId: 1, publicKey, installationId: 2, clock: () => T0 });
  const repo = github.createRepo({ owner: "acme", name: "shop", files: { "README.md": "# shop\n" } });
  const issue = github.createIssue(repo, { title: "Feature", body: "body", user: "maintainer" });
  const octokit = () => {
    const made = new ProbotOctokit({
      auth: { token: github.createToken() },
      request: { fetch: github.fetch },
      retry: { enabled: false },
      throttle: { enabled: false },
    }) as Octokit;
    readConditionally(made, cache);
    return made;
  };
  const where = { owner: "acme", repo: "shop", issue: issue.number };
  const statuses = () => github.calls.map((call) => `${call.status} ${call.method} ${call.path}`);
  return { github, repo, issue, octokit, where, statuses };
}

describe("conditional requests", () => {
  it("reads an issue's comments, every page, again for free while they have not changed, and in full once they have", async () => {
    const { github, repo, issue, octokit, where, statuses } = setup();
    for (let index = 1; index <= 150; index++) github.addComment(repo, issue.number, "maintainer", `comment ${index}`);
    const first = await listComments(octokit(), where);
    expect(first).toHaveLength(150);
    // Another step's Octokit (each delivery has its own): the answers kept are the process's.
    const again = await listComments(octokit(), where);
    expect(again).toEqual(first);
    expect(statuses().slice(-2)).toEqual([
      "304 GET /repos/acme/shop/issues/1/comments",
      "304 GET /repos/acme/shop/issues/1/comments",
    ]);
    expect(github.rateLimited()).toBe(2);

    github.editComment(repo, [...repo.comments.values()][149]!, "edited", "maintainer");
    const edited = await listComments(octokit(), where);
    expect(edited.at(-1)!.body).toBe("edited");
    // The first page had not changed; the second had.
    expect(statuses().slice(-2)).toEqual([
      "304 GET /repos/acme/shop/issues/1/comments",
      "200 GET /repos/acme/shop/issues/1/comments",
    ]);
  });

  it("hands each reader its own copy of an answer kept", async () => {
    const { github, repo, issue, octokit } = setup();
    github.addComment(repo, issue.number, "maintainer", "hello");
    const read = () => octokit().rest.issues.listComments({ owner: "acme", repo: "shop", issue_number: issue.number });
    (await read()).data[0]!.body = "changed by a reader";
    const again = await read();
    expect(github.calls.at(-1)!.status).toBe(304);
    expect(again.status).toBe(200);
    expect(again.data[0]!.body).toBe("hello");
    again.data[0]!.body = "changed again";
    expect((await read()).data[0]!.body).toBe("hello");
  });

  it("sends writes, and reads of what never changes (a tree, a pull request's files), as they are", async () => {
    const { github, repo, issue, octokit, statuses } = setup();
    const client = octokit();
    const sha = repo.branch("main")!;
    for (let round = 0; round < 2; round++) {
      await client.rest.git.getTree({ owner: "acme", repo: "shop", tree_sha: sha });
      await client.rest.issues.createComment({ owner: "acme", repo: "shop", issue_number: issue.number, body: "x" });
    }
    expect(statuses().every((status) => !status.startsWith("304"))).toBe(true);
    expect(github.rateLimited()).toBe(github.calls.length);
  });

  it("keeps the answers most recently used within its bound, and none larger than it", () => {
    const cache = new ConditionalCache(60);
    cache.set("a", '"1"', "a".repeat(10));
    cache.set("b", '"2"', "b".repeat(10));
    cache.get("a");
    cache.set("c", '"3"', "c".repeat(10));
    // Each answer takes (10 + 2 quotes) × 2 bytes: three do not fit in 60; "b" was used least recently.
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")?.etag).toBe('"1"');
    expect(cache.get("c")?.etag).toBe('"3"');
    cache.set("huge", '"4"', "h".repeat(100));
    expect(cache.get("huge")).toBeUndefined();
    expect(cache.get("a")).toBeDefined();
  });
});
