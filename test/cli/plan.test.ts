import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/commandLine.js";
import { displayWidth } from "../../src/cli/wrap.js";
import { globBodies } from "../fixtures/untrustedBodies.js";

async function run(argv: string[], columns?: number) {
  let stdout = "";
  let stderr = "";
  const status = await main(argv, {
    out: (text) => (stdout += text),
    err: (text) => (stderr += text),
    ...(columns === undefined ? {} : { columns }),
  });
  return { status, stdout, stderr };
}

const root = new URL("../../", import.meta.url).pathname;
const example = join(root, "examples/notifications.md");
const widest = (text: string) => Math.max(...text.split("\n").map(displayWidth));

describe("parallel-coordinator plan", () => {
  it("prints readable text: the checklist, the table's columns aligned, every line within 80 columns, no Markdown marks", async () => {
    const { status, stdout } = await run(["plan", example]);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^Parallel coordination: Real-time notifications\n═+\n/);
    expect(stdout).toContain("[ ] 1. Notification model and migration — fastapi-backend-expert · 20 min\n");
    expect(stdout).toMatch(
      /^File {2,}Owner {2,}Waits\n─+ {2}─+ {2}─+\nshared\/types\/notification\.ts {2}fastapi-backend-expert {2}react-frontend-architect\n {54}\(batch 3\)$/m,
    );
    expect(stdout).toContain("(dependency graph: run with --markdown to get the Mermaid source)");
    expect(stdout).toContain("(schedule as a Gantt chart: run with --markdown to get the Mermaid source)");
    expect(stdout).not.toMatch(/\*\*|```|<details>|<!--|mermaid\n/);
    expect(widest(stdout)).toBeLessThanOrEqual(80);
  });

  it("wraps to the terminal's width", async () => {
    const wide = await run(["plan", example, "--briefs"], 120);
    expect(widest(wide.stdout)).toBeGreaterThan(80);
    expect(widest(wide.stdout)).toBeLessThanOrEqual(120);
    expect(widest((await run(["plan", example, "--briefs"], 50)).stdout)).toBeLessThanOrEqual(50);
  });

  it("prints the Markdown the app posts with --markdown", async () => {
    const { status, stdout } = await run(["plan", example, "--markdown"]);
    expect(status).toBe(0);
    expect(stdout).toContain("- [ ] **1.** Notification model and migration");
    expect(stdout).toContain("```mermaid\nflowchart");
    expect(stdout).toContain("```mermaid\ngantt");
    expect(stdout).toContain("| `shared/types/notification.ts` | fastapi-backend-expert |");
  });

  it("prints every brief with --briefs, as text or Markdown", async () => {
    const text = await run(["plan", example, "--briefs"]);
    expect(text.stdout.match(/^Batch: \d of 6 - /gm)).toHaveLength(6);
    expect(text.stdout).toContain("\nWhat NOT to do:\n");
    const markdown = await run(["plan", example, "--briefs", "--markdown"]);
    expect(markdown.stdout.match(/\*\*Batch\*\*: \d of 6/g)).toHaveLength(6);
  });

  it("prints the documented JSON object; with --briefs, each batch's brief", async () => {
    const { status, stdout } = await run(["plan", example, "--json", "--agents", "2"]);
    expect(status).toBe(0);
    const json = JSON.parse(stdout);
    expect(Object.keys(json)).toEqual(["level", "batches", "conflicts", "schedule", "warnings", "errors"]);
    expect(json.level).toEqual({ score: expect.any(Number), level: 2, parts: expect.objectContaining({ scope: 3 }) });
    expect(json.batches[0]).toEqual({
      id: "1",
      title: "Notification model and migration",
      domain: "fastapi-backend-expert",
      files: ["backend/app/models/notification.py", "backend/alembic/versions/", "shared/types/notification.ts"],
      estimate: 20,
      needs: [],
      after: [],
      tasks: ["1"],
    });
    expect(json.conflicts).toEqual([
      {
        file: "shared/types/notification.ts",
        domains: ["fastapi-backend-expert", "react-frontend-architect"],
        owner: "fastapi-backend-expert",
      },
    ]);
    expect(json.schedule.agents).toBe(2);
    expect(Object.keys(json.schedule.start)).toEqual(["1", "2", "3", "4", "5", "6"]);
    expect(json.errors).toEqual([]);

    const briefs = JSON.parse((await run(["plan", example, "--json", "--briefs"])).stdout);
    expect(
      briefs.batches.map((batch: { brief: string }) => batch.brief.match(/^\*\*Batch\*\*: (\d) of 6/)?.[1]),
    ).toEqual(["1", "2", "3", "4", "5", "6"]);
  });

  it("answers bad input with exit status 1 and every problem, also as JSON", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pc-"));
    const bad = join(dir, "bad.md");
    await writeFile(bad, "### 1. A\n**Estimate:** soon\n**Depends on:** 2\n");
    const text = await run(["plan", bad]);
    expect(text.status).toBe(1);
    expect(text.stdout).toBe("");
    expect(text.stderr).toBe(
      `cannot plan ${bad} (2 problems):\n` +
        '  - Task 1, line 2, field "Estimate": expected minutes or hours such as "20\n    min", "15-20 min", "25 хв" or "1h", got "soon"\n' +
        '  - Task 1, line 3, field "Dependencies": unknown dependency "2"; known ids: 1\n',
    );
    const json = await run(["plan", bad, "--json"]);
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      level: null,
      batches: [],
      schedule: null,
      errors: [expect.stringContaining('got "soon"'), expect.stringContaining('unknown dependency "2"')],
    });
  });

  it("proposes the split of an oversized task as a fragment to paste, and plans it so with --split", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pc-"));
    const file = join(dir, "big.md");
    const breakdown =
      "### 1. Model\nDomain: backend\nTime: 20 min\n\n### 2. Search\nDomain: backend\nTime: 50 min\nDepends on: 1\nTasks:\n- Index\n- Query\n\n### 3. Page\nDomain: frontend\nTime: 20 min\nDepends on: 2\n";
    await writeFile(file, breakdown);
    const refused = await run(["plan", file, "--markdown"]);
    expect(refused.status).toBe(1);
    const fragment = /```markdown\n([\s\S]*?)\n```/u.exec(refused.stderr)?.[1];
    expect(fragment).toContain("### 2.1. Search (part 1 of 2)");
    // Pasted in the task's place, it plans as --split does.
    const pasted = join(dir, "pasted.md");
    await writeFile(pasted, breakdown.replace(/### 2\. Search[\s\S]*?(?=\n### 3)/u, `${fragment}\n`));
    const ids = (stdout: string) =>
      (JSON.parse(stdout) as { batches: Array<{ id: string; needs: string[] }> }).batches.map((batch) => [
        batch.id,
        batch.needs,
      ]);
    const split = await run(["plan", file, "--split", "--json"]);
    expect(split.status).toBe(0);
    expect(ids(split.stdout)).toEqual([
      ["1", []],
      ["2.1", ["1"]],
      ["2", ["2.1"]],
      ["3", ["2"]],
    ]);
    expect(ids((await run(["plan", pasted, "--json"])).stdout)).toEqual(ids(split.stdout));
    const json = JSON.parse((await run(["plan", file, "--json"])).stdout) as { splits: unknown[] };
    expect(json.splits).toEqual([
      {
        task: "2",
        by: "steps",
        parts: [
          { id: "2.1", estimate: 25, needs: ["1"] },
          { id: "2", estimate: 25, needs: ["2.1"] },
        ],
        fragment,
      },
    ]);
  });

  it("reads a config and reports a bad one, and a bad --agents", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pc-"));
    const cfg = join(dir, "pc.yml");
    await writeFile(cfg, "agents: 9\n");
    const { status, stderr } = await run(["plan", example, "--config", cfg]);
    expect(status).toBe(1);
    // The config's problem names the config, not the breakdown.
    expect(stderr).toBe(
      `cannot plan ${example} (1 problem):\n  - ${cfg}: field "agents": Too big: expected number to be <=4\n`,
    );
    await writeFile(cfg, "domains:\n  backend:\n    agents: [fastapi-backend-expert]\n");
    const ok = await run(["plan", example, "--config", cfg, "--json"]);
    expect(JSON.parse(ok.stdout).batches[0].domain).toBe("backend");
    expect((await run(["plan", example, "--agents", "7"])).status).toBe(1);
    const words = await run(["plan", example, "--agents", "three"]);
    expect(words.status).toBe(1);
    expect(words.stderr).toContain('--agents: expected 2, 3 or 4 agents at once, got "three"');
  });

  it("prints its version, the commands' help, and each command's own", async () => {
    const version = await run(["--version"]);
    expect(version).toEqual({
      status: 0,
      stdout: `${JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version}\n`,
      stderr: "",
    });
    const general = await run(["help"]);
    expect(general.status).toBe(0);
    expect(general.stdout).toContain("parallel-coordinator plan <breakdown.md|plan.yml> [options]");
    expect(general.stdout).toContain("parallel-coordinator simulate <breakdown.md|plan.yml> [options]");
    for (const argv of [
      ["help", "plan"],
      ["plan", "--help"],
      ["plan", example, "-h"],
    ]) {
      const help = await run(argv);
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(/^Usage: parallel-coordinator plan <breakdown\.md\|plan\.yml> \[options\]\n/);
      expect(help.stdout).toContain("  --briefs ");
      expect(help.stdout).not.toContain("--scenario");
    }
    const simulate = await run(["simulate", "--help"]);
    expect(simulate.stdout).toMatch(/^Usage: parallel-coordinator simulate <breakdown\.md\|plan\.yml> \[options\]\n/);
    expect(simulate.stdout).toContain("  --scenario <file> ");
    for (const text of [general.stdout, simulate.stdout]) expect(widest(text)).toBeLessThanOrEqual(80);
  });

  it("names each unknown option once, without the help or Node's messages, with exit status 2", async () => {
    const { status, stdout, stderr } = await run(["plan", example, "--frob", "-x", "--frob", "--json=yes"]);
    expect(status).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      'plan: unknown options --frob, -x\nplan: --json takes no value\nUsage: parallel-coordinator plan <breakdown.md|plan.yml> [options]\nRun "parallel-coordinator help plan" for its options.\n',
    );
  });

  it("refuses other bad usage with exit status 2", async () => {
    const none = await run([]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain("parallel-coordinator plan <breakdown.md|plan.yml>");
    const unknown = await run(["frobnicate"]);
    expect(unknown).toEqual({
      status: 2,
      stdout: "",
      stderr: 'unknown command "frobnicate"\nRun "parallel-coordinator help" for the commands.\n',
    });
    expect((await run(["help", "frobnicate"])).status).toBe(2);
    expect((await run(["plan"])).stderr).toMatch(/^plan: which file\?/);
    expect((await run(["plan", example, example])).stderr).toMatch(/^plan: one file at a time, got 2/);
    expect((await run(["plan", example, "--config"])).stderr).toMatch(/^plan: --config needs a value/);
    expect((await run(["plan", example, "--json", "--markdown"])).status).toBe(2);
    expect((await run(["plan", "/no/such/file.md"])).stderr).toContain("cannot read /no/such/file.md");
  });
});

