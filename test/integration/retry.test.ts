/**
 * GitHub does not redeliver a webhook by itself, and the app answers a
 * delivery before its step runs: a step that meets a GitHub error is tried
 * again later by the app itself, and finishes without doing anything twice.
 */
import { describe, expect, it } from "vitest";
import { useGitHubApi } from "../helpers/github.js";
import { bareProbot, stateSecret } from "./app.js";
import { FakeGitHub, deliver } from "./fakeGitHub.js";
import { DISPATCH, R, labeled, stateOf, statuses } from "./feature.js";
import { createApp } from "../../src/index.js";

useGitHubApi();

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let tries = 0; !condition(); tries += 1) {
    if (tries > 1_000) throw new Error(`still waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function app(retryDelays: number[]) {
  const probot = bareProbot();
  probot.load(createApp({ stateSecret, retryDelays }));
  return probot;
}

const dashboardPost = ({ method, path, body }: { method: string; path: string; body: { body?: string } }) =>
  method === "POST" && path === `${R}/issues/1/comments` && (body.body ?? "").includes("<!-- parallel-coordinator:dashboard -->");

describe("a failed step is tried again by the app", () => {
  it("the dashboard write fails after the dispatches: the retry writes it, and dispatches nothing again", async () => {
    const github = new FakeGitHub();
    github.faults.push({ when: dashboardPost, status: 502 });
    await deliver(app([20, 20]), "issues", labeled(), "d-start");
    await until(() => github.dashboard() !== undefined, "the dashboard");
    expect(statuses(stateOf(github))).toEqual({ api: "dispatched", styles: "dispatched", ui: "pending" });
    expect(github.dispatches.map((dispatch) => dispatch.inputs.key)).toEqual(["pc-1-api-1", "pc-1-styles-1"]);
    github.close();
  });

  it("gives up after its retries: the step is left for the issue's next event, with the old state", async () => {
    const github = new FakeGitHub();
    const fault = { when: dashboardPost, status: 502, times: 10 };
    github.faults.push(fault);
    await deliver(app([10, 10]), "issues", labeled(), "d-start");
    await until(() => fault.times === 7, "three tries");
    // No fourth try comes.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fault.times).toBe(7);
    expect(github.dashboard()).toBeUndefined();
    expect(github.take().filter((request) => request === DISPATCH)).toHaveLength(2);
    github.close();
  });
});
