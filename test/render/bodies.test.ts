/**
 * Every kind of text the app writes for people, as it reads on GitHub, kept as
 * files under test/fixtures/comments/: a change of wording is one reviewed
 * diff there. The coordination's comments come from real decisions (the
 * engine fed events, as the shell would), so a fixture shows what a person
 * would see after that very sequence.
 */
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/base/config.js";
import type { Command } from "../../src/commands/parse.js";
import { PLAN_BUDGET_MS, PLAN_HEAP_MB } from "../../src/handlers/planInWorker.js";
import { onboardingBody } from "../../src/onboarding/onboardingBody.js";
import { onboardingConfig } from "../../src/onboarding/onboardingFiles.js";
import { renderDashboard } from "../../src/render/dashboard.js";
import { renderMessage } from "../../src/render/renderMessage.js";
import { faultBanner } from "../../src/render/faultBanner.js";
import type { WrittenEffect } from "../../src/render/writtenEffect.js";
import type { Approval, Event } from "../../src/state/events.js";
import { statusMessage } from "../../src/state/messages.js";
import { dashboardView } from "../../src/state/dashboardView.js";
import { planFromSource } from "../../src/schedule/planner.js";
import { readPlanFile } from "../../src/plan/readBreakdown.js";
import {
  FEATURE_YAML,
  T0,
  at,
  completed,
  decideAndWrite as decide,
  dispatches,
  evidence,
  ofKind,
  play,
  report,
  running,
  setup,
  type Setup,
} from "../state/support.js";

const fixture = (name: string) => `../fixtures/comments/${name}`;
const REPO_URL = "https://github.com/acme/app";

/** The bodies the comment effects post (before their hidden marker and state). */
function comments(effects: WrittenEffect[]): string[] {
  return ofKind(effects, "comment").map((effect) => effect.body);
}

let commentIds = 900;
function command(name: Command, when: string, by = "alice"): Event {
  return { kind: "command", at: when, by, comment: ++commentIds, command: name };
}

/** The batch's run checked in and accepted, its pull request merged. */
function accepted(batch: string, runId: number, pr: number, file: string, merge: string, when: string): Event[] {
  return [
    completed(runId, 18, when, { evidence: evidence(pr, [file], report(batch, runId)) }),
    { kind: "merged", at: when, batch, sha: merge },
  ];
}

/** Each answer under its own heading: one file holds the short ones. */
function answers(entries: Record<string, string[]>): string {
  return Object.entries(entries)
    .map(([name, bodies]) => `## ${name}\n\n${bodies.join("\n\n---\n\n")}\n`)
    .join("\n");
}

/** api and styles accepted and merged, model and ui dispatched: the feature half done. */
function halfDone(): Setup {
  const { plan, state } = running();
  return {
    plan,
    state: play(plan, state, [
      ...accepted("styles", 102, 502, "frontend/styles/bell.css", "merge-1", at(15)),
      ...accepted("api", 101, 501, "backend/api/routes.py", "merge-2", at(20)),
      { kind: "dispatched", at: at(20), batch: "model", attempt: 1, runId: 103 },
      { kind: "dispatched", at: at(20), batch: "ui", attempt: 1, runId: 104 },
    ]).state,
  };
}

