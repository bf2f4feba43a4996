/**
 * The commands as the pure engine decides them: what a person who types
 * `/pause`, `/resume`, `/retry`, `/skip`, `/approve`, `/abort`, `/help` or
 * `/plan` on the issue would see happen (comments, dispatches, cancelled runs,
 * merges) and what the state says afterwards.
 */
import { describe, expect, it } from "vitest";
import type { Command } from "../../src/commands/parse.js";
import { defaultConfig } from "../../src/base/config.js";
import type { Plan } from "../../src/plan/planModel.js";
import { planFromSource } from "../../src/schedule/planner.js";
import { readYaml } from "../../src/plan/readYaml.js";
import { ReportSchema, type ReportInput } from "../../src/report/reportSchema.js";
import type { Evidence } from "../../src/state/checkIn.js";
import type { WrittenEffect } from "../../src/render/writtenEffect.js";
import type { Event } from "../../src/state/events.js";
import type { State } from "../../src/state/stateSchema.js";
import { startState } from "../../src/state/startState.js";
import { FILES, PLAN_YAML } from "../fixtures/notifications.js";
import { decideAndWrite, dispatches, play } from "./support.js";

const T0 = "2026-03-02T09:00:00Z";

/** `minutes` after T0, as GitHub writes times. */
function at(minutes: number): string {
  return new Date(Date.parse(T0) + minutes * 60_000).toISOString().replace(/\.000Z$/, "Z");
}

function fresh(): { plan: Plan; state: State } {
  const result = planFromSource(readYaml(PLAN_YAML), defaultConfig);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  const plan = result.plan;
  const state = startState({ issue: 12, config: defaultConfig, base: "main", baseSha: "base-sha", at: T0 }, plan);
  return { plan, state };
}

let commentIds = 900;
function command(
  text: Command,
  when: string,
  by = "alice",
  comment = ++commentIds,
): Extract<Event, { kind: "command" }> {
  return { kind: "command", at: when, by, comment, command: text };
}

function report(batch: string, run: number, fields: Partial<ReportInput> = {}): ReportInput {
  return {
    version: 1,
    issue: 12,
    batch,
    run,
    status: "Complete",
    changes: [{ file: `${batch}.ts`, line: 1, summary: `${batch} done` }],
    acceptance: [{ check: "tests", passed: true, output: "ok" }],
    integrationPoints: [`${batch}: exports ${batch}Client`],
    blockers: [],
    summary: `Finished ${batch}.`,
    ...fields,
  };
}

function evidence(batch: string, run: number, pr: number | undefined, fields: Partial<ReportInput> = {}): Evidence {
  const parsed = { ok: true as const, report: ReportSchema.parse(report(batch, run, fields)) };
  return pr === undefined
    ? { report: parsed }
    : {
        pr: {
          number: pr,
          headSha: `head-${pr}`,
          files: [{ path: FILES[batch]!, mode: "100644" }],
          changedFiles: 1,
          merged: false,
        },
        report: parsed,
      };
}

/** A clean check-in of `batch`'s run `runId`, with pull request `pr`, and the merge GitHub answered. */
function accepted(batch: string, runId: number, pr: number, when: string): Event[] {
  return [
    { kind: "runCompleted", at: when, runId, conclusion: "success", minutes: 15, evidence: evidence(batch, runId, pr) },
    { kind: "merged", at: when, batch, sha: `merge-${batch}` },
  ];
}

function comments(effects: WrittenEffect[]): Array<Extract<WrittenEffect, { kind: "comment" }>> {
  return effects.filter((effect): effect is Extract<WrittenEffect, { kind: "comment" }> => effect.kind === "comment");
}

function statuses(state: State): Record<string, string> {
  return Object.fromEntries(Object.entries(state.batches).map(([id, batch]) => [id, batch.status]));
}

/** Started at T0: `api` (run 101) and `styles` (run 102) dispatched. */
function justStarted(): { plan: Plan; state: State } {
  const { plan, state } = fresh();
  const after = play(plan, state, [
    { kind: "start", at: T0 },
    { kind: "dispatched", at: T0, batch: "api", attempt: 1, runId: 101 },
    { kind: "dispatched", at: T0, batch: "styles", attempt: 1, runId: 102 },
  ]);
  return { plan, state: after.state };
}

/**
 * Running: `api` dispatched at T0 (run 101); `styles` (run 102) accepted at
 * +9 min, which dispatched `icons` (run 103) at +9 min.
 */
function running(): { plan: Plan; state: State } {
  const { plan, state } = fresh();
  const after = play(plan, state, [
    { kind: "start", at: T0 },
    { kind: "dispatched", at: T0, batch: "api", attempt: 1, runId: 101 },
    { kind: "dispatched", at: T0, batch: "styles", attempt: 1, runId: 102 },
    ...accepted("styles", 102, 202, at(9)),
    { kind: "dispatched", at: at(9), batch: "icons", attempt: 1, runId: 103 },
  ]);
  expect(statuses(after.state)).toEqual({
    api: "dispatched",
    styles: "accepted",
    icons: "dispatched",
    model: "pending",
    ui: "pending",
  });
  return { plan, state: after.state };
}

