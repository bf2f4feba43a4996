import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/base/config.js";
import { renderDashboard } from "../../src/render/dashboard.js";
import { dashboardView } from "../../src/state/dashboardView.js";
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
} from "./support.js";

const folders: Record<string, string> = {
  api: "backend/api",
  styles: "frontend/styles",
  model: "backend/models",
  ui: "frontend/bell",
};
const accepted = (
  batch: string,
  runId: number,
  pr: number,
  minutes: number,
  when: number,
  merge: string,
  usd?: number,
): Event[] => [
  completed(runId, minutes, at(when), {
    evidence: evidence(
      pr,
      [`${folders[batch]}/f.ts`],
      report(batch, runId, usd === undefined ? {} : { usage: { usd } }),
    ),
  }),
  { kind: "merged", at: at(when), batch, sha: merge },
];
const resume = (when: number, comment: number, raise?: { minutes?: number; usd?: number }): Event => ({
  kind: "command",
  at: at(when),
  by: "bob",
  comment,
  command: { name: "resume", ...(raise === undefined ? {} : { raise }) },
});

describe("a budget per feature", () => {
  it("passed by the agent minutes: no new batch starts, and once nothing runs a checkpoint says why", () => {
    const { plan, state } = running(setup(FEATURE_YAML, { ...defaultConfig, budget: { minutes: 30 } }));
    // styles takes 15 min: within the budget, ui (frontend) cannot start yet (it needs api); api's 18 more pass it.
    const first = play(plan, state, accepted("styles", 102, 502, 15, 15, "merge-1"));
    expect(first.state.pause).toBeUndefined();
    const passed = play(plan, first.state, accepted("api", 101, 501, 18, 18, "merge-2"));
    expect(dispatches(passed.effects)).toEqual([]);
    expect(passed.state.status).toBe("paused");
    expect(passed.state.pause).toEqual({
      by: "budget",
      at: at(18),
      reason: "33 min of agent time spent, over the budget of 30 min.",
      budget: true,
    });
    const checkpoint = ofKind(passed.effects, "comment")[0]!.body;
    expect(checkpoint).toContain(
      "Paused by the budget at 2026-01-05T09:18:00Z: 33 min of agent time spent, over the budget of 30 min.",
    );
    expect(checkpoint).toContain("`/resume` alone goes on past the budget; `/resume budget +60m` (or `+$5`) raises it");
    const dashboard = renderDashboard(plan, dashboardView(plan, passed.state, "https://github.com/acme/app"));
    expect(dashboard).toContain("**Budget**: 33 min of 30 min of agent time spent");
    expect(dashboard).toContain("Paused by the budget at 2026-01-05T09:18:00Z");
  });

  it("a batch running when it is passed finishes and is checked in first", () => {
    const { plan, state } = running(setup(FEATURE_YAML, { ...defaultConfig, budget: { minutes: 10 } }));
    const pausing = play(plan, state, accepted("styles", 102, 502, 15, 15, "merge-1"));
    expect([pausing.state.status, pausing.state.pause?.budget]).toEqual(["running", true]);
    expect(ofKind(pausing.effects, "comment")).toEqual([]);
    const paused = play(plan, pausing.state, accepted("api", 101, 501, 18, 18, "merge-2"));
    expect(paused.state.status).toBe("paused");
    expect(ofKind(paused.effects, "comment")[0]!.body).toContain(
      "Paused by the budget at 2026-01-05T09:15:00Z: 15 min of agent time spent, over the budget of 10 min.",
    );
  });

  it("/resume goes on past it without another budget pause; /resume budget +60m raises it and it pauses again past the new one", () => {
    const { plan, state } = running(setup(FEATURE_YAML, { ...defaultConfig, budget: { minutes: 30 } }));
    const paused = play(plan, state, [
      ...accepted("styles", 102, 502, 15, 15, "merge-1"),
      ...accepted("api", 101, 501, 18, 18, "merge-2"),
    ]).state;

    const onward = decideAndWrite(paused, resume(20, 1), plan);
    expect(onward.state.status).toBe("running");
    expect(dispatches(onward.effects).map((d) => d.batch)).toEqual(["model", "ui"]);
    const past = play(plan, onward.state, [
      { kind: "dispatched", at: at(20), batch: "model", attempt: 1, runId: 103 },
      { kind: "dispatched", at: at(20), batch: "ui", attempt: 1, runId: 104 },
      ...accepted("model", 103, 503, 20, 40, "merge-3"),
    ]);
    expect(past.state.pause).toBeUndefined();

    const raised = decideAndWrite(paused, resume(20, 2, { minutes: 60 }), plan);
    expect(raised.state.budget).toEqual({ minutes: 90 });
    expect(ofKind(raised.effects, "comment")[0]!.body).toContain("Budget: 33 min of 1 h 30 min of agent time spent.");
    const again = play(plan, raised.state, [
      { kind: "dispatched", at: at(20), batch: "model", attempt: 1, runId: 103 },
      { kind: "dispatched", at: at(20), batch: "ui", attempt: 1, runId: 104 },
      ...accepted("model", 103, 503, 30, 50, "merge-3"),
      ...accepted("ui", 104, 504, 31, 51, "merge-4"),
    ]);
    // 33 + 30 + 31 = 94 min: over 90, but no batch is left to start: the feature finishes instead.
    expect(again.state.status).toBe("done");
    // With a batch left to start, the new budget pauses it again.
    const redo = play(plan, raised.state, [
      { kind: "dispatched", at: at(20), batch: "model", attempt: 1, runId: 103 },
      { kind: "dispatched", at: at(20), batch: "ui", attempt: 1, runId: 104 },
      ...accepted("model", 103, 503, 30, 50, "merge-3"),
      completed(104, 31, at(51), {
        evidence: evidence(504, ["frontend/bell/f.ts", "backend/api/x.py"], report("ui", 104)),
      }),
    ]);
    expect(redo.state.batches.ui!.status).toBe("redo");
    expect([redo.state.status, redo.state.pause?.reason]).toEqual([
      "paused",
      "1 h 34 min of agent time spent, over the budget of 1 h 30 min.",
    ]);
  });

  it("passed by the cost the agents report; a run without a report of usage costs nothing", () => {
    const { plan, state } = running(setup(FEATURE_YAML, { ...defaultConfig, budget: { usd: 1 } }));
    const within = play(plan, state, accepted("styles", 102, 502, 15, 15, "merge-1", 0.6)).state;
    expect(within.pause).toBeUndefined();
    const passed = play(plan, within, accepted("api", 101, 501, 18, 18, "merge-2", 0.5)).state;
    expect(passed.pause?.reason).toBe("$1.10 spent, over the budget of $1.00.");
    const raised = decideAndWrite(passed, resume(20, 3, { usd: 5 }), plan).state;
    expect(raised.budget).toEqual({ usd: 6 });
  });

  it("a redelivered /resume budget raises nothing twice: the pause is over", () => {
    const { plan, state } = running(setup(FEATURE_YAML, { ...defaultConfig, budget: { minutes: 30 } }));
    const paused = play(plan, state, [
      ...accepted("styles", 102, 502, 15, 15, "merge-1"),
      ...accepted("api", 101, 501, 18, 18, "merge-2"),
    ]).state;
    const once = decideAndWrite(paused, resume(20, 4, { minutes: 60 }), plan).state;
    const twice = decideAndWrite(once, resume(20, 4, { minutes: 60 }), plan);
    expect(twice.state.budget).toEqual({ minutes: 90 });
    expect(ofKind(twice.effects, "comment")[0]!.body).toContain("Not paused");
  });

  it("without a budget, nothing pauses and the dashboard shows none", () => {
    const { plan, state } = running();
    const done = play(plan, state, [
      ...accepted("styles", 102, 502, 150, 150, "merge-1"),
      ...accepted("api", 101, 501, 180, 180, "merge-2"),
    ]).state;
    expect(done.pause).toBeUndefined();
    expect(renderDashboard(plan, dashboardView(plan, done, "https://github.com/acme/app"))).not.toContain("Budget");
  });
});
