import { describe, expect, it } from "vitest";
import { batchTasks } from "../../src/schedule/batching.js";
import { defaultConfig } from "../../src/base/config.js";
import { TaskSchema, type TaskInput } from "../../src/plan/task.js";

const task = (input: Partial<TaskInput> & { id: string }) =>
  TaskSchema.parse({ title: `Task ${input.id}`, estimate: 20, ...input });
const domainsOf = (tasks: Array<{ id: string; domain?: string }>) =>
  new Map(tasks.map((t) => [t.id, t.domain ?? "general"]));

describe("batchTasks", () => {
  it("keeps medium tasks as batches with their own ids", () => {
    const tasks = [task({ id: "1", domain: "backend" }), task({ id: "2", domain: "backend", needs: ["1"] })];
    const { batches, problems, warnings } = batchTasks(tasks, domainsOf(tasks), defaultConfig, false);
    expect(problems).toEqual([]);
    expect(warnings).toEqual([]);
    expect(batches.map((batch) => [batch.id, batch.tasks, batch.needs])).toEqual([
      ["1", ["1"], []],
      ["2", ["2"], ["1"]],
    ]);
  });

  it("merges tasks under 10 minutes of one domain, up to 25 minutes, into the first one's batch", () => {
    const tasks = [
      task({ id: "1", domain: "backend", estimate: 5, files: ["a.py"] }),
      task({ id: "2", domain: "frontend", estimate: 5 }),
      task({ id: "3", domain: "backend", estimate: 8, files: ["b.py"], steps: ["do b"] }),
      task({ id: "4", domain: "backend", estimate: 20, needs: ["3"] }),
      task({ id: "5", domain: "backend", estimate: 9 }),
      task({ id: "6", domain: "backend", estimate: 9 }),
    ];
    const { batches, warnings } = batchTasks(tasks, domainsOf(tasks), defaultConfig, false);
    expect(batches.map((batch) => [batch.id, batch.tasks, batch.estimate])).toEqual([
      ["1", ["1", "3", "5"], 22],
      ["2", ["2"], 5],
      ["4", ["4"], 20],
      ["6", ["6"], 9],
    ]);
    // A dependency on a merged task becomes a dependency on its batch.
    expect(batches.find((batch) => batch.id === "4")!.needs).toEqual(["1"]);
    expect(batches[0]!.files).toEqual(["a.py", "b.py"]);
    expect(batches[0]!.title).toBe("Task 1 + Task 3 + Task 5");
    expect(warnings[0]).toBe(
      "Tasks 1, 3 and 5 (backend, under 10 min each) are merged into batch 1 (22 min): batches under 10 minutes cost more in check-ins than they save.",
    );
    expect(warnings).toContain(
      "Batch 2 (5 min) is under 10 minutes with no other small task of frontend to merge with.",
    );
  });

  it("never merges tasks when that would create a dependency cycle", () => {
    // 3 needs 2 (frontend) which needs 1: merging 1 and 3 would make a cycle through 2.
    const tasks = [
      task({ id: "1", domain: "backend", estimate: 5 }),
      task({ id: "2", domain: "frontend", estimate: 20, needs: ["1"] }),
      task({ id: "3", domain: "backend", estimate: 5, needs: ["2"] }),
    ];
    const { batches } = batchTasks(tasks, domainsOf(tasks), defaultConfig, false);
    expect(batches.map((batch) => batch.id)).toEqual(["1", "2", "3"]);
  });

  it("refuses a task over 45 minutes, saying how to split it", () => {
    const tasks = [task({ id: "7", domain: "docs", estimate: 90, line: 12 })];
    const { problems } = batchTasks(tasks, domainsOf(tasks), defaultConfig, false);
    expect(problems).toEqual([
      {
        task: "7",
        line: 12,
        field: "Estimate",
        message:
          "90 min is over 45 minutes: an agent left alone that long drifts and errors surface late. Split it into 4 batches of 15–25 minutes (about 23 min each).",
      },
    ]);
  });

  it("plans an oversized task with a warning when forced", () => {
    const tasks = [task({ id: "7", domain: "docs", estimate: 90 })];
    const { problems, warnings } = batchTasks(tasks, domainsOf(tasks), defaultConfig, true);
    expect(problems).toEqual([]);
    expect(warnings[0]).toMatch(/^Batch 7: 90 min is over 45 minutes.*Planned anyway \(--force\)\.$/);
  });

  it("warns about 25–45 minutes", () => {
    const tasks = [task({ id: "5", domain: "frontend", estimate: 35 })];
    expect(batchTasks(tasks, domainsOf(tasks), defaultConfig, false).warnings).toEqual([
      "Batch 5 (35 min) is over 25 minutes: consider splitting it so that it is checked in sooner.",
    ]);
  });
});

describe("merging across groups", () => {
  it("never merges two groups into a cycle between them", () => {
    // a2 needs b1 and b2 needs a1: merging a1+a2 and b1+b2 would make the two batches need each other.
    const tasks = [
      task({ id: "a1", domain: "x", estimate: 5 }),
      task({ id: "b1", domain: "y", estimate: 5 }),
      task({ id: "a2", domain: "x", estimate: 5, needs: ["b1"] }),
      task({ id: "b2", domain: "y", estimate: 5, needs: ["a1"] }),
    ];
    const { batches } = batchTasks(tasks, domainsOf(tasks), defaultConfig, false);
    const index = new Map(batches.map((batch, position) => [batch.id, position]));
    // However they merged, the batch graph stays acyclic: every need points to an earlier-finishing batch.
    const visiting = new Set<string>();
    const done = new Set<string>();
    const acyclic = (id: string): boolean => {
      if (done.has(id)) return true;
      if (visiting.has(id)) return false;
      visiting.add(id);
      const ok = batches[index.get(id)!]!.needs.every(acyclic);
      done.add(id);
      return ok;
    };
    expect(batches.every((batch) => acyclic(batch.id))).toBe(true);
    expect(batches.length).toBe(3);
  });
});