describe("plan --json on breakdowns written in each style", () => {
  const batches = async (name: string, ...options: string[]) => {
    const { status, stdout } = await run(["plan", join(root, "test/fixtures/plans", name), "--json", ...options]);
    const json = JSON.parse(stdout) as {
      batches: Array<{ id: string; domain: string; estimate: number; needs: string[] }>;
      errors: string[];
    };
    expect(json.errors).toEqual([]);
    expect(status).toBe(0);
    return json.batches.map((batch) => [batch.id, batch.domain, batch.estimate, batch.needs]);
  };

  it("plain fields on lines and in lists, English and Ukrainian, the 90-minute task split by its steps", async () => {
    expect(await batches("plain-fields.md", "--split")).toEqual([
      ["1", "backend", 20, []],
      ["2.1", "backend", 30, ["1"]],
      ["2.2", "backend", 30, ["2.1"]],
      ["2", "backend", 30, ["2.2"]],
      ["sidebar-list", "frontend", 20, ["2"]],
      ["bichna-panel-vydalennya", "frontend", 20, ["sidebar-list"]],
    ]);
  });

  it("tables of tasks, one in English and one in Ukrainian", async () => {
    expect(await batches("table-tasks.md")).toEqual([
      ["1", "backend", 20, []],
      ["2", "backend", 20, ["1"]],
      ["3", "backend", 25, ["1"]],
      ["knopka-eksportu", "react-frontend-architect", 20, ["2"]],
      ["5", "react-frontend-architect", 25, ["knopka-eksportu"]],
    ]);
  });

  it("Ukrainian bullets with phases and a SYNC POINT, and bold-colon paragraphs", async () => {
    expect(await batches("notifications-bullets-uk.md")).toEqual([
      ["1", "backend", 20, []],
      ["2", "backend", 20, ["1"]],
      ["3", "react-frontend-architect", 15, ["2"]],
      ["4", "react-frontend-architect", 25, ["3"]],
      ["5", "backend", 30, ["2"]],
      ["6", "react-frontend-architect", 20, ["4", "5"]],
    ]);
    expect(await batches("oauth-pipeline-bold.md")).toEqual([
      ["1", "security-auditor", 15, []],
      ["2", "fastapi-backend-expert", 25, ["1"]],
      ["3", "react-frontend-architect", 15, ["2"]],
      ["4", "pytest-test-master", 30, ["2", "3"]],
    ]);
  });
});

