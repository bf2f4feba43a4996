import { afterEach, describe, expect, it } from "vitest";
import { Octokit } from "@octokit/rest";
import { ACTIONS_LOGIN } from "../../src/fakeGitHub/conventions.js";
import { serveOverHttp, type ServedGitHub } from "../../src/fakeGitHub/httpServer.js";
import { inputs, refusal, world } from "./support.js";

const served: ServedGitHub[] = [];
afterEach(async () => {
  for (const api of served.splice(0)) await api.close();
});

describe("a workflow run's GITHUB_TOKEN", () => {
  // "Controlling permissions for GITHUB_TOKEN": a permission the workflow leaves out is none; GitHub refuses with 403.
  it("writes only what its workflow's permissions give it, and reads all the same", async () => {
    const { github, repo, as } = world();
    github.createIssue(repo, { title: "t", body: "b", user: "maintainer" });
    const limited = as(github.actionsToken(["issues"]));
    expect(
      (await limited.rest.issues.createComment({ owner: "acme", repo: "shop", issue_number: 1, body: "hello" })).data
        .user?.login,
    ).toBe(ACTIONS_LOGIN);
    expect(
      await refusal(
        limited.rest.actions.createWorkflowDispatch({
          owner: "acme",
          repo: "shop",
          workflow_id: "agent.yml",
          ref: "main",
          inputs,
        }),
      ),
    ).toEqual({ status: 403, message: "Resource not accessible by integration" });
    expect(
      await refusal(
        limited.rest.git.createRef({ owner: "acme", repo: "shop", ref: "refs/heads/x", sha: repo.branch("main")! }),
      ),
    ).toEqual({ status: 403, message: "Resource not accessible by integration" });
    expect((await limited.rest.repos.get({ owner: "acme", repo: "shop" })).status).toBe(200);
    // A token the workflow gave everything it asked for writes anywhere it asked.
    expect(
      (
        await as(github.actionsToken()).rest.actions.createWorkflowDispatch({
          owner: "acme",
          repo: "shop",
          workflow_id: "agent.yml",
          ref: "main",
          inputs,
        })
      ).status,
    ).toBe(204);
  });
});

describe("the issues of a repository", () => {
  // "List repository issues": open by default, every label named must be on the issue, pull requests included.
  it("are listed open by default, filtered by labels, pull requests among them, newest first", async () => {
    const { github, repo, octokit } = world();
    github.createIssue(repo, { title: "a", body: "", user: "maintainer", labels: ["parallel-coordinator"] });
    github.createIssue(repo, { title: "b", body: "", user: "maintainer" });
    const closed = github.createIssue(repo, {
      title: "c",
      body: "",
      user: "maintainer",
      labels: ["parallel-coordinator", "x"],
    });
    closed.state = "closed";
    github.createIssue(repo, { title: "d", body: "", user: "maintainer", labels: ["parallel-coordinator", "x"] });
    const list = async (query: { labels?: string; state?: "open" | "closed" | "all" }) =>
      (await octokit.rest.issues.listForRepo({ owner: "acme", repo: "shop", ...query })).data.map(
        (issue) => issue.number,
      );
    expect(await list({})).toEqual([4, 2, 1]);
    expect(await list({ labels: "parallel-coordinator" })).toEqual([4, 1]);
    expect(await list({ labels: "parallel-coordinator,x", state: "all" })).toEqual([4, 3]);
  });
});

describe("a repository's labels", () => {
  // "Get a label", "Create a label": 404 for one the repository lacks, 422 for one it has.
  it("are read and made, a second one of a name refused; a label put on an issue is one of them", async () => {
    const { github, repo, octokit, as } = world();
    expect(
      (await refusal(octokit.rest.issues.getLabel({ owner: "acme", repo: "shop", name: "parallel-coordinator" })))
        .status,
    ).toBe(404);
    expect(
      (
        await octokit.rest.issues.createLabel({
          owner: "acme",
          repo: "shop",
          name: "parallel-coordinator",
          color: "5319e7",
          description: "A feature",
        })
      ).status,
    ).toBe(201);
    expect(
      (await octokit.rest.issues.getLabel({ owner: "acme", repo: "shop", name: "parallel-coordinator" })).data,
    ).toMatchObject({ name: "parallel-coordinator", color: "5319e7", description: "A feature" });
    expect(
      (await refusal(octokit.rest.issues.createLabel({ owner: "acme", repo: "shop", name: "parallel-coordinator" })))
        .status,
    ).toBe(422);
    github.createIssue(repo, { title: "t", body: "", user: "maintainer", labels: ["bug"] });
    expect((await octokit.rest.issues.getLabel({ owner: "acme", repo: "shop", name: "bug" })).status).toBe(200);
    // Making one is writing to issues.
    expect(
      (
        await refusal(
          as(github.actionsToken(["contents"])).rest.issues.createLabel({ owner: "acme", repo: "shop", name: "x" }),
        )
      ).status,
    ).toBe(403);
  });
});

describe("the REST API over HTTP", () => {
  it("answers a process of its own as api.github.com would, its next-page links pointing back at itself", async () => {
    const { github, repo } = world();
    for (let i = 0; i < 3; i++)
      github.createIssue(repo, { title: `i${i}`, body: "", user: "maintainer", labels: ["l"] });
    const api = await serveOverHttp(github);
    served.push(api);
    const quiet = () => undefined;
    const octokit = new Octokit({
      auth: github.actionsToken(),
      baseUrl: api.url,
      log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    });
    const first = await octokit.rest.issues.listForRepo({ owner: "acme", repo: "shop", per_page: 2 });
    expect(first.headers.link).toContain(`<${api.url}/repos/acme/shop/issues?`);
    const all = await octokit.paginate(octokit.rest.issues.listForRepo, { owner: "acme", repo: "shop", per_page: 2 });
    expect(all.map((issue) => issue.number)).toEqual([3, 2, 1]);
    expect(await refusal(octokit.rest.issues.get({ owner: "acme", repo: "shop", issue_number: 99 }))).toMatchObject({
      status: 404,
    });
    const created = await octokit.rest.issues.createComment({
      owner: "acme",
      repo: "shop",
      issue_number: 1,
      body: "over HTTP",
    });
    expect(created.status).toBe(201);
    expect(github.calls.map((call) => call.route)).toContain(
      "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
    );
  });
});
