import { generateKeyPairSync } from "node:crypto";
import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { syncBranch } from "../../../src/github/calls/branches.js";
import { changedOnBothSides, conflictingFiles } from "../../../src/github/calls/conflictingFiles.js";
import type { Octokit } from "../../../src/github/calls/githubTypes.js";
import { ACTIONS_LOGIN, APP_LOGIN, iso } from "../../../src/fakeGitHub/conventions.js";
import { FakeGitHub } from "../../../src/fakeGitHub/fakeGitHub.js";
import { loadRequestChecker } from "../../../src/fakeGitHub/requestChecker.js";
import { githubApi, useGitHubApi } from "../../helpers/github.js";
import { octokit, repo, where } from "../support.js";

useGitHubApi();

const file = (filename: string, sha: string | null = `blob-${filename}`) => ({ filename, sha });

describe("changedOnBothSides", () => {
  it("names the files both sides changed, sorted, and none that only one side changed", () => {
    expect(
      changedOnBothSides(
        [file("b.ts", "1"), file("a.ts", "2"), file("only-ours.ts")],
        [file("a.ts", "3"), file("only-theirs.ts"), file("b.ts", "4")],
      ),
    ).toEqual(["a.ts", "b.ts"]);
    expect(changedOnBothSides([file("a.ts")], [])).toEqual([]);
  });

  it("leaves out a file changed to the same blob on both sides (it merges cleanly), unless the blob is unknown", () => {
    expect(
      changedOnBothSides(
        [file("same.ts", "x"), file("differs.ts", "y")],
        [file("same.ts", "x"), file("differs.ts", "z")],
      ),
    ).toEqual(["differs.ts"]);
    expect(changedOnBothSides([file("a.ts", null)], [file("a.ts", null)])).toEqual(["a.ts"]);
  });
});

describe("conflictingFiles", () => {
  const basehead = (from: string, to: string) => `${repo}/compare/${from}...${to}`;

  it("a comparison GitHub refuses (4xx) lists nothing: undefined", async () => {
    const api = githubApi()
      .get(basehead("main", "work"))
      .reply(200, { files: [{ filename: "a.ts", sha: "1" }] })
      .get(basehead("work", "main"))
      .reply(422, { message: "Validation Failed" });
    expect((await conflictingFiles(octokit(), where, "main", "work")).files).toBeUndefined();
    api.done();
  });

  it("a comparison too large to list in full (GitHub's 300 files) that shows none on both sides: undefined, not a guess", async () => {
    const many = (side: string) =>
      Array.from({ length: 300 }, (_, n) => ({ filename: `${side}/${n}.ts`, sha: String(n) }));
    const api = githubApi()
      .get(basehead("main", "work"))
      .reply(200, { files: many("ours") })
      .get(basehead("work", "main"))
      .reply(200, { files: many("theirs") })
      .get(basehead("main", "work"))
      .reply(200, { files: [...many("ours").slice(1), { filename: "shared.ts", sha: "a" }] })
      .get(basehead("work", "main"))
      .reply(200, { files: [{ filename: "shared.ts", sha: "b" }] });
    expect((await conflictingFiles(octokit(), where, "main", "work")).files).toBeUndefined();
    // What is listed and changed on both sides is true, even when more may be.
    expect((await conflictingFiles(octokit(), where, "main", "work")).files).toEqual(["shared.ts"]);
    api.done();
  });

  it("a 5xx or a rate limit fails the step, to be tried again", async () => {
    const api = githubApi()
      .get(basehead("main", "work"))
      .reply(502, { message: "Server Error" })
      .get(basehead("main", "work"))
      .reply(403, { message: "API rate limit exceeded" }, { "x-ratelimit-remaining": "0" });
    await expect(conflictingFiles(octokit(), where, "main", "work")).rejects.toMatchObject({ status: 502 });
    await expect(conflictingFiles(octokit(), where, "main", "work")).rejects.toMatchObject({ status: 403 });
    api.done();
  });

  it("on the simulated GitHub, names the file its three-way merge conflicts in, and not what only one side changed", async () => {
    const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const github = new FakeGitHub({
      appId: 1,
      publicKey,
      installationId: 2,
      clock: () => iso(Date.UTC(2026, 0, 5, 9)),
    });
    github.checkRequests = await loadRequestChecker();
    const shop = github.createRepo({
      owner: "acme",
      name: "shop",
      files: { "README.md": "# shop\n", "src/api.ts": "v1\n" },
    });
    const domain = "parallel-coordinator/1-backend";
    const integration = "parallel-coordinator/1";
    github.createRef(shop, `refs/heads/${integration}`, shop.branch("main")!, APP_LOGIN);
    github.createRef(shop, `refs/heads/${domain}`, shop.branch("main")!, APP_LOGIN);
    github.commit(shop, domain, { "src/api.ts": "backend's\n", "src/backend.ts": "b\n" }, "backend", ACTIONS_LOGIN);
    github.commit(
      shop,
      integration,
      { "src/api.ts": "frontend's\n", "README.md": "# shop, with a bell\n" },
      "frontend",
      ACTIONS_LOGIN,
    );
    const sim = new ProbotOctokit({
      auth: { token: github.createToken() },
      request: { fetch: github.fetch },
      retry: { enabled: false },
      throttle: { enabled: false },
    }) as Octokit;
    const at = { owner: "acme", repo: "shop", issue: 1 };

    expect(await syncBranch(sim, at, domain, integration)).toBe("conflict");
    const { files, heads } = await conflictingFiles(sim, at, domain, integration);
    expect(files).toEqual(["src/api.ts"]);
    // Each branch's head, as the comparisons saw it: the hand-back starts on the integration branch as it is.
    expect(heads).toEqual({ [domain]: shop.branch(domain), [integration]: shop.branch(integration) });
    const merge = shop.git.merge(shop.branch(domain)!, shop.branch(integration)!);
    expect(merge).toEqual({ ok: false, conflicts: files });
    expect(github.problems).toEqual([]);
  });
});
