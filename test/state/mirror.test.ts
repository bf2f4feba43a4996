import { describe, expect, it } from "vitest";
import {
  MAX_SUB_ISSUES,
  isMirrorLabel,
  mirrorChanges,
  mirrorOf,
  mirrorRoom,
  mirrorStatus,
  plannedFromSubIssues,
  type FoundMirror,
  type WantedMirror,
} from "../../src/state/mirror.js";
import type { State } from "../../src/state/stateSchema.js";
import { planOfYaml, running, setup } from "./support.js";

/** `mirrorOf` with a title of its own for each batch, as the shell renders one. */
function wanted(state: State, plan = setup().plan): WantedMirror[] {
  return mirrorOf(plan, state).map((item) => ({ ...item, title: `Batch ${item.name.number}`, body: "" }));
}

function found(batch: string, number: number, fields: Partial<FoundMirror> = {}): FoundMirror {
  return {
    batch,
    number,
    id: 1000 + number,
    title: `Batch ${number - 1}`,
    open: true,
    labels: [],
    blockedBy: 0,
    ...fields,
  };
}

describe("mirrorOf", () => {
  it("is one item per batch in checklist order, blocked by its dependencies and the planner's orderings", () => {
    const { plan, state } = running();
    const items = mirrorOf(plan, state);
    expect(
      items.map((item) => [item.batch, item.name.number, item.of, item.status, item.open, item.blockedBy]),
    ).toEqual([
      ["api", 1, 4, "running", true, []],
      ["styles", 2, 4, "running", true, []],
      // model shares backend with api: ordered after it by the schedule, not blocked by it.
      ["model", 3, 4, "pending", true, []],
      ["ui", 4, 4, "pending", true, ["api"]],
    ]);
  });

  it("closes a settled batch's sub-issue, completed when accepted and not planned when skipped", () => {
    const { plan, state } = running();
    const settled: State = {
      ...state,
      batches: {
        ...state.batches,
        api: { ...state.batches.api!, status: "accepted" },
        styles: { ...state.batches.styles!, status: "skipped" },
      },
    };
    expect(mirrorOf(plan, settled).map((item) => [item.status, item.open, item.reason])).toEqual([
      ["accepted", false, "completed"],
      ["skipped", false, "not_planned"],
      ["pending", true, undefined],
      ["pending", true, undefined],
    ]);
  });

  it("leaves unsettled batches of a coordination that ended open or closed, as people left them", () => {
    const { plan, state } = running();
    const items = mirrorOf(plan, { ...state, status: "aborted" });
    expect(items.map((item) => item.open)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it("shows a run's three steps as running, and every other status as itself", () => {
    expect(
      ["pending", "dispatched", "running", "checking", "accepted", "redo", "blocked", "skipped"].map((status) =>
        mirrorStatus(status as never),
      ),
    ).toEqual(["pending", "running", "running", "running", "accepted", "redo", "blocked", "skipped"]);
    expect(isMirrorLabel("batch: redo")).toBe(true);
    expect(isMirrorLabel("batch: later")).toBe(false);
  });
});

describe("mirrorChanges", () => {
  it("creates what is missing, then links every batch once all exist", () => {
    const { state } = setup();
    expect(mirrorChanges(wanted(state), [])).toEqual([
      { kind: "create", batch: "api" },
      { kind: "create", batch: "styles" },
      { kind: "create", batch: "model" },
      { kind: "create", batch: "ui" },
      { kind: "link", batch: "api", blockedBy: [] },
      { kind: "link", batch: "styles", blockedBy: [] },
      { kind: "link", batch: "model", blockedBy: [] },
      { kind: "link", batch: "ui", blockedBy: ["api"] },
    ]);
  });

  it("changes nothing when GitHub holds the mirror as it should be", () => {
    const { state } = running();
    const existing = wanted(state).map((item, index) =>
      found(item.batch, index + 2, {
        title: item.title,
        labels: [`batch: ${item.status}`, "people's"],
        blockedBy: item.blockedBy.length,
      }),
    );
    expect(mirrorChanges(wanted(state), existing)).toEqual([]);
  });

  it("updates title, status label (keeping people's labels) and state in one change, and judges a close of an open batch", () => {
    const { state } = running();
    const settled: State = {
      ...state,
      batches: { ...state.batches, api: { ...state.batches.api!, status: "accepted" } },
    };
    const items = wanted(settled);
    const existing = [
      found("api", 2, { title: "old", labels: ["batch: running", "people's"] }),
      found("styles", 3, { title: "Batch 2", labels: ["batch: running"], open: false }),
      found("model", 4, { title: "Batch 3", labels: ["batch: pending"] }),
      found("ui", 5, { title: "Batch 4", labels: ["batch: pending"], blockedBy: undefined }),
    ];
    expect(mirrorChanges(items, existing)).toEqual([
      {
        kind: "update",
        batch: "api",
        number: 2,
        title: "Batch 1",
        labels: ["people's", "batch: accepted"],
        state: { open: false, reason: "completed" },
      },
      { kind: "closed", batch: "styles", number: 3 },
      // GitHub gave no dependency count: the links are listed and brought up to date.
      { kind: "link", batch: "ui", blockedBy: ["api"] },
    ]);
  });

  it("closes as not planned the sub-issue of a batch a re-plan dropped, taking its status label off", () => {
    const { state } = running();
    const existing = [
      ...wanted(state).map((item, index) =>
        found(item.batch, index + 2, {
          title: item.title,
          labels: [`batch: ${item.status}`],
          blockedBy: item.blockedBy.length,
        }),
      ),
      found("gone", 9, { labels: ["batch: pending", "kept"] }),
    ];
    expect(mirrorChanges(wanted(state), existing)).toEqual([
      { kind: "update", batch: "gone", number: 9, labels: ["kept"], state: { open: false, reason: "not_planned" } },
    ]);
  });
});

describe("mirrorRoom and plannedFromSubIssues", () => {
  it("counts the sub-issues still needed against GitHub's 100 under one parent", () => {
    const { state } = setup();
    expect(mirrorRoom(wanted(state), [], 0)).toEqual({ needed: 4, room: MAX_SUB_ISSUES });
    expect(mirrorRoom(wanted(state), [found("api", 2)], 98)).toEqual({ needed: 3, room: 2 });
  });

  it("finds a plan of 101 batches too many for one parent", () => {
    const yaml = `tasks:\n${Array.from({ length: 101 }, (_, index) => `  - { id: t${index}, title: Task ${index}, domain: d${index % 4}, files: ["d${index}/**"], estimate: 15 }`).join("\n")}\n`;
    const plan = planOfYaml(yaml, { ...setup().state.config, allowEpics: true }, true);
    expect(plan.batches).toHaveLength(101);
    const { state } = setup();
    const items = mirrorOf(plan, {
      ...state,
      batches: Object.fromEntries(plan.batches.map((batch) => [batch.id, state.batches.api!])),
    });
    const room = mirrorRoom(items, [], 0);
    expect(room.needed > room.room).toBe(true);
    expect(room).toEqual({ needed: 101, room: 100 });
  });

  it("knows a plan read from the feature issue's own sub-issues: every task one of them", () => {
    const plan = planOfYaml(
      `tasks:\n  - { id: "12", title: A, domain: a, estimate: 20 }\n  - { id: "13", title: B, domain: b, estimate: 20 }\n`,
    );
    expect(plannedFromSubIssues(plan, [12, 13, 40])).toBe(true);
    expect(plannedFromSubIssues(plan, [12])).toBe(false);
    expect(plannedFromSubIssues(setup().plan, [1, 2, 3])).toBe(false);
  });
});
