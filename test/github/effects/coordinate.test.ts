/**
 * `coordinate` carries a decision out on GitHub (here the simulated one) and
 * changes nothing it was given: the loaded issue, the plan, the state and the
 * events are deep-frozen, so any write to them throws.
 */
import { generateKeyPairSync } from "node:crypto";
import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import type { Octokit } from "../../../src/github/calls/githubTypes.js";
import { coordinate, type Session } from "../../../src/github/effects/coordinate.js";
import { memoryJournal } from "../../../src/github/stores/journal.js";
import { loadState } from "../../../src/github/stores/loadState.js";
import { APP_LOGIN } from "../../../src/fakeGitHub/conventions.js";
import { FakeGitHub } from "../../../src/fakeGitHub/fakeGitHub.js";
import { agentWorkflow } from "../../../src/sim/run.js";
import { stateKey } from "../../../src/state/codec.js";
import type { Event } from "../../../src/state/events.js";
import { startState } from "../../../src/state/startState.js";
import { defaultConfig } from "../../../src/base/config.js";
import { FEATURE_YAML, T0, at, planOfYaml } from "../../state/support.js";

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

function simulatedGitHub() {
  const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const github = new FakeGitHub({ appId: 1, publicKey, installationId: 2, clock: () => T0 });
  const shop = github.createRepo({
    owner: "acme",
    name: "shop",
    files: { "README.md": "# shop\n", ".github/workflows/parallel-coordinator-agent.yml": agentWorkflow() },
  });
  const issue = github.createIssue(shop, {
    title: "Notifications",
    body: "(the breakdown)",
    user: "maintainer",
    labels: ["parallel-coordinator"],
  });
  const octokit = new ProbotOctokit({
    auth: { token: github.createToken() },
    request: { fetch: github.fetch },
    retry: { enabled: false },
    throttle: { enabled: false },
  }) as Octokit;
  const session: Session = {
    octokit,
    where: { owner: "acme", repo: "shop", issue: issue.number },
    repoUrl: "https://github.com/acme/shop",
    key: stateKey("test"),
    journal: memoryJournal(),
    buttons: true,
  };
  return { github, shop, session };
}

describe("coordinate", () => {
  it("starts, then pauses, a coordination without changing the loaded issue, the plan, the state or the events it is given", async () => {
    const { github, shop, session } = simulatedGitHub();
    const plan = deepFreeze(planOfYaml(FEATURE_YAML));
    const state = startState(
      { issue: session.where.issue, config: defaultConfig, base: "main", baseSha: shop.branch("main")!, at: T0 },
      plan,
    );
    const loaded = deepFreeze(await loadState(session.octokit, session.where, session.key));
    const { state: started } = await coordinate(
      session,
      loaded,
      plan,
      deepFreeze(state),
      deepFreeze<Event>({ kind: "start", at: T0 }),
    );
    expect(Object.values(started.batches).map((batch) => batch.status)).toEqual([
      "dispatched",
      "dispatched",
      "pending",
      "pending",
    ]);
    expect(loaded.comments).toEqual([]);

    const running = deepFreeze(await loadState(session.octokit, session.where, session.key));
    expect(running.state).toEqual(started);
    const pause = deepFreeze<Event>({
      kind: "command",
      at: at(1),
      by: "maintainer",
      comment: 77,
      command: { name: "pause" },
    });
    const { state: paused } = await coordinate(session, running, plan, running.state!, pause);
    expect(paused.status).toBe("paused");
    expect(running.state!.status).toBe("running");
    expect(running.comments).toHaveLength(1);

    // The dashboard, edited, and the checkpoint: both the app's.
    const comments = [...shop.comments.values()];
    expect(comments.map((comment) => [comment.user, comment.edits])).toEqual([
      [APP_LOGIN, 1],
      [APP_LOGIN, 0],
    ]);
    expect(comments[1]!.body).toContain("### ⏸ Session checkpoint");
    expect([...shop.runs.values()].map((run) => run.cancelRequested)).toEqual([true, true]);
    expect(github.problems).toEqual([]);
  });
});
