import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfigSchema, defaultConfig, type ConfigInput } from "../../src/base/config.js";
import type { ChangedFile } from "../../src/state/checkIn.js";
import type { Event } from "../../src/state/events.js";
import {
  FEATURE_YAML,
  at,
  completed,
  decideAndWrite,
  dispatches,
  evidence,
  ofKind,
  play,
  report,
  running,
  setup,
  startDispatches,
  T0,
} from "./support.js";

const configOf = (input: ConfigInput) => ConfigSchema.parse(input);

/** A clean check-in of `batch`'s run with its pull request, then the merge GitHub answered. */
function accepted(batch: string, runId: number, pr: number, files: string[], merge: string, when: string): Event[] {
  return [
    completed(runId, 18, when, { evidence: evidence(pr, files, report(batch, runId)) }),
    { kind: "merged", at: when, batch, sha: merge },
  ];
}

describe("decide: start", () => {
  it("makes the integration branch, then dispatches the ready batches within the agents and one per domain", () => {
    const { plan, state } = setup();
    const { state: next, effects } = decideAndWrite(state, { kind: "start", at: T0 }, plan);

    expect(effects[0]).toEqual({ kind: "createBranch", branch: "parallel-coordinator/12", sha: "base-sha" });
    // `model` is ready too, but the backend already has a run: one run per domain.
    expect(dispatches(effects).map((d) => [d.batch, d.attempt, d.key, d.ref, d.create, d.sync])).toEqual([
      ["api", 1, "pc-12-api-1", "parallel-coordinator/12-backend", "base-sha", undefined],
      ["styles", 1, "pc-12-styles-1", "parallel-coordinator/12-frontend", "base-sha", undefined],
    ]);
    expect(effects).toHaveLength(3);
    const api = dispatches(effects)[0]!;
    expect(api.inputs).toMatchObject({
      issue: "12",
      batch: "api",
      attempt: "1",
      key: "pc-12-api-1",
      base: "parallel-coordinator/12",
    });
    expect(JSON.parse(api.inputs.scope!)).toEqual({
      allow: ["backend/api/**"],
      deny: ["frontend/styles/**", "frontend/bell/**"],
    });
    expect(api.inputs.brief).toContain("**Batch**: 1 of 4 - Notification API");

    expect(next.status).toBe("running");
    expect(Object.fromEntries(Object.entries(next.batches).map(([id, batch]) => [id, batch.status]))).toEqual({
      api: "dispatched",
      styles: "dispatched",
      model: "pending",
      ui: "pending",
    });
    expect(next.batches.api!.runs).toEqual([{ attempt: 1, key: "pc-12-api-1", dispatchedAt: T0 }]);
    // The input state is not changed: decide is pure.
    expect(state.status).toBe("planned");
    expect(state.batches.api!.runs).toEqual([]);
  });

  it("never runs more batches at once than the agents, even across domains", () => {
    const yaml = `agents: 2
tasks:
  - { id: a, title: A, domain: docs, files: ["docs/**"], estimate: 20 }
  - { id: b, title: B, domain: backend, files: ["backend/**"], estimate: 20 }
  - { id: c, title: C, domain: frontend, files: ["frontend/**"], estimate: 20 }
`;
    const { plan, state } = setup(yaml);
    const { effects } = decideAndWrite(state, { kind: "start", at: T0 }, plan);
    expect(dispatches(effects)).toHaveLength(2);
  });

  it("dispatches in the schedule's order, not the checklist's", () => {
    // Checklist: docs, tools, core, front (needs core). With two agents only
    // core-first reaches the 40-minute optimum; checklist order would take 60.
    const yaml = `agents: 2
tasks:
  - { id: docs, title: Docs, domain: docs, files: ["docs/**"], estimate: 20 }
  - { id: tools, title: Tools, domain: tools, files: ["tools/**"], estimate: 20 }
  - { id: core, title: Core, domain: backend, files: ["backend/**"], estimate: 20 }
  - { id: front, title: Front, domain: frontend, files: ["frontend/**"], estimate: 20, needs: [core] }
`;
    const { plan, state } = setup(yaml);
    expect(plan.schedule.makespan).toBe(40);
    const { effects } = decideAndWrite(state, { kind: "start", at: T0 }, plan);
    const order = dispatches(effects).map((d) => d.batch);
    expect(order).toContain("core");
    expect(order).toHaveLength(2);
    const starts = order.map((id) => plan.schedule.start[id]);
    expect(starts).toEqual([...starts].sort((a, b) => a! - b!));
  });
});

describe("decide: dispatched", () => {
  it("records the run id GitHub answered with", () => {
    const { state } = running();
    expect(state.batches.api!.runs[0]!.id).toBe(101);
    expect(state.batches.styles!.runs[0]!.id).toBe(102);
  });

  it("ignores the answer for an attempt that is not the batch's latest", () => {
    const { plan, state } = running();
    const decision = decideAndWrite(
      state,
      { kind: "dispatched", at: at(1), batch: "api", attempt: 2, runId: 999 },
      plan,
    );
    expect(decision.state).toBe(state);
    expect(decision.effects).toEqual([]);
  });
});

