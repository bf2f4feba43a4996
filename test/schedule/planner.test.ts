import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { planFromSource } from "../../src/schedule/planner.js";
import { readBreakdown, readTasks } from "../../src/plan/readBreakdown.js";
import { readYaml } from "../../src/plan/readYaml.js";
import { configFromObject, defaultConfig, type Config } from "../../src/base/config.js";
import { formatProblem } from "../../src/base/problem.js";
import { validateSchedule } from "../../src/schedule/scheduler.js";
import { jobsOf } from "../../src/schedule/planner.js";
import type { Plan } from "../../src/plan/planModel.js";

const readExample = (name: string) => readFileSync(new URL(`../../examples/${name}`, import.meta.url), "utf8");
const example = readExample("notifications.md");

const config = (value: object): Config => {
  const result = configFromObject(value);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
};

function planned(text: string, cfg: Config = defaultConfig, options = {}): Plan {
  const result = planFromSource(readBreakdown(text), cfg, options);
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join("\n"));
  return result.plan;
}

function expectValidSchedule(plan: Plan) {
  expect(validateSchedule({ jobs: jobsOf(plan.batches), agents: plan.schedule.agents }, plan.schedule.start)).toEqual(
    [],
  );
  expect(plan.schedule.makespan).toBeGreaterThanOrEqual(plan.schedule.lowerBound);
  expect(plan.schedule.makespan).toBeLessThanOrEqual(plan.schedule.phaseMakespan);
}

describe("the examples", () => {
  it("moderation-queue.uk.md: 8 batches, two domains, a conflict zone, and the page's batches 5–8 in sequence with a warning naming the file", () => {
    const plan = planned(readExample("moderation-queue.uk.md"));
    expect(plan.batches.map((batch) => [batch.id, batch.domain, batch.estimate, batch.needs, batch.after])).toEqual([
      ["1", "fastapi-backend-expert", 20, [], []],
      ["2", "fastapi-backend-expert", 15, ["1"], []],
      ["3", "fastapi-backend-expert", 25, ["1", "2"], []],
      ["4", "react-frontend-architect", 15, ["2"], []],
      ["5", "react-frontend-architect", 25, ["4"], []],
      ["6", "react-frontend-architect", 20, ["4"], ["5"]],
      ["7", "react-frontend-architect", 30, ["4"], ["6"]],
      ["8", "react-frontend-architect", 20, ["5", "6", "7"], []],
    ]);
    const warning = plan.warnings.find((line) => line.includes("frontend/src/pages/Moderation/index.tsx"));
    expect(warning).toContain("batches 5, 6, 7 and 8");
    expect(warning).toContain("run in sequence");
    // The reasons file is touched by both domains: the backend owns it, the frontend's batch leaves it alone.
    expect(plan.conflicts).toEqual([
      {
        file: "shared/moderation/reasons.json",
        domains: ["fastapi-backend-expert", "react-frontend-architect"],
        owner: "fastapi-backend-expert",
        batches: ["1", "6"],
      },
    ]);
    expect(plan.batches[5]!.scope.deny).toContain("shared/moderation/reasons.json");
    // Phases and the SYNC POINT are context for the briefs, never dependencies.
    expect(plan.batches.map((batch) => batch.phase)).toEqual([
      ...Array<string>(3).fill("Phase 1: Backend (60 хв) - ПОСЛІДОВНО"),
      ...Array<string>(5).fill("Phase 2: Frontend (110 хв) - ЧАСТКОВО ПАРАЛЕЛЬНО"),
    ]);
    const synced = plan.batches.filter((batch) =>
      batch.context.some((text) => text.startsWith("SYNC POINT: Контракт черги\n")),
    );
    expect(synced.map((batch) => batch.id)).toEqual(["4", "5", "6", "7", "8"]);
    expect(plan.level).toMatchObject({ level: 2, parts: { scope: 2, time: 3, agents: 2, dependencies: 3 } });
    expect(plan.schedule.agents).toBe(2);
    // Backend 1→2 (35 min), then the frontend's 110 min in one chain: 2 h 25 min is the optimum.
    expect(plan.schedule.makespan).toBe(145);
    expect(plan.schedule.makespan).toBe(plan.schedule.lowerBound);
    expect(plan.schedule.optimal).toBe(true);
    expectValidSchedule(plan);
  });

  it("webhook-dedup-pipeline.md: a sequential pipeline of 4 batches across 3 agents, no files named", () => {
    const plan = planned(readExample("webhook-dedup-pipeline.md"));
    expect(plan.batches.map((batch) => [batch.id, batch.domain, batch.estimate, batch.needs])).toEqual([
      ["1", "payments-investigator", 20, []],
      ["2", "database-reliability-engineer", 25, ["1"]],
      ["3", "payments-investigator", 30, ["1", "2"]],
      ["4", "pytest-test-master", 15, ["3"]],
    ]);
    expect(plan.level.level).toBe(2);
    expect(plan.level.parts.documentation).toBe(3); // a diagnosis batch
    expect(plan.schedule.agents).toBe(3);
    expect(plan.schedule.makespan).toBe(90);
    // No files anywhere: every batch may change what no other domain owns.
    expect(plan.batches.every((batch) => batch.scope.allow[0] === "**")).toBe(true);
    expect(plan.warnings).toContain(
      "Batch 3 (30 min) is over 25 minutes: consider splitting it so that it is checked in sooner.",
    );
    // The second suggested agent and what earlier batches hand over go into the brief.
    expect(plan.batches[2]!.context).toEqual([
      "Also suggested: fastapi-backend-expert",
      "Context from Batch 1 & 2: {Will receive: root cause location}",
      "Context from Batch 1 & 2: {Will receive: ledger table and affected invoices}",
    ]);
    expectValidSchedule(plan);
  });

  it("refused-epic-deploy-docs.md: refused for its oversized tasks, each named with its line; planned with --force as a Level-3 epic", () => {
    const text = readExample("refused-epic-deploy-docs.md");
    const refused = planFromSource(readBreakdown(text), defaultConfig);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    const lines = refused.problems.map(formatProblem);
    expect(lines).toHaveLength(5); // task 6 (45 min) is allowed
    expect(lines[0]).toMatch(/^Task 1, line 21, field "Estimate": 120 min is over 45 minutes.*Split it into 5 batches/);
    expect(lines[4]).toMatch(/^Task 5, line 82, field "Estimate": 90 min is over 45 minutes.*Split it into 4 batches/);
    const forced = planned(text, defaultConfig, { force: true });
    expect(forced.level.level).toBe(3);
    expect(forced.warnings[0]).toMatch(/^Level 3: 9\.3 h of work \(over 8 hours\) is an epic; planned anyway/);
    expect(forced.batches.map((batch) => batch.domain)).toEqual(Array(6).fill("developer-docs"));
    // One domain: the shared files need no conflict zone, and the batches run one after another.
    expect(forced.conflicts).toEqual([]);
    expect(forced.schedule.makespan).toBe(555);
    expectValidSchedule(forced);
  });
});