/** `running()`, then `/pause` at +10 min: `icons` (1 min old) is cancelled, `api` (10 min old) finishes. */
function pausing(): { plan: Plan; state: State; effects: WrittenEffect[]; pause: Extract<Event, { kind: "command" }> } {
  const { plan, state } = running();
  const pause = command({ name: "pause", reason: "waiting for the API review" }, at(10), "alice", 501);
  const { state: next, effects } = decideAndWrite(state, pause, plan);
  return { plan, state: next, effects, pause };
}

/** `pausing()`, then `api` is accepted at +15 min: the pause takes hold. */
function paused(): { plan: Plan; state: State; effects: WrittenEffect[] } {
  const { plan, state } = pausing();
  return { plan, ...play(plan, state, accepted("api", 101, 201, at(15))) };
}

describe("/pause", () => {
  it("cancels a run that started a minute ago, lets one ten minutes along finish, and says which", () => {
    const { state, effects } = pausing();

    expect(effects.filter((effect) => effect.kind === "cancelRun")).toEqual([
      { kind: "cancelRun", batch: "icons", runId: 103 },
    ]);
    expect(dispatches(effects)).toEqual([]);
    expect(state.batches.icons!.status).toBe("pending");
    expect(state.batches.icons!.runs).toEqual([
      { attempt: 1, key: "pc-12-icons-1", id: 103, dispatchedAt: at(9), outcome: "cancelled" },
    ]);
    expect(state.batches.api!.status).toBe("dispatched");
    expect(state.batches.api!.runs[0]!.outcome).toBeUndefined();
    // Not paused yet: `api` still runs.
    expect(state.status).not.toBe("paused");
    expect(state.pause).toEqual({ by: "alice", at: at(10), reason: "waiting for the API review" });

    const answers = comments(effects);
    expect(answers.map((comment) => comment.key)).toEqual(["answer-501"]);
    expect(answers[0]!.body).toContain("no new batches start");
    expect(answers[0]!.body).toMatch(/Cancelled and back to pending.*batch 3 \(Bell icons\)/);
    expect(answers[0]!.body).toMatch(/Finishing.*batch 1 \(Notification API\).*checkpoint follows/);
  });

  it("a run exactly at the limit finishes; the limit is the configured one", () => {
    const { plan, state } = running();
    // `icons` was dispatched at +9: at +12 it is 3 minutes along, not under 3.
    const { effects } = decideAndWrite(state, command({ name: "pause" }, at(12)), plan);
    expect(effects.filter((effect) => effect.kind === "cancelRun")).toEqual([]);

    const patient = structuredClone(state);
    patient.config.pause.cancelWithinMinutes = 0;
    expect(
      decideAndWrite(patient, command({ name: "pause" }, at(10)), plan).effects.filter(
        (effect) => effect.kind === "cancelRun",
      ),
    ).toEqual([]);
  });

  it("when the last running batch is accepted: paused, and exactly one checkpoint comment in the seed's shape", () => {
    const { plan, state: before } = pausing();
    const { state, effects } = play(plan, before, accepted("api", 101, 201, at(15)));

    expect(state.status).toBe("paused");
    expect(dispatches(effects)).toEqual([]);
    // The merge of the finishing batch goes ahead as usual.
    expect(effects.filter((effect) => effect.kind === "merge").map((effect) => effect.batch)).toEqual(["api"]);
    const posted = comments(effects);
    expect(posted).toHaveLength(1);
    const checkpoint = posted[0]!.body;
    expect(checkpoint).toContain("### ⏸ Session checkpoint");
    expect(checkpoint).toContain(`Paused by @alice at ${at(10)}: waiting for the API review`);
    expect(checkpoint).toContain("#### Progress");
    expect(checkpoint).toContain(
      "- ✅ Completed: 2 batches (Batch 1 — Notification API (backend); Batch 2 — Bell styles (frontend))",
    );
    expect(checkpoint).toContain("- 🔄 Current: none");
    expect(checkpoint).toContain("- ⏳ Pending: 3 batches");
    expect(checkpoint).toContain("#### Ready for resume");
    expect(checkpoint).toContain("- Next: Batch 3 — Bell icons (frontend)");
    expect(checkpoint).toContain("- Next: Batch 5 — Notification bell (frontend)");
    expect(checkpoint).toContain("#### Context notes");
    expect(checkpoint).toContain("- api: exports apiClient (batch 1)");
    expect(checkpoint).toContain("- styles: exports stylesClient (batch 2)");
    expect(checkpoint).toContain("Comment `/resume`");
    expect(checkpoint).toContain("2/5 batches");
  });

  it("nothing new starts while pausing or paused, whatever else happens", () => {
    const { plan, state: during } = pausing();
    // While pausing, `api`'s merge would free the backend for `model` and make `ui` ready.
    expect(dispatches(play(plan, during, accepted("api", 101, 201, at(15))).effects)).toEqual([]);
    expect(dispatches(decideAndWrite(during, { kind: "advance", at: at(11) }, plan).effects)).toEqual([]);

    const { state } = paused();
    expect(dispatches(decideAndWrite(state, { kind: "advance", at: at(60) }, plan).effects)).toEqual([]);
    // A /retry or /skip while paused waits for /resume too.
    const skipped = decideAndWrite(state, command({ name: "skip", batch: "icons" }, at(61)), plan);
    expect(dispatches(skipped.effects)).toEqual([]);
    expect(skipped.state.status).toBe("paused");
  });

  it("pauses at once when nothing has to finish: the checkpoint is the answer", () => {
    const { plan, state: started } = justStarted();
    const { state: next, effects } = decideAndWrite(started, command({ name: "pause" }, at(1), "bob", 502), plan);
    expect(effects.filter((effect) => effect.kind === "cancelRun").map((effect) => effect.runId)).toEqual([101, 102]);
    expect(next.status).toBe("paused");
    const posted = comments(effects);
    expect(posted.map((comment) => comment.key)).toEqual(["answer-502"]);
    expect(posted[0]!.body).toContain("### ⏸ Session checkpoint");
    expect(posted[0]!.body).toContain(`Paused by @bob at ${at(1)}`);
    expect(posted[0]!.body).toContain("- ✅ Completed: 0 batches");
    expect(posted[0]!.body).toContain("- ⏳ Pending: 5 batches");
  });

  it("/pause while pausing or paused says so and changes nothing", () => {
    const { plan, state: during } = pausing();
    const again = decideAndWrite(during, command({ name: "pause", reason: "again" }, at(12), "bob", 601), plan);
    expect(comments(again.effects)).toEqual([
      { kind: "comment", key: "answer-601", body: expect.stringContaining("Already pausing") },
    ]);
    expect(again.effects).toHaveLength(1);
    expect(again.state).toEqual(during);

    const { state } = paused();
    const twice = decideAndWrite(state, command({ name: "pause" }, at(20), "bob", 602), plan);
    expect(twice.effects).toEqual([
      { kind: "comment", key: "answer-602", body: expect.stringContaining(`Already paused (by @alice at ${at(10)})`) },
    ]);
    expect(twice.state).toEqual(state);
  });

  it("/pause on a finished or aborted coordination says why", () => {
    const { plan, state } = paused();
    const aborted = decideAndWrite(state, command({ name: "abort" }, at(20)), plan).state;
    const answer = decideAndWrite(aborted, command({ name: "pause" }, at(21), "alice", 603), plan);
    expect(answer.effects).toEqual([
      { kind: "comment", key: "answer-603", body: expect.stringContaining("been aborted") },
    ]);
    expect(answer.state.status).toBe("aborted");
  });
});

