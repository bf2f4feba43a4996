import { describe, expect, it } from "vitest";
import { briefFor } from "../../src/render/batchBrief.js";
import { reportFrom } from "../../src/report/reportBlock.js";
import { reportMarker } from "../../src/report/reportSchema.js";
import { briefChecks, briefHeader } from "../../src/runner/brief.js";
import { readInputs } from "../../src/runner/inputs.js";
import { buildReport, BODY_LIMIT, pullRequestTitle, reportBody } from "../../src/runner/report.js";
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