describe("the blocker comments", () => {
  it("a run that failed after its automatic retry", async () => {
    const { plan, state } = running();
    const { effects } = play(plan, state, [
      completed(101, 5, at(5), { conclusion: "failure" }),
      { kind: "dispatched", at: at(5), batch: "api", attempt: 2, runId: 201 },
      completed(201, 4, at(10), { conclusion: "timed_out" }),
    ]);
    await expect(comments(effects).join("\n")).toMatchFileSnapshot(fixture("blocker-run-failed.md"));
  });

  it("a check-in that found major problems, the domain's next batch held", async () => {
    const { plan, state } = running();
    const { effects } = decide(
      state,
      completed(101, 12, at(12), {
        evidence: evidence(
          501,
          ["backend/api/routes.py", "frontend/x.ts"],
          report("api", 101, {
            status: "Blocked",
            blockers: ["The schema for **users** is undecided\n```\nsee #4\n```"],
          }),
        ),
      }),
      plan,
    );
    await expect(comments(effects).join("\n")).toMatchFileSnapshot(fixture("blocker-check-in.md"));
  });

  it("a merge conflict, a sync conflict (each the second, after the hand-back), new commits after the check-in, a refused dispatch", async () => {
    const { plan, state } = running();
    const checked = play(plan, state, [
      completed(101, 15, at(15), { evidence: evidence(501, ["backend/api/routes.py"], report("api", 101)) }),
    ]).state;
    // The first conflict went back to the agent already.
    const handedBack = {
      ...checked,
      batches: {
        ...checked.batches,
        api: { ...checked.batches.api!, handBacks: 1 },
        styles: { ...checked.batches.styles!, handBacks: 1 },
      },
    };
    const files = [
      "frontend/styles/theme.css",
      ...Array.from({ length: 22 }, (_, index) => `backend/api/file${index + 1}.py`),
    ];
    const conflict = decide(
      handedBack,
      {
        kind: "mergeRefused",
        at: at(15),
        batch: "api",
        cause: "conflict",
        reason: "Pull Request is not mergeable",
        files,
      },
      plan,
    );
    const moved = decide(
      checked,
      { kind: "mergeRefused", at: at(15), batch: "api", cause: "moved", reason: "Head branch was modified." },
      plan,
    );
    const refused = decide(
      checked,
      {
        kind: "mergeRefused",
        at: at(15),
        batch: "api",
        cause: "refused",
        reason: "Merge commits are not allowed on this repository.",
      },
      plan,
    );
    const sync = decide(
      handedBack,
      { kind: "syncConflict", at: at(15), batch: "styles", branch: "parallel-coordinator/12-frontend" },
      plan,
    );
    const noFiles = decide(
      handedBack,
      {
        kind: "mergeRefused",
        at: at(15),
        batch: "api",
        cause: "conflict",
        reason: "Pull Request is not mergeable",
        files: [],
      },
      plan,
    );
    const dispatch = play(setup().plan, setup().state, [
      { kind: "start", at: T0 },
      { kind: "dispatchRefused", at: T0, batch: "api", reason: 'Unexpected inputs provided: ["scope", "brief"]' },
    ]);
    await expect(
      answers({
        "merge conflict": comments(conflict.effects),
        "merge conflict, no file changed on both sides": comments(noFiles.effects),
        "sync conflict, files not listed": comments(sync.effects),
        "new commits after the check-in": comments(moved.effects),
        "merge refused": comments(refused.effects),
        "dispatch refused": comments(dispatch.effects),
      }),
    ).toMatchFileSnapshot(fixture("blockers-merge-and-dispatch.md"));
  });
});