describe("/resume", () => {
  it("says why nothing happens when the coordination is not paused, finished or aborted", () => {
    const { plan, state } = running();
    const notPaused = decideAndWrite(state, command({ name: "resume" }, at(10), "alice", 701), plan);
    expect(notPaused.effects).toEqual([
      { kind: "comment", key: "answer-701", body: expect.stringContaining("Not paused") },
    ]);
    expect(notPaused.state).toEqual(state);

    const aborted = decideAndWrite(state, command({ name: "abort" }, at(10)), plan).state;
    const onAborted = decideAndWrite(aborted, command({ name: "resume" }, at(11), "alice", 702), plan);
    expect(onAborted.effects).toEqual([
      { kind: "comment", key: "answer-702", body: expect.stringContaining("been aborted: there is nothing to resume") },
    ]);
    expect(onAborted.state.status).toBe("aborted");

    const done = structuredClone(state);
    done.status = "done";
    const onDone = decideAndWrite(done, command({ name: "resume" }, at(11), "alice", 703), plan);
    expect(onDone.effects).toEqual([
      { kind: "comment", key: "answer-703", body: expect.stringContaining("finished: there is nothing to resume") },
    ]);
    expect(dispatches(onDone.effects)).toEqual([]);
  });

  it("after the pause: the resume comment first, then the ready batches; accepted ones never again, the cancelled one with its next attempt", () => {
    const { plan, state } = paused();
    // Three days later.
    const resume = command({ name: "resume" }, at(3 * 24 * 60), "bob", 704);
    const { state: next, effects } = decideAndWrite(state, resume, plan);

    expect(next.status).toBe("running");
    expect(next.pause).toBeUndefined();
    expect(next.resumed).toEqual({ by: "bob", at: at(3 * 24 * 60) });

    const posted = comments(effects);
    expect(posted.map((comment) => comment.key)).toEqual(["answer-704"]);
    const body = posted[0]!.body;
    expect(body).toContain("### 🔄 Resumed by @bob");
    expect(body).toContain("#### Previous progress");
    expect(body).toContain(
      "✅ Completed (2):\n- Batch 1 — Notification API (backend)\n- Batch 2 — Bell styles (frontend)",
    );
    expect(body).toContain("#### Continuing from");
    expect(body).toContain("- 📍 Batch 3 — Bell icons (frontend)");
    expect(body).toContain("#### Context loaded");
    expect(body).toContain("- api: exports apiClient (batch 1)");
    expect(effects.indexOf(posted[0]!)).toBeLessThan(effects.findIndex((effect) => effect.kind === "dispatch"));

    const sent = dispatches(effects);
    expect(sent.map((dispatch) => [dispatch.batch, dispatch.attempt, dispatch.key])).toEqual([
      ["icons", 2, "pc-12-icons-2"],
      ["model", 1, "pc-12-model-1"],
    ]);
    // `icons` starts clean: its branch goes back to the integration head (`api` merged since), without what the cancelled run left.
    expect(sent[0]!.create).toBeUndefined();
    expect(sent[0]!.sync).toBeUndefined();
    expect(sent[0]!.reset).toBe(next.head);
    expect(sent.some((dispatch) => dispatch.batch === "api" || dispatch.batch === "styles")).toBe(false);
    expect(next.batches.icons!.runs.map((run) => [run.attempt, run.outcome])).toEqual([
      [1, "cancelled"],
      [2, undefined],
    ]);
  });

  it("/resume while the pause has not taken hold calls it off", () => {
    const { plan, state } = pausing();
    const { state: next, effects } = decideAndWrite(state, command({ name: "resume" }, at(11), "bob", 705), plan);
    expect(next.pause).toBeUndefined();
    expect(next.status).toBe("running");
    expect(comments(effects)).toEqual([
      { kind: "comment", key: "answer-705", body: expect.stringContaining("called off") },
    ]);
    // `icons` was cancelled by the pause: it starts again at once, in the frontend `api` does not hold.
    expect(dispatches(effects).map((dispatch) => dispatch.key)).toEqual(["pc-12-icons-2"]);
  });

  it("the whole feature finishes after a pause and a resume: no batch ran twice, none was lost", () => {
    const { plan, state } = paused();
    let current = state;
    const keys: string[] = [];
    const effects: WrittenEffect[] = [];
    const step = (event: Event) => {
      const decision = decideAndWrite(current, event, plan);
      current = decision.state;
      effects.push(...decision.effects);
      keys.push(...dispatches(decision.effects).map((dispatch) => dispatch.key));
      return decision;
    };
    step(command({ name: "resume" }, at(2 * 24 * 60)));
    let runId = 200;
    let pr = 300;
    for (let round = 0; round < 5 && current.status !== "done"; round++) {
      const out = Object.entries(current.batches).filter(([, batch]) => batch.status === "dispatched");
      for (const [batch, own] of out) {
        const run = own.runs[own.runs.length - 1]!;
        runId += 1;
        pr += 1;
        step({ kind: "dispatched", at: run.dispatchedAt, batch, attempt: run.attempt, runId });
        for (const event of accepted(batch, runId, pr, at(2 * 24 * 60 + 20 * (round + 1)))) step(event);
      }
    }
    expect(current.status).toBe("done");
    expect(Object.values(statuses(current))).toEqual(["accepted", "accepted", "accepted", "accepted", "accepted"]);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.sort()).toEqual(["pc-12-icons-2", "pc-12-model-1", "pc-12-ui-1"]);
    expect(effects.filter((effect) => effect.kind === "openFinalPullRequest")).toHaveLength(1);
  });
});

