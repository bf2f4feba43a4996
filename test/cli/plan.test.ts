import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

async function run(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const status = await main(argv, (text) => (stdout += text), (text) => (stderr += text));
  return { status, stdout, stderr };
}

const example = new URL("../../examples/notifications.md", import.meta.url).pathname;

describe("parallel-coordinator plan", () => {
  it("prints the dashboard of a breakdown", async () => {
    const { status, stdout } = await run("plan", example);
    expect(status).toBe(0);
    expect(stdout).toContain("- [ ] **1.** Notification model and migration");
    expect(stdout).toContain("```mermaid\nflowchart");
    expect(stdout).toContain("```mermaid\ngantt");
    expect(stdout).toContain("Level 2");
  });

  it("prints every brief with --briefs", async () => {
    const { stdout } = await run("plan", example, "--briefs");
    expect(stdout.match(/\*\*Batch\*\*: \d of 6/g)).toHaveLength(6);
    expect(stdout).toContain("**What NOT to do**");
  });

  it("prints the documented JSON object", async () => {
    const { status, stdout } = await run("plan", example, "--json", "--agents", "2");
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
    expect(json.conflicts).toEqual([{ file: "shared/types/notification.ts", domains: ["fastapi-backend-expert", "react-frontend-architect"], owner: "fastapi-backend-expert" }]);
    expect(json.schedule.agents).toBe(2);
    expect(Object.keys(json.schedule.start)).toEqual(["1", "2", "3", "4", "5", "6"]);
    expect(json.errors).toEqual([]);
  });

  it("answers bad input with exit status 1 and the problems, also as JSON", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pc-"));
    const bad = join(dir, "bad.md");
    await writeFile(bad, "### 1. A\n**Estimate:** 20 min\n**Depends on:** 2\n");
    const text = await run("plan", bad);
    expect(text.status).toBe(1);
    expect(text.stderr).toContain('Task 1, line 1, field "Dependencies": unknown dependency "2"');
    const json = await run("plan", bad, "--json");
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ level: null, batches: [], schedule: null, errors: [expect.stringContaining('unknown dependency "2"')] });
  });

  it("reads a config and reports a bad one", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pc-"));
    const cfg = join(dir, "pc.yml");
    await writeFile(cfg, "agents: 9\n");
    const { status, stderr } = await run("plan", example, "--config", cfg);
    expect(status).toBe(1);
    expect(stderr).toContain('field "agents"');
    await writeFile(cfg, "domains:\n  backend:\n    agents: [fastapi-backend-expert]\n");
    const ok = await run("plan", example, "--config", cfg, "--json");
    expect(JSON.parse(ok.stdout).batches[0].domain).toBe("backend");
  });

  it("refuses bad usage with exit status 2 and the help", async () => {
    expect((await run()).status).toBe(2);
    expect((await run("frobnicate")).stderr).toContain("unknown command");
    expect((await run("plan")).status).toBe(2);
    expect((await run("plan", example, "--agents", "7")).status).toBe(1);
    expect((await run("plan", "/no/such/file.md")).stderr).toContain("cannot read /no/such/file.md");
    const help = await run("--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("parallel-coordinator plan <breakdown.md|plan.yml>");
  });

  it("runs from a clone through the package's bin, with no build", async () => {
    const bin = new URL("../../bin/parallel-coordinator.js", import.meta.url).pathname;
    const { stdout } = await promisify(execFile)(process.execPath, [bin, "plan", example, "--json"]);
    expect(JSON.parse(stdout).batches).toHaveLength(6);
  });
});
