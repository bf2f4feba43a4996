/**
 * `.ci/release`, the last step of .github/workflows/release.yml, in a scratch
 * clone of a small repository with a bare origin, and a stand-in for `gh` that
 * records what it was asked.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const RELEASE = new URL("../../.ci/release", import.meta.url);

let dir: string;
let work: string;
let origin: string;
const env = () => ({
  PATH: `${join(dir, "bin")}:${process.env.PATH}`,
  HOME: dir,
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_AUTHOR_NAME: "Maintainer",
  GIT_AUTHOR_EMAIL: "maintainer@example.com",
  GIT_COMMITTER_NAME: "Maintainer",
  GIT_COMMITTER_EMAIL: "maintainer@example.com",
  GH_CALLS: join(dir, "gh-calls"),
});

function git(...args: string[]): string {
  const result = spawnSync("git", args, { cwd: work, env: env(), encoding: "utf8" });
  if (result.status !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
  return result.stdout.trim();
}

let commits = 0;
/** A new commit on main with package.json at `version`, pushed to origin. */
function commit(version: string): string {
  writeFileSync(join(work, "package.json"), `${JSON.stringify({ name: "p", version })}\n`);
  writeFileSync(join(work, "CHANGES"), `${++commits}\n`);
  git("add", "-A");
  git("commit", "-qm", `version ${version}`);
  git("push", "-q", "origin", "HEAD:refs/heads/main");
  return git("rev-parse", "HEAD");
}

function release(version: string): { status: number | null; out: string } {
  const result = spawnSync("bash", [".ci/release", version], { cwd: work, env: env(), encoding: "utf8" });
  return { status: result.status, out: result.stdout + result.stderr };
}

/** Where a tag points on origin (its commit), or undefined. */
function originTag(name: string): string | undefined {
  const result = spawnSync("git", ["rev-parse", "-q", "--verify", `refs/tags/${name}^{commit}`], {
    cwd: origin,
    encoding: "utf8",
  });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

const ghCalls = () => readFileSync(join(dir, "gh-calls"), "utf8").trim().split("\n");

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pc-release-"));
  origin = join(dir, "origin.git");
  work = join(dir, "work");
  spawnSync("git", ["init", "-q", "--bare", "-b", "main", origin]);
  spawnSync("git", ["init", "-q", "-b", "main", work]);
  mkdirSync(join(work, ".ci"));
  copyFileSync(RELEASE, join(work, ".ci/release"));
  git("remote", "add", "origin", origin);
  // gh: `release view` finds the releases listed in gh-releases; every call is recorded.
  mkdirSync(join(dir, "bin"));
  writeFileSync(join(dir, "gh-releases"), "");
  writeFileSync(
    join(dir, "bin/gh"),
    `#!/usr/bin/env bash\necho "$*" >> "$GH_CALLS"\nif [ "$1 $2" = "release view" ]; then grep -qx "$3" "${join(dir, "gh-releases")}"; fi\n`,
  );
  chmodSync(join(dir, "bin/gh"), 0o755);
  writeFileSync(join(dir, "gh-calls"), "");
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe(".ci/release", () => {
  it("releases a pushed tag and moves the major tag to it, then to the next release", () => {
    const first = commit("1.2.3");
    git("tag", "-a", "v1.2.3", "-m", "v1.2.3");
    git("push", "-q", "origin", "v1.2.3");
    const one = release("v1.2.3");
    expect(one.status, one.out).toBe(0);
    expect(one.out).toContain(`Released v1.2.3; v1 now points at ${first}.`);
    expect(ghCalls()).toEqual([
      "release view v1.2.3",
      "release create v1.2.3 --verify-tag --generate-notes --title v1.2.3",
    ]);
    expect(originTag("v1")).toBe(first);

    const second = commit("1.3.0");
    git("tag", "v1.3.0");
    git("push", "-q", "origin", "v1.3.0");
    expect(release("v1.3.0").status).toBe(0);
    expect(originTag("v1")).toBe(second);
    expect(originTag("v1.2.3")).toBe(first);
  });

  it("tags the checked-out commit when the version is not tagged yet (a run by hand)", () => {
    const head = commit("2.0.0");
    const result = release("v2.0.0");
    expect(result.status, result.out).toBe(0);
    expect(originTag("v2.0.0")).toBe(head);
    expect(originTag("v2")).toBe(head);
  });

  it("runs again after a failure without a second release", () => {
    const head = commit("1.0.1");
    writeFileSync(join(dir, "gh-releases"), "v1.0.1\n");
    const result = release("v1.0.1");
    expect(result.status, result.out).toBe(0);
    expect(result.out).toContain("The release v1.0.1 exists already.");
    expect(ghCalls()).toEqual(["release view v1.0.1"]);
    expect(originTag("v1")).toBe(head);
  });

  it("refuses a version that is no vX.Y.Z, one package.json does not carry, and a tag on another commit, and changes nothing", () => {
    const first = commit("1.4.0");
    for (const bad of ["1.4.0", "v1.4", "v1.4.0-rc.1", ""]) {
      const result = release(bad);
      expect(result.status).toBe(2);
      expect(result.out).toContain(`expected a version such as v1.2.3, got "${bad}"`);
    }
    const mismatch = release("v1.5.0");
    expect(mismatch.status).toBe(1);
    expect(mismatch.out).toContain("package.json says version 1.4.0, not 1.5.0: run `npm version 1.5.0`");

    git("tag", "v1.4.0");
    git("push", "-q", "origin", "v1.4.0");
    commit("1.4.0");
    const elsewhere = release("v1.4.0");
    expect(elsewhere.status).toBe(1);
    expect(elsewhere.out).toContain(`tag v1.4.0 is on ${first}, but the checks ran on`);
    expect(originTag("v1")).toBeUndefined();
    expect(readFileSync(join(dir, "gh-calls"), "utf8")).toBe("");
  });
});