describe("the finish", () => {
  function finished() {
    const { plan, state } = halfDone();
    const slow = completed(103, 45, at(65), {
      evidence: evidence(
        503,
        ["backend/models/n.py"],
        report("model", 103, { changes: [{ file: "backend/models/n.py", summary: "model `n`" }] }),
      ),
    });
    return {
      plan,
      ...play(plan, state, [
        slow,
        { kind: "merged", at: at(65), batch: "model", sha: "merge-3" },
        ...accepted("ui", 104, 504, "frontend/bell/Bell.tsx", "merge-4", at(66)),
      ]),
    };
  }

  it("the final pull request's body", async () => {
    const { effects } = finished();
    await expect(ofKind(effects, "openFinalPullRequest")[0]!.body).toMatchFileSnapshot(
      fixture("final-pull-request.md"),
    );
  });

  it("the summary, with the final pull request or without one", async () => {
    const { plan, state } = finished();
    const withPr = decide(state, { kind: "finalPullRequest", at: at(67), number: 600 }, plan);
    await expect(comments(withPr.effects)[0]).toMatchFileSnapshot(fixture("finish.md"));
    const refused = decide(
      state,
      {
        kind: "finalPullRequestRefused",
        at: at(67),
        reason: "Validation Failed (No commits between main and parallel-coordinator/12)",
      },
      plan,
    );
    await expect(comments(refused.effects)[0]).toMatchFileSnapshot(fixture("finish-no-pull-request.md"));
  });

  it("the summary of a mixed run: a redo, an approved blocker, usage by agent, the budget", async () => {
    const { plan, state } = running(setup(FEATURE_YAML, { ...defaultConfig, budget: { minutes: 240, usd: 20 } }));
    const usage = (tokens: number) => ({ usage: { tokens, usd: tokens / 50_000 } });
    const done = play(plan, state, [
      ...accepted("styles", 102, 502, "frontend/styles/bell.css", "merge-1", at(15)),
      // api strays out of scope, then its redo is accepted; it names its recipe.
      completed(101, 20, at(20), {
        evidence: evidence(
          501,
          ["backend/api/routes.py", "frontend/x.ts"],
          report("api", 101, { agent: "claude", ...usage(40_000) }),
        ),
      }),
      { kind: "dispatched", at: at(20), batch: "api", attempt: 2, runId: 201 },
      completed(201, 30, at(50), {
        evidence: evidence(601, ["backend/api/routes.py"], report("api", 201, { agent: "claude", ...usage(60_000) })),
      }),
      { kind: "merged", at: at(50), batch: "api", sha: "merge-2" },
      { kind: "dispatched", at: at(50), batch: "model", attempt: 1, runId: 103 },
      { kind: "dispatched", at: at(50), batch: "ui", attempt: 1, runId: 104 },
      // model blocks; a person approves it as it is.
      completed(103, 10, at(60), {
        evidence: evidence(
          503,
          ["backend/models/n.py"],
          report("model", 103, { status: "Blocked", blockers: ["Which table?"] }),
        ),
      }),
      command({ name: "approve", batch: "model" }, at(61)),
      { kind: "merged", at: at(61), batch: "model", sha: "merge-3" },
      completed(104, 25, at(75), {
        evidence: evidence(504, ["frontend/bell/Bell.tsx"], report("ui", 104, usage(30_000))),
      }),
      { kind: "merged", at: at(75), batch: "ui", sha: "merge-4" },
      { kind: "finalPullRequest", at: at(76), number: 600 },
    ]);
    await expect(ofKind(done.effects, "comment").find((effect) => effect.key === "finish")!.body).toMatchFileSnapshot(
      fixture("finish-mixed.md"),
    );
  });

  it("the summary when every batch was skipped", async () => {
    const { plan, state } = running();
    const { effects } = play(plan, state, [
      command({ name: "skip", batch: "api" }, at(1)),
      command({ name: "skip", batch: "styles" }, at(1)),
      command({ name: "skip", batch: "model" }, at(1)),
      command({ name: "skip", batch: "ui" }, at(1)),
    ]);
    await expect(ofKind(effects, "comment").find((effect) => effect.key === "finish")!.body).toMatchFileSnapshot(
      fixture("finish-nothing-accepted.md"),
    );
  });
});

