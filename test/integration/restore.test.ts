/**
 * A damaged or deleted dashboard, restored from the newest checkpoint comment
 * and brought up to what GitHub records after it: batches accepted since then
 * stay accepted, the run out since then is checked in when it ends, nothing
 * is dispatched twice, and the feature finishes.
 */
import { describe, expect, it } from "vitest";
import type { Probot } from "probot";
import { useGitHubApi } from "../helpers/github.js";
import { testProbot } from "./app.js";
import { CommandsHub, at, T0 } from "./commandsHub.js";

useGitHubApi();

const R = "/repos/Codertocat/Hello-World";
const KEYS = ["pc-1-api-1", "pc-1-styles-1", "pc-1-icons-1", "pc-1-icons-2", "pc-1-model-1", "pc-1-ui-1"];

/**
 * Labelled at T0 (api, styles); styles accepted at +9 (icons starts); /pause at +10
 * cancels icons; api accepted at +15, so the pause takes hold with its checkpoint.
 */
async function pausedAfterTwo(hub: CommandsHub, probot: Probot): Promise<void> {
  await hub.deliver(probot, hub.labeled(T0));
  await hub.deliver(probot, hub.finishRun(hub.dispatchOf("styles"), T0, at(9)));
  const icons = hub.dispatchOf("icons");
  await hub.deliver(probot, hub.comment("/pause", "maintainer", at(10)));
  await hub.deliver(probot, hub.finishRun(icons, at(9), at(10), {}, "cancelled"));
  await hub.deliver(probot, hub.finishRun(hub.dispatchOf("api"), T0, at(15)));
  expect(hub.state().status).toBe("paused");
}

function statuses(hub: CommandsHub): Record<string, string> {
  return Object.fromEntries(Object.entries(hub.state().batches).map(([id, batch]) => [id, batch.status]));
}

function finished(hub: CommandsHub): void {
  expect(hub.state().status).toBe("done");
  expect(Object.values(statuses(hub))).toEqual(["accepted", "accepted", "accepted", "accepted", "accepted"]);
  expect(hub.dispatches.map((dispatch) => dispatch.inputs.key)).toEqual(KEYS);
  expect(new Set(hub.merged).size).toBe(5);
  expect(hub.merged).toHaveLength(5);
  expect(hub.finalPulls).toHaveLength(1);
  expect(hub.appComments().filter((comment) => comment.body.includes("### ✅ Feature complete"))).toHaveLength(1);
  // No agent is told about the restore: it is for people.
  for (const dispatch of hub.dispatches) expect(dispatch.inputs.brief).not.toContain("restored");
  expect(hub.unknown).toEqual([]);
}

describe("a dashboard deleted after later batches were accepted", () => {
  it("is restored with them accepted and the run out adopted; the run is checked in and the feature finishes", async () => {
    const hub = new CommandsHub();
    hub.install();
    const probot = testProbot();
    await pausedAfterTwo(hub, probot);
    // /resume at +75 (its answer carries the state: the newest snapshot): icons runs again, model starts.
    await hub.deliver(probot, hub.comment("/resume", "maintainer", at(75)));
    // icons is accepted at +95 (ui takes the frontend), model at +96.
    await hub.deliver(probot, hub.finishRun(hub.dispatchOf("icons"), at(75), at(95)));
    await hub.deliver(probot, hub.finishRun(hub.dispatchOf("model"), at(75), at(96)));
    expect(statuses(hub)).toEqual({ api: "accepted", styles: "accepted", icons: "accepted", model: "accepted", ui: "dispatched" });
    const [icons, model, ui] = ["icons", "model", "ui"].map((batch) => hub.dispatchOf(batch));
    const [iconsPull, modelPull] = [icons!, model!].map((dispatch) => hub.pulls.find((pull) => pull.head === dispatch.ref && pull.body.includes(`"run": ${dispatch.runId}`))!.number);

    // A person deletes the dashboard.
    hub.comments.splice(hub.comments.indexOf(hub.dashboard()!), 1);
    const from = hub.requests.length;
    await hub.deliver(probot, hub.finishRun(ui!, at(95), at(115)));

    const requests = hub.requests.slice(from).map((request) => `${request.method} ${request.path}`);
    expect(requests.slice(0, 3)).toEqual([
      `GET ${R}/issues/1/comments`,
      `GET ${R}/pulls`,
      `GET ${R}/actions/workflows/parallel-coordinator-agent.yml/runs`,
    ]);
    finished(hub);
    const state = hub.state();
    expect(state.head).toBe(`merge-${hub.merged[hub.merged.length - 1]}`);
    expect(state.batches.ui!.runs).toMatchObject([{ attempt: 1, id: ui!.runId, outcome: "accepted" }]);
    expect(state.restores).toEqual([
      `The dashboard's state was restored from the latest checkpoint comment at ${at(115)}: the dashboard is missing. Recovered from GitHub: batch 3 accepted from merged #${iconsPull}; batch 4 accepted from merged #${modelPull}; run ${ui!.runId} of batch 5 adopted.`,
    ]);
    expect(hub.dashboardText()).toContain("restored from the latest checkpoint comment");
    // The dashboard was posted again, once.
    expect(hub.appComments().filter((comment) => comment.body.includes("<!-- parallel-coordinator:dashboard -->"))).toHaveLength(1);
  });
});