describe("decide: check-in and sync", () => {
  it("accepts a clean run: a ✓ check run on the pull request's head, then the merge", () => {
    const { plan, state } = running();
    const { state: next, effects } = decideAndWrite(
      state,
      completed(101, 18, at(18), { evidence: evidence(501, ["backend/api/routes.py"], report("api", 101)) }),
      plan,
    );
    expect(effects).toEqual([
      {
        kind: "checkRun",
        batch: "api",
        run: 101,
        sha: "head-501",
        verdict: "accept",
        title: "✓ Accepted",
        summary: "Scope, acceptance and report all check out.",
        outOfScope: [],
        // No buttons on a ✓.
        actions: [],
      },
      {
        kind: "merge",
        batch: "api",
        pr: 501,
        sha: "head-501",
        title: "Batch 1 of 4: Notification API",
        head: "parallel-coordinator/12-backend",
        base: "parallel-coordinator/12",
      },
    ]);
    expect(next.batches.api).toMatchObject({ status: "checking", pr: 501, summary: "Finished api." });
    expect(next.batches.api!.runs[0]).toMatchObject({ id: 101, outcome: "accepted", completedAt: at(18), minutes: 18 });
  });

  it("on the merge: the batch is accepted, the head moves, and dependents start with the predecessor's integration points", () => {
    const { plan, state } = running();
    const { state: next, effects } = play(plan, state, [
      ...accepted("styles", 102, 502, ["frontend/styles/bell.css"], "merge-1", at(15)),
      ...accepted("api", 101, 501, ["backend/api/routes.py"], "merge-2", at(20)),
    ]);
    expect(next.batches.api!.status).toBe("accepted");
    expect(next.batches.styles!.status).toBe("accepted");
    expect(next.head).toBe("merge-2");

    // The styles merge frees the frontend, but `ui` still waits for `api`: nothing to dispatch then.
    const sent = dispatches(effects);
    // Both domain branches are behind, and hold nothing unmerged: each goes to the integration head.
    expect(sent.map((d) => [d.batch, d.attempt, d.create, d.reset, d.sync])).toEqual([
      ["model", 1, undefined, "merge-2", undefined],
      ["ui", 1, undefined, "merge-2", undefined],
    ]);
    const ui = sent.find((d) => d.batch === "ui")!;
    expect(ui.inputs.brief).toContain("From Batch 1 - Notification API (backend), finished:");
    expect(ui.inputs.brief).toContain("Integration point: api: GET /api/api returns {id, text}");
    expect(ui.inputs.brief).toContain("`api/file.ts:3` — api done");
    expect(next.status).toBe("running");
  });

  it("a merged pull request of the domain's own batch leaves its branch up to date: its next batch starts on it as it is", () => {
    const { plan, state } = running();
    const { effects } = play(plan, state, accepted("api", 101, 501, ["backend/api/routes.py"], "merge-1", at(20)));
    const model = dispatches(effects).find((d) => d.batch === "model")!;
    expect(model).toBeDefined();
    expect([model.create, model.reset, model.sync]).toEqual([undefined, undefined, undefined]);
  });

  it("with squash or rebase merges the domain branch lacks the integration commit: it goes to the integration head, which holds the batch's work", () => {
    const { plan, state } = running(setup(FEATURE_YAML, { ...defaultConfig, mergeMethod: "squash" }));
    const { effects } = play(plan, state, accepted("api", 101, 501, ["backend/api/routes.py"], "squash-1", at(20)));
    const model = dispatches(effects).find((d) => d.batch === "model")!;
    expect([model.reset, model.sync, model.close]).toEqual(["squash-1", undefined, undefined]);
  });

  it("a run whose pull request is merged already (the step failed after the merge and runs again): no second check run or merge, the head moves", () => {
    const { plan, state } = running();
    const merged = evidence(501, ["backend/api/routes.py"], report("api", 101), true);
    merged.pr!.baseSha = "integration-head";
    const { state: next, effects } = decideAndWrite(state, completed(101, 18, at(18), { evidence: merged }), plan);
    expect(ofKind(effects, "checkRun")).toEqual([]);
    expect(ofKind(effects, "merge")).toEqual([]);
    expect(next.batches.api).toMatchObject({ status: "accepted", pr: 501 });
    expect(next.head).toBe("integration-head");
    // model starts from the head that has api's work.
    const model = dispatches(effects).find((d) => d.batch === "model")!;
    expect(model.reset).toBe("integration-head");
  });

  it("a run over 150 % of the estimate is accepted with a note and a red flag on the check run", () => {
    const { plan, state } = running();
    const { state: next, effects } = decideAndWrite(
      state,
      completed(101, 31, at(31), { evidence: evidence(501, ["backend/api/routes.py"], report("api", 101)) }),
      plan,
    );
    expect(ofKind(effects, "checkRun")[0]).toMatchObject({ verdict: "accept", title: "✓ Accepted (red flag: slow)" });
    expect(ofKind(effects, "checkRun")[0]!.summary).toContain(
      "Red flag: took 31 min, over 150 % of the 20-minute estimate.",
    );
    expect(ofKind(effects, "merge")).toHaveLength(1);
    expect(next.notes).toEqual(["Batch 1 took 31 min for a 20-minute estimate."]);
  });

  it("exactly 150 % is not a red flag", () => {
    const { plan, state } = running();
    const { state: next, effects } = decideAndWrite(
      state,
      completed(101, 30, at(30), { evidence: evidence(501, ["backend/api/routes.py"], report("api", 101)) }),
      plan,
    );
    expect(ofKind(effects, "checkRun")[0]!.title).toBe("✓ Accepted");
    expect(next.notes).toEqual([]);
  });
});