describe("pause, resume and abort", () => {
  /** api started at T0; styles failed and its retry started at minute 2; the pause comes at minute 4. */
  function pausing() {
    const { plan, state } = running();
    const retried = play(plan, state, [
      completed(102, 2, at(2), { conclusion: "failure" }),
      { kind: "dispatched", at: at(2), batch: "styles", attempt: 2, runId: 202 },
    ]).state;
    return {
      plan,
      ...decide(retried, command({ name: "pause", reason: "waiting for @bob's `review` <b>" }, at(4)), plan),
    };
  }

  it("the answer to /pause while batches run, then the checkpoint once they finish", async () => {
    const { plan, state, effects } = pausing();
    await expect(comments(effects)[0]).toMatchFileSnapshot(fixture("pausing.md"));
    const paused = play(plan, state, accepted("api", 101, 501, "backend/api/routes.py", "merge-1", at(18)));
    expect(paused.state.status).toBe("paused");
    await expect(comments(paused.effects)[0]).toMatchFileSnapshot(fixture("pause-checkpoint.md"));
    const resumed = decide(paused.state, command({ name: "resume" }, at(30), "carol"), plan);
    await expect(comments(resumed.effects)[0]).toMatchFileSnapshot(fixture("resume.md"));
  });

  it("/resume naming a checkpoint older than the latest: what differs, going on from the latest", async () => {
    const { plan, state } = pausing();
    const paused = play(plan, state, accepted("api", 101, 501, "backend/api/routes.py", "merge-1", at(18))).state;
    // The older checkpoint: taken before api was accepted, when styles was still running.
    const batches = {
      ...Object.fromEntries(Object.entries(paused.batches).map(([id, batch]) => [id, batch.status])),
      api: "running" as const,
      styles: "running" as const,
    };
    const checkpoint = { comment: 77, found: true as const, at: at(3), latestAt: at(18), batches };
    const resumed = decide(
      paused,
      { ...command({ name: "resume", checkpoint: 77 }, at(30), "carol"), checkpoint } as Event,
      plan,
    );
    expect(resumed.state.status).toBe("running");
    await expect(comments(resumed.effects)[0]).toMatchFileSnapshot(fixture("resume-older-checkpoint.md"));
  });

  it("the final checkpoint of /abort", async () => {
    const { plan, state } = halfDone();
    const { effects } = decide(
      { ...state, notes: [...state.notes, "Decided: the bell uses `aria-live`."] },
      command({ name: "abort" }, at(30), "dave"),
      plan,
    );
    await expect(comments(effects)[0]).toMatchFileSnapshot(fixture("abort-checkpoint.md"));
  });
});

