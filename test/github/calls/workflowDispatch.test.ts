import { describe, expect, it } from "vitest";
import { dispatchRun } from "../../../src/github/calls/workflowDispatch.js";
import { githubApi, useGitHubApi } from "../../helpers/github.js";
import { octokit, repo, where } from "../support.js";

useGitHubApi();

const branch = "parallel-coordinator/12-backend";
const integration = "parallel-coordinator/12";
const compare = (from: string, to: string) =>
  `${repo}/compare/${from.replaceAll("/", "%2F")}...${to.replaceAll("/", "%2F")}`;
const changed = (files: Array<[string, string]>) => ({
  status: "diverged",
  files: files.map(([filename, sha]) => ({ filename, sha, status: "modified" })),
});

function effect(first: { create: string } | { sync: string } | { reset: string; close?: number }) {
  return {
    kind: "dispatch" as const,
    batch: "api",
    attempt: 2,
    key: "pc-12-api-2",
    ref: branch,
    ...first,
    inputs: { base: integration },
  };
}

describe("dispatchRun: a domain branch that cannot be brought up to date", () => {
  it("is a sync conflict naming the files both branches changed differently, and nothing is dispatched", async () => {
    const api = githubApi()
      .post(`${repo}/merges`, {
        base: branch,
        head: integration,
        commit_message: `Bring ${branch} up to date with ${integration}`,
      })
      .reply(409, { message: "Merge conflict" })
      .get(compare(branch, integration))
      .reply(
        200,
        changed([
          ["backend/api/routes.py", "theirs"],
          ["backend/models.py", "same"],
          ["frontend/bell.tsx", "f"],
        ]),
      )
      .get(compare(integration, branch))
      .reply(
        200,
        changed([
          ["backend/api/routes.py", "ours"],
          ["backend/models.py", "same"],
        ]),
      );
    const event = await dispatchRun(octokit(), where, "agent.yml", effect({ sync: integration }), "t", undefined);
    api.done();
    expect(event).toEqual({ kind: "syncConflict", at: "t", batch: "api", branch, files: ["backend/api/routes.py"] });
  });

  it("a comparison GitHub refuses leaves the files out", async () => {
    const api = githubApi()
      .post(`${repo}/merges`)
      .reply(409, { message: "Merge conflict" })
      .get(compare(branch, integration))
      .reply(404, { message: "Not Found" });
    const event = await dispatchRun(octokit(), where, "agent.yml", effect({ sync: integration }), "t", undefined);
    api.done();
    expect(event).toEqual({ kind: "syncConflict", at: "t", batch: "api", branch });
  });
});

describe("dispatchRun: a branch that starts clean", () => {
  const dispatched = () =>
    githubApi()
      .post(`${repo}/actions/workflows/agent.yml/dispatches`)
      .reply(200, { workflow_run_id: 80, run_url: "https://api.github.com/x", html_url: "https://github.com/x" });
  const ref = `${repo}/git/refs/heads%2F${branch.replaceAll("/", "%2F")}`;

  it("a branch left from before (an earlier coordination of the issue) is moved to the commit it would have been made at", async () => {
    const api = githubApi()
      .post(`${repo}/git/refs`)
      .reply(422, { message: "Reference already exists" })
      .patch(ref, { sha: "base-sha", force: true })
      .reply(200, {
        ref: `refs/heads/${branch}`,
        node_id: "R",
        url: "https://api.github.com/x",
        object: { sha: "base-sha", type: "commit", url: "https://api.github.com/y" },
      });
    const sent = dispatched();
    const event = await dispatchRun(octokit(), where, "agent.yml", effect({ create: "base-sha" }), "t", undefined);
    api.done();
    sent.done();
    expect(event).toEqual({ kind: "dispatched", at: "t", batch: "api", attempt: 2, runId: 80 });
  });

  it("a redo: the branch goes back to the integration head, the pull request of the rejected work closes, then the run", async () => {
    const api = githubApi()
      .patch(ref, { sha: "head-sha", force: true })
      .reply(200, {
        ref: `refs/heads/${branch}`,
        node_id: "R",
        url: "https://api.github.com/x",
        object: { sha: "head-sha", type: "commit", url: "https://api.github.com/y" },
      })
      .patch(`${repo}/pulls/501`, { state: "closed" })
      .reply(200, { number: 501, state: "closed" });
    const sent = dispatched();
    const event = await dispatchRun(
      octokit(),
      where,
      "agent.yml",
      effect({ reset: "head-sha", close: 501 }),
      "t",
      undefined,
    );
    api.done();
    sent.done();
    expect(event).toEqual({ kind: "dispatched", at: "t", batch: "api", attempt: 2, runId: 80 });
  });

  it("a branch someone deleted is made again at the commit", async () => {
    const api = githubApi()
      .patch(ref)
      .reply(422, { message: "Reference does not exist" })
      .post(`${repo}/git/refs`, { ref: `refs/heads/${branch}`, sha: "head-sha" })
      .reply(201, {
        ref: `refs/heads/${branch}`,
        node_id: "R",
        url: "https://api.github.com/x",
        object: { sha: "head-sha", type: "commit", url: "https://api.github.com/y" },
      });
    const sent = dispatched();
    await dispatchRun(octokit(), where, "agent.yml", effect({ reset: "head-sha" }), "t", undefined);
    api.done();
    sent.done();
  });
});

