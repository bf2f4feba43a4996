/**
 * The project's own GitHub workflows: what CI and a release run, and how they
 * call other people's actions. (actionlint checks them too: test/runner/actionlint.test.ts.)
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import yaml from "js-yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../scripts/build-action.js";

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string;
  permissions?: Record<string, string>;
  strategy?: { matrix: Record<string, unknown[]> };
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
}

const text = (name: string) => readFileSync(join(ROOT, ".github/workflows", name), "utf8");
const workflow = (name: string) => yaml.load(text(name)) as Workflow;
const runs = (job: Job) => job.steps.flatMap((step) => (step.run === undefined ? [] : [step.run]));

describe(".github/workflows/ci.yml", () => {
  const ci = workflow("ci.yml");

  it("runs .ci/run on Node 20, 22 and 24, with no write permission", () => {
    expect(ci.permissions).toEqual({ contents: "read" });
    expect(ci.jobs.test!.strategy!.matrix.node).toEqual([20, 22, 24]);
    expect(
      ci.jobs.test!.steps.find((step) => step.uses?.startsWith("actions/setup-node@"))!.with!["node-version"],
    ).toBe("${{ matrix.node }}");
    expect(runs(ci.jobs.test!)).toEqual(["bash .ci/run"]);
  });

  it("rebuilds dist/ and compares it with the commit, and runs actionlint on every shipped workflow", () => {
    expect(runs(ci.jobs.action!)).toEqual(["npm ci", "bash .ci/check-dist", "npx tsx scripts/actionlint.ts"]);
  });
});

describe(".github/workflows/release.yml", () => {
  const release = workflow("release.yml");

  it("runs on a pushed tag vX.Y.Z, or by hand with a version", () => {
    expect(release.on.push).toEqual({ tags: ["v[0-9]+.[0-9]+.[0-9]+"] });
    expect(release.on.workflow_dispatch).toMatchObject({ inputs: { version: { required: true, type: "string" } } });
  });

  it("checks first (the tests, dist/ fresh), then only the job that runs no npm package may write", () => {
    expect(runs(release.jobs.check!)).toEqual(["bash .ci/run", "bash .ci/check-dist"]);
    expect(release.permissions).toEqual({ contents: "read" });
    expect(release.jobs.release).toMatchObject({ needs: "check", permissions: { contents: "write" } });
    expect(runs(release.jobs.release!)).toEqual(['bash .ci/release "$VERSION"']);
    expect(text("release.yml")).toContain("VERSION: ${{ inputs.version || github.ref_name }}");
  });
});

describe("the project's workflows", () => {
  it.each(["ci.yml", "release.yml"])(
    "%s pins every action by its full commit SHA, with the tag in a comment",
    (name) => {
      const uses = text(name)
        .split("\n")
        .filter((line) => /^\s*(- )?uses:/.test(line));
      expect(uses.length).toBeGreaterThan(0);
      for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    },
  );
});

describe(".ci/check-dist", () => {
  // A scratch repository holding what the build reads, with dist/ built there and committed
  // (node_modules is linked in, and the bundle names its modules by their real paths).
  const dir = mkdtempSync(join(tmpdir(), "pc-check-dist-"));
  const sh = (command: string) =>
    spawnSync("bash", ["-c", command], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", HOME: dir },
    });
  beforeAll(() => {
    for (const path of ["package.json", ".ci", "scripts", "src"])
      cpSync(join(ROOT, path), join(dir, path), { recursive: true });
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
    writeFileSync(join(dir, ".gitignore"), "node_modules\n");
    sh("npm run -s build:action && git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm dist");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("passes when dist/ and coordinator/dist/ are what npm run build:action makes of the sources", () => {
    const result = sh("bash .ci/check-dist");
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain("dist/ and coordinator/dist/ are what npm run build:action makes of the sources.");
  });

  it("fails when the build changes a file of either bundle or makes one the commit lacks, naming them", () => {
    appendFileSync(join(dir, "src/runner/actionEntry.ts"), "\nconsole.log('changed since dist/ was built');\n");
    appendFileSync(
      join(dir, "src/coordinator/coordinatorEntry.ts"),
      "\nconsole.log('changed since coordinator/dist/ was built');\n",
    );
    sh(
      "git rm -q --cached dist/package.json && git -c user.name=t -c user.email=t@t commit -qam 'a source changed, dist/ not rebuilt'",
    );
    const result = sh("bash .ci/check-dist");
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("::error title=dist/ is stale::");
    expect(result.stdout).toMatch(/^ M dist\/index\.js$/m);
    expect(result.stdout).toMatch(/^\?\? dist\/package\.json$/m);
    expect(result.stdout).toMatch(/^ M coordinator\/dist\/coordinator\/index\.js$/m);
  });
});