/**
 * `running()`, then `api`'s run ends with a `Blocked` report at +18 min, and
 * `icons` is accepted. With its pull request 201, `api`'s work holds the
 * backend branch: `model` waits. Without one, `model` (run 104) takes the free
 * backend and is accepted. Either way nothing runs, and `ui` waits for `api`.
 */
function blocked(withPr = true): { plan: Plan; state: State } {
  const { plan, state } = running();
  const report = evidence("api", 101, withPr ? 201 : undefined, {
    status: "Blocked",
    blockers: ["the API spec is ambiguous"],
  });
  const done = play(plan, state, [
    { kind: "runCompleted", at: at(18), runId: 101, conclusion: "success", minutes: 18, evidence: report },
  ]);
  expect(dispatches(done.effects).map((dispatch) => dispatch.batch)).toEqual(withPr ? [] : ["model"]);
  const after = play(plan, done.state, [
    ...(withPr
      ? []
      : [
          { kind: "dispatched" as const, at: at(18), batch: "model", attempt: 1, runId: 104 },
          ...accepted("model", 104, 204, at(35)),
        ]),
    ...accepted("icons", 103, 203, at(25)),
  ]);
  expect(statuses(after.state)).toEqual({
    api: "blocked",
    styles: "accepted",
    icons: "accepted",
    model: withPr ? "pending" : "accepted",
    ui: "pending",
  });
  expect(after.state.status).toBe("blocked");
  return { plan, state: after.state };
}