describe("decide: failures and blockers", () => {
  it("a failed run is retried automatically, then blocks with a blocker comment", () => {
    const { plan, state } = running();
    const first = decideAndWrite(state, completed(101, 5, at(5), { conclusion: "failure" }), plan);
    expect(first.effects.map((e) => e.kind)).toEqual(["dispatch"]);
    const retry = dispatches(first.effects)[0]!;
    expect([retry.batch, retry.attempt, retry.key]).toEqual(["api", 2, "pc-12-api-2"]);
    expect(retry.inputs.brief).toContain("The previous run ended with failure; this is automatic retry 1 of 1.");
    expect(first.state.batches.api).toMatchObject({ status: "dispatched", retries: 1 });
    expect(first.state.batches.api!.runs[0]!.outcome).toBe("failed");

    const withId = decideAndWrite(
      first.state,
      { kind: "dispatched", at: at(5), batch: "api", attempt: 2, runId: 201 },
      plan,
    ).state;
    const second = decideAndWrite(withId, completed(201, 4, at(10), { conclusion: "timed_out" }), plan);
    // No third run of api; the backend is free for the next batch that does not wait for api.
    expect(dispatches(second.effects).map((d) => d.batch)).toEqual(["model"]);
    const [comment] = ofKind(second.effects, "comment");
    expect(comment!.key).toBe("blocker-api-2");
    expect(comment!.body).toContain("### ⛔ Blocker: Batch 1 — Notification API");
    expect(comment!.body).toContain("The run timed out again after 1 automatic retry.");
    expect(comment!.body).toContain("`/retry 1`");
    expect(second.state.batches.api!.status).toBe("blocked");
    // styles still runs, so the coordination is not blocked.
    expect(second.state.status).toBe("running");
  });

  it("with retries: 0 a cancelled run blocks at once", () => {
    const { plan, state } = running(setup(FEATURE_YAML, { ...defaultConfig, retries: 0 }));
    const { state: next, effects } = decideAndWrite(state, completed(101, 2, at(2), { conclusion: "cancelled" }), plan);
    expect(ofKind(effects, "comment")[0]!.body).toContain("The run was cancelled.");
    expect(next.batches.api!.runs[0]!.outcome).toBe("cancelled");
    expect(next.batches.api!.status).toBe("blocked");
  });

  it("a report with status Blocked blocks the batch: ✗ check run and a blocker comment with the agent's reason", () => {
    const { plan, state } = running();
    const { state: next, effects } = decideAndWrite(
      state,
      completed(101, 12, at(12), {
        evidence: evidence(
          501,
          ["backend/api/routes.py"],
          report("api", 101, { status: "Blocked", blockers: ["The schema for users is undecided"] }),
        ),
      }),
      plan,
    );
    // Its work stays on the backend branch, in its pull request: model (backend) waits for a person's decision.
    expect(effects.map((e) => e.kind)).toEqual(["checkRun", "comment"]);
    expect(ofKind(effects, "merge")).toEqual([]);
    expect(ofKind(effects, "checkRun")[0]).toMatchObject({
      verdict: "major",
      title: "✗ Major problems: blocked until a person decides",
    });
    expect(ofKind(effects, "comment")[0]!.body).toContain(
      "The agent reports Blocked: The schema for users is undecided",
    );
    expect(ofKind(effects, "comment")[0]!.body).toMatch(
      /backend's next batches wait too \(Batch \d — [^)]+\): this batch's work is on their branch, in #501\./,
    );
    expect(ofKind(effects, "comment")[0]!.body).toContain(
      "leaves it out (#501 closes unmerged, dependents go on without it)",
    );
    expect(next.batches.api!.status).toBe("blocked");
    expect(next.batches.api!.runs[0]!.outcome).toBe("blocked");
  });

  it("a change outside the scope: ⚠ redo whose brief names the files the first time, ✗ blocked the second", () => {
    const { plan, state } = running();
    const files = ["backend/api/routes.py", "frontend/styles/bell.css"];
    const first = decideAndWrite(
      state,
      completed(101, 15, at(15), { evidence: evidence(501, files, report("api", 101)) }),
      plan,
    );
    expect(first.effects.map((e) => e.kind)).toEqual(["checkRun", "dispatch"]);
    expect(ofKind(first.effects, "checkRun")[0]).toMatchObject({
      verdict: "minor",
      outOfScope: ["frontend/styles/bell.css"],
    });
    const redo = dispatches(first.effects)[0]!;
    expect([redo.batch, redo.attempt, redo.key]).toEqual(["api", 2, "pc-12-api-2"]);
    expect(redo.inputs.brief).toContain("This batch is a redo. Fix what the last check-in found:");
    expect(redo.inputs.brief).toContain(
      "Scope: 1 file outside the batch (`frontend/styles/bell.css`). Leave them to their owners.",
    );
    expect(first.state.batches.api).toMatchObject({ status: "dispatched", redos: 1, scopeStrikes: 1 });
    expect(first.state.batches.api!.runs[0]!.outcome).toBe("redo");
    // The redo starts clean: the backend branch goes back to the integration head and #501, which showed the stray file, closes.
    expect([redo.reset, redo.close, redo.sync]).toEqual(["base-sha", 501, undefined]);
    expect(first.state.batches.api!.pr).toBeUndefined();

    const withId = decideAndWrite(
      first.state,
      { kind: "dispatched", at: at(15), batch: "api", attempt: 2, runId: 201 },
      plan,
    ).state;
    const second = decideAndWrite(
      withId,
      completed(201, 10, at(25), { evidence: evidence(501, files, report("api", 201)) }),
      plan,
    );
    expect(second.effects.map((e) => e.kind)).toEqual(["checkRun", "comment"]);
    expect(ofKind(second.effects, "checkRun")[0]!.verdict).toBe("major");
    expect(ofKind(second.effects, "comment")[0]!.body).toContain("the second time");
    expect(second.state.batches.api!.status).toBe("blocked");
    expect(ofKind(second.effects, "merge")).toEqual([]);
  });

  it("a change the runner reverted still counts as out of scope", () => {
    const { plan, state } = running();
    const { effects } = decideAndWrite(
      state,
      completed(101, 15, at(15), {
        evidence: evidence(
          501,
          ["backend/api/routes.py"],
          report("api", 101, { outOfScope: [{ file: "frontend/bell/x.tsx", reverted: true }] }),
        ),
      }),
      plan,
    );
    expect(ofKind(effects, "checkRun")[0]).toMatchObject({ verdict: "minor", outOfScope: ["frontend/bell/x.tsx"] });
  });

  it("a workflow file, or any protected path, is refused: blocked for a person, unless the config opens it for the batch's domain", () => {
    const { plan, state } = running();
    const { effects, state: next } = decideAndWrite(
      state,
      completed(101, 15, at(15), {
        evidence: evidence(
          501,
          ["backend/api/x.py", ".github/workflows/ci.yml", "backend/api/.npmrc"],
          report("api", 101),
        ),
      }),
      plan,
    );
    const check = ofKind(effects, "checkRun")[0]!;
    expect(check).toMatchObject({ verdict: "major", outOfScope: [] });
    expect(check.summary).toContain("- Refused: `.github/workflows/ci.yml` (protected: GitHub configuration");
    expect(check.summary).toContain("; `backend/api/.npmrc` (protected: package-manager configuration");
    expect(check.summary).toContain("The runner puts such changes back: they reached the pull request past it.");
    expect(next.batches.api!.status).toBe("blocked");
    expect(ofKind(effects, "merge")).toEqual([]);

    // Opened for the backend domain by the config: the workflow is then judged by the batch's scope, which it is outside of.
    const opened = running(
      setup(FEATURE_YAML, configOf({ domains: { backend: { allowProtected: [".github/workflows/ci.yml"] } } })),
    );
    const judged = decideAndWrite(
      opened.state,
      completed(101, 15, at(15), { evidence: evidence(501, [".github/workflows/ci.yml"], report("api", 101)) }),
      opened.plan,
    );
    expect(ofKind(judged.effects, "checkRun")[0]).toMatchObject({
      verdict: "minor",
      outOfScope: [".github/workflows/ci.yml"],
    });
  });

  it("judges both names of a rename: a workflow renamed into the scope is refused", () => {
    const { plan, state } = running();
    const { effects } = decideAndWrite(
      state,
      completed(101, 15, at(15), {
        evidence: evidence(
          501,
          [{ path: "backend/api/ci.yml", previous: ".github/workflows/ci.yml", mode: "100644" }],
          report("api", 101),
        ),
      }),
      plan,
    );
    expect(ofKind(effects, "checkRun")[0]).toMatchObject({ verdict: "major" });
    expect(ofKind(effects, "checkRun")[0]!.summary).toContain("Refused: `.github/workflows/ci.yml` (protected:");
    // A rename out of another domain's files is out of scope by its old name.
    const moved = decideAndWrite(
      state,
      completed(101, 15, at(15), {
        evidence: evidence(
          501,
          [{ path: "backend/api/bell.css", previous: "frontend/styles/bell.css", mode: "100644" }],
          report("api", 101),
        ),
      }),
      plan,
    );
    expect(ofKind(moved.effects, "checkRun")[0]).toMatchObject({
      verdict: "minor",
      outOfScope: ["frontend/styles/bell.css"],
    });
  });

  it("refuses a symlink or a submodule in the scope unless the config allows them for the domain, and a symlink out of the scope always", () => {
    const link = (target?: string): ChangedFile => ({
      path: "backend/api/link",
      mode: "120000",
      ...(target === undefined ? {} : { target }),
    });
    const submodule: ChangedFile = { path: "backend/api/vendor", mode: "160000" };
    const { plan, state } = running();
    const refused = decideAndWrite(
      state,
      completed(101, 15, at(15), { evidence: evidence(501, [link(), submodule], report("api", 101)) }),
      plan,
    );
    const summary = ofKind(refused.effects, "checkRun")[0]!.summary;
    expect(summary).toContain("`backend/api/link` (a symlink, which the batch's scope does not allow)");
    expect(summary).toContain("`backend/api/vendor` (a submodule, which the batch's scope does not allow)");

    const allowed = running(
      setup(FEATURE_YAML, configOf({ domains: { backend: { allowSymlinks: true, allowSubmodules: true } } })),
    );
    const kept = decideAndWrite(
      allowed.state,
      completed(101, 15, at(15), { evidence: evidence(501, [link("routes.py"), submodule], report("api", 101)) }),
      allowed.plan,
    );
    expect(ofKind(kept.effects, "checkRun")[0]).toMatchObject({ verdict: "accept" });
    const outside = decideAndWrite(
      allowed.state,
      completed(101, 15, at(15), {
        evidence: evidence(501, [link("../../.github/workflows/ci.yml")], report("api", 101)),
      }),
      allowed.plan,
    );
    expect(ofKind(outside.effects, "checkRun")[0]!.summary).toContain(
      "`backend/api/link` (a symlink to a protected path",
    );
  });

  it("refuses a pull request over the 3,000 files GitHub lists as too large to check in", () => {
    const { plan, state } = running();
    const listed = Array.from({ length: 3_000 }, (_, index) => `backend/api/${index}.py`);
    const big = evidence(501, listed, report("api", 101));
    const { effects, state: next } = decideAndWrite(
      state,
      completed(101, 15, at(15), { evidence: { ...big, pr: { ...big.pr!, changedFiles: 3_001 } } }),
      plan,
    );
    expect(ofKind(effects, "checkRun")[0]).toMatchObject({ verdict: "major" });
    expect(ofKind(effects, "checkRun")[0]!.summary).toContain(
      "#501 changes 3,001 files, more than the 3,000 GitHub lists of a pull request: too large to check in.",
    );
    expect(next.batches.api!.status).toBe("blocked");
  });

  it("a failed acceptance check: one redo, then blocked", () => {
    const { plan, state } = running();
    const failing = (run: number) =>
      report("api", run, {
        acceptance: [
          { check: "pytest backend/tests/api", passed: false, output: "collected 3\nFAILED test_list - 500" },
        ],
      });
    const first = decideAndWrite(
      state,
      completed(101, 15, at(15), { evidence: evidence(501, ["backend/api/routes.py"], failing(101)) }),
      plan,
    );
    const redo = dispatches(first.effects)[0]!;
    expect(redo.attempt).toBe(2);
    expect(redo.inputs.brief).toContain("Acceptance failed: `pytest backend/tests/api` — FAILED test\\_list - 500");

    const withId = decideAndWrite(
      first.state,
      { kind: "dispatched", at: at(15), batch: "api", attempt: 2, runId: 201 },
      plan,
    ).state;
    const second = decideAndWrite(
      withId,
      completed(201, 15, at(30), { evidence: evidence(501, ["backend/api/routes.py"], failing(201)) }),
      plan,
    );
    expect(second.state.batches.api!.status).toBe("blocked");
    expect(ofKind(second.effects, "comment")[0]!.body).toContain("Already redone once");
    expect(dispatches(second.effects)).toEqual([]);
  });

  it("a missing report or one of another run is ⚠, never ✓", () => {
    const { plan, state } = running();
    const missing = decideAndWrite(
      state,
      completed(101, 15, at(15), { evidence: evidence(501, ["backend/api/routes.py"], undefined) }),
      plan,
    );
    expect(ofKind(missing.effects, "checkRun")[0]!.verdict).toBe("minor");
    const other = decideAndWrite(
      state,
      completed(101, 15, at(15), { evidence: evidence(501, ["backend/api/routes.py"], report("api", 999)) }),
      plan,
    );
    expect(ofKind(other.effects, "checkRun")[0]!.summary).toContain(
      "The report belongs to run 999 of batch api, not to run 101 of batch api.",
    );
    expect(ofKind(other.effects, "merge")).toEqual([]);
  });

  it("a merge GitHub refuses (405) blocks the batch with the reason", () => {
    const { plan, state } = running();
    const { state: next, effects } = play(plan, state, [
      completed(101, 15, at(15), { evidence: evidence(501, ["backend/api/routes.py"], report("api", 101)) }),
      {
        kind: "mergeRefused",
        at: at(15),
        batch: "api",
        cause: "refused",
        reason: 'Merge commits are not allowed on this repository. (HTTP 405; merge method "merge")',
      },
    ]);
    expect(next.batches.api!.status).toBe("blocked");
    expect(next.batches.api!.blocker).toBe(
      'GitHub refused to merge the pull request: Merge commits are not allowed on this repository. (HTTP 405; merge method "merge")',
    );
    expect(ofKind(effects, "comment")[0]!.body).toContain("Merge commits are not allowed on this repository.");
    expect(next.head).toBe("base-sha");
  });

  it("a merge conflict goes back to the agent once: the batch runs again on the integration branch as GitHub showed it, its brief naming the files and the merged work to keep", () => {
    const { plan, state } = running();
    const { state: next, effects } = play(plan, state, [
      ...accepted("styles", 102, 502, ["frontend/styles/bell.css"], "merge-1", at(10)),
      completed(101, 15, at(15), { evidence: evidence(501, ["backend/api/routes.py"], report("api", 101)) }),
      {
        kind: "mergeRefused",
        at: at(15),
        batch: "api",
        cause: "conflict",
        reason: "Pull Request is not mergeable",
        files: ["frontend/styles/bell.css"],
        integrationHead: "pushed-by-someone",
      },
    ]);
    expect(ofKind(effects, "comment")).toEqual([]);
    expect(next.integrationIssues).toBe(1);
    expect(next.head).toBe("pushed-by-someone");
    expect(next.batches.api).toMatchObject({
      status: "dispatched",
      handBacks: 1,
      conflict: { files: ["frontend/styles/bell.css"] },
      redos: 0,
    });
    // The run the check-in accepted keeps its outcome; the hand-back is a new run.
    expect(next.batches.api!.runs.map((run) => run.outcome)).toEqual(["accepted", undefined]);
    const again = dispatches(effects).find((d) => d.batch === "api" && d.attempt === 2)!;
    expect([again.reset, again.close, again.sync]).toEqual(["pushed-by-someone", 501, undefined]);
    expect(again.inputs.brief).toContain(
      "This batch runs again: its last work conflicted with work merged into the integration branch since.",
    );
    expect(again.inputs.brief).toContain("Files changed on both sides: `frontend/styles/bell.css`");
    // styles's planned files take in the file: its merged work and contracts are to keep.
    expect(again.inputs.brief).toContain(
      "From Batch 2 - Bell styles (frontend), merged — keep its work and its contracts:",
    );
    expect(again.inputs.brief).toContain("Integration point: styles: GET /api/styles returns {id, text}");
  });

  it("only the second conflict is a blocker: it names both sides, this batch's branch and domain and each file's owner", () => {
    const { plan, state } = running();
    const conflict = (when: number, files?: string[]): Event => ({
      kind: "mergeRefused",
      at: at(when),
      batch: "api",
      cause: "conflict",
      reason: "Pull Request is not mergeable",
      ...(files === undefined ? {} : { files }),
    });
    const { state: next, effects } = play(plan, state, [
      ...accepted("styles", 102, 502, ["frontend/styles/bell.css"], "merge-1", at(10)),
      completed(101, 15, at(15), { evidence: evidence(501, ["backend/api/routes.py"], report("api", 101)) }),
      conflict(15, ["frontend/styles/bell.css"]),
      { kind: "dispatched", at: at(15), batch: "api", attempt: 2, runId: 201 },
      completed(201, 15, at(30), { evidence: evidence(601, ["backend/api/routes.py"], report("api", 201)) }),
      conflict(30, ["backend/api/routes.py", "frontend/styles/bell.css"]),
    ]);
    expect(next.batches.api!.status).toBe("blocked");
    expect(next.batches.api!.blocker).toBe(
      "Merge conflict again, after the batch ran once more on the up-to-date integration branch: #601 from parallel-coordinator/12-backend (batch 1's side: the backend domain) cannot merge into parallel-coordinator/12. " +
        "Files changed on both sides, each with the domain that owns it: `backend/api/routes.py` (the backend domain's), `frontend/styles/bell.css` (the frontend domain's). " +
        "A person who knows both sides resolves it on parallel-coordinator/12-backend, then `/approve 1 <SHA of the resolved head>` merges the pull request at that head; `/retry 1` runs the batch again from the integration branch.",
    );
    expect(ofKind(effects, "comment").map((comment) => comment.key)).toEqual(["blocker-api-2"]);
    expect(next.integrationIssues).toBe(2);
    expect(next.batches.api!.runs.map((run) => run.outcome)).toEqual(["accepted", "accepted"]);

    // Without the files listed, the second conflict still blocks, and says so.
    const unlisted = play(plan, state, [
      completed(101, 15, at(15), { evidence: evidence(501, ["backend/api/routes.py"], report("api", 101)) }),
      conflict(15),
      { kind: "dispatched", at: at(15), batch: "api", attempt: 2, runId: 201 },
      completed(201, 15, at(30), { evidence: evidence(601, ["backend/api/routes.py"], report("api", 201)) }),
      conflict(30),
    ]).state;
    expect(unlisted.batches.api!.status).toBe("blocked");
    expect(unlisted.batches.api!.blocker).toContain(
      "The files in conflict could not be listed: GitHub would not compare the branches, or the comparison was too large to list.",
    );
  });

  it("new commits on the pull request after its check-in (409) block it without a conflict: /retry runs and checks in again", () => {
    const { plan, state } = running();
    const { state: next, effects } = play(plan, state, [
      completed(101, 15, at(15), { evidence: evidence(501, ["backend/api/routes.py"], report("api", 101)) }),
      {
        kind: "mergeRefused",
        at: at(15),
        batch: "api",
        cause: "moved",
        reason: 'Head branch was modified. Review and try the merge again. (HTTP 409; merge method "merge")',
        head: "c".repeat(40),
      },
    ]);
    expect(next.batches.api!.status).toBe("blocked");
    expect(next.batches.api!.blocker).toBe(
      "New commits arrived on #501 after its check-in (its head is now `" +
        "c".repeat(40) +
        "`), so it was not merged. " +
        "`/retry 1` runs the batch again on its branch, new commits included, and checks that run in; `/approve 1 " +
        "c".repeat(40) +
        "` merges the pull request at that head, unchecked.",
    );
    expect(ofKind(effects, "comment")[0]!.body).not.toContain("conflict");
    expect(next.integrationIssues).toBe(0);
    expect(next.head).toBe("base-sha");
  });

  it("commits kept for a /retry that cannot be brought up to date: the run that never started is no run; the batch goes back to its agent on a clean branch", () => {
    const { plan, state } = running();
    // styles merges (the head moves); api's pull request gets commits after its check-in, and /retry keeps them:
    // its branch is brought up to date with the integration branch, not moved back.
    const { state: mid, effects: before } = play(plan, state, [
      ...accepted("styles", 102, 502, ["frontend/styles/bell.css"], "merge-1", at(10)),
      completed(101, 5, at(12), { evidence: evidence(501, ["backend/api/routes.py"], report("api", 101)) }),
      { kind: "mergeRefused", at: at(12), batch: "api", cause: "moved", reason: "Head branch was modified." },
      { kind: "command", at: at(13), by: "alice", comment: 9, command: { name: "retry", batch: "1" } },
    ]);
    const retry = dispatches(before).find((d) => d.batch === "api")!;
    expect([retry.attempt, retry.sync, retry.reset]).toEqual([2, "parallel-coordinator/12", undefined]);
    // GitHub answers the sync with 409: that run never starts. The batch runs again at once, from the integration head.
    const conflict = decideAndWrite(
      mid,
      {
        kind: "syncConflict",
        at: at(13),
        batch: "api",
        branch: "parallel-coordinator/12-backend",
        files: ["backend/api/routes.py"],
        integrationHead: "merge-1",
      },
      plan,
    );
    expect(ofKind(conflict.effects, "comment")).toEqual([]);
    const again = dispatches(conflict.effects).find((d) => d.batch === "api")!;
    expect([again.attempt, again.key, again.reset, again.close, again.sync]).toEqual([
      2,
      "pc-12-api-2",
      "merge-1",
      501,
      undefined,
    ]);
    expect(again.inputs.brief).toContain("Files changed on both sides: `backend/api/routes.py`");
    expect(conflict.state.batches.api).toMatchObject({ status: "dispatched", handBacks: 1 });
    expect(conflict.state.batches.api!.pushed).toBeUndefined();
    expect(conflict.state.batches.api!.runs.map((run) => [run.attempt, run.outcome])).toEqual([
      [1, "accepted"],
      [2, undefined],
    ]);
    expect(conflict.state.integrationIssues).toBe(1);
  });

  it("a dispatch GitHub refuses blocks the batch with GitHub's reason", () => {
    const { plan, state } = setup();
    const { state: next, effects } = play(plan, state, [
      { kind: "start", at: T0 },
      { kind: "dispatchRefused", at: T0, batch: "api", reason: 'Unexpected inputs provided: ["scope", "brief"]' },
    ]);
    expect(next.batches.api!.status).toBe("blocked");
    expect(ofKind(effects, "comment")[0]!.body).toContain(
      '> GitHub refused to dispatch the agent workflow: Unexpected inputs provided: ["scope", "brief"]',
    );
  });

  it("the coordination is `blocked` only when nothing else can run", () => {
    const { plan, state } = running();
    // api blocks with its pull request open: styles still runs → running; model (backend) waits, the branch holds api's work.
    const blocked = decideAndWrite(
      state,
      completed(101, 12, at(12), {
        evidence: evidence(501, ["backend/api/routes.py"], report("api", 101, { status: "Blocked" })),
      }),
      plan,
    );
    expect(dispatches(blocked.effects)).toEqual([]);
    expect(blocked.state.status).toBe("running");
    // styles is accepted: model is held and ui needs the blocked api → blocked.
    const afterStyles = play(
      plan,
      blocked.state,
      accepted("styles", 102, 502, ["frontend/styles/bell.css"], "merge-1", at(15)),
    );
    expect(dispatches(afterStyles.effects)).toEqual([]);
    expect(afterStyles.state.batches.model!.status).toBe("pending");
    expect(afterStyles.state.status).toBe("blocked");
  });

  it("a blocked batch without a pull request left nothing on its branch: the domain's next batch goes on", () => {
    const { plan, state } = running();
    // Blocked with nothing committed (the runner's report came as a comment): model takes the free backend → running.
    const blocked = decideAndWrite(
      state,
      completed(101, 12, at(12), {
        evidence: { report: evidence(501, [], report("api", 101, { status: "Blocked" })).report },
      }),
      plan,
    );
    expect(blocked.state.batches.api!.status).toBe("blocked");
    expect(dispatches(blocked.effects).map((d) => d.batch)).toEqual(["model"]);
    expect(blocked.state.status).toBe("running");
    // styles and model are accepted: only ui is left and it needs the blocked api → blocked.
    const afterModel = play(plan, blocked.state, [
      ...accepted("styles", 102, 502, ["frontend/styles/bell.css"], "merge-1", at(15)),
      { kind: "dispatched", at: at(15), batch: "model", attempt: 1, runId: 103 },
      ...accepted("model", 103, 503, ["backend/models/n.py"], "merge-2", at(35)),
    ]);
    expect(afterModel.state.batches.ui!.status).toBe("pending");
    expect(afterModel.state.status).toBe("blocked");
  });
});

