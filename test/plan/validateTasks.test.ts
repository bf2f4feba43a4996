import { describe, expect, it } from "vitest";
import { configGlobProblems, taskProblems } from "../../src/plan/validateTasks.js";
import { ConfigSchema, defaultConfig } from "../../src/base/config.js";
import { formatProblem } from "../../src/base/problem.js";
import { TaskSchema, type TaskInput } from "../../src/plan/task.js";

const task = (input: Partial<TaskInput> & { id: string }) =>
  TaskSchema.parse({ title: `Task ${input.id}`, estimate: 20, ...input });

describe("taskProblems", () => {
  it("finds nothing wrong with a sound list", () => {
    expect(taskProblems([task({ id: "1" }), task({ id: "2", needs: ["1"] })])).toEqual([]);
  });

  it("refuses an empty plan with a hint at the expected format", () => {
    const [problem] = taskProblems([]);
    expect(problem!.message).toMatch(/no tasks found/);
    expect(problem!.message).toContain("### 1. Title");
  });

  it("reports every problem at once, each with task, line and field", () => {
    const problems = taskProblems([
      task({ id: "1", line: 3 }),
      task({ id: "1", line: 9 }),
      task({ id: "2", line: 15, estimate: undefined, needs: ["7"] }),
      task({ id: "3", line: 21, files: ["/abs/path.ts", "../up.ts"] }),
      task({ id: "4", line: 27, needs: ["4"] }),
    ]);
    const lines = problems.map(formatProblem);
    expect(lines).toContain(
      'Task 1, line 9, field "id": the id "1" is used twice (first at line 3); give every task its own id',
    );
    expect(lines.some((line) => line.startsWith('Task 2, line 15, field "Estimate": missing'))).toBe(true);
    expect(lines.some((line) => line.startsWith('Task 2, line 15, field "Dependencies": unknown dependency "7"'))).toBe(
      true,
    );
    expect(lines.filter((line) => line.startsWith('Task 3, line 21, field "Files"'))).toHaveLength(2);
    expect(lines).toContain('Task 4, line 27, field "Dependencies": a task cannot depend on itself');
  });

  it("names a cycle's members in order", () => {
    const problems = taskProblems([
      task({ id: "1", needs: ["3"] }),
      task({ id: "2", needs: ["1"] }),
      task({ id: "3", needs: ["2"] }),
      task({ id: "4" }),
    ]);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toBe(
      "dependency cycle: 1 → 3 → 2 → 1 (each needs the next); remove one of these dependencies",
    );
  });

  it("finds two separate cycles", () => {
    const problems = taskProblems([
      task({ id: "a", needs: ["b"] }),
      task({ id: "b", needs: ["a"] }),
      task({ id: "c", needs: ["d"] }),
      task({ id: "d", needs: ["c"] }),
    ]);
    expect(problems.map((problem) => problem.message)).toEqual([
      expect.stringContaining("a → b → a"),
      expect.stringContaining("c → d → c"),
    ]);
  });

  it("handles a chain of 5,000 tasks without overflowing the stack", () => {
    const tasks = Array.from({ length: 5000 }, (_, index) =>
      task({ id: String(index), needs: index === 0 ? [] : [String(index - 1)] }),
    );
    expect(taskProblems(tasks)).toEqual([]);
  });
});

describe("task ids", () => {
  it("refuses ids that cannot name a run or a command", () => {
    const lines = taskProblems([task({ id: "a b" }), task({ id: "ok-1.2_x" })]).map(formatProblem);
    expect(lines).toEqual([
      'Task a b, field "id": "a b" is not a usable id: expected up to 64 letters, digits, `.`, `_` or `-`',
    ]);
  });
});

describe("configGlobProblems", () => {
  it("names each domain's and owner's glob the matcher refuses, by its field", () => {
    const config = ConfigSchema.parse({
      domains: { backend: { files: ["backend/**", "backend/@(api|db)/**"] }, frontend: { files: ["frontend/**"] } },
      owners: { "!shared/**": "backend", "shared/types.ts": "frontend" },
    });
    expect(configGlobProblems(config).map(formatProblem)).toEqual([
      'field "domains.backend.files": "backend/@(api|db)/**" in .github/parallel-coordinator.yml is not usable: expected a glob without extglobs (`@(…)`, `!(…)`, `+(…)`, `*(…)`, `?(…)`): write alternatives as `{a,b}`',
      'field "owners": "!shared/**" in .github/parallel-coordinator.yml is not usable: expected a path or glob without a leading `!` (a negation): name what may change, and leave the rest out',
    ]);
    expect(configGlobProblems(defaultConfig)).toEqual([]);
  });
});
