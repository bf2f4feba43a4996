import { describe, expect, it } from "vitest";
import { dispatchRun } from "../../src/github/dispatch.js";
import { githubApi, useGitHubApi } from "../helpers/github.js";
import { octokit, repo, where } from "./support.js";

useGitHubApi();

const branch = "parallel-coordinator/12-backend";
const integration = "parallel-coordinator/12";
const compare = (from: string, to: string) => `${repo}/compare/${from.replaceAll("/", "%2F")}...${to.replaceAll("/", "%2F")}`;
const changed = (files: Array<[string, string]>) => ({ status: "diverged", files: files.map(([filename, sha]) => ({ filename, sha, status: "modified" })) });

function effect(first: { create: string } | { sync: string }) {
  return { kind: "dispatch" as const, batch: "api", attempt: 2, key: "pc-12-api-2", ref: branch, ...first, inputs: { base: integration } };
}

describe("dispatchRun: a domain branch that cannot be brought up to date", () => {
  it("is a sync conflict naming the files both branches changed differently, and nothing is dispatched", async () => {
    const api = githubApi()
      .post(`${repo}/merges`, { base: branch, head: integration, commit_message: `Bring ${branch} up to date with ${integration}` })
      .reply(409, { message: "Merge conflict" })
      .get(compare(branch, integration))
      .reply(200, changed([["backend/api/routes.py", "theirs"], ["backend/models.py", "same"], ["frontend/bell.tsx", "f"]]))
      .get(compare(integration, branch))
      .reply(200, changed([["backend/api/routes.py", "ours"], ["backend/models.py", "same"]]));
    const event = await dispatchRun(octokit(), where, "agent.yml", effect({ sync: integration }), "t");
    api.done();
    expect(event).toEqual({ kind: "syncConflict", at: "t", batch: "api", branch, files: ["backend/api/routes.py"] });
  });

  it("a branch left from before is brought up to date too; a comparison GitHub refuses leaves the files out", async () => {
    const api = githubApi()
      .post(`${repo}/git/refs`)
      .reply(422, { message: "Reference already exists" })
      .post(`${repo}/merges`)
      .reply(409, { message: "Merge conflict" })
      .get(compare(branch, integration))
      .reply(404, { message: "Not Found" });
    const event = await dispatchRun(octokit(), where, "agent.yml", effect({ create: "base-sha" }), "t");
    api.done();
    expect(event).toEqual({ kind: "syncConflict", at: "t", batch: "api", branch });
  });
});
