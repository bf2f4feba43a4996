import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { briefFor } from "../../src/render/batchBrief.js";
import { defaultConfig } from "../../src/base/config.js";
import { planFromSource } from "../../src/schedule/planner.js";
import { readBreakdown } from "../../src/plan/readBreakdown.js";
import { reportFrom } from "../../src/report/reportBlock.js";
import { ScopeSchema } from "../../src/schedule/runScope.js";
import {
  briefFacts,
  inScopePath,
  outOfScopePath,
  playRun,
  runMinutes,
  type Outcome,
} from "../../src/sim/simulatedAgent.js";
import { ACTIONS_LOGIN, APP_LOGIN } from "../../src/fakeGitHub/conventions.js";
import { FakeGitHub } from "../../src/fakeGitHub/fakeGitHub.js";
import { AGENT_WORKFLOW } from "../../src/sim/run.js";

const plan = planFromSource(
  readBreakdown(readFileSync(new URL("../../examples/notifications.md", import.meta.url), "utf8")),
  defaultConfig,
).plan!;
const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });

describe("briefFacts", () => {
  it("reads the batch, its estimate and its check-in criteria from a brief as the app writes it", () => {
    expect(briefFacts(briefFor(plan, "1"))).toEqual({
      number: 1,
      of: 6,
      title: "Notification model and migration",
      estimate: 20,
      criteria: [
        "Migration runs without errors",
        "Models pass mypy",
        "Done within about 20min (over 30min is a red flag)",
      ],
    });
    expect(briefFacts(briefFor(plan, "4")).estimate).toBe(25);
    expect(briefFacts("no brief at all")).toEqual({ criteria: [] });
  });
});

describe("paths the agent changes", () => {
  const scope = (allow: string[], deny: string[] = []) => ScopeSchema.parse({ allow, deny });

  it("makes an in-scope file up from the first allowed pattern that gives one", () => {
    expect(inScopePath(scope(["backend/app/models/**"]), "batch-1-1")).toBe("backend/app/models/batch-1-1.txt");
    expect(inScopePath(scope(["**"]), "batch-1-1")).toBe("sim/batch-1-1.txt");
    expect(inScopePath(scope(["docs/**"]), "batch-2-1")).toBe("docs/batch-2-1.txt");
    expect(inScopePath(scope(["src/**/*.ts"]), "b")).toBe("src/b.ts");
    expect(inScopePath(scope(["*.md"]), "b")).toBe("b.md");
    expect(inScopePath(scope(["frontend/src/components/NotificationBell.tsx"]), "b")).toBe(
      "frontend/src/components/NotificationBell.tsx",
    );
    expect(inScopePath(scope(["**"], ["sim/**"]), "b")).toBe("b.txt");
    // Workflows, and every other protected path, are never made up.
    expect(inScopePath(scope([".github/workflows/**"]), "b")).toBeUndefined();
  });

  it("strays into another domain's files, else into a workflow", () => {
    expect(outOfScopePath(scope(["backend/**"], ["frontend/**"]), "b")).toBe("frontend/b.txt");
    expect(outOfScopePath(scope(["**"]), "b")).toBe(".github/workflows/evil.yml");
  });
});

