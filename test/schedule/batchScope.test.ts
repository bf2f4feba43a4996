import { describe, expect, it } from "vitest";
import { planFromSource } from "../../src/schedule/planner.js";
import { readBreakdown } from "../../src/plan/readBreakdown.js";
import { configFromObject, defaultConfig, type Config } from "../../src/base/config.js";
import { formatProblem } from "../../src/base/problem.js";
import { domainGlobs } from "../../src/plan/domain.js";
import { normalizePattern } from "../../src/plan/glob.js";
import { TaskSchema, type Task } from "../../src/plan/task.js";
import { prng } from "./support.js";

const config = (value: object): Config => {
  const result = configFromObject(value);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
};

describe("a batch's scope never widens what its author wrote", () => {
  it("refuses a batch whose every file is another domain's conflict zone, naming the owner, at its Files line", () => {
    const text = [
      "### 1. Types",
      "Domain: backend",
      "Files: `shared/types.ts`, `backend/api.py`",
      "Time: 20 min",
      "",
      "### 2. Use the types",
      "Domain: frontend",
      "Time: 20 min",
      "Files: `shared/types.ts`", // line 9
      "Depends on: 1",
    ].join("\n");
    const cfg = config({ domains: { frontend: { files: ["frontend/**"] } } });
    for (const options of [{}, { force: true }]) {
      const result = planFromSource(readBreakdown(text), cfg, options);
      expect(result.ok ? [] : result.problems.map(formatProblem)).toEqual([
        'Task 2, line 9, field "Files": every file it names (`shared/types.ts`) is a conflict zone of backend, so it has nothing of its own to change. Move the task to domain backend, or give it files of its own.',
      ]);
    }
    // With a file of its own, it is planned, and may change only that file.
    const fixed = planFromSource(
      readBreakdown(
        text.replace("Files: `shared/types.ts`\nDepends", "Files: `shared/types.ts`, `frontend/page.tsx`\nDepends"),
      ),
      cfg,
    );
    expect(fixed.ok ? fixed.plan.batches[1]?.scope.allow : fixed.problems.map(formatProblem)).toEqual([
      "frontend/page.tsx",
    ]);
  });

  it("holds for random plans: allowed files are a subset of what the batch's tasks name, or its domain's globs when they name none", () => {
    const pool = [
      "backend/a.py",
      "backend/**",
      "frontend/b.ts",
      "frontend/src/**",
      "shared/types.ts",
      "shared/**",
      "docs/x.md",
      "lib/util.ts",
    ];
    const domains = ["backend", "frontend", "docs"];
    let planned = 0;
    let refused = 0;
    let zones = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const rand = prng(seed);
      const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
      const cfg =
        rand() < 0.5
          ? defaultConfig
          : config({
              domains: { backend: { files: ["backend/**"] }, frontend: { files: ["frontend/**"] } },
              ...(rand() < 0.5 ? { owners: { "shared/types.ts": pick(["backend", "frontend"]) } } : {}),
            });
      const count = 2 + Math.floor(rand() * 8);
      const tasks: Task[] = Array.from({ length: count }, (_, index) =>
        TaskSchema.parse({
          id: String(index + 1),
          title: `Task ${index + 1}`,
          domain: pick(domains),
          estimate: 15 + Math.floor(rand() * 11),
          files: [...new Set(Array.from({ length: Math.floor(rand() * 3) }, () => pick(pool)))],
          needs: index > 0 && rand() < 0.5 ? [String(1 + Math.floor(rand() * index))] : [],
        }),
      );
      const result = planFromSource({ tasks, context: [], problems: [] }, cfg, { force: true });
      if (!result.ok) {
        refused++;
        for (const problem of result.problems)
          expect(problem.message, `seed ${seed}`).toMatch(
            /is a conflict zone of .*, so it has nothing of its own to change/,
          );
        continue;
      }
      planned++;
      zones += result.plan.conflicts.length;
      for (const batch of result.plan.batches) {
        const named = new Set(
          tasks.filter((task) => batch.tasks.includes(task.id)).flatMap((task) => task.files.map(normalizePattern)),
        );
        const globs = domainGlobs(batch.domain, cfg);
        const expected = named.size > 0 ? [...named] : globs.length > 0 ? globs : ["**"];
        for (const allowed of batch.scope.allow) expect(expected, `seed ${seed}, batch ${batch.id}`).toContain(allowed);
        if (named.size === 0) expect(batch.scope.allow, `seed ${seed}, batch ${batch.id}`).toEqual(expected);
      }
    }
    // The random plans reach every case: planned with conflict zones, and refused.
    expect(planned).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(10);
    expect(zones).toBeGreaterThan(50);
  });
});