describe("the package's bin, in a clone", () => {
  const clones: string[] = [];
  afterAll(() => {
    for (const dir of clones) rmSync(dir, { recursive: true, force: true });
  });

  it("runs the built CLI", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [
      join(root, "bin/parallel-coordinator.js"),
      "plan",
      example,
      "--json",
    ]);
    expect(JSON.parse(stdout).batches).toHaveLength(6);
  });

  it("simulates with the built app, which plans in the worker built beside it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pc-globs-"));
    clones.push(dir);
    const body = join(dir, "globs.md");
    writeFileSync(body, globBodies.markdown);
    // A breakdown that does not plan makes the simulation's exit status 1.
    const { stdout } = await promisify(execFile)(process.execPath, [
      join(root, "bin/parallel-coordinator.js"),
      "simulate",
      body,
      "--json",
    ]).catch((error: { code: number; stdout: string }) => {
      expect(error.code).toBe(1);
      return error;
    });
    const { comments } = JSON.parse(stdout) as { comments: Array<{ body: string }> };
    expect(comments.map((comment) => comment.body)).toEqual([
      expect.stringContaining("is not usable: expected at most 6 wildcards"),
    ]);
  });

  it("never runs a stale build: a change to the sources shows at the next run", async () => {
    const clone = mkdtempSync(join(tmpdir(), "pc-clone-"));
    clones.push(clone);
    for (const path of ["bin", "src", "scripts", "package.json", "package-lock.json"])
      cpSync(join(root, path), join(clone, path), { recursive: true });
    symlinkSync(join(root, "node_modules"), join(clone, "node_modules"));
    const bin = join(clone, "bin/parallel-coordinator.js");
    const version = async () => (await promisify(execFile)(process.execPath, [bin, "--version"])).stdout;
    expect(await version()).toBe(`${JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version}\n`);
    const manifest = join(clone, "package.json");
    writeFileSync(manifest, readFileSync(manifest, "utf8").replace(/"version": "[^"]+"/, '"version": "9.9.9"'));
    const later = new Date(Date.now() + 10_000);
    utimesSync(manifest, later, later);
    expect(await version()).toBe("9.9.9\n");
  });
});