describe("/retry, /skip, /approve", () => {
  it("/retry N on a blocked batch dispatches it again with its next attempt; on an accepted one refuses", () => {
    const { plan, state } = blocked();
    const { state: next, effects } = decideAndWrite(
      state,
      command({ name: "retry", batch: "1" }, at(40), "alice", 801),
      plan,
    );
    expect(dispatches(effects).map((dispatch) => [dispatch.batch, dispatch.attempt, dispatch.key])).toEqual([
      ["api", 2, "pc-12-api-2"],
    ]);
    expect(next.batches.api!.status).toBe("dispatched");
    expect(next.batches.api!.blocker).toBeUndefined();
    expect(next.status).toBe("running");
    expect(comments(effects)).toEqual([
      { kind: "comment", key: "answer-801", body: "🔁 batch 1 (Notification API) will run again." },
    ]);

    const refused = decideAndWrite(next, command({ name: "retry", batch: "styles" }, at(41), "alice", 802), plan);
    expect(refused.effects).toEqual([
      {
        kind: "comment",
        key: "answer-802",
        body: expect.stringContaining(
          "batch 2 (Bell styles) is accepted: only a failed, blocked or redo batch can be retried",
        ),
      },
    ]);
    expect(refused.state).toEqual(next);
  });

  it("/retry while paused waits for /resume", () => {
    const { plan, state } = blocked();
    const pausedState = decideAndWrite(state, command({ name: "pause" }, at(40)), plan).state;
    expect(pausedState.status).toBe("paused");
    const { state: next, effects } = decideAndWrite(
      pausedState,
      command({ name: "retry", batch: "1" }, at(41), "alice", 808),
      plan,
    );
    expect(dispatches(effects)).toEqual([]);
    expect(comments(effects)[0]!.body).toBe(
      "🔁 batch 1 (Notification API) will run again once the coordination is resumed.",
    );
    const resumed = decideAndWrite(next, command({ name: "resume" }, at(42)), plan);
    expect(dispatches(resumed.effects).map((dispatch) => dispatch.key)).toEqual(["pc-12-api-2"]);
  });

  it("/skip N marks it skipped, lists the dependents it unblocks, takes its work off the domain branch, and dispatches what waited", () => {
    const { plan, state } = blocked();
    const { state: next, effects } = decideAndWrite(
      state,
      command({ name: "skip", batch: "api" }, at(40), "alice", 803),
      plan,
    );
    expect(next.batches.api!.status).toBe("skipped");
    expect(next.batches.api!.decisions).toEqual([{ decision: "skip", by: "alice", at: at(40) }]);
    const answer = comments(effects).find((comment) => comment.key === "answer-803")!;
    expect(answer.body).toContain("⏭ batch 1 (Notification API) is skipped.");
    expect(answer.body).toContain("Now unblocked: batch 5 (Notification bell).");
    // Its pull request closes and the backend branch goes back to the integration head: model starts clean, without a sync.
    expect(effects.filter((effect) => effect.kind === "withdraw")).toEqual([
      { kind: "withdraw", batch: "api", pr: 201, branch: "parallel-coordinator/12-backend", sha: state.head },
    ]);
    const [model, ui] = dispatches(effects);
    expect([model, ui].map((dispatch) => [dispatch!.batch, dispatch!.key])).toEqual([
      ["model", "pc-12-model-1"],
      ["ui", "pc-12-ui-1"],
    ]);
    expect(model!.sync).toBeUndefined();
    expect(next.status).toBe("running");

    // Without a pull request there is nothing on the branch to take off.
    const { plan: plain, state: noPr } = blocked(false);
    const skipped = decideAndWrite(noPr, command({ name: "skip", batch: "api" }, at(40), "alice", 810), plain);
    expect(skipped.effects.filter((effect) => effect.kind === "withdraw")).toEqual([]);
  });

  it("/skip of a batch in flight cancels its run and frees its domain", () => {
    const { plan, state } = running();
    const { state: next, effects } = decideAndWrite(
      state,
      command({ name: "skip", batch: "3" }, at(12), "alice", 809),
      plan,
    );
    expect(effects.filter((effect) => effect.kind === "cancelRun")).toEqual([
      { kind: "cancelRun", batch: "icons", runId: 103 },
    ]);
    expect(next.batches.icons!.status).toBe("skipped");
    expect(comments(effects)[0]!.body).toContain("No batch depends on it.");
  });

  it("/approve N on a blocked batch with a pull request merges it; without one accepts it", () => {
    const { plan, state } = blocked();
    const { state: next, effects } = decideAndWrite(
      state,
      command({ name: "approve", batch: "1" }, at(40), "alice", 804),
      plan,
    );
    // At the head its check-in judged, never at whatever it has become since; the answer waits for the merge.
    const approval = { comment: 804, by: "alice", sha: "head-201" };
    expect(effects.filter((effect) => effect.kind === "merge")).toEqual([
      {
        kind: "merge",
        batch: "api",
        pr: 201,
        sha: "head-201",
        title: "Batch 1 of 5: Notification API",
        head: "parallel-coordinator/12-backend",
        base: "parallel-coordinator/12",
        approval,
      },
    ]);
    expect(comments(effects)).toEqual([]);
    expect(dispatches(effects)).toEqual([]);
    const merged = decideAndWrite(next, { kind: "merged", at: at(40), batch: "api", sha: "merge-api", approval }, plan);
    expect(merged.state.batches.api!.status).toBe("accepted");
    // The decision is its own entry in the batch's history; the blocked run stays blocked.
    expect(merged.state.batches.api!.decisions).toEqual([{ decision: "approve", by: "alice", at: at(40) }]);
    expect(merged.state.batches.api!.runs.map((run) => run.outcome)).toEqual(
      state.batches.api!.runs.map((run) => run.outcome),
    );
    expect(merged.state.batches.api!.runs.at(-1)!.outcome).toBe("blocked");
    expect(comments(merged.effects)).toEqual([
      {
        kind: "comment",
        key: "answer-804",
        body: "✅ batch 1 (Notification API) is approved as it is: #201 is merged at `head-201`.",
      },
    ]);
    // Merged, api's work no longer holds the backend branch: model starts too.
    expect(dispatches(merged.effects).map((dispatch) => dispatch.batch)).toEqual(["model", "ui"]);

    const { plan: plain, state: noPr } = blocked(false);
    const approved = decideAndWrite(noPr, command({ name: "approve", batch: "api" }, at(40), "alice", 805), plain);
    expect(approved.state.batches.api!.status).toBe("accepted");
    expect(approved.effects.filter((effect) => effect.kind === "merge")).toEqual([]);
    expect(comments(approved.effects)[0]!.body).toBe("✅ batch 1 (Notification API) is approved as it is.");
    expect(dispatches(approved.effects).map((dispatch) => dispatch.batch)).toEqual(["ui"]);

    const refused = decideAndWrite(
      approved.state,
      command({ name: "approve", batch: "2" }, at(41), "alice", 806),
      plain,
    );
    expect(refused.effects).toEqual([
      {
        kind: "comment",
        key: "answer-806",
        body: expect.stringContaining(
          "is accepted: only a blocked batch, or one waiting for its redo, can be approved",
        ),
      },
    ]);
    expect(refused.state).toEqual(approved.state);
  });

  it("/approve N <sha> merges the head it names; a head that moved since is refused with an answer naming the head now, and the batch stays blocked", () => {
    const { plan, state } = blocked();
    const named = "a".repeat(40);
    const { state: next, effects } = decideAndWrite(
      state,
      command({ name: "approve", batch: "1", sha: named }, at(40), "alice", 811),
      plan,
    );
    const approval = { comment: 811, by: "alice", sha: named };
    expect(effects.filter((effect) => effect.kind === "merge")).toMatchObject([{ sha: named, approval }]);
    expect(next.notes.at(-1)).toBe(`@alice approved batch 1 as it is (#201 at ${named}) at ${at(40)}.`);

    const now = "b".repeat(40);
    const reason = 'Head branch was modified. Review and try the merge again. (HTTP 409; merge method "merge")';
    const refused = decideAndWrite(
      next,
      { kind: "mergeRefused", at: at(40), batch: "api", cause: "moved", reason, head: now, approval },
      plan,
    );
    expect(refused.state.batches.api!.status).toBe("blocked");
    expect(refused.state.batches.api!.blocker).toContain(`(its head is now \`${now}\`), so it was not merged.`);
    // The answer is the one comment: the batch's blocker was posted already.
    expect(comments(refused.effects)).toEqual([
      {
        kind: "comment",
        key: "answer-811",
        body:
          `⛔ batch 1 (Notification API) is not merged: #201 has moved on since \`${named}\`: its head is now \`${now}\`. An approval merges only the head it names. ` +
          `Look at the new commits, then \`/approve 1 ${now}\` takes the pull request as it now is, or \`/retry 1\` runs the batch again and checks that in.`,
      },
    ]);
    expect(dispatches(refused.effects)).toEqual([]);
  });

  it("/approve of a pull request whose checked-in head the state does not know (kept before heads were) asks for the head", () => {
    const { plan, state } = blocked();
    delete state.batches.api!.head;
    const { state: next, effects } = decideAndWrite(
      state,
      command({ name: "approve", batch: "1" }, at(40), "alice", 812),
      plan,
    );
    expect(effects).toEqual([
      {
        kind: "comment",
        key: "answer-812",
        body: "batch 1 (Notification API) has no checked-in head of #201 to approve: name the one you approve, `/approve 1 <full commit SHA>`.",
      },
    ]);
    expect(next).toEqual(state);
  });

  it("a batch is named by its checklist number or its id; an unknown one gets an answer and nothing else", () => {
    const { plan, state } = blocked();
    const byNumber = decideAndWrite(state, command({ name: "skip", batch: "1" }, at(40)), plan).state;
    const byId = decideAndWrite(state, command({ name: "skip", batch: "api" }, at(40)), plan).state;
    expect(byNumber.batches.api!.status).toBe("skipped");
    expect(byId.batches).toEqual(byNumber.batches);

    for (const name of ["6", "0", "nope"]) {
      const unknown = decideAndWrite(state, command({ name: "retry", batch: name }, at(40), "alice", 807), plan);
      expect(unknown.effects).toEqual([
        { kind: "comment", key: "answer-807", body: expect.stringContaining(`There is no batch ${name}`) },
      ]);
      expect(unknown.effects[0]).toMatchObject({ body: expect.stringContaining("(1–5)") });
      expect(unknown.state).toEqual(state);
    }
  });
});