describe("decide: duplicates and strangers", () => {
  it("a run id it never dispatched changes nothing and asks for nothing", () => {
    const { plan, state } = running();
    const decision = decideAndWrite(
      state,
      completed(424242, 15, at(15), { evidence: evidence(501, ["backend/api/routes.py"], report("api", 424242)) }),
      plan,
    );
    expect(decision.state).toBe(state);
    expect(decision.effects).toEqual([]);
  });

  it("the same completion twice: the second changes nothing", () => {
    const { plan, state } = running();
    const event = completed(101, 15, at(15), {
      evidence: evidence(501, ["backend/api/routes.py"], report("api", 101)),
    });
    const first = decideAndWrite(state, event, plan);
    const again = decideAndWrite(first.state, event, plan);
    expect(again.state).toBe(first.state);
    expect(again.effects).toEqual([]);
    // Nor does a merge answer that comes twice.
    const merged = decideAndWrite(first.state, { kind: "merged", at: at(16), batch: "api", sha: "merge-1" }, plan);
    const mergedAgain = decideAndWrite(
      merged.state,
      { kind: "merged", at: at(17), batch: "api", sha: "merge-1" },
      plan,
    );
    expect(mergedAgain.state).toBe(merged.state);
    expect(mergedAgain.effects).toEqual([]);
  });

  it("a completion of an earlier attempt after its redo changes nothing", () => {
    const { plan, state } = running();
    const files = ["backend/api/routes.py", "frontend/styles/bell.css"];
    const event = completed(101, 15, at(15), { evidence: evidence(501, files, report("api", 101)) });
    const redone = play(plan, state, [
      event,
      { kind: "dispatched", at: at(15), batch: "api", attempt: 2, runId: 201 },
    ]).state;
    const again = decideAndWrite(redone, event, plan);
    expect(again.state).toBe(redone);
    expect(again.effects).toEqual([]);
  });
});

