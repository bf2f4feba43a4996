import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkCase, runCases, type CaseOptions } from "../../scripts/cases.js";
import { createApp } from "../../src/probotApp.js";
import { scenarioFromYaml } from "../../src/sim/scenario.js";

const examples = fileURLToPath(new URL("../../examples", import.meta.url));
const notifications = readFileSync(new URL("../../examples/notifications.md", import.meta.url), "utf8");
const epic = readFileSync(new URL("../../examples/refused-epic-deploy-docs.md", import.meta.url), "utf8");

async function run(args: string[], options: CaseOptions = {}): Promise<{ status: number; lines: string[] }> {
  const lines: string[] = [];
  const status = await runCases(args, (line) => lines.push(line), options);
  return { status, lines };
}

describe("npm run test:cases -- <folder>", () => {
  it("checks every breakdown in examples/: plans each and plays it to its final pull request, or names why it is refused", async () => {
    const { status, lines } = await run([examples]);
    const names = readdirSync(examples).filter((name) => name.endsWith(".md"));
    expect(status).toBe(0);
    expect(lines[0]).toBe(
      `Checking ${names.length} task breakdowns in ${examples}: plan each, simulate it through the real app.`,
    );
    expect(lines.slice(1, -1)).toHaveLength(names.length);
    expect(lines.slice(1, -1)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^✓ refused-epic-deploy-docs\.md — refused, 5 problems \(first: Task 1, line 21, field "Estimate": 120 min is over 45 minutes.*\); with --force: 6 batches, Level 3, planned 9 h 15 min$/,
        ),
        expect.stringMatching(
          /^✓ moderation-queue\.uk\.md — 8 batches, 2 agents, planned 2 h 25 min; simulated to done in 2 h 25 min, final pull request #10, \d+ API calls$/,
        ),
        expect.stringMatching(
          /^✓ webhook-dedup-pipeline\.md — 4 batches, 3 agents, planned 1 h 30 min; simulated to done in 1 h 30 min, final pull request #6, \d+ API calls$/,
        ),
      ]),
    );
    expect(lines.at(-1)).toBe(`${names.length} cases passed`);
  });

  it("fails a case whose coordination does not reach done", async () => {
    const parsed = scenarioFromYaml(`outcomes: { "5": [fail, fail] }`);
    if (!parsed.ok) throw new Error("bad scenario");
    const result = await checkCase("stuck.md", notifications, { scenario: parsed.scenario });
    expect(result).toEqual({
      name: "stuck.md",
      ok: false,
      line: "✗ stuck.md — the coordination ended blocked, not done",
    });
  });

  it("fails on a request GitHub would refuse and on an error the app throws, in every case of the folder", async () => {
    const { status, lines } = await run([examples], {
      createApp: () => (app) => {
        app.on("issues.labeled", async (context) => {
          await context.octokit
            .request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
              ...context.issue(),
              body: 5 as unknown as string,
            })
            .catch(() => undefined);
          throw new Error("boom");
        });
      },
    });
    expect(status).toBe(1);
    for (const line of lines.slice(1, -1)) {
      expect(line).toMatch(
        /^✗ \S+ — a request GitHub would refuse: .*body\.body: must be string.*; the app threw: .*Error: boom/,
      );
    }
    expect(lines.at(-1)).toMatch(/^(\d+) of \1 cases failed$/);
  });

  it("fails a refused breakdown the app answers with more than one comment", async () => {
    const result = await checkCase("epic.md", epic, {
      createApp: (options) => (app, extra) => {
        app.on("issues.labeled", async (context) => {
          await context.octokit.request(
            "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
            context.issue({ body: "Looking at it…" }),
          );
        });
        return createApp(options)(app, extra);
      },
    });
    expect(result.ok).toBe(false);
    expect(result.line).toBe("✗ epic.md — the app answered the refusal with 2 comments, not one");
  });

  it("reports a crash as a failed case", async () => {
    const parsed = scenarioFromYaml(`outcomes: { "99": [fail] }`);
    if (!parsed.ok) throw new Error("bad scenario");
    const result = await checkCase("crash.md", notifications, { scenario: parsed.scenario });
    expect(result.ok).toBe(false);
    expect(result.line).toMatch(/^✗ crash\.md — crashed: .*the scenario does not fit the breakdown/);
  });

  it("exits 2 without a folder, on a missing folder and on a folder without breakdowns", async () => {
    expect(await run([])).toEqual({
      status: 2,
      lines: ["usage: npm run test:cases -- <folder of task breakdowns (*.md)>"],
    });
    expect(await run(["test/no-such-folder"])).toEqual({ status: 2, lines: ["test/no-such-folder: no such folder"] });
    expect(await run(["test/helpers"])).toEqual({
      status: 2,
      lines: ["test/helpers: no task breakdowns (*.md) in it"],
    });
  });
});