describe("/abort, /help, /plan", () => {
  it("/abort cancels every run in flight, ends the coordination and posts the final checkpoint", () => {
    const { plan, state } = running();
    const { state: next, effects } = decideAndWrite(state, command({ name: "abort" }, at(12), "carol", 901), plan);
    expect(
      effects
        .filter((effect) => effect.kind === "cancelRun")
        .map((effect) => effect.runId)
        .sort(),
    ).toEqual([101, 103]);
    expect(dispatches(effects)).toEqual([]);
    expect(next.status).toBe("aborted");
    expect(next.batches.api!.runs[0]!.outcome).toBe("cancelled");
    const posted = comments(effects);
    expect(posted.map((comment) => comment.key)).toEqual(["answer-901"]);
    const body = posted[0]!.body;
    expect(body).toContain("### ⏹ Aborted — final checkpoint");
    expect(body).toMatch(/Aborted by @\u2060?carol/);
    expect(body).toContain("- ✅ Completed: 1 batch (Batch 2 — Bell styles (frontend))");
    expect(body).toContain("Branches and pull requests are left for people to keep or delete");
    // Nothing can be resumed: the final checkpoint neither says it was paused nor invites /resume.
    expect(body).not.toContain("Paused");
    expect(body).not.toContain("/resume");

    // Nothing starts afterwards, and a late run completion changes nothing but its own record.
    const late = play(plan, next, [{ kind: "advance", at: at(13) }, ...accepted("api", 101, 201, at(14))]);
    expect(dispatches(late.effects)).toEqual([]);
    expect(late.state.status).toBe("aborted");
  });

  it("/help answers with every command", () => {
    const { plan, state } = running();
    const { state: next, effects } = decideAndWrite(state, command({ name: "help" }, at(10), "alice", 902), plan);
    expect(effects).toHaveLength(1);
    const body = comments(effects)[0]!.body;
    for (const name of [
      "/plan",
      "/status",
      "/pause",
      "/resume",
      "/retry",
      "/skip",
      "/approve",
      "/abort",
      "/help",
      "/пауза",
      "/продовжити",
    ])
      expect(body).toContain(`\`${name}`);
    expect(next).toEqual(state);
  });

  it("/plan on a running coordination says to pause first", () => {
    const { plan, state } = running();
    const { state: next, effects } = decideAndWrite(
      state,
      command({ name: "plan", force: false }, at(10), "alice", 903),
      plan,
    );
    expect(effects).toEqual([
      { kind: "comment", key: "answer-903", body: expect.stringContaining("`/pause` it first") },
    ]);
    expect(next).toEqual(state);
  });
});