describe("decide: finish", () => {
  it("when every batch is accepted: done, the summary comment with the quality figures, and the final pull request", () => {
    const { plan, state } = running();
    const { state: mid } = play(plan, state, [
      ...accepted("styles", 102, 502, ["frontend/styles/bell.css"], "merge-1", at(15)),
      ...accepted("api", 101, 501, ["backend/api/routes.py"], "merge-2", at(20)),
      { kind: "dispatched", at: at(20), batch: "model", attempt: 1, runId: 103 },
      { kind: "dispatched", at: at(20), batch: "ui", attempt: 1, runId: 104 },
      ...accepted("model", 103, 503, ["backend/models/n.py"], "merge-3", at(38)),
    ]);
    expect(mid.status).toBe("running");
    const last = play(plan, mid, accepted("ui", 104, 504, ["frontend/bell/Bell.tsx"], "merge-4", at(42)));
    expect(last.state.status).toBe("done");
    expect(last.state.head).toBe("merge-4");
    // The final pull request first: the finish comment points at it.
    expect(ofKind(last.effects, "comment")).toEqual([]);
    const [final] = ofKind(last.effects, "openFinalPullRequest");
    expect(final).toMatchObject({ head: "parallel-coordinator/12", base: "main", title: "Notifications (#12)" });
    expect(final!.body.split("\n")[0]).toBe("Closes #12.");
    expect(final!.body).toContain("- [x] 4. Notification bell (#504)");

    const withPr = decideAndWrite(last.state, { kind: "finalPullRequest", at: at(43), number: 600 }, plan);
    expect(withPr.state.finalPr).toBe(600);
    const finish = ofKind(withPr.effects, "comment");
    expect(finish.map((c) => c.key)).toEqual(["finish"]);
    expect(finish[0]!.body).toContain("### ✅ Feature complete: Notifications");
    expect(finish[0]!.body).toContain("| first-try acceptance | 100 % (4/4) | > 90 % |");
    expect(finish[0]!.body).toContain("| rework | 0 % (0/4) | < 10 % |");
    expect(finish[0]!.body).toContain("| integration issues | 0 | < 1 |");
    expect(finish[0]!.body).toContain("- api: GET /api/api returns {id, text} (batch 1)");
    expect(finish[0]!.body).toContain(
      "- Review and merge #600 (`parallel-coordinator/12` into `main`); it closes this issue.",
    );
    expect(withPr.effects).toHaveLength(1);

    // No commits between the branches: no pull request, and the finish says so instead of asking for a review.
    const refused = decideAndWrite(
      last.state,
      {
        kind: "finalPullRequestRefused",
        at: at(43),
        reason: "Validation Failed (No commits between main and parallel-coordinator/12)",
      },
      plan,
    );
    expect(refused.state.finalPr).toBeUndefined();
    const [note] = ofKind(refused.effects, "comment");
    expect(note!.body).not.toContain("Review and merge");
    expect(note!.body).toContain(
      "- GitHub opened no pull request from `parallel-coordinator/12` into `main`: Validation Failed (No commits between main and parallel-coordinator/12).",
    );
    // Anything after the finish asks for nothing.
    expect(decideAndWrite(withPr.state, { kind: "advance", at: at(50) }, plan).effects).toEqual([]);
  });
});