describe("planFromSource", () => {
  it("plans the README's example: a conflict zone owned by backend, the frontend's bell waits", () => {
    const plan = planned(example);
    expect(plan.conflicts).toEqual([
      {
        file: "shared/types/notification.ts",
        domains: ["fastapi-backend-expert", "react-frontend-architect"],
        owner: "fastapi-backend-expert",
        batches: ["1", "3"],
      },
    ]);
    expect(plan.batches.find((batch) => batch.id === "3")!.after).toEqual(["1"]);
    expect(plan.batches.find((batch) => batch.id === "3")!.scope.deny).toContain("shared/types/notification.ts");
    expect(plan.level.parts.dependencies).toBe(3);
    expect(plan.schedule.agents).toBe(3);
    expectValidSchedule(plan);
  });

  it("maps agents to configured domains and uses the domain's globs for a batch without files", () => {
    const plan = planned(
      example,
      config({
        domains: {
          backend: { files: ["backend/**"], agents: ["fastapi-backend-expert"] },
          frontend: { files: ["frontend/**"], agents: ["react-frontend-architect"] },
        },
      }),
    );
    expect(plan.batches.map((batch) => batch.domain)).toEqual([
      "backend",
      "backend",
      "frontend",
      "backend",
      "frontend",
      "pytest-test-master",
    ]);
    expect(plan.batches[5]!.scope).toEqual({
      allow: ["tests/e2e/test_notifications.py"],
      deny: expect.arrayContaining(["backend/**", "frontend/**"]),
    });
  });

  it("takes agents from the CLI over the plan over the config, and refuses values outside 2–4", () => {
    const yaml =
      "agents: 3\ntasks:\n" +
      ["a", "b", "c", "d"].map((id) => `  - { id: ${id}, title: T${id}, domain: d${id}, estimate: 20 }`).join("\n");
    const source = readYaml(yaml);
    const at = (cfg: Config, options = {}) => {
      const result = planFromSource(source, cfg, options);
      return result.ok ? result.plan.schedule.agents : result.problems.map(formatProblem);
    };
    expect(at(defaultConfig)).toBe(3);
    expect(at(defaultConfig, { agents: 2 })).toBe(2);
    expect(at(defaultConfig, { agents: 5 })).toEqual(['field "agents": expected 2, 3 or 4 agents at once, got 5']);
    const noAgents = readYaml(yaml.replace("agents: 3\n", ""));
    expect(
      planFromSource(noAgents, config({ agents: 2 })).ok &&
        (planFromSource(noAgents, config({ agents: 2 })) as { plan: Plan }).plan.schedule.agents,
    ).toBe(2);
    // Default: the number of domains, within 2–4.
    const plan = planFromSource(noAgents, defaultConfig);
    expect(plan.ok && plan.plan.schedule.agents).toBe(4);
  });

  it("warns that a Level-1 breakdown needs one agent, and plans it", () => {
    const result = planFromSource(
      readTasks([
        { id: "1", title: "Fix typo", estimate: 15, domain: "docs" },
        { id: "2", title: "Fix link", estimate: 15, domain: "docs" },
      ]),
      defaultConfig,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.plan.level.level).toBe(1);
    expect(result.plan.warnings[0]).toMatch(/^Level 1: one domain — one agent could do this alone/);
  });

  it("refuses an epic of over 25 batches unless forced or allowed by config", () => {
    const tasks = Array.from({ length: 26 }, (_, index) => ({
      id: String(index + 1),
      title: `T${index}`,
      estimate: 15,
      domain: `d${index % 3}`,
    }));
    const refused = planFromSource(readTasks(tasks), defaultConfig);
    expect(refused.ok).toBe(false);
    if (!refused.ok)
      expect(refused.problems[0]!.message).toMatch(/^Level 3: 26 batches \(over 25\) is an epic.*sub-issues/);
    expect(planFromSource(readTasks(tasks), defaultConfig, { force: true }).ok).toBe(true);
    expect(planFromSource(readTasks(tasks), config({ allowEpics: true })).ok).toBe(true);
  });

  it("reports every problem of a bad breakdown at once and plans nothing", () => {
    const result = planFromSource(
      readBreakdown(`# Bad
### 1. One
**Domain:** backend
**Estimate:** soon
**Dependencies:** 9

### 2. Two
**Domain:** backend
**Estimate:** 20 min
**Dependencies:** 3

### 3. Three
**Domain:** frontend
**Estimate:** 20 min
**Dependencies:** 2
**Files:** \`/etc/passwd\`
`),
      defaultConfig,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const lines = result.problems.map(formatProblem);
    // Each once (an unreadable estimate is not missing as well), at its field's line, in the breakdown's order.
    expect(lines).toEqual([
      expect.stringMatching(/^Task 1, line 4, field "Estimate": expected minutes/),
      expect.stringMatching(/^Task 1, line 5, field "Dependencies": unknown dependency "9"/),
      expect.stringMatching(/^Task 2, line 10, field "Dependencies": dependency cycle: 2 → 3 → 2/),
      expect.stringMatching(/^Task 3, line 16, field "Files": "\/etc\/passwd" is not usable/),
    ]);
  });

  it("is deterministic", () => {
    expect(JSON.stringify(planned(example))).toBe(JSON.stringify(planned(example)));
  });
});

describe("large breakdowns", () => {
  it("plans 1,000 tasks past the level gate with a valid schedule", async () => {
    const { generatedTasks } = await import("../../bench/planning.js");
    const result = planFromSource({ tasks: generatedTasks(1000), context: [], problems: [] }, defaultConfig, {
      force: true,
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.plan.level.level).toBe(3);
    expectValidSchedule(result.plan);
  });
});

describe("a bad breakdown's problems", () => {
  const problems = (text: string) => {
    const result = planFromSource(text.startsWith("tasks:") ? readYaml(text) : readBreakdown(text), defaultConfig);
    return result.ok ? [] : result.problems.map(formatProblem);
  };

  it("name an estimate that cannot be read once, not also as missing (Markdown and YAML)", () => {
    expect(problems("### 1. A\n- **Domain:** backend\n- **Estimate:** soon\n")).toEqual([
      expect.stringMatching(/^Task 1, line 3, field "Estimate": expected minutes or hours .*got "soon"$/),
    ]);
    expect(problems("tasks:\n  - id: a\n    title: A\n    estimate: soon\n")).toEqual([
      expect.stringMatching(/^Task a, line 4, field "estimate": expected minutes .*got "soon"$/),
    ]);
  });

  it("name an empty estimate at its field, a task without one at its heading", () => {
    expect(problems("### 1. A\n- **Domain:** backend\n- **Estimate:**\n\n### 2. B\n- **Domain:** backend\n")).toEqual([
      'Task 1, line 3, field "Estimate": missing: give the time in minutes or hours, such as "20 min" or "1h"',
      'Task 2, line 5, field "Estimate": missing: give the time in minutes or hours, such as "20 min" or "1h"',
    ]);
  });

  it("are at the line of their field, sizes with the rest, in the breakdown's order", () => {
    const text = [
      "### 1. Big", // 1
      "- **Domain:** backend",
      "- **Files:** `a.py`",
      "- **Estimate:** 2h", // 4
      "",
      "### 2. Small",
      "- **Domain:** frontend",
      "- **Depends on:** 1, 7", // 8
      "- **Files:** `/etc/passwd`", // 9
      "- **Estimate:** 20 min",
    ].join("\n");
    expect(problems(text)).toEqual([
      expect.stringMatching(/^Task 1, line 4, field "Estimate": 120 min is over 45 minutes/),
      expect.stringMatching(/^Task 2, line 8, field "Dependencies": unknown dependency "7"/),
      expect.stringMatching(/^Task 2, line 9, field "Files": "\/etc\/passwd" is not usable/),
    ]);
    const yaml = problems(
      "tasks:\n  - id: a\n    title: A\n    estimate: 20\n    needs: [b]\n    files: [/etc/passwd]\n",
    );
    expect(yaml).toEqual([
      expect.stringMatching(/^Task a, line 5, field "Dependencies": unknown dependency "b"/),
      expect.stringMatching(/^Task a, line 6, field "Files"/),
    ]);
  });

  it("name a task whose files lie in two configured domains with the other problems, at the files' line", () => {
    const cfg = config({ domains: { backend: { files: ["backend/**"] }, frontend: { files: ["frontend/**"] } } });
    const result = planFromSource(
      readBreakdown("### 1. Both\nFiles: `backend/a.py`, `frontend/b.ts`\nTime: 20 min\n\n### 2. Later\nTime: soon\n"),
      cfg,
    );
    expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
      'Task 1, line 2, field "Files": its files lie in the configured domains backend and frontend: write `Domain:` on it, or split it into one task per domain',
      expect.stringMatching(/^Task 2, line 6, field "Estimate": expected minutes or hours/),
    ]);
  });
});

describe("Agent and Domain on different tasks", () => {
  it("plan one domain for the same work, and warn of an agent that could mean two", () => {
    const plan = planned(
      "### 1. Model\nDomain: backend\nTime: 20 min\n\n### 2. API\nAgent: fastapi-backend-expert\nTime: 20 min\nDepends on: 1\n\n### 3. Page\nDomain: frontend\nTime: 20 min\n\n### 4. Glue\nAgent: backend-frontend-dev\nTime: 20 min\n",
    );
    expect(plan.batches.map((batch) => [batch.id, batch.domain, batch.agent])).toEqual([
      ["1", "backend", undefined],
      ["2", "backend", "fastapi-backend-expert"],
      ["3", "frontend", undefined],
      ["4", "backend-frontend-dev", "backend-frontend-dev"],
    ]);
    expect(plan.warnings[0]).toBe(
      "Agent backend-frontend-dev could mean domain backend or frontend (its name holds each): its tasks are planned as domain backend-frontend-dev. Write `Domain:` on them to say which.",
    );
  });
});