describe("the same command comment twice (a redelivery)", () => {
  const cases: Array<[string, () => { plan: Plan; state: State }, Command, number?]> = [
    ["/pause with runs to finish", running, { name: "pause", reason: "lunch" }],
    ["/pause that takes hold at once", justStarted, { name: "pause" }, 1],
    ["/retry of a batch the pause sent back to pending", paused, { name: "retry", batch: "icons" }],
    ["/resume", paused, { name: "resume" }],
    ["/retry", blocked, { name: "retry", batch: "1" }],
    ["/skip", blocked, { name: "skip", batch: "1" }],
    ["/approve", blocked, { name: "approve", batch: "1" }],
    ["/abort", running, { name: "abort" }],
    ["/help", running, { name: "help" }],
    ["/plan", running, { name: "plan", force: false }],
  ];
  for (const [label, make, text, minutes = 45] of cases) {
    it(`${label}: the second decide posts no comment the first did not, and dispatches nothing more`, () => {
      const { plan, state } = make();
      const event = command(text, at(minutes), "alice", 1000);
      const first = decideAndWrite(state, event, plan);
      // What GitHub answers to the first one's effects, as the shell would feed it back.
      const settled = play(plan, first.state, [
        ...dispatches(first.effects).map((dispatch, index): Event => ({
          kind: "dispatched",
          at: at(minutes),
          batch: dispatch.batch,
          attempt: dispatch.attempt,
          runId: 5000 + index,
        })),
        ...first.effects
          .filter((effect) => effect.kind === "merge")
          .map((effect): Event => ({
            kind: "merged",
            at: at(minutes),
            batch: effect.batch,
            sha: "merged",
            ...(effect.approval === undefined ? {} : { approval: effect.approval }),
          })),
      ]);
      const keys = new Set(comments([...first.effects, ...settled.effects]).map((comment) => comment.key));
      const second = decideAndWrite(settled.state, event, plan);
      expect(comments(second.effects).filter((comment) => !keys.has(comment.key))).toEqual([]);
      expect(dispatches(second.effects)).toEqual([]);
      expect(second.effects.filter((effect) => effect.kind === "cancelRun" || effect.kind === "merge")).toEqual([]);
      expect(second.state).toEqual(settled.state);
    });
  }
});