describe("decide: a redo starts clean", () => {
  it("after a failed run the retry's branch goes back to the integration head; no pull request to close", () => {
    const { plan, state } = running();
    const { effects } = decideAndWrite(state, completed(101, 5, at(5), { conclusion: "failure" }), plan);
    const retry = dispatches(effects)[0]!;
    expect([retry.batch, retry.attempt, retry.reset, retry.close, retry.sync, retry.create]).toEqual([
      "api",
      2,
      "base-sha",
      undefined,
      undefined,
      undefined,
    ]);
  });

  it("a /retry of a ✗ batch closes its pull request and moves its branch back before the run", () => {
    const { plan, state } = running();
    const { state: next, effects } = play(plan, state, [
      completed(101, 12, at(12), {
        evidence: evidence(501, ["backend/api/routes.py"], report("api", 101, { status: "Blocked" })),
      }),
      { kind: "command", at: at(13), by: "alice", comment: 9, command: { name: "retry", batch: "api" } },
    ]);
    const retry = dispatches(effects).find((d) => d.batch === "api")!;
    expect([retry.attempt, retry.reset, retry.close]).toEqual([2, "base-sha", 501]);
    expect(next.batches.api!.pr).toBeUndefined();
  });

  it("never throws away accepted work: the branch goes to the integration head, which holds every merged batch, never to an older commit", () => {
    const { plan, state } = running();
    // api is blocked with nothing committed: the backend branch is free, model runs on it, is accepted and merges (merge-2).
    const { state: later } = play(plan, state, [
      completed(101, 12, at(12), {
        evidence: { report: evidence(501, [], report("api", 101, { status: "Blocked" })).report },
      }),
      { kind: "dispatched", at: at(12), batch: "model", attempt: 1, runId: 103 },
      ...accepted("model", 103, 503, ["backend/models/n.py"], "merge-2", at(30)),
    ]);
    expect(later.batches.model!.status).toBe("accepted");
    // /retry api: where the backend branch stood before api's run is older than model's merge; it goes to merge-2, which has model's work.
    const { effects } = decideAndWrite(
      later,
      { kind: "command", at: at(31), by: "alice", comment: 9, command: { name: "retry", batch: "api" } },
      plan,
    );
    const retry = dispatches(effects).find((d) => d.batch === "api")!;
    expect([retry.attempt, retry.reset]).toEqual([2, "merge-2"]);
  });

  it("no batch of the domain starts on the branch while another batch of it runs or is merged: a reset never meets work in progress", () => {
    const { plan, state } = running();
    // api accepted, its merge under way (checking): model, the backend's next batch, does not start until the merge is in.
    const { state: checking, effects } = decideAndWrite(
      state,
      completed(101, 18, at(18), { evidence: evidence(501, ["backend/api/routes.py"], report("api", 101)) }),
      plan,
    );
    expect(checking.batches.api!.status).toBe("checking");
    expect(dispatches(effects)).toEqual([]);
  });
});

