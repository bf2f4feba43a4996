import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { domainsOf } from "../../src/plan/domain.js";
import { readMarkdown } from "../../src/plan/readMarkdown.js";
import { configFromObject, defaultConfig, type Config } from "../../src/base/config.js";
import { TaskSchema, type TaskInput } from "../../src/plan/task.js";

const config = (value: object): Config => {
  const result = configFromObject(value);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
};
const tasks = (...inputs: Array<Partial<TaskInput>>) =>
  inputs.map((input, index) =>
    TaskSchema.parse({ id: String(index + 1), title: `Task ${index + 1}`, estimate: 20, ...input }),
  );
const byTask = (result: ReturnType<typeof domainsOf>) => Object.fromEntries(result.domains);

describe("domainsOf: Agent and Domain name the same work", () => {
  it("makes an agent whose name holds a domain written in the plan that domain (edge-cases.md mixes both)", () => {
    const source = readMarkdown(readFileSync(new URL("../fixtures/plans/edge-cases.md", import.meta.url), "utf8"));
    const result = domainsOf(source.tasks, defaultConfig);
    expect(source.tasks.map((task) => [task.id, task.agent, task.domain, result.domains.get(task.id)])).toEqual([
      ["1", "fastapi-backend-expert", undefined, "backend"],
      ["2", "fastapi-backend-expert", undefined, "backend"],
      ["2.5", "fastapi-backend-expert", undefined, "backend"],
      ["models", undefined, "backend", "backend"],
      ["api-routes", undefined, "backend", "backend"],
      ["3", "pytest-test-master", undefined, "pytest-test-master"],
      ["4", "fastapi-backend-expert", undefined, "backend"],
    ]);
    expect(result.warnings).toEqual([]);
  });

  it("gives an agent the domain written beside it on another task, over one its name holds", () => {
    const result = domainsOf(
      tasks(
        { agent: "fastapi-backend-expert", domain: "API" },
        { agent: "fastapi-backend-expert" },
        { domain: "backend" },
      ),
      defaultConfig,
    );
    expect(byTask(result)).toEqual({ 1: "api", 2: "api", 3: "backend" });
  });

  it("maps an agent through the config first, and an agent whose name holds a configured domain to it", () => {
    const cfg = config({
      domains: { server: { agents: ["fastapi-backend-expert"] }, frontend: { files: ["web/**"] } },
    });
    const result = domainsOf(
      tasks(
        { agent: "fastapi-backend-expert", domain: "backend" },
        { agent: "fastapi-backend-expert" },
        { agent: "react-frontend-architect" },
      ),
      cfg,
    );
    expect(byTask(result)).toEqual({ 1: "backend", 2: "server", 3: "frontend" });
  });

  it("keeps an agent that could mean two domains as its own, with a warning naming both, once", () => {
    const mixed = domainsOf(
      tasks(
        { domain: "backend" },
        { domain: "frontend" },
        { agent: "backend-frontend-dev" },
        { agent: "backend-frontend-dev" },
      ),
      defaultConfig,
    );
    expect(byTask(mixed)).toEqual({
      1: "backend",
      2: "frontend",
      3: "backend-frontend-dev",
      4: "backend-frontend-dev",
    });
    expect(mixed.warnings).toEqual([
      "Agent backend-frontend-dev could mean domain backend or frontend (its name holds each): its tasks are planned as domain backend-frontend-dev. Write `Domain:` on them to say which.",
    ]);
    const beside = domainsOf(
      tasks({ agent: "dev", domain: "backend" }, { agent: "dev", domain: "frontend" }, { agent: "dev" }),
      defaultConfig,
    );
    expect(beside.domains.get("3")).toBe("dev");
    expect(beside.warnings).toEqual([
      "Agent dev could mean domain backend or frontend (it is written beside each): its tasks are planned as domain dev. Write `Domain:` on them to say which.",
    ]);
  });

  it("keeps an agent whose name only holds part of a word (api in fastapi) apart", () => {
    expect(byTask(domainsOf(tasks({ domain: "api" }, { agent: "fastapi-expert" }), defaultConfig))).toEqual({
      1: "api",
      2: "fastapi-expert",
    });
  });

  it("finds a task without domain or agent by its files, and refuses files in two configured domains at the files' line", () => {
    const cfg = config({ domains: { backend: { files: ["backend/**"] }, frontend: { files: ["frontend/**"] } } });
    const [one, two, three] = tasks(
      { files: ["backend/a.py"] },
      { files: ["backend/a.py", "frontend/b.ts"], line: 7, fieldLines: { files: 9 } },
      {},
    );
    const result = domainsOf([one!, two!, three!], cfg);
    expect(byTask(result)).toEqual({ 1: "backend", 2: "general", 3: "general" });
    expect(result.problems).toEqual([
      {
        task: "2",
        line: 9,
        field: "Files",
        message:
          "its files lie in the configured domains backend and frontend: write `Domain:` on it, or split it into one task per domain",
      },
    ]);
  });
});