describe("a command delivered again after later ones (a redelivery out of turn)", () => {
  it("an old /resume does not call off a newer pause", () => {
    const { plan, state } = paused();
    const resume = command({ name: "resume" }, at(20), "bob", 1101);
    const resumed = decideAndWrite(state, resume, plan);
    const answered = new Set(comments(resumed.effects).map((comment) => comment.key));
    const running = play(
      plan,
      resumed.state,
      dispatches(resumed.effects).map((dispatch, index): Event => ({
        kind: "dispatched",
        at: at(20),
        batch: dispatch.batch,
        attempt: dispatch.attempt,
        runId: 6000 + index,
      })),
    );
    const pausedAgain = decideAndWrite(
      running.state,
      command({ name: "pause", reason: "again" }, at(21), "alice", 1102),
      plan,
    ).state;
    expect(pausedAgain.pause).toMatchObject({ at: at(21) });

    const again = decideAndWrite(pausedAgain, resume, plan);
    expect(again.state).toEqual(pausedAgain);
    expect(dispatches(again.effects)).toEqual([]);
    expect(comments(again.effects).filter((comment) => !answered.has(comment.key))).toEqual([]);
  });

  it("an old /pause does not pause again after the /resume that called it off", () => {
    const { plan, state, pause } = pausing();
    const resumed = decideAndWrite(state, command({ name: "resume" }, at(11), "bob", 1103), plan);
    const running = play(
      plan,
      resumed.state,
      dispatches(resumed.effects).map((dispatch, index): Event => ({
        kind: "dispatched",
        at: at(11),
        batch: dispatch.batch,
        attempt: dispatch.attempt,
        runId: 6100 + index,
      })),
    );
    expect(running.state.pause).toBeUndefined();

    const again = decideAndWrite(running.state, pause, plan);
    expect(again.state).toEqual(running.state);
    expect(again.effects.filter((effect) => effect.kind !== "comment")).toEqual([]);
    expect(comments(again.effects).map((comment) => comment.key)).toEqual(["answer-501"]);
  });

  it("an old /retry does not run the batch yet again once its retry has blocked too", () => {
    const { plan, state } = blocked();
    const retry = command({ name: "retry", batch: "api" }, at(40), "alice", 1104);
    const first = decideAndWrite(state, retry, plan);
    const blockedAgain = play(plan, first.state, [
      { kind: "dispatched", at: at(40), batch: "api", attempt: 2, runId: 6200 },
      {
        kind: "runCompleted",
        at: at(55),
        runId: 6200,
        conclusion: "success",
        minutes: 15,
        evidence: evidence("api", 6200, 201, { status: "Blocked", blockers: ["still ambiguous"] }),
      },
    ]).state;
    expect(blockedAgain.batches.api!.status).toBe("blocked");

    const again = decideAndWrite(blockedAgain, retry, plan);
    expect(dispatches(again.effects)).toEqual([]);
    expect(again.state).toEqual(blockedAgain);
  });
});

describe("a run /pause cancelled that finished first", () => {
  it("is checked in and merged rather than run again after /resume", () => {
    // `icons` (run 103) was cancelled by the pause, but GitHub had already finished it (the cancel got 409).
    const { plan, state } = pausing();
    const { state: after, effects } = play(plan, state, accepted("icons", 103, 203, at(11)));
    expect(
      effects.filter((effect) => effect.kind === "merge").map((effect) => (effect as { batch: string }).batch),
    ).toEqual(["icons"]);
    expect(after.batches.icons!.status).toBe("accepted");
    expect(after.batches.icons!.runs.map((run) => run.outcome)).toEqual(["accepted"]);
  });

  it("a cancelled run that really stopped stays cancelled", () => {
    const { plan, state } = pausing();
    const { state: after, effects } = play(plan, state, [
      { kind: "runCompleted", at: at(11), runId: 103, conclusion: "cancelled", minutes: 2 },
    ]);
    expect(effects).toEqual([]);
    expect(after.batches.icons!.status).toBe("pending");
  });
});