describe("answers to commands", () => {
  it("/help", async () => {
    const { plan, state } = running();
    await expect(comments(decide(state, command({ name: "help" }, at(1)), plan).effects)[0]).toMatchFileSnapshot(
      fixture("help.md"),
    );
  });

  it("/status", async () => {
    const { plan, state } = halfDone();
    const blocked = decide(
      state,
      completed(104, 40, at(61), {
        evidence: evidence(
          504,
          ["frontend/bell/Bell.tsx"],
          report("ui", 104, { status: "Blocked", blockers: ["Which icon?"] }),
        ),
      }),
      plan,
    ).state;
    await expect(renderMessage(statusMessage(plan, blocked, at(62), REPO_URL))).toMatchFileSnapshot(
      fixture("status.md"),
    );
  });

  it("every short answer", async () => {
    const { plan, state } = running();
    const answer = (from: Setup["state"], name: Command, when = at(5), by = "alice") =>
      comments(decide(from, command(name, when, by), plan).effects);
    const paused = play(plan, state, [command({ name: "pause" }, at(1))]).state;
    const pausing = play(plan, state, [command({ name: "pause" }, at(5))]).state;
    const resumed = play(plan, paused, [command({ name: "resume" }, at(6))]).state;
    const done = { ...state, status: "done" as const };
    const aborted = { ...state, status: "aborted" as const };
    const blocked = decide(
      state,
      completed(101, 12, at(12), {
        evidence: evidence(501, ["backend/api/routes.py"], report("api", 101, { status: "Blocked" })),
      }),
      plan,
    ).state;
    const retryNote = play(plan, blocked, [command({ name: "retry", batch: "1" }, at(13), "erin")]).state;
    const styles = play(plan, state, [command({ name: "skip", batch: "styles" }, at(2))]).state;
    // An approval's answer comes with the merge's outcome.
    const approved = (from: Setup["state"], outcome: (approval: Approval) => Event) => {
      const first = decide(from, command({ name: "approve", batch: "api" }, at(5), "alice"), plan);
      const merge = first.effects.find((effect) => effect.kind === "merge")!;
      return comments(decide(first.state, outcome(merge.approval!), plan).effects);
    };
    await expect(
      answers({
        "/plan while running": answer(state, { name: "plan", force: false }),
        "/plan after the end": answer(done, { name: "plan", force: false }),
        "a batch that does not exist": answer(state, { name: "retry", batch: "[9](x)" }),
        "nothing to retry, finished": answer(done, { name: "retry", batch: "1" }),
        "nothing to skip, aborted": answer(aborted, { name: "skip", batch: "1" }),
        "nothing to pause": answer(done, { name: "pause" }),
        "already paused": answer(paused, { name: "pause" }),
        "already pausing": answer(pausing, { name: "pause" }),
        "a /pause older than the /resume": answer(resumed, { name: "pause" }, at(5)),
        "nothing to resume": answer(aborted, { name: "resume" }),
        "not paused": answer(state, { name: "resume" }),
        "a /resume older than the pause": answer(paused, { name: "resume" }, at(0)),
        "a /resume naming no checkpoint of this issue": comments(
          decide(
            paused,
            {
              ...command({ name: "resume", checkpoint: 55 }, at(6)),
              checkpoint: { comment: 55, found: false },
            } as Event,
            plan,
          ).effects,
        ),
        "the pause called off": answer(pausing, { name: "resume" }, at(6)),
        "already aborted": answer(aborted, { name: "abort" }),
        "/retry a blocked batch": answer(blocked, { name: "retry", batch: "1" }, at(13), "erin"),
        "/retry while paused": answer(
          { ...blocked, pause: { by: "alice", at: at(12) } },
          { name: "retry", batch: "1" },
          at(13),
        ),
        "/retry again for the same request": answer(retryNote, { name: "retry", batch: "1" }, at(13), "erin"),
        "/retry a running batch": answer(state, { name: "retry", batch: "api" }),
        "/skip a batch others wait for": answer(state, { name: "skip", batch: "api" }),
        "/skip a batch nobody waits for": answer(state, { name: "skip", batch: "model" }),
        "/skip a skipped batch": answer(styles, { name: "skip", batch: "styles" }),
        "/approve a running batch": answer(state, { name: "approve", batch: "api" }),
        "/approve a blocked batch with its pull request: merged at the head checked in": approved(
          blocked,
          (approval) => ({ kind: "merged", at: at(5), batch: "api", sha: "merge-sha", approval }),
        ),
        "/approve a pull request that moved since": approved(blocked, (approval) => ({
          kind: "mergeRefused",
          at: at(5),
          batch: "api",
          cause: "moved",
          reason: "Head branch was modified.",
          head: "b".repeat(40),
          approval,
        })),
        "/approve a pull request that conflicts": approved(blocked, (approval) => ({
          kind: "mergeRefused",
          at: at(5),
          batch: "api",
          cause: "conflict",
          reason: "Merge conflict",
          files: ["backend/api/routes.py"],
          approval,
        })),
        "/approve a pull request whose checked-in head is not known": answer(
          { ...blocked, batches: { ...blocked.batches, api: { ...blocked.batches.api!, head: undefined } } },
          { name: "approve", batch: "api" },
        ),
        "/approve a blocked batch without one": answer(
          decide(state, completed(101, 2, at(2), { conclusion: "failure" }), plan).state,
          { name: "approve", batch: "api" },
        ),
        "a check-in's button pressed": [
          renderMessage({
            kind: "buttonPressed",
            by: "alice",
            button: "Accept",
            batch: { number: 1, title: "Notification API", domain: "backend" },
            command: `/approve 1 ${"a".repeat(40)}`,
          }),
        ],
      }),
    ).toMatchFileSnapshot(fixture("answers.md"));
  });
});

const OVERSIZED = [
  "### 1. Search API",
  "- **Domain:** backend",
  "- **Time:** 1h",
  "- **Files:** `backend/search.py`",
  "- **Tasks:**",
  "  - Index model with ``` in its name",
  "  - Query parser",
  "    - quoted phrases",
  "  - Endpoint",
  "- **Acceptance:**",
  "  - ✅ `pytest backend/tests/search` passes",
  "",
  "### 2. Export",
  "- **Domain:** frontend",
  "- **Time:** 50 min",
  "- **Files:** `frontend/export.ts`",
].join("\n");
const OVERSIZED_YAML =
  "tasks:\n  - id: search\n    title: Search API\n    domain: backend\n    estimate: 50\n    files: [backend/search.py, backend/index.py]\n    accept:\n      - run: pytest backend/tests/search\n";

