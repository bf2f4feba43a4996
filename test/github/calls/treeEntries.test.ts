import { describe, expect, it } from "vitest";
import { treeEntries } from "../../../src/github/calls/treeEntries.js";
import { githubApi, useGitHubApi } from "../../helpers/github.js";
import { octokit, repo, where } from "../support.js";

useGitHubApi();

const item = (path: string, mode: string, sha: string) => ({
  path,
  mode,
  type: mode === "040000" ? "tree" : mode === "160000" ? "commit" : "blob",
  sha,
  url: `https://api.github.com/x/${sha}`,
});

describe("treeEntries", () => {
  it("reads the modes of the paths asked for from the whole tree, in one request", async () => {
    const api = githubApi()
      .get(`${repo}/git/trees/head`)
      .query({ recursive: "1" })
      .reply(200, {
        sha: "root",
        url: "u",
        truncated: false,
        tree: [
          item("src", "040000", "t1"),
          item("src/a.ts", "100644", "b1"),
          item("src/link", "120000", "b2"),
          item("other.ts", "100755", "b3"),
        ],
      });
    const found = await treeEntries(octokit(), where, "head", ["src/a.ts", "src/link", "gone.ts"]);
    api.done();
    expect([...found]).toEqual([
      ["src/a.ts", { mode: "100644", type: "blob", sha: "b1" }],
      ["src/link", { mode: "120000", type: "blob", sha: "b2" }],
    ]);
  });

  it("where GitHub cuts the whole tree short, reads the folders on the way to each path not found, each folder once", async () => {
    const api = githubApi()
      .get(`${repo}/git/trees/head`)
      .query({ recursive: "1" })
      .reply(200, {
        sha: "root",
        url: "u",
        truncated: true,
        tree: [item("a", "040000", "ta"), item("a/first.ts", "100644", "b0")],
      })
      .get(`${repo}/git/trees/root`)
      .reply(200, {
        sha: "root",
        url: "u",
        truncated: false,
        tree: [item("a", "040000", "ta"), item("z", "040000", "tz"), item("top", "160000", "c1")],
      })
      .get(`${repo}/git/trees/tz`)
      .reply(200, {
        sha: "tz",
        url: "u",
        truncated: false,
        tree: [item("deep", "040000", "td"), item("x.ts", "100644", "b1")],
      })
      .get(`${repo}/git/trees/td`)
      .reply(200, { sha: "td", url: "u", truncated: false, tree: [item("y.sh", "100755", "b2")] });
    const found = await treeEntries(octokit(), where, "head", [
      "a/first.ts",
      "z/x.ts",
      "z/deep/y.sh",
      "top",
      "z/missing.ts",
      "top/inside",
    ]);
    api.done();
    expect(Object.fromEntries([...found].map(([path, entry]) => [path, entry.mode]))).toEqual({
      "a/first.ts": "100644",
      "z/x.ts": "100644",
      "z/deep/y.sh": "100755",
      top: "160000",
    });
  });

  it("asks nothing for no paths", async () => {
    expect((await treeEntries(octokit(), where, "head", [])).size).toBe(0);
  });
});