describe("decide: approving a ⚠ batch before its redo", () => {
  it("a batch waiting for its redo may be taken as its check-in found it: its pull request merges at the head judged", () => {
    const { plan, state } = running();
    const { state: waiting } = play(plan, state, [
      // Paused while the runs go on: the ⚠ batch's redo waits.
      { kind: "command", at: at(4), by: "alice", comment: 1, command: { name: "pause" } },
      completed(101, 15, at(15), {
        evidence: evidence(501, ["backend/api/routes.py", "frontend/x.ts"], report("api", 101)),
      }),
    ]);
    expect(waiting.batches.api!.status).toBe("redo");
    const { state: next, effects } = decideAndWrite(
      waiting,
      { kind: "command", at: at(16), by: "bob", comment: 2, command: { name: "approve", batch: "api" } },
      plan,
    );
    expect(ofKind(effects, "merge")).toEqual([expect.objectContaining({ batch: "api", pr: 501, sha: "head-501" })]);
    expect(next.batches.api).toMatchObject({
      status: "checking",
      decisions: [{ decision: "approve", by: "bob", at: at(16) }],
    });
    expect(next.batches.api!.runs.map((run) => run.outcome)).toEqual(["redo"]);
  });
});

describe("decide: a domain branch with unmerged work", () => {
  // b (backend) is scheduled before a (backend) — the critical path runs x → b → c → d.
  const YAML = `title: T
agents: 2
tasks:
  - { id: x, title: X, domain: frontend, files: ["frontend/x/**"], estimate: 5 }
  - { id: b, title: B, domain: backend, files: ["backend/b/**"], estimate: 10, needs: [x] }
  - { id: c, title: C, domain: frontend, files: ["frontend/c/**"], estimate: 25, needs: [b] }
  - { id: d, title: D, domain: frontend, files: ["frontend/d/**"], estimate: 25, needs: [c] }
  - { id: a, title: A, domain: backend, files: ["backend/a/**"], estimate: 10 }
`;

  it("a batch waiting for its redo keeps its domain: the domain's batch scheduled earlier does not start on its unmerged work", () => {
    const { plan, state } = setup(YAML);
    expect(plan.schedule.start.b!).toBeLessThan(plan.schedule.start.a!);
    const started = play(plan, state, [
      { kind: "start", at: T0 },
      { kind: "dispatched", at: T0, batch: "x", attempt: 1, runId: 101 },
      { kind: "dispatched", at: T0, batch: "a", attempt: 1, runId: 102 },
      { kind: "command", at: at(1), by: "alice", comment: 1, command: { name: "pause" } },
      // a's acceptance check fails: ⚠, a redo — which waits, paused; its pull request 500 stays open on the backend branch.
      completed(102, 9, at(9), {
        evidence: evidence(
          500,
          ["backend/a/f.ts"],
          report("a", 102, { acceptance: [{ check: "t", passed: false, output: "no" }] }),
        ),
      }),
      completed(101, 5, at(10), { evidence: evidence(501, ["frontend/x/f.ts"], report("x", 101)) }),
      { kind: "merged", at: at(10), batch: "x", sha: "m1" },
    ]).state;
    expect(started.batches.a!.status).toBe("redo");
    const resumed = decideAndWrite(
      started,
      { kind: "command", at: at(11), by: "alice", comment: 2, command: { name: "resume" } },
      plan,
    );
    expect(dispatches(resumed.effects).map((d) => d.batch)).toEqual(["a"]);
    expect(resumed.state.batches.b!.status).toBe("pending");
  });
});