describe("dispatchRun: a step that may have run before (looks for its run since the coordination's start)", () => {
  const since = "2026-01-05T09:00:00Z";
  const runs = `${repo}/actions/workflows/agent.yml/runs`;
  const run = (id: number, key: string) => ({
    id,
    name: "agent",
    display_title: `Batch api · ${key}`,
    event: "workflow_dispatch",
    head_branch: branch,
  });

  it("adopts the run already dispatched with the key: no sync, no second dispatch", async () => {
    const api = githubApi()
      .get(runs)
      // Since the coordination's start: an earlier coordination of the same issue used the same keys.
      .query({ branch, event: "workflow_dispatch", created: `>=${since}`, per_page: 30 })
      .reply(200, { total_count: 2, workflow_runs: [run(77, "pc-12-api-20"), run(76, "pc-12-api-2")] });
    const event = await dispatchRun(octokit(), where, "agent.yml", effect({ sync: integration }), "t", since);
    api.done();
    expect(event).toEqual({ kind: "dispatched", at: "t", batch: "api", attempt: 2, runId: 76 });
  });

  it("dispatches when no run carries the key (a key that only starts the same is another run)", async () => {
    const api = githubApi()
      .get(runs)
      .query(true)
      .reply(200, { total_count: 1, workflow_runs: [run(77, "pc-12-api-20")] })
      .post(`${repo}/merges`)
      .reply(204)
      .post(`${repo}/actions/workflows/agent.yml/dispatches`)
      .reply(200, { workflow_run_id: 78, run_url: "https://api.github.com/x", html_url: "https://github.com/x" });
    const event = await dispatchRun(octokit(), where, "agent.yml", effect({ sync: integration }), "t", since);
    api.done();
    expect(event).toEqual({ kind: "dispatched", at: "t", batch: "api", attempt: 2, runId: 78 });
  });

  it("a branch made in this very step has no run to look for", async () => {
    const api = githubApi()
      .post(`${repo}/git/refs`)
      .reply(201, {
        ref: `refs/heads/${branch}`,
        node_id: "R",
        url: "https://api.github.com/x",
        object: { sha: "base-sha", type: "commit", url: "https://api.github.com/y" },
      })
      .post(`${repo}/actions/workflows/agent.yml/dispatches`)
      .reply(200, { workflow_run_id: 79, run_url: "https://api.github.com/x", html_url: "https://github.com/x" });
    const event = await dispatchRun(octokit(), where, "agent.yml", effect({ create: "base-sha" }), "t", since);
    api.done();
    expect(event).toEqual({ kind: "dispatched", at: "t", batch: "api", attempt: 2, runId: 79 });
  });
});