/** The refusal a breakdown gets, with the splits the planner proposes. */
function refusedBody(text: string): string {
  const result = planFromSource(readPlanFile(text.startsWith("tasks:") ? "plan.yml" : "plan.md", text), defaultConfig);
  if (result.ok) throw new Error("planned");
  return renderMessage({
    kind: "planProblems",
    problems: result.problems,
    what: "breakdown",
    ...(result.splits === undefined ? {} : { splits: result.splits }),
  });
}

describe("what the shell renders", () => {
  it("the dashboard of a coordination half done, with a blocked batch and notes", async () => {
    const { plan, state } = halfDone();
    const blocked = decide(
      state,
      completed(104, 40, at(61), {
        evidence: evidence(
          504,
          ["frontend/bell/Bell.tsx"],
          report("ui", 104, { status: "Blocked", blockers: ["Which icon?"] }),
        ),
      }),
      plan,
    ).state;
    await expect(renderDashboard(plan, dashboardView(plan, blocked, REPO_URL))).toMatchFileSnapshot(
      fixture("dashboard.md"),
    );
  });

  it("a breakdown or a config that does not plan, and a state too large to keep", async () => {
    const problems = [
      { task: "3", line: 12, field: "Estimate", message: "90 minutes is over 45: split the task" },
      { task: "4", field: "Dependencies", message: "needs task `9`, which is not in the breakdown" },
      { message: "Level 3: 9 h of work (over 8 hours) is an epic" },
    ];
    await expect(
      answers({
        breakdown: [renderMessage({ kind: "planProblems", problems, what: "breakdown" })],
        "oversized tasks: a split proposed, and one that cannot be split": [refusedBody(OVERSIZED)],
        "a YAML plan's oversized task": [refusedBody(OVERSIZED_YAML)],
        config: [
          renderMessage({
            kind: "planProblems",
            problems: [{ field: "agents", message: "Too big: expected number to be <=4" }],
            what: "config",
          }),
        ],
        "too large to start": [renderMessage({ kind: "stateTooLarge", size: 70_123, limit: 52_000, when: "start" })],
        "too large to re-plan": [renderMessage({ kind: "stateTooLarge", size: 70_123, limit: 52_000, when: "replan" })],
      }),
    ).toMatchFileSnapshot(fixture("plan-errors.md"));
  });

  it("a breakdown whose planning the app's limits stopped", async () => {
    const stopped = (kind: "time" | "memory", when: "start" | "replan") =>
      renderMessage({
        kind: "planStopped",
        stopped: kind,
        limit: kind === "time" ? PLAN_BUDGET_MS : PLAN_HEAP_MB,
        when,
      });
    await expect(
      answers({
        "too long, at the start": [stopped("time", "start")],
        "too much memory, at the start": [stopped("memory", "start")],
        "too long, on /plan": [stopped("time", "replan")],
        "too much memory, on /plan": [stopped("memory", "replan")],
      }),
    ).toMatchFileSnapshot(fixture("plan-stopped.md"));
  });

  it("a label, or an issue opened with it, from someone who may not start a coordination", async () => {
    await expect(
      answers({
        labeled: [
          renderMessage({
            kind: "labelRefused",
            by: "stranger",
            permission: "write",
            label: "parallel-coordinator",
            how: "labeled",
          }),
        ],
        "opened with the label": [
          renderMessage({
            kind: "labelRefused",
            by: "stranger",
            permission: "maintain",
            label: "agents",
            how: "opened",
          }),
        ],
      }),
    ).toMatchFileSnapshot(fixture("label-refused.md"));
  });

  it("what the Actions bot lacks: the state key, a permission of its workflow, the setting that lets Actions open pull requests", async () => {
    const key = { what: "stateKey", secret: "PARALLEL_COORDINATOR_STATE_KEY", least: 32 } as const;
    await expect(
      answers({
        "no state key": [renderMessage({ kind: "setupMissing", gap: { ...key, problem: "missing" } })],
        "a short state key": [renderMessage({ kind: "setupMissing", gap: { ...key, problem: "short" } })],
        "a permission": [
          renderMessage({
            kind: "setupMissing",
            gap: {
              what: "permission",
              permission: "actions",
              request: "POST /repos/acme/app/actions/workflows/parallel-coordinator-agent.yml/dispatches",
              message: "Resource not accessible by integration",
            },
          }),
        ],
        "pull requests": [
          renderMessage({
            kind: "setupMissing",
            gap: {
              what: "pullRequests",
              request: "POST /repos/acme/app/pulls",
              message: "GitHub Actions is not permitted to create or approve pull requests.",
            },
          }),
        ],
      }),
    ).toMatchFileSnapshot(fixture("actions-setup.md"));
  });

  it("a coordination whose state this version of the app cannot read", async () => {
    await expect(
      answers({
        "written by a newer version": [renderMessage({ kind: "unreadableState", version: 3, reads: 2 })],
        "written by an older version that no longer plans": [
          renderMessage({
            kind: "unreadableState",
            version: 1,
            reads: 2,
            reason:
              "the state (v1) holds no plan, and its issue body now plans other batches than the state's (1, 2, 3, 4, 5)",
          }),
        ],
      }),
    ).toMatchFileSnapshot(fixture("unreadable-state.md"));
  });
});