describe("decide: pure", () => {
  /** Frozen all the way down: a change in place throws (ES modules are strict). */
  function deepFreeze<T>(value: T): T {
    if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
      for (const inner of Object.values(value)) deepFreeze(inner);
      Object.freeze(value);
    }
    return value;
  }
  const by = (name: Extract<Event, { kind: "command" }>["command"], when: string, comment: number): Event => ({
    kind: "command",
    at: when,
    by: "alice",
    comment,
    command: name,
  });

  it("never changes the state it is given: every event of a run, a blocker and the commands, on frozen states", () => {
    const { plan, state } = running();
    const events: Event[] = [
      completed(101, 12, at(12), {
        evidence: evidence(501, ["backend/api/routes.py"], report("api", 101, { status: "Blocked" })),
      }),
      by({ name: "pause" }, at(13), 1),
      ...accepted("styles", 102, 502, ["frontend/styles/bell.css"], "merge-1", at(15)),
      by({ name: "resume" }, at(16), 2),
      by({ name: "skip", batch: "api" }, at(17), 3),
      { kind: "dispatched", at: at(17), batch: "model", attempt: 1, runId: 103 },
      by({ name: "retry", batch: "model" }, at(18), 4),
      {
        kind: "mergeRefused",
        at: at(19),
        batch: "model",
        reason: "conflict",
        cause: "conflict",
        files: ["backend/models/n.py"],
      },
      by({ name: "approve", batch: "model" }, at(20), 5),
      by({ name: "abort" }, at(21), 6),
    ];
    let current = deepFreeze(state);
    for (const event of events) current = deepFreeze(decideAndWrite(current, event, plan).state);
    expect(current.status).toBe("aborted");
  });
});

describe("decide: no clock", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it("the same state and events give the same decision, whatever the time and randomness", () => {
    const script = (): unknown => {
      const { plan, state } = setup();
      return play(plan, state, [
        { kind: "start", at: T0 },
        ...startDispatches,
        completed(101, 50, at(50), {
          evidence: evidence(501, ["backend/api/routes.py", "frontend/x.ts"], report("api", 101)),
        }),
        completed(102, 5, at(52), { conclusion: "failure" }),
      ]);
    };
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2001-01-01T00:00:00Z"));
    vi.spyOn(Math, "random").mockReturnValue(0.1);
    const early = script();
    vi.setSystemTime(new Date("2099-12-31T23:59:59Z"));
    vi.spyOn(Math, "random").mockReturnValue(0.9);
    const late = script();
    expect(late).toEqual(early);
    const final = early as { state: { updatedAt: string } };
    expect(final.state.updatedAt).toBe(at(52));
  });
});
