import { describe, expect, it } from "vitest";
import { proposeSplit, splitOversized, type SplitProposal } from "../../src/schedule/split.js";
import { planFromSource } from "../../src/schedule/planner.js";
import { markdownFragment } from "../../src/render/splitFragment.js";
import { yamlTasks } from "../../src/render/yamlPlan.js";
import { readMarkdown } from "../../src/plan/readMarkdown.js";
import { readYaml } from "../../src/plan/readYaml.js";
import { readBreakdown } from "../../src/plan/readBreakdown.js";
import { defaultConfig } from "../../src/base/config.js";
import { formatProblem } from "../../src/base/problem.js";
import { TaskSchema, type Task, type TaskInput } from "../../src/plan/task.js";

const task = (input: Partial<TaskInput>): Task =>
  TaskSchema.parse({ id: "3", title: "Search API", domain: "backend", estimate: 90, ...input });
const parts = (proposal: SplitProposal): Task[] => {
  if (!proposal.ok) throw new Error(proposal.why);
  return proposal.parts;
};
const shape = (tasks: readonly Task[]) => tasks.map((part) => [part.id, part.estimate, part.files, part.needs]);

describe("proposeSplit", () => {
  it("divides by steps into parts of 15–25 minutes that keep the files, chain where they share them, and end on the task's own id", () => {
    const oversized = task({
      files: ["backend/search.py"],
      needs: ["1", "2"],
      steps: ["Index model", "Query parser", "Ranking", "Endpoint"],
      accept: [{ check: "Search answers in 100 ms" }],
      output: ["The query contract"],
      notToDo: ["Don't touch the UI"],
    });
    const proposal = proposeSplit(oversized, defaultConfig, new Set(["1", "2", "3"]));
    expect(proposal).toMatchObject({ ok: true, by: "steps" });
    const split = parts(proposal);
    expect(shape(split)).toEqual([
      ["3.1", 23, ["backend/search.py"], ["1", "2"]],
      ["3.2", 23, ["backend/search.py"], ["3.1"]],
      ["3.3", 22, ["backend/search.py"], ["3.2"]],
      ["3", 22, ["backend/search.py"], ["3.3"]],
    ]);
    expect(split.map((part) => part.title)).toEqual([
      "Search API (part 1 of 4)",
      "Search API (part 2 of 4)",
      "Search API (part 3 of 4)",
      "Search API (part 4 of 4)",
    ]);
    expect(split.map((part) => part.steps)).toEqual([["Index model"], ["Query parser"], ["Ranking"], ["Endpoint"]]);
    // The task's acceptance and output are the last part's; what not to do is every part's.
    expect(split.map((part) => [part.accept.length, part.output.length, part.notToDo.length])).toEqual([
      [0, 0, 1],
      [0, 0, 1],
      [0, 0, 1],
      [1, 1, 1],
    ]);
  });

  it("divides by files into parts that share none, each taking the task's dependencies", () => {
    const split = parts(
      proposeSplit(
        task({ estimate: 60, files: ["a.py", "b.py", "c.py", "d.py"], needs: ["1"] }),
        defaultConfig,
        new Set(),
      ),
    );
    expect(shape(split)).toEqual([
      ["3.1", 20, ["a.py", "b.py"], ["1"]],
      ["3.2", 20, ["c.py"], ["1"]],
      ["3", 20, ["d.py"], ["1"]],
    ]);
  });

  it("divides by acceptance items when steps and files are too few, keeping each its own check", () => {
    const proposal = proposeSplit(
      task({ estimate: 50, files: ["a.py"], accept: [{ check: "one" }, { run: "pytest two" }] }),
      defaultConfig,
      new Set(),
    );
    expect(proposal).toMatchObject({ ok: true, by: "acceptance" });
    expect(parts(proposal).map((part) => [part.id, part.estimate, part.accept, part.needs])).toEqual([
      ["3.1", 25, [{ check: "one" }], []],
      ["3", 25, [{ run: "pytest two" }], ["3.1"]],
    ]);
  });

  it("gives the parts of an unnumbered task slugs of their titles, the last one its title and id", () => {
    const split = parts(
      proposeSplit(
        task({ id: "rate-limiter", title: "Rate limiter", estimate: 40 + 10, steps: ["Count", "Limit"] }),
        defaultConfig,
        new Set(),
      ),
    );
    expect(split.map((part) => [part.id, part.title])).toEqual([
      ["rate-limiter-part-1-of-2", "Rate limiter (part 1 of 2)"],
      ["rate-limiter", "Rate limiter"],
    ]);
  });

  it("says why when a task cannot be divided mechanically: one file, no sub-items", () => {
    expect(proposeSplit(task({ files: ["backend/search.py"] }), defaultConfig, new Set())).toEqual({
      ok: false,
      task: "3",
      why: "it has 0 steps, 1 file, 0 acceptance items, and parts of at most 45 minutes need 2 of one kind to divide. List its steps under `Tasks:` (one a part), or split it by hand",
    });
    // Two steps are too few for 120 minutes: parts of 60 would still be refused.
    expect(proposeSplit(task({ estimate: 120, steps: ["a", "b"] }), defaultConfig, new Set())).toMatchObject({
      ok: false,
      why: expect.stringContaining("need 3 of one kind"),
    });
  });

  it("with too few items for parts of 25 minutes, makes as many parts as the kind with the most has, each within 45", () => {
    const split = parts(
      proposeSplit(task({ files: ["a.py", "b.py"], steps: ["Index", "Query", "Rank"] }), defaultConfig, new Set()),
    );
    expect(split.map((part) => [part.id, part.estimate, part.steps])).toEqual([
      ["3.1", 30, ["Index"]],
      ["3.2", 30, ["Query"]],
      ["3", 30, ["Rank"]],
    ]);
  });

  it("never takes another task's id", () => {
    expect(proposeSplit(task({ steps: ["a", "b", "c", "d"] }), defaultConfig, new Set(["3.2"]))).toEqual({
      ok: false,
      task: "3",
      why: "the id 3.2 its part would take is another task's",
    });
  });

  it("keeps every part within 15–25 minutes and the whole estimate, for any oversized time", () => {
    for (let minutes = 46; minutes <= 300; minutes++) {
      const split = parts(
        proposeSplit(
          task({ estimate: minutes, steps: Array.from({ length: 20 }, (_, index) => `step ${index}`) }),
          defaultConfig,
          new Set(),
        ),
      );
      expect(split.reduce((sum, part) => sum + part.estimate!, 0)).toBe(minutes);
      for (const part of split)
        expect(part.estimate! >= 15 && part.estimate! <= 25, `${minutes} min: ${part.estimate}`).toBe(true);
    }
  });
});

