import { describe, expect, it } from "vitest";
import { readYaml, yamlPlanBlock } from "../../src/plan/readYaml.js";
import { readBreakdown, readTasks } from "../../src/plan/readBreakdown.js";
import { formatProblem } from "../../src/base/problem.js";

const plan = `agents: 3
tasks:
  - id: models
    title: Notification model and migration
    domain: backend
    files: ["backend/app/models/**", "backend/alembic/**"]
    estimate: 20          # minutes
    needs: []
    accept:
      - run: pytest backend/tests/models
      - Migration runs without errors
  - id: api
    title: Endpoints
    domain: backend
    estimate: 25 min
    needs: models
    notToDo: [Don't touch the frontend]
  - id: ui
    title: Bell icon
    agent: react-frontend-architect
    files: frontend/src/components/Bell.tsx
    estimate: 20
    needs: [api]
`;

describe("the YAML plan", () => {
  it("reads the precise form of PRODUCT.md", () => {
    const source = readYaml(plan);
    expect(source.problems).toEqual([]);
    expect(source.agents).toBe(3);
    expect(source.tasks.map((task) => task.id)).toEqual(["models", "api", "ui"]);
    expect(source.tasks[0]).toMatchObject({
      title: "Notification model and migration",
      domain: "backend",
      files: ["backend/app/models/**", "backend/alembic/**"],
      estimate: 20,
      needs: [],
      accept: [{ run: "pytest backend/tests/models" }, { check: "Migration runs without errors" }],
      line: 3,
    });
    expect(source.tasks[1]).toMatchObject({
      estimate: 25,
      needs: ["models"],
      notToDo: ["Don't touch the frontend"],
      line: 12,
    });
    expect(source.tasks[2]).toMatchObject({
      agent: "react-frontend-architect",
      files: ["frontend/src/components/Bell.tsx"],
    });
  });

  it("finds the fenced yaml block in an issue body and keeps its line numbers", () => {
    const body = `# Notifications\n\nSome words.\n\n\`\`\`yaml\n${plan}\`\`\`\n\nMore words.`;
    expect(yamlPlanBlock(body)?.line).toBe(6);
    const source = readBreakdown(body);
    expect(source.title).toBe("Notifications");
    expect(source.tasks).toHaveLength(3);
    expect(source.tasks[0]!.line).toBe(8);
  });

  it("ignores yaml blocks that hold no plan", () => {
    expect(yamlPlanBlock("```yaml\nfoo: 1\n```\n")).toBeUndefined();
  });

  it("reports each bad field with its task and line, and keeps reading", () => {
    const source = readYaml(`tasks:
  - id: 1
    title: One
    estimate: soon
  - id: 2
    estimate: 20
    colour: red
  - id: 3
    title: Three
    estimate: 20
    files: 7
`);
    const lines = source.problems.map(formatProblem);
    expect(lines).toContain(
      'Task 1, line 4, field "estimate": expected minutes (a number) or a time such as "20 min" or "1h", got "soon"',
    );
    expect(lines.some((line) => line.startsWith('Task 2, line 5, field "title"'))).toBe(true);
    expect(lines.some((line) => line.startsWith("Task 2, line 5") && line.includes("colour"))).toBe(true);
    expect(lines.some((line) => line.startsWith('Task 3, line 8, field "files"'))).toBe(true);
  });

  it("refuses zero and negative estimates at their line, as numbers or as text", () => {
    const source = readYaml(
      "tasks:\n  - id: 1\n    title: One\n    estimate: 0\n  - id: 2\n    title: Two\n    estimate: -5 min\n",
    );
    expect(source.problems.map(formatProblem)).toEqual([
      'Task 1, line 4, field "estimate": "0" is no time at all: give the minutes or hours the task takes, more than zero',
      'Task 2, line 7, field "estimate": "-5 min" is a negative time: give the minutes or hours the task takes, more than zero',
    ]);
  });

  it("reports YAML syntax errors with a line instead of throwing", () => {
    const source = readYaml("tasks:\n  - id: [1\n", 10);
    expect(source.tasks).toEqual([]);
    expect(source.problems[0]!.message).toMatch(/not valid YAML/);
    expect(source.problems[0]!.line).toBeGreaterThanOrEqual(10);
  });

  it("refuses anchors and aliases at the anchor's line, in the issue body, and reads nothing more", () => {
    const body =
      "# Feature\n\n```yaml\ntasks:\n  - id: a\n    title: A\n    estimate: 20\n    notToDo: &rules\n      - Don't touch the API\n  - id: b\n    title: B\n    estimate: 20\n    notToDo: *rules\n```\n";
    const source = readBreakdown(body);
    expect(source.tasks).toEqual([]);
    expect(source.problems.map(formatProblem)).toEqual([
      "line 8: the plan uses the YAML anchor `&rules`: anchors and aliases (`*name`) are not read in a plan, since one alias can stand for megabytes; write each value where it is used",
    ]);
    // A `*` in a value is no alias; a merge key needs one, and is refused with it.
    expect(
      readYaml('tasks:\n  - id: a\n    title: "*not an alias"\n    estimate: 20\n    files: ["src/*.ts"]\n').problems,
    ).toEqual([]);
    expect(
      readYaml("base: &base {estimate: 20}\ntasks:\n  - {<<: *base, id: a, title: A}\n").problems.map(formatProblem),
    ).toEqual([expect.stringMatching(/^line 1: the plan uses the YAML anchor `&base`/)]);
  });

  it("refuses agents outside 2–4 and a missing task list", () => {
    expect(readYaml("agents: 9\ntasks: []").problems.map(formatProblem)).toEqual([
      expect.stringContaining('field "agents"'),
    ]);
    expect(readYaml("agents: 2").problems.map(formatProblem)).toEqual([expect.stringContaining('field "tasks"')]);
  });
});

describe("plain task objects (the sub-issue shape)", () => {
  it("reads valid objects and reports bad ones by id and field", () => {
    const source = readTasks([
      { id: "1", title: "One", estimate: 20, domain: "backend" },
      { id: "2", title: "", estimate: -5 },
    ]);
    expect(source.tasks.map((task) => task.id)).toEqual(["1"]);
    const lines = source.problems.map(formatProblem);
    expect(lines.some((line) => line.startsWith('Task 2, field "title"'))).toBe(true);
    expect(lines.some((line) => line.startsWith('Task 2, field "estimate"'))).toBe(true);
  });
});