describe("playRun", () => {
  function setup() {
    const github = new FakeGitHub({ appId: 1, publicKey, installationId: 2, clock: () => "2026-01-05T09:20:00Z" });
    const repo = github.createRepo({
      owner: "acme",
      name: "shop",
      files: { "README.md": "# shop\n", ".github/workflows/agent.yml": AGENT_WORKFLOW },
    });
    const issue = github.createIssue(repo, { title: "Feature", body: "", user: "maintainer" });
    const main = repo.branch("main")!;
    github.createRef(repo, "refs/heads/pc/1", main, APP_LOGIN);
    github.createRef(repo, "refs/heads/pc/1-backend", main, APP_LOGIN);
    const batch = plan.batches[0]!;
    const inputs = {
      issue: String(issue.number),
      batch: batch.id,
      attempt: "1",
      key: "pc-1-1-1",
      base: "pc/1",
      scope: JSON.stringify(batch.scope),
      brief: briefFor(plan, batch.id),
    };
    const run = github.dispatch(repo, repo.workflows()[0]!, "pc/1-backend", inputs, APP_LOGIN);
    return { github, repo, run, batch, play: (outcome: Outcome) => playRun(github, repo, run, outcome) };
  }

  it("accept: one in-scope change on the domain branch and a pull request whose body holds a valid report of this run", () => {
    const { repo, run, batch, play } = setup();
    expect(play("accept")).toBe("success");
    const pull = [...repo.pulls.values()][0]!;
    expect(pull).toMatchObject({
      head: "pc/1-backend",
      base: "pc/1",
      user: ACTIONS_LOGIN,
      title: "[#1] Batch 1 of 6: Notification model and migration",
    });
    expect(repo.pullFiles(pull).map((file) => file.filename)).toEqual(["backend/app/models/notification.py"]);
    const report = reportFrom(pull.body);
    expect(report.ok).toBe(true);
    if (!report.ok) return;
    expect(report.report).toMatchObject({
      version: 1,
      issue: 1,
      batch: batch.id,
      run: run.id,
      status: "Complete",
      outOfScope: [],
      integrationPoints: ["Batch 1 contract at backend/app/models/notification.py:1"],
    });
    expect(report.report.changes).toEqual([
      { file: "backend/app/models/notification.py", line: 1, summary: "Notification model and migration (scripted)" },
    ]);
    expect(report.report.acceptance.every((item) => item.passed)).toBe(true);
    expect(runMinutes(run, "accept")).toBe(20);
    expect(runMinutes(run, "slow")).toBe(40);
  });

  it("out-of-scope: also changes a file outside the scope and says so; the next accepted run leaves the branch as it finds it and updates the pull request", () => {
    const { repo, run, play } = setup();
    expect(play("out-of-scope")).toBe("success");
    const pull = [...repo.pulls.values()][0]!;
    const files = repo.pullFiles(pull).map((file) => file.filename);
    expect(files).toHaveLength(2);
    const report = reportFrom(pull.body);
    expect(report.ok && report.report.outOfScope).toEqual([
      { file: files.find((file) => file !== "backend/app/models/notification.py"), reverted: false },
    ]);

    run.inputs = { ...run.inputs, attempt: "2" };
    expect(play("accept")).toBe("success");
    expect(repo.pulls.size).toBe(1);
    // Clearing what an earlier run left on the branch is the app's job (it moves the branch back before a redo).
    expect(
      repo
        .pullFiles(pull)
        .map((file) => file.filename)
        .sort(),
    ).toEqual(files.sort());
    expect(pull.body).toContain("attempt 2");
  });

  it("blocked: commits nothing and posts a Blocked report as github-actions[bot]; fail: nothing at all", () => {
    const { repo, run, play } = setup();
    expect(play("blocked")).toBe("success");
    expect(repo.pulls.size).toBe(0);
    const comment = [...repo.comments.values()][0]!;
    expect(comment.user).toBe(ACTIONS_LOGIN);
    const report = reportFrom(comment.body);
    expect(report.ok && report.report).toMatchObject({
      status: "Blocked",
      run: run.id,
      blockers: [expect.stringContaining("needs a decision")],
    });

    const before = repo.branch("pc/1-backend");
    expect(play("fail")).toBe("failure");
    expect(repo.branch("pc/1-backend")).toBe(before);
  });

  it("fails the run when GitHub refuses the runner (no base branch) or the inputs are unusable", () => {
    const { run, play } = setup();
    run.inputs = { ...run.inputs, base: "nope" };
    expect(play("accept")).toBe("failure");
    run.inputs = { ...run.inputs, base: "pc/1", scope: "not json" };
    expect(play("accept")).toBe("failure");
  });
});
