/**
 * Who starts a coordination. The issue's body supplies acceptance commands
 * that the runner executes, so only a person who may command starts one: by
 * the label, or by opening the issue with it (as an issue template does).
 * Anyone else is answered once and nothing starts; nothing said on a pull
 * request is a command.
 */
import { describe, expect, it } from "vitest";
import { useGitHubApi } from "../helpers/github.js";
import { deliver, useWorlds } from "./world.js";
import { BODY, at, feature, stateOf } from "./feature.js";

useGitHubApi();
useWorlds();

const refusal = (who: string) =>
  `The \`parallel-coordinator\` label from @${who} does not start parallel-coordinator: only people with write access to this repository start a coordination.`;

describe("a label from someone who may not command", () => {
  it.each([
    ["a stranger", "stranger"],
    ["a reader", "reader"],
    ["a triager (who may label, but not command)", "triager"],
  ])(
    "%s: one answer, no branch, no dispatch; the same person labelling again is not answered again",
    async (_who, login) => {
      const world = feature({ body: BODY });
      const probot = world.probot();
      await deliver(probot, world.labeled(at(0), "parallel-coordinator", login));
      expect(world.comments().map((comment) => comment.body)).toEqual([expect.stringContaining(refusal(login))]);
      expect(world.dispatches()).toEqual([]);
      expect([...world.branches().keys()]).toEqual(["master"]);

      await deliver(probot, world.labeled(at(1), "parallel-coordinator", login));
      expect(world.comments()).toHaveLength(1);

      // A maintainer's label then starts it.
      await deliver(probot, world.labeled(at(2)));
      expect(stateOf(world).status).toBe("running");
      expect(world.dispatches().length).toBeGreaterThan(0);
    },
  );

  it("an issue a stranger opened with the label (an issue template's) waits for a maintainer", async () => {
    const world = feature({ body: BODY, labels: ["parallel-coordinator"], author: "stranger" });
    const probot = world.probot();
    const [opened, labeled] = world.sent;
    await deliver(probot, opened!);
    await deliver(probot, labeled!);
    expect(world.comments().map((comment) => comment.body)).toEqual([
      expect.stringContaining(
        "This issue, opened by @stranger with the `parallel-coordinator` label, does not start parallel-coordinator",
      ),
    ]);
    expect(world.dispatches()).toEqual([]);
    await deliver(probot, world.comment("/plan", "maintainer", at(3)));
    expect(stateOf(world).status).toBe("running");
  });
});

describe("a pull request's comments", () => {
  it("are no commands, not even /plan from a maintainer: not a single request", async () => {
    const world = feature({ body: BODY });
    const probot = world.probot();
    world.github.createRef(world.repo, "refs/heads/topic", world.repo.branch("master")!, "maintainer");
    world.push("topic", { "a.txt": "a\n" });
    const pull = world.github.createPull(world.repo, {
      head: "topic",
      base: "master",
      title: "A topic",
      body: BODY,
      user: "maintainer",
    });
    world.take();
    world.github.addComment(world.repo, pull.number, "maintainer", "/plan");
    const sent = world.sent.at(-1)!;
    expect((sent.payload as { issue?: { pull_request?: unknown } }).issue?.pull_request).toBeDefined();
    await deliver(probot, sent);
    expect(world.take()).toEqual([]);
    expect(world.dispatches()).toEqual([]);
  });
});