describe("a coordination whose state is lost and cannot be rebuilt", () => {
  it("its runs of batches the breakdown no longer plans, or an issue without the label", async () => {
    await expect(
      answers({
        "the breakdown no longer plans its runs' batches": [
          renderMessage({
            kind: "stateLost",
            reason: "its dashboard was deleted or damaged, and no checkpoint comment carries the state",
            unknown: ["styles", "theme"],
            label: "parallel-coordinator",
          }),
        ],
        "the issue does not carry the label": [
          renderMessage({
            kind: "stateLost",
            reason: "its dashboard was deleted or damaged, and no checkpoint comment carries the state",
            unknown: [],
            label: "agents",
          }),
        ],
      }),
    ).toMatchFileSnapshot(fixture("state-lost.md"));
  });
});

describe("the banner of a step that keeps failing, at the top of the dashboard", () => {
  it("while the app retries, and once it has stopped", async () => {
    const since = Date.parse("2026-01-05T09:00:00Z");
    await expect(
      answers({
        retrying: [faultBanner({ since, status: 502, message: "Server Error", next: since + 150_000 })],
        "rate limited, GitHub unreachable, stopped": [
          faultBanner({
            since,
            status: 403,
            message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
            next: since + 600_000,
          }),
          faultBanner({ since, message: "connect ECONNREFUSED 140.82.112.6:443" }),
        ],
      }),
    ).toMatchFileSnapshot(fixture("fault-banner.md"));
  });
});