describe("a dashboard damaged or deleted right after the pause checkpoint", () => {
  it("is restored from the checkpoint with nothing newer: /resume dispatches what it would have, and the feature finishes", async () => {
    const hub = new CommandsHub();
    hub.install();
    const probot = testProbot();
    await pausedAfterTwo(hub, probot);
    const before = hub.state();
    // A person edits the state block of the dashboard.
    const dashboard = hub.dashboard()!;
    dashboard.body = dashboard.body.replace(/(parallel-coordinator:state v1 )([A-Za-z0-9_-]{12})/, (_all, head: string, start: string) => `${head}${start.split("").reverse().join("")}`);

    const dispatched = hub.dispatches.length;
    await hub.deliver(probot, hub.comment("/resume", "maintainer", at(75)));
    // Exactly what the resume of an undamaged dashboard dispatches.
    expect(hub.dispatches.slice(dispatched).map((dispatch) => dispatch.inputs.key)).toEqual(["pc-1-icons-2", "pc-1-model-1"]);
    const state = hub.state();
    expect(state.restores).toEqual([
      `The dashboard's state was restored from the latest checkpoint comment at ${at(75)}: the state's signature does not match: it was changed by someone other than the app. GitHub records nothing newer.`,
    ]);
    expect({ ...state.batches.api, ...state.batches.styles }).toEqual({ ...before.batches.api, ...before.batches.styles });

    await hub.deliver(probot, hub.finishRun(hub.dispatchOf("icons"), at(75), at(95)));
    await hub.deliver(probot, hub.finishRun(hub.dispatchOf("model"), at(75), at(96)));
    await hub.deliver(probot, hub.finishRun(hub.dispatchOf("ui"), at(95), at(115)));
    finished(hub);
    // The note stays on the dashboard; the restore happened once.
    expect(hub.state().restores).toHaveLength(1);
  });

  it("keeps its note through a re-plan", async () => {
    const hub = new CommandsHub();
    hub.install();
    const probot = testProbot();
    await pausedAfterTwo(hub, probot);
    hub.comments.splice(hub.comments.indexOf(hub.dashboard()!), 1);
    await hub.deliver(probot, hub.comment("/resume", "maintainer", at(75)));
    // Paused again at once (both runs are young, so cancelled), then re-planned.
    await hub.deliver(probot, hub.comment("/pause", "maintainer", at(76)));
    await hub.deliver(probot, hub.comment("/plan", "maintainer", at(77)));
    const state = hub.state();
    expect(state.notes).toEqual([`Re-planned by @maintainer at ${at(77)}.`]);
    expect(state.restores).toEqual([expect.stringContaining("the dashboard is missing. GitHub records nothing newer.")]);
    expect(hub.unknown).toEqual([]);
  });
});
