/**
 * A redo starts clean: on each example plan and on a generated family of
 * plans, every batch in turn strays out of its scope on its first run and is
 * accepted on its redo. Every feature ends done, and no batch's merged work
 * holds a file outside its scope — the stray commit left the domain branch
 * before the redo, whatever the other batches did meanwhile. A batch whose
 * scope takes in everything but the protected paths can stray only into one,
 * which is refused outright (✗): it is blocked for a person, and its stray
 * never merges either.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { reportFrom } from "../../src/report/reportBlock.js";
import { judge } from "../../src/schedule/judge.js";
import { runScope } from "../../src/schedule/runScope.js";
import { simulate, type Simulation } from "../../src/sim/run.js";
import { outOfScopePath } from "../../src/sim/simulatedAgent.js";

const examples: Array<[string, { force?: boolean }]> = [
  ["examples/notifications.md", {}],
  ["examples/moderation-queue.uk.md", {}],
  ["examples/webhook-dedup-pipeline.md", {}],
  ["examples/refused-epic-deploy-docs.md", { force: true }],
  ["test/fixtures/plans/catalog-search.md", {}],
];

/** A small deterministic generator (an LCG): the same plans on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/**
 * A plan of 4–6 batches over 2–3 domains: some name files, some globs, some
 * none (their scope is what no other domain owns); some share a file within
 * their domain or across domains (a conflict zone); dependencies only on
 * earlier batches.
 */
function generatedPlan(seed: number): string {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const domains = ["backend", "frontend", "docs"].slice(0, 2 + Math.floor(next() * 2));
  const count = 4 + Math.floor(next() * 3);
  const tasks = Array.from({ length: count }, (_, index) => {
    const id = `t${index + 1}`;
    const domain = pick(domains);
    // Each kind of scope in turn, from a different start per seed.
    const files = [
      [],
      [`${domain}/${id}/**`],
      [`${domain}/${id}.ts`, `${domain}/shared.ts`],
      [`${domain}/${id}.ts`, "shared/contract.ts"],
    ][(index + seed) % 4]!;
    const needs = Array.from({ length: index }, (_, earlier) => `t${earlier + 1}`).filter(() => next() < 0.3);
    return `  - id: ${id}\n    title: Task ${index + 1}\n    domain: ${domain}\n    estimate: ${15 + Math.floor(next() * 3) * 5}\n    files: [${files.map((file) => JSON.stringify(file)).join(", ")}]\n    needs: [${needs.join(", ")}]`;
  });
  return `# Generated ${seed}\n\n\`\`\`yaml\nagents: ${domains.length}\ntasks:\n${tasks.join("\n")}\n\`\`\`\n`;
}

/** Files of each merged batch pull request that the check-in's judge would not keep: outside the batch's scope, or protected. */
function strayMerged(simulation: Simulation): string[] {
  const plan = simulation.plan!;
  const integration = simulation.state!.integration;
  return [...simulation.repo.pulls.values()]
    .filter((pull) => pull.base === integration && pull.merged)
    .flatMap((pull) => {
      const found = reportFrom(pull.body);
      const batch = found.ok ? plan.batches.find((candidate) => candidate.id === found.report.batch) : undefined;
      if (batch === undefined) return [`#${pull.number}: no batch's report`];
      return simulation.repo
        .pullFiles(pull)
        .map((file) => file.filename)
        .filter(
          (file) => judge({ path: file, newMode: "100644" }, runScope(batch, simulation.state!.config)).kind !== "keep",
        )
        .map((file) => `#${pull.number} (batch ${batch.id}): ${file}`);
    });
}

async function everyBatchStraysOnce(breakdown: string, force = false): Promise<void> {
  const planned = await simulate({ breakdown, force });
  expect(planned.status).toBe("done");
  for (const batch of planned.plan!.batches) {
    const simulation = await simulate({
      breakdown,
      force,
      scenario: { outcomes: { [batch.id]: ["out-of-scope", "accept"] }, steps: [] },
    });
    const scope = runScope(batch, simulation.state!.config);
    const protectedOnly = judge({ path: outOfScopePath(scope, "x"), newMode: "100644" }, scope).kind === "refused";
    const where = `batch ${batch.id} strays${protectedOnly ? " into a protected path" : ""}`;
    expect(simulation.problems, where).toEqual([]);
    expect(simulation.errors, where).toEqual([]);
    const runs = simulation.batches.find((candidate) => candidate.id === batch.id)!.runs.map((run) => run.outcome);
    if (protectedOnly) {
      expect([simulation.status, runs], where).toEqual(["blocked", ["blocked"]]);
    } else {
      expect([simulation.status, runs], where).toEqual(["done", ["redo", "accepted"]]);
    }
    expect(strayMerged(simulation), where).toEqual([]);
  }
}

describe("a redo starts clean: each batch in turn strays out of scope once, then is accepted", () => {
  for (const [path, options] of examples) {
    it(
      path,
      async () => {
        await everyBatchStraysOnce(
          readFileSync(new URL(`../../${path}`, import.meta.url), "utf8"),
          options.force === true,
        );
      },
      120_000,
    );
  }

  for (const seed of [3, 11, 42, 77]) {
    it(`generated plan ${seed}`, async () => {
      await everyBatchStraysOnce(generatedPlan(seed));
    }, 120_000);
  }

  it("the generated family has what the examples lack: batches without files, globs and files two domains share", () => {
    const plans = [3, 11, 42, 77].map(generatedPlan).join("\n");
    expect(plans).toContain("files: []");
    expect(plans).toMatch(/files: \["\w+\/t\d+\/\*\*"\]/);
    expect(plans).toContain('"shared/contract.ts"');
  });
});
