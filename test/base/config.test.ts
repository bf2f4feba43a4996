import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { configFromYaml, defaultConfig } from "../../src/base/config.js";
import { configJsonSchema } from "../../src/base/configJsonSchema.js";
import { formatProblem } from "../../src/base/problem.js";

describe("config", () => {
  it("works with no file: sensible defaults", () => {
    expect(defaultConfig).toMatchObject({
      label: "parallel-coordinator",
      allowEpics: false,
      batch: { min: 15, max: 25, merge: 10, refuse: 45 },
      domains: {},
      permission: "write",
      workflow: "parallel-coordinator-agent.yml",
    });
    expect(defaultConfig.agents).toBeUndefined();
  });

  it("reads domains with globs, agent names and profiles", () => {
    const result = configFromYaml(`
agents: 3
domains:
  backend:
    files: ["backend/**"]
    agents: [fastapi-backend-expert]
    profile: claude
  frontend:
    files: ["frontend/**"]
owners:
  shared/types.ts: backend
`);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.agents).toBe(3);
    expect(result.config.domains.backend).toEqual({
      files: ["backend/**"],
      agents: ["fastapi-backend-expert"],
      profile: "claude",
    });
    expect(result.config.domains.frontend!.agents).toEqual([]);
    expect(result.config.owners).toEqual({ "shared/types.ts": "backend" });
  });

  it("lists every problem of a bad config, each with its path", () => {
    const result = configFromYaml(`
agents: 7
label: 5
permission: everyone
workflow: "../evil.yml"
batch: { min: 30, max: 20 }
colour: blue
`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const lines = result.problems.map(formatProblem);
    expect(lines.some((line) => line.includes('"agents"'))).toBe(true);
    expect(lines.some((line) => line.includes('"label"'))).toBe(true);
    expect(lines.some((line) => line.includes('"permission"'))).toBe(true);
    expect(lines.some((line) => line.includes('"workflow"') && line.includes("workflow file name"))).toBe(true);
    expect(lines.some((line) => line.includes("colour"))).toBe(true);
    expect(result.problems.length).toBeGreaterThanOrEqual(5);
  });

  it("checks that batch sizes are in order and owners are domains", () => {
    const result = configFromYaml(`
batch: { min: 30, max: 20 }
domains: { backend: { files: ["backend/**"], agents: [a] }, docs: { agents: [a] } }
owners: { "x.ts": frontend }
`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const lines = result.problems.map(formatProblem).join("\n");
    expect(lines).toContain("merge ≤ min ≤ max ≤ refuse");
    expect(lines).toContain('"frontend" is not one of the domains');
    expect(lines).toContain('agent "a" is already mapped to domain "backend"');
  });

  it("reports YAML syntax errors with their line, never throws", () => {
    const result = configFromYaml("agents: 3\ndomains: [\n  oops");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]!.message).toMatch(/not valid YAML/);
    expect(result.problems[0]!.line).toBeGreaterThan(1);
  });

  it("treats an empty file as the defaults", () => {
    expect(configFromYaml("")).toEqual({ ok: true, config: defaultConfig });
  });

  it("the committed JSON Schema is current (npm run schema regenerates it)", async () => {
    const committed = await readFile(new URL("../../schema/parallel-coordinator.schema.json", import.meta.url), "utf8");
    expect(committed).toBe(configJsonSchema());
  });
});