describe("the brief and the check runs", () => {
  it("a brief whose acceptance commands are withheld (the issue's author may not command), and its dashboard", async () => {
    const { plan, state } = setup(FEATURE_YAML, defaultConfig, false, "mallory");
    const started = play(plan, state, [{ kind: "start", at: T0 }]);
    await expect(
      dispatches(started.effects).find((dispatch) => dispatch.batch === "api")!.inputs.brief,
    ).toMatchFileSnapshot(fixture("brief-commands-withheld.md"));
    await expect(renderDashboard(plan, dashboardView(plan, started.state, REPO_URL))).toMatchFileSnapshot(
      fixture("dashboard-commands-withheld.md"),
    );
  });

  it("a redo's brief carries the findings and the work it builds on", async () => {
    const { plan, state } = running();
    const { effects } = play(plan, state, [
      ...accepted("api", 101, 501, "backend/api/routes.py", "merge-1", at(15)),
      completed(102, 15, at(16), {
        evidence: evidence(502, ["frontend/styles/bell.css", "backend/api/routes.py"], report("styles", 102)),
      }),
    ]);
    await expect(dispatches(effects).find((dispatch) => dispatch.batch === "styles")!.inputs.brief).toMatchFileSnapshot(
      fixture("brief-redo.md"),
    );
    const later = play(plan, state, [
      ...accepted("styles", 102, 502, "frontend/styles/bell.css", "merge-1", at(15)),
      ...accepted("api", 101, 501, "backend/api/routes.py", "merge-2", at(20)),
    ]);
    await expect(
      dispatches(later.effects).find((dispatch) => dispatch.batch === "ui")!.inputs.brief,
    ).toMatchFileSnapshot(fixture("brief-with-previous-work.md"));
  });

  it("a conflict handed back: the brief names the files, and the merged work to keep with its contracts", async () => {
    const { plan, state } = running();
    const handBack = (files?: string[]) =>
      play(plan, state, [
        ...accepted("styles", 102, 502, "frontend/styles/bell.css", "merge-1", at(15)),
        completed(101, 15, at(18), { evidence: evidence(501, ["backend/api/routes.py"], report("api", 101)) }),
        {
          kind: "mergeRefused",
          at: at(18),
          batch: "api",
          cause: "conflict",
          reason: "Pull Request is not mergeable",
          ...(files === undefined ? {} : { files }),
          integrationHead: "merge-1b",
        },
      ]);
    const brief = (files?: string[]) =>
      dispatches(handBack(files).effects).find((dispatch) => dispatch.batch === "api")!.inputs.brief!;
    await expect(
      answers({
        "files listed": [brief(["backend/api/routes.py"])],
        "files not listed: every merged batch to keep": [brief()],
      }),
    ).toMatchFileSnapshot(fixture("brief-conflict.md"));
  });

  it("each verdict's check run", async () => {
    const { plan, state } = running();
    const checkRuns = (event: Event) =>
      ofKind(decide(state, event, plan).effects, "checkRun").map(
        (run) =>
          `### ${run.title}\n\n${run.summary}${run.actions.length === 0 ? "" : `\n\nButtons: ${run.actions.map((action) => `[${action.label}] ${action.description}`).join(" · ")}`}`,
      );
    await expect(
      answers({
        accept: checkRuns(
          completed(101, 15, at(15), { evidence: evidence(501, ["backend/api/routes.py"], report("api", 101)) }),
        ),
        "accept, slow": checkRuns(
          completed(101, 31, at(31), { evidence: evidence(501, ["backend/api/routes.py"], report("api", 101)) }),
        ),
        minor: checkRuns(
          completed(101, 15, at(15), {
            evidence: evidence(501, ["backend/api/routes.py", "frontend/x.ts"], report("api", 101)),
          }),
        ),
        major: checkRuns(
          completed(101, 15, at(15), {
            evidence: evidence(501, ["backend/api/routes.py"], report("api", 101, { status: "Blocked" })),
          }),
        ),
      }),
    ).toMatchFileSnapshot(fixture("check-runs.md"));
  });
});

describe("onboarding", () => {
  it("the configuration it proposes, with domains guessed and without", async () => {
    await expect(onboardingConfig(["backend", "frontend"])).toMatchFileSnapshot(fixture("onboarding-config.yml"));
    await expect(onboardingConfig([])).toMatchFileSnapshot(fixture("onboarding-config-no-domains.yml"));
  });

  it("its pull request's body: workflow added, already there, or in the description", async () => {
    const workflowText = "name: agent\n```\nrun: echo\n```\n";
    const options = { htmlUrl: "https://github.com/acme/app", domains: ["backend", "frontend"], workflowText };
    await expect(onboardingBody({ ...options, workflow: "added", label: "created" })).toMatchFileSnapshot(
      fixture("onboarding-added.md"),
    );
    await expect(onboardingBody({ ...options, domains: [], workflow: "exists", label: "exists" })).toMatchFileSnapshot(
      fixture("onboarding-exists.md"),
    );
    await expect(
      onboardingBody({
        ...options,
        workflow: "description",
        label: "exists",
        refused: "Resource not accessible by integration, HTTP 403",
      }),
    ).toMatchFileSnapshot(fixture("onboarding-description.md"));
  });
});