describe("the fragment proposed", () => {
  const oversized = task({
    files: ["backend/search.py", "backend/index/**"],
    needs: ["1"],
    steps: ["Index `model`", "Query parser\n  - quoted phrases", "Ranking", "Endpoint"],
    accept: [{ check: "Search answers in 100 ms" }, { run: "pytest backend/tests/search" }],
    notToDo: ["Don't touch the UI"],
    context: ["Ranking: BM25"],
    output: ["The query contract"],
  });
  const split = parts(proposeSplit(oversized, defaultConfig, new Set(["1", "3"])));
  const comparable = (tasks: readonly Task[]) =>
    tasks.map(({ id, title, domain, estimate, files, needs, steps, accept, notToDo, context, output }) => ({
      id,
      title,
      domain,
      estimate,
      files,
      needs,
      steps,
      accept,
      notToDo,
      context,
      output,
    }));

  it("reads back, as Markdown, as the very parts proposed", () => {
    const read = readMarkdown(
      `### 1. Model\n- **Domain:** backend\n- **Time:** 20 min\n\n${markdownFragment(split)}\n`,
    );
    expect(read.problems).toEqual([]);
    // A run item is a check in Markdown.
    const expected = comparable(split).map((part) => ({
      ...part,
      accept: part.accept.map((item) => ("run" in item ? { check: `\`${item.run}\` passes` } : item)),
    }));
    expect(comparable(read.tasks.slice(1))).toEqual(expected);
  });

  it("reads back, as YAML, as the very parts proposed", () => {
    const read = readYaml(
      `tasks:\n${yamlTasks(split).replace(/^/gmu, "  ")}\n  - { id: "1", title: Model, domain: backend, estimate: 20 }\n`,
    );
    expect(read.problems).toEqual([]);
    expect(comparable(read.tasks.slice(0, -1))).toEqual(comparable(split));
  });
});

