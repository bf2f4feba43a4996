/**
 * The check-in's buttons: a ⚠ or ✗ check run offers Accept, Redo and Pause; a
 * press is a command from the person who pressed it, checked as a comment's
 * is, said on the issue with the answer to it, and done once however often
 * GitHub delivers it.
 */
import { describe, expect, it } from "vitest";
import { useGitHubApi } from "../helpers/github.js";
import { deliver, useWorlds } from "./world.js";
import { at, feature, stateOf } from "./feature.js";

useGitHubApi();
useWorlds();

/** styles' first run reports Blocked: a ✗ check run on its pull request. */
async function blockedStyles() {
  const world = feature();
  const probot = world.probot();
  await deliver(probot, world.labeled(at(0)));
  await deliver(
    probot,
    world.finishRun("pc-1-styles-1", {
      files: ["frontend/styles/bell.css"],
      at: at(15),
      report: { status: "Blocked", blockers: ["Which colour?"] },
    }),
  );
  const check = world.checkRuns().find((run) => run.name.endsWith("batch 2"))!;
  return { world, probot, check };
}

describe("a check-in's buttons", () => {
  it("a ✗ or ⚠ check run has Accept, Redo and Pause; a ✓ has none", async () => {
    const { world, probot, check } = await blockedStyles();
    expect(check.conclusion).toBe("failure");
    expect(check.actions).toEqual([
      { identifier: "accept", label: "Accept", description: "Take the batch as it is (/approve)" },
      { identifier: "redo", label: "Redo", description: "Run the batch again (/retry)" },
      { identifier: "pause", label: "Pause", description: "Pause the coordination (/pause)" },
    ]);
    await deliver(probot, world.finishRun("pc-1-api-1", { files: ["backend/api/routes.py"], at: at(20) }));
    expect(world.checkRuns().find((run) => run.name.endsWith("batch 1"))!.actions).toEqual([]);
  });

  it("Redo is /retry from the person who pressed it: said on the issue, answered, run again — once, however often it is delivered", async () => {
    const { world, probot, check } = await blockedStyles();
    const before = world.comments().length;
    const press = world.press(check, "redo");
    await deliver(probot, press);
    const said = world
      .comments()
      .slice(before)
      .map((comment) => comment.body.split("\n")[0]);
    expect(said).toEqual([
      "🔘 @maintainer pressed **Redo** on the check-in of batch 2 (Bell styles): `/retry 2`.",
      "🔁 batch 2 (Bell styles) will run again.",
    ]);
    expect(world.runOf("pc-1-styles-2").headBranch).toBe("parallel-coordinator/1-frontend");
    expect(stateOf(world).batches.styles!.decisions).toEqual([
      { decision: "retry", by: "maintainer", at: world.comments()[before]!.createdAt },
    ]);
    // GitHub delivers it again (or a person redelivers it): nothing more.
    const dispatched = world.dispatches().length;
    await deliver(probot, structuredClone(press));
    expect(world.comments().length).toBe(before + 2);
    expect(world.dispatches().length).toBe(dispatched);
  });

  it("Accept is /approve at the head that check-in judged: the pull request merges there", async () => {
    const { world, probot, check } = await blockedStyles();
    await deliver(probot, world.press(check, "accept"));
    const state = stateOf(world);
    expect(state.batches.styles!.status).toBe("accepted");
    expect(state.batches.styles!.runs.map((run) => run.outcome)).toEqual(["blocked"]);
    expect(world.pulls().find((pull) => pull.head === "parallel-coordinator/1-frontend")!.merged).toBe(true);
    expect(world.comments().at(-1)!.body).toContain(`is approved as it is: #2 is merged at \`${check.headSha}\``);
  });

  it("Pause is /pause: the coordination pauses, saying where from", async () => {
    const { world, probot, check } = await blockedStyles();
    await deliver(probot, world.press(check, "pause"));
    const state = stateOf(world);
    expect(state.pause).toMatchObject({ by: "maintainer", reason: "pressed on batch 2's check-in" });
  });

  it("a person who may not command is answered once an hour, and nothing changes", async () => {
    const { world, probot, check } = await blockedStyles();
    const before = { comments: world.comments().length, state: stateOf(world) };
    await deliver(probot, world.press(check, "redo", "reader"));
    await deliver(probot, world.press(check, "accept", "reader"));
    const answers = world.comments().slice(before.comments);
    expect(answers.map((comment) => comment.body.split("\n")[0])).toEqual([
      "Sorry @reader, only people with write access to this repository can command parallel-coordinator. Nothing was changed.",
    ]);
    expect(stateOf(world)).toEqual(before.state);
  });
  it("a press acts on the coordination as GitHub holds it: a run whose completion never arrived is checked in first", async () => {
    const { world, probot, check } = await blockedStyles();
    // api's run ends and opens its pull request; its workflow_run webhook is lost.
    world.finishRun("pc-1-api-1", { files: ["backend/api/routes.py"], at: at(20) });
    await deliver(probot, world.press(check, "pause"));
    const state = stateOf(world);
    expect(state.status).toBe("paused");
    expect(state.batches.api!.status).toBe("accepted");
    expect(world.pulls().find((pull) => pull.head === "parallel-coordinator/1-backend")!.merged).toBe(true);
  });
});
