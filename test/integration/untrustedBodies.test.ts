/**
 * Issue text cannot stall the app (issue #13, findings 3 and 4): the real app
 * on the fake GitHub plans in its worker, and what a maintainer reads when a
 * breakdown is refused is under test/fixtures/comments/.
 */
import { describe, expect, it } from "vitest";
import { workerPlanner } from "../../src/handlers/planInWorker.js";
import { renderMessage } from "../../src/render/renderMessage.js";
import { aliasBody, globBodies, largestOrdinaryBody } from "../fixtures/untrustedBodies.js";
import { at, feature } from "./feature.js";
import { deliver, useWorlds, type World } from "./world.js";

useWorlds();

const fixture = (name: string) => `../fixtures/comments/${name}`;

/** The app's comments as a person reads them: without their hidden markers. */
function shown(world: World): string[] {
  return world.appComments().map((comment) => comment.body.replace(/\n\n<!-- parallel-coordinator:[^>]*-->$/, ""));
}

/** Each comment under its own heading, as the other fixtures hold several. */
function sections(entries: Record<string, string[]>): string {
  return Object.entries(entries)
    .map(([name, bodies]) => `## ${name}\n\n${bodies.join("\n\n---\n\n")}\n`)
    .join("\n");
}

describe("a breakdown a stranger could write", () => {
  it("is refused at the pattern's or the anchor's line, in one comment, and nothing starts", async () => {
    const refused: Record<string, string[]> = {};
    for (const [name, body] of Object.entries({
      "globs of the finding (Markdown)": globBodies.markdown,
      "globs of the finding (YAML)": globBodies.yaml,
      "YAML aliases": aliasBody(),
    })) {
      const world = feature({ body });
      await deliver(world.probot(), world.labeled(at(0)));
      expect(world.dispatches()).toEqual([]);
      expect([...world.branches().keys()]).toEqual(["master"]);
      refused[name] = shown(world);
      expect(refused[name]).toHaveLength(1);
    }
    await expect(sections(refused)).toMatchFileSnapshot(fixture("plan-refused-untrusted.md"));
  });

  it("stopped by the planning limits is answered once, at the start and on /plan, and nothing changes", async () => {
    const slow = { planner: workerPlanner({ budgetMs: 1 }) };
    const start = feature({ body: largestOrdinaryBody() });
    const probot = start.probot(slow);
    await deliver(probot, start.labeled(at(0)));
    // Delivered again: the same body is answered once.
    await deliver(probot, start.labeled(at(1)));
    expect(start.dispatches()).toEqual([]);
    expect(start.dashboard()).toBeUndefined();

    const paused = feature();
    await deliver(paused.probot(), paused.labeled(at(0)));
    await deliver(paused.probot(), paused.comment("/pause", "maintainer", at(1)));
    const before = paused.state();
    expect(before.status).toBe("paused");
    const plan = paused.comment("/plan", "maintainer", at(2), { issueBody: largestOrdinaryBody() });
    await deliver(paused.probot(slow), plan);
    expect(paused.state()).toEqual(before);
    // The wording at the app's own limits is under test/fixtures/comments/plan-stopped.md.
    expect(shown(start)).toEqual([renderMessage({ kind: "planStopped", stopped: "time", limit: 1, when: "start" })]);
    expect(shown(paused).filter((body) => body.startsWith("### ⚠"))).toEqual([
      renderMessage({ kind: "planStopped", stopped: "time", limit: 1, when: "replan" }),
    ]);
  });
});