describe("planning an oversized task", () => {
  const breakdown = [
    "### 1. Model",
    "Domain: backend",
    "Time: 20 min",
    "",
    "### 2. Search API",
    "Domain: backend",
    "Time: 1h 30m", // line 7
    "Files: `backend/search.py`",
    "Depends on: 1",
    "Tasks:",
    "- Index model",
    "- Query parser",
    "- Ranking",
    "- Endpoint",
    "",
    "### 3. Search page",
    "Domain: frontend",
    "Time: 20 min",
    "Depends on: 2",
    "",
    "### 4. Export",
    "Domain: frontend",
    "Time: 60 min", // line 23
    "Files: `frontend/export.ts`",
  ].join("\n");

  it("is refused with the split proposed, or why there is none, in the same answer as every other problem", () => {
    const result = planFromSource(readBreakdown(breakdown), defaultConfig);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map(formatProblem)).toEqual([
      'Task 2, line 7, field "Estimate": 90 min is over 45 minutes: an agent left alone that long drifts and errors surface late. Split it into 4 batches of 15–25 minutes (about 23 min each). A split by its steps is proposed below: `/plan split` (CLI: `plan --split`) plans it as 4 parts.',
      'Task 4, line 23, field "Estimate": 60 min is over 45 minutes: an agent left alone that long drifts and errors surface late. Split it into 3 batches of 15–25 minutes (about 20 min each). It cannot be split mechanically: it has 0 steps, 1 file, 0 acceptance items, and parts of at most 45 minutes need 2 of one kind to divide. List its steps under `Tasks:` (one a part), or split it by hand.',
    ]);
    expect(result.splits?.format).toBe("markdown");
    expect(result.splits?.proposals.map((proposal) => [proposal.task, proposal.ok])).toEqual([
      ["2", true],
      ["4", false],
    ]);
  });

  it("with split, plans the parts in the task's place: the first after the task's dependencies, its dependents after the last", () => {
    const result = planFromSource(readBreakdown(breakdown.replace("Time: 60 min", "Time: 20 min")), defaultConfig, {
      split: true,
    });
    expect(
      result.ok
        ? result.plan.batches.map((batch) => [batch.id, batch.estimate, batch.needs])
        : result.problems.map(formatProblem),
    ).toEqual([
      ["1", 20, []],
      ["2.1", 23, ["1"]],
      ["2.2", 23, ["2.1"]],
      ["2.3", 22, ["2.2"]],
      ["2", 22, ["2.3"]],
      ["3", 20, ["2"]],
      ["4", 20, []],
    ]);
    expect(result.ok && result.plan.warnings[0]).toBe(
      "Task 2 (90 min) is planned as 4 parts, split by its steps: 2.1, 2.2, 2.3 and 2.",
    );
  });

  it("with split, still refuses a task that cannot be divided, saying why", () => {
    const result = planFromSource(readBreakdown(breakdown), defaultConfig, { split: true });
    expect(result.ok ? [] : result.problems.map((problem) => problem.task)).toEqual(["4"]);
    expect(!result.ok && result.splits?.proposals.map((proposal) => proposal.ok)).toEqual([false]);
  });

  it("splits nothing that is within the limit", () => {
    const tasks = [task({ estimate: 45 }), task({ id: "4", estimate: 20 })];
    expect(splitOversized(tasks, defaultConfig)).toEqual({ tasks, proposals: [] });
  });
});
