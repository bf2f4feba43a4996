import { describe, expect, it } from "vitest";
import type { Probot } from "probot";
import { useGitHubApi } from "../helpers/github.js";
import { decodeState, stateKey } from "../../src/state/codec.js";
import { stateSecret } from "./appHarness.js";
import { deliver, useWorlds, type World } from "./world.js";
import {
  COMMENTS,
  CONFIG,
  DASHBOARD,
  LABELER,
  DISPATCH,
  R,
  at,
  bodiesOf,
  coordinate,
  feature,
  headTree,
  observable,
  stateOf,
  statuses,
  type DispatchBody,
} from "./feature.js";

// No request leaves for the network: the app's Octokit talks to the fake GitHub only.
useGitHubApi();
useWorlds();

const key = stateKey(stateSecret);

describe("a whole coordination through the app", () => {
  it("goes from the label to the final pull request: dispatch, check-in, redo, merge, sync, finish", async () => {
    const world = feature();
    const probot = world.probot();
    const base = world.repo.branch("master")!;

    // 1. Start: config, comments, the default branch, the dashboard with the plan, then branches and dispatches, the state last.
    await deliver(probot, world.labeled(at(0)));
    const start = world.takeCalls();
    expect(start.map((call) => `${call.method} ${call.path}`)).toEqual([
      ...CONFIG,
      LABELER,
      COMMENTS,
      `GET ${R}/git/ref/heads%2Fmaster`,
      `POST ${R}/issues/1/comments`,
      `POST ${R}/git/refs`,
      `POST ${R}/git/refs`,
      DISPATCH,
      `POST ${R}/git/refs`,
      DISPATCH,
      DASHBOARD,
    ]);
    const acknowledged = decodeState(bodiesOf<{ body: string }>(start, `POST ${R}/issues/1/comments`)[0]!.body, key);
    expect(acknowledged.ok && acknowledged.state.status).toBe("planned");
    expect(bodiesOf(start, `POST ${R}/git/refs`)).toEqual([
      { ref: "refs/heads/parallel-coordinator/1", sha: base },
      { ref: "refs/heads/parallel-coordinator/1-backend", sha: base },
      { ref: "refs/heads/parallel-coordinator/1-frontend", sha: base },
    ]);
    const [api1, styles1] = bodiesOf<DispatchBody>(start, DISPATCH);
    expect(api1).toMatchObject({
      ref: "parallel-coordinator/1-backend",
      return_run_details: true,
      inputs: { issue: "1", batch: "api", attempt: "1", key: "pc-1-api-1", base: "parallel-coordinator/1" },
    });
    expect(Object.keys(api1!.inputs).sort()).toEqual(["attempt", "base", "batch", "brief", "issue", "key", "scope"]);
    expect(JSON.parse(api1!.inputs.scope!)).toEqual({
      allow: ["backend/api/**"],
      deny: ["frontend/styles/**", "frontend/bell/**"],
    });
    expect(api1!.inputs.brief).toContain("**Batch**: 1 of 3 - Notification API");
    expect(styles1).toMatchObject({
      ref: "parallel-coordinator/1-frontend",
      inputs: { batch: "styles", key: "pc-1-styles-1" },
    });
    expect(world.comments()).toHaveLength(1);
    expect(world.dashboard()!.body).toContain("- [ ] **1.** Notification API — backend · 20 min · 🔄 dispatched");
    expect(stateOf(world)).toMatchObject({ status: "running", head: base });
    expect(stateOf(world).batches.api!.runs).toEqual([
      { attempt: 1, key: "pc-1-api-1", id: world.runOf("pc-1-api-1").id, dispatchedAt: at(0) },
    ]);

    // 2. styles succeeds: the batch pull requests (its own names its run), files, ✓ check run, merge, dashboard.
    await deliver(probot, world.finishRun("pc-1-styles-1", { files: ["frontend/styles/bell.css"], at: at(15) }));
    const styles = world.takeCalls();
    expect(styles.map((call) => `${call.method} ${call.path}`)).toEqual([
      COMMENTS,
      `GET ${R}/pulls`,
      `GET ${R}/pulls/2/files`,
      headTree(world, 2),
      `POST ${R}/check-runs`,
      `PUT ${R}/pulls/2/merge`,
      DASHBOARD,
    ]);
    expect(styles[1]!.query).toEqual({
      base: "parallel-coordinator/1",
      state: "all",
      sort: "updated",
      direction: "desc",
      per_page: "100",
    });
    const stylesHead = world.repo.pulls.get(2)!.closedShas!.head;
    expect(styles[4]!.body).toEqual({
      name: "parallel-coordinator / batch 2",
      head_sha: stylesHead,
      status: "completed",
      conclusion: "success",
      completed_at: at(15),
      external_id: `pc-1-styles-${world.runOf("pc-1-styles-1").id}`,
      output: { title: "✓ Accepted", summary: "Scope, acceptance and report all check out.", annotations: [] },
    });
    expect(styles[5]!.body).toEqual({
      sha: stylesHead,
      merge_method: "merge",
      commit_title: "Batch 2 of 3: Bell styles (#2)",
    });
    expect(statuses(stateOf(world))).toEqual({ api: "dispatched", styles: "accepted", ui: "pending" });
    expect(stateOf(world).head).toBe(world.repo.pulls.get(2)!.mergeCommitSha);

    // 3. api's first run touches a frontend file: ⚠ check run with the annotation; the redo starts clean: #3, which
    // showed the stray file, closes and the backend branch goes back to the integration head; the redo is dispatched.
    await deliver(
      probot,
      world.finishRun("pc-1-api-1", { files: ["backend/api/routes.py", "frontend/styles/theme.css"], at: at(18) }),
    );
    const api1Done = world.takeCalls();
    const BACKEND = `PATCH ${R}/git/refs/heads%2Fparallel-coordinator%2F1-backend`;
    expect(api1Done.map((call) => `${call.method} ${call.path}`)).toEqual([
      COMMENTS,
      `GET ${R}/pulls`,
      `GET ${R}/pulls/3/files`,
      headTree(world, 3),
      `POST ${R}/check-runs`,
      `PATCH ${R}/pulls/3`,
      BACKEND,
      DISPATCH,
      DASHBOARD,
    ]);
    expect(api1Done[4]!.body).toMatchObject({
      conclusion: "neutral",
      output: {
        title: "⚠ Minor issues: one redo with the findings",
        annotations: [
          {
            path: "frontend/styles/theme.css",
            start_line: 1,
            end_line: 1,
            annotation_level: "warning",
            message: "Outside batch 1's scope: leave this file to its owner.",
          },
        ],
      },
    });
    expect(api1Done[5]!.body).toEqual({ state: "closed" });
    expect(api1Done[6]!.body).toEqual({ sha: world.repo.branch("parallel-coordinator/1"), force: true });
    expect(world.repo.tree(world.repo.branch("parallel-coordinator/1-backend")!).has("frontend/styles/theme.css")).toBe(
      false,
    );
    const [redo] = bodiesOf<DispatchBody>(api1Done, DISPATCH);
    expect(redo).toMatchObject({
      ref: "parallel-coordinator/1-backend",
      inputs: { batch: "api", attempt: "2", key: "pc-1-api-2" },
    });
    expect(redo!.inputs.brief).toContain("This batch is a redo. Fix what the last check-in found:");
    expect(redo!.inputs.brief).toContain("frontend/styles/theme.css");
    expect(world.dashboard()!.body).toContain("🔄 dispatched");

    // 4. The redo, in its own pull request #4, is clean: ✓, merge, and ui (frontend) starts on the integration head, with api's integration point.
    await deliver(probot, world.finishRun("pc-1-api-2", { files: ["backend/api/routes.py"], at: at(30) }));
    const api2Done = world.takeCalls();
    expect(api2Done.map((call) => `${call.method} ${call.path}`)).toEqual([
      COMMENTS,
      `GET ${R}/pulls`,
      `GET ${R}/pulls/4/files`,
      headTree(world, 4),
      `POST ${R}/check-runs`,
      `PUT ${R}/pulls/4/merge`,
      `PATCH ${R}/git/refs/heads%2Fparallel-coordinator%2F1-frontend`,
      DISPATCH,
      DASHBOARD,
    ]);
    expect(api2Done[4]!.body).toMatchObject({
      conclusion: "success",
      external_id: `pc-1-api-${world.runOf("pc-1-api-2").id}`,
    });
    expect(api2Done[6]!.body).toEqual({ sha: world.repo.pulls.get(4)!.mergeCommitSha, force: true });
    const ui = api2Done[7]!.body as DispatchBody;
    expect(ui).toMatchObject({
      ref: "parallel-coordinator/1-frontend",
      inputs: { batch: "ui", attempt: "1", key: "pc-1-ui-1" },
    });
    expect(ui.inputs.brief).toContain("Integration point: api is ready at backend/api/routes.py");
    expect(ui.inputs.brief).toContain("`backend/api/routes.py:1` — changed backend/api/routes.py");

    // 5. ui is clean: ✓, merge, then the finish: the final pull request and the summary comment that points at it.
    await deliver(probot, world.finishRun("pc-1-ui-1", { files: ["frontend/bell/Bell.tsx"], at: at(50) }));
    const uiDone = world.takeCalls();
    expect(uiDone.map((call) => `${call.method} ${call.path}`)).toEqual([
      COMMENTS,
      `GET ${R}/pulls`,
      `GET ${R}/pulls/5/files`,
      headTree(world, 5),
      `POST ${R}/check-runs`,
      `PUT ${R}/pulls/5/merge`,
      `POST ${R}/pulls`,
      `POST ${R}/issues/1/comments`,
      DASHBOARD,
    ]);
    const finish = (uiDone[7]!.body as { body: string }).body;
    expect(finish).toContain("### ✅ Feature complete: Notifications");
    expect(finish).toContain("| first-try acceptance | 67 % (2/3) | > 90 % |");
    expect(finish).toContain("| rework | 33 % (1/3) | < 10 % |");
    expect(finish).toContain("- Batch 1 — Notification API: redo → accepted");
    expect(finish).toContain("- Review and merge #6 (`parallel-coordinator/1` into `master`); it closes this issue.");
    expect(uiDone[6]!.body).toEqual({
      head: "parallel-coordinator/1",
      base: "master",
      title: "Notifications (#1)",
      body: expect.stringMatching(/^Closes #1\.\n/),
    });
    expect((uiDone[6]!.body as { body: string }).body).toContain("- [x] 3. Notification bell (#5)");

    const final = stateOf(world);
    expect(final.status).toBe("done");
    expect(statuses(final)).toEqual({ api: "accepted", styles: "accepted", ui: "accepted" });
    expect(final.finalPr).toBe(6);
    expect(final.head).toBe(world.repo.pulls.get(5)!.mergeCommitSha);
    expect(world.dashboard()!.body.match(/^- \[x\] \*\*\d\.\*\*/gm)).toHaveLength(3);
    expect(world.dashboard()!.body).toContain("Final pull request: https://github.com/Codertocat/Hello-World/pull/6");
    expect(world.comments().map((comment) => comment.user)).toEqual([
      "parallel-coordinator[bot]",
      "parallel-coordinator[bot]",
    ]);
    expect(world.dispatches().map((run) => run.inputs.key)).toEqual([
      "pc-1-api-1",
      "pc-1-styles-1",
      "pc-1-api-2",
      "pc-1-ui-1",
    ]);
    expect(world.pulls().map((pull) => [pull.number, pull.state, pull.merged])).toEqual([
      [2, "closed", true],
      // api's rejected first run: closed unmerged when its redo started.
      [3, "closed", false],
      [4, "closed", true],
      [5, "closed", true],
      [6, "open", false],
    ]);
    // One installation token served the whole coordination.
    expect(world.tokens()).toBe(1);
  });

  it("a redelivery of every event, right after it, reads the comments (and, for an issue event, the config) and does nothing else", async () => {
    const world = feature();
    const probot = world.probot();
    const redelivered: Array<[string, string[]]> = [];
    await coordinate(probot, world, async (delivery, id) => {
      world.take();
      const before = observable(world);
      await deliver(probot, delivery);
      redelivered.push([id, world.take()]);
      expect(observable(world)).toEqual(before);
    });
    expect(redelivered).toEqual([
      ["d-start", [...CONFIG, LABELER, COMMENTS]],
      ["d-styles", [COMMENTS]],
      ["d-api-1", [COMMENTS]],
      ["d-api-2", [COMMENTS]],
      ["d-ui", [COMMENTS]],
    ]);
    expect(stateOf(world).status).toBe("done");
  });

  it("a redelivery of every event after the finish changes nothing", async () => {
    const world = feature();
    const probot = world.probot();
    const deliveries: Parameters<typeof deliver>[1][] = [];
    await coordinate(probot, world, async (delivery) => {
      deliveries.push(delivery);
    });
    world.take();
    const before = observable(world);
    for (const delivery of deliveries) await deliver(probot, delivery);
    expect(world.take().filter((request) => !request.startsWith("GET "))).toEqual([]);
    expect(observable(world)).toEqual(before);
  });

  it("20 concurrent deliveries of one completion check, merge, dispatch and write once", async () => {
    const world = feature();
    const probot = world.probot();
    await deliver(probot, world.labeled(at(0)));
    await deliver(probot, world.finishRun("pc-1-styles-1", { files: ["frontend/styles/bell.css"], at: at(15) }));
    world.take();
    const completion = world.finishRun("pc-1-api-1", { files: ["backend/api/routes.py"], at: at(20) });
    await Promise.all(Array.from({ length: 20 }, () => deliver(probot, structuredClone(completion))));
    const requests = world.take();
    const count = (request: string) => requests.filter((candidate) => candidate === request).length;
    expect(count(COMMENTS)).toBe(20);
    expect(requests.filter((request) => request !== COMMENTS)).toEqual([
      `GET ${R}/pulls`,
      `GET ${R}/pulls/3/files`,
      headTree(world, 3),
      `POST ${R}/check-runs`,
      `PUT ${R}/pulls/3/merge`,
      `PATCH ${R}/git/refs/heads%2Fparallel-coordinator%2F1-frontend`,
      DISPATCH,
      DASHBOARD,
    ]);
    expect(world.checkRuns()).toHaveLength(2);
    expect(world.dispatches().map((run) => run.inputs.key)).toEqual(["pc-1-api-1", "pc-1-styles-1", "pc-1-ui-1"]);
    expect(statuses(stateOf(world))).toEqual({ api: "accepted", styles: "accepted", ui: "dispatched" });
  });
});

describe("a server without return_run_details (GitHub Enterprise Server before 3.21)", () => {
  for (const mode of ["ignored", "refused"] as const) {
    it(`${mode === "ignored" ? "answers 204" : "refuses the field (400)"}: the run is found by the key in its name`, async () => {
      const world = feature({ returnRunDetails: mode });
      const probot = world.probot();
      await deliver(probot, world.labeled(at(0)));
      const dispatches = world.takeCalls().filter((call) => `${call.method} ${call.path}` === DISPATCH);
      expect(
        dispatches.map((call) => [call.status, (call.body as { return_run_details?: boolean }).return_run_details]),
      ).toEqual(
        mode === "ignored"
          ? [
              [204, true],
              [204, true],
            ]
          : [
              [400, true],
              [204, undefined],
              [400, true],
              [204, undefined],
            ],
      );
      expect(stateOf(world).batches.styles!.runs).toEqual([{ attempt: 1, key: "pc-1-styles-1", dispatchedAt: at(0) }]);

      await deliver(probot, world.finishRun("pc-1-styles-1", { files: ["frontend/styles/bell.css"], at: at(15) }));
      const state = stateOf(world);
      expect(state.batches.styles).toMatchObject({ status: "accepted", pr: 2 });
      expect(state.batches.styles!.runs[0]).toMatchObject({ id: world.runOf("pc-1-styles-1").id, outcome: "accepted" });
      expect(world.checkRuns()).toHaveLength(1);
    });
  }

  it("two different completions at once are both checked in: one writer at a time, no update lost", async () => {
    const world = feature();
    const probot = world.probot();
    await deliver(probot, world.labeled(at(0)));
    const styles = world.finishRun("pc-1-styles-1", { files: ["frontend/styles/bell.css"], at: at(15) });
    const api = world.finishRun("pc-1-api-1", { files: ["backend/api/routes.py"], at: at(16) });
    await Promise.all([deliver(probot, styles), deliver(probot, api)]);
    const state = stateOf(world);
    expect(statuses(state)).toEqual({ api: "accepted", styles: "accepted", ui: "dispatched" });
    expect(world.checkRuns()).toHaveLength(2);
    expect(world.pulls().filter((pull) => pull.merged)).toHaveLength(2);
    expect(world.dispatches().map((run) => run.inputs.key)).toEqual(["pc-1-api-1", "pc-1-styles-1", "pc-1-ui-1"]);
  });
});

describe("which issue events start a coordination", () => {
  it("another label: the config is read, nothing else", async () => {
    const world = feature();
    await deliver(world.probot(), world.labeled(at(0), "bug"));
    expect(world.take()).toEqual(CONFIG);
  });

  it("an issue opened with the label starts, like the label added later", async () => {
    const world = feature({ labels: ["parallel-coordinator"] });
    const probot = world.probot();
    const [opened, labeled] = world.sent;
    expect([opened, labeled].map((delivery) => `${delivery!.name}.${delivery!.payload.action}`)).toEqual([
      "issues.opened",
      "issues.labeled",
    ]);
    await deliver(probot, opened!);
    expect(statuses(stateOf(world))).toEqual({ api: "dispatched", styles: "dispatched", ui: "pending" });
    // GitHub sends `labeled` too for an issue created with a label: it changes nothing.
    world.take();
    await deliver(probot, labeled!);
    expect(world.take()).toEqual([...CONFIG, LABELER, COMMENTS]);
  });

  it("a configured label replaces the default one", async () => {
    const world = feature({ config: "label: agents\n" });
    const probot = world.probot();
    await deliver(probot, world.labeled(at(0)));
    expect(world.take()).toEqual([`GET ${R}/contents/.github%2Fparallel-coordinator.yml`]);
    await deliver(probot, world.labeled(at(1), "agents"));
    expect(stateOf(world).status).toBe("running");
  });
});

describe("runs that are not the app's", () => {
  /** Workflows of the repository besides the agent's: CI on push, a manual one, a release that names a run key. */
  const files = {
    ".github/workflows/ci.yml": "name: CI\non: push\njobs: {}\n",
    ".github/workflows/manual.yml": "name: Manually triggered workflow\non: workflow_dispatch\njobs: {}\n",
    ".github/workflows/release.yml":
      'name: release\nrun-name: "Agent ${{ inputs.key }}"\non:\n  workflow_dispatch:\n    inputs:\n      key: { required: true }\njobs: {}\n',
  };

  async function started(): Promise<{ probot: Probot; world: World }> {
    const world = feature({ files });
    const probot = world.probot();
    await deliver(probot, world.labeled(at(0)));
    world.take();
    return { probot, world };
  }

  /** A maintainer dispatches a workflow; the run ends well; GitHub's `workflow_run.completed`. */
  function ran(world: World, path: string, inputs: Record<string, string>) {
    const workflow = world.repo.workflows().find((candidate) => candidate.path === path)!;
    // No agent does the work of a run the app did not dispatch: it ends well with nothing published.
    return world.finishRun(world.github.dispatch(world.repo, workflow, "master", inputs, "maintainer"), {
      at: at(20),
      noPullRequest: true,
    });
  }

  it("a run with no key in its name (another workflow, another event) costs no request at all", async () => {
    const { probot, world } = await started();
    world.push("master", { "README.md": "# Hello-World, again\n" });
    const ci = world.repo.runs.get(Math.max(...world.repo.runs.keys()))!;
    expect(ci).toMatchObject({ path: ".github/workflows/ci.yml", event: "push" });
    await deliver(probot, world.finishRun(ci, { at: at(20), noPullRequest: true }));
    await deliver(probot, ran(world, ".github/workflows/manual.yml", {}));
    expect(world.take()).toEqual([]);
  });

  it("a run of another workflow that carries a key, or a run id the app never dispatched, is only looked up", async () => {
    const { probot, world } = await started();
    const otherWorkflow = ran(world, ".github/workflows/release.yml", { key: "pc-1-api-1" });
    // A person dispatches the agent workflow as the app would: the same key, a run the app never dispatched.
    const app = world.runOf("pc-1-api-1").inputs;
    const stranger = ran(world, ".github/workflows/parallel-coordinator-agent.yml", app);
    // Another issue's key.
    const other = world.github.createIssue(world.repo, { title: "Another feature", body: "", user: "maintainer" });
    const otherIssue = ran(world, ".github/workflows/parallel-coordinator-agent.yml", {
      ...app,
      issue: String(other.number),
      key: `pc-${other.number}-api-1`,
    });
    const before = observable(world);

    await deliver(probot, otherWorkflow);
    await deliver(probot, stranger);
    await deliver(probot, otherIssue);

    expect(world.take()).toEqual([COMMENTS, COMMENTS, `GET ${R}/issues/${other.number}/comments`]);
    expect(observable(world)).toEqual(before);
    expect(statuses(stateOf(world))).toEqual({ api: "dispatched", styles: "dispatched", ui: "pending" });
  });
});

describe("bad input: one comment that says what is wrong, and nothing else", () => {
  it("a plan with a cycle and an unknown dependency", async () => {
    const bad = `# Broken\n\n\`\`\`yaml\ntasks:
  - { id: a, title: A, domain: backend, files: ["backend/**"], estimate: 20, needs: [b] }
  - { id: b, title: B, domain: frontend, files: ["frontend/**"], estimate: 20, needs: [a] }
  - { id: c, title: C, domain: docs, files: ["docs/**"], estimate: 20, needs: [zzz] }
\`\`\`\n`;
    const world = feature({ body: bad });
    const probot = world.probot();
    const label = world.labeled(at(0));
    await deliver(probot, label);
    expect(world.take()).toEqual([...CONFIG, LABELER, COMMENTS, `POST ${R}/issues/1/comments`]);
    expect(world.comments()).toHaveLength(1);
    const comment = world.comments()[0]!.body;
    expect(comment).toContain("### ⚠ parallel-coordinator cannot plan this issue");
    expect(comment).toMatch(/dependency cycle: (a → b → a|b → a → b)/);
    expect(comment).toContain('unknown dependency "zzz"');
    expect(comment).toContain("Nothing was started.");
    expect(world.dispatches()).toEqual([]);
    expect([...world.branches().keys()]).toEqual(["master"]);

    await deliver(probot, label);
    await deliver(probot, world.labeled(at(1)));
    expect(world.take()).toEqual([...CONFIG, LABELER, COMMENTS, ...CONFIG, LABELER, COMMENTS]);
    expect(world.comments()).toHaveLength(1);
  });

  it("a config with wrong types", async () => {
    const world = feature({ config: "agents: three\nretries: -1\nmergeMethod: fast\nlabel: parallel-coordinator\n" });
    const probot = world.probot();
    const label = world.labeled(at(0));
    await deliver(probot, label);
    expect(world.take()).toEqual([
      `GET ${R}/contents/.github%2Fparallel-coordinator.yml`,
      LABELER,
      COMMENTS,
      `POST ${R}/issues/1/comments`,
    ]);
    const comment = world.comments()[0]!.body;
    expect(comment).toContain("### ⚠ parallel-coordinator cannot read `.github/parallel-coordinator.yml`");
    expect(comment).toContain("3 problems:");
    for (const field of ["agents", "retries", "mergeMethod"]) expect(comment).toContain(`field "${field}"`);
    expect(world.dispatches()).toEqual([]);
    expect([...world.branches().keys()]).toEqual(["master"]);

    await deliver(probot, label);
    expect(world.take()).toEqual([`GET ${R}/contents/.github%2Fparallel-coordinator.yml`, LABELER, COMMENTS]);
    expect(world.comments()).toHaveLength(1);
  });

  // `plan --config` refuses a file that is not a mapping, or does not parse, with the line: so does the app, in its own words.
  const refusedAsPlan: Array<[string, string, string]> = [
    ["a number", "42\n", 'field "(config)": Invalid input: expected object, received number'],
    ["a list", "- agents: 2\n- label: x\n", 'field "(config)": Invalid input: expected object, received array'],
    ["a string", "just words\n", 'field "(config)": Invalid input: expected object, received string'],
    [
      "YAML that does not parse",
      "label: agents\nagents: [2\nretries: 1\n",
      "line 3: not valid YAML: missed comma between flow collection entries",
    ],
  ];
  for (const [what, config, problem] of refusedAsPlan) {
    it(`a config that is ${what} is refused as \`plan\` refuses it, naming the file (and the line), nothing internal; nothing starts`, async () => {
      const world = feature({ config });
      await deliver(world.probot(), world.labeled(at(0)));
      expect(world.comments()).toHaveLength(1);
      const comment = world.comments()[0]!.body;
      expect(comment).toContain("### ⚠ parallel-coordinator cannot read `.github/parallel-coordinator.yml`");
      expect(comment).toContain(`- ${problem}`);
      expect(comment).not.toMatch(/probot|octokit|api\.github\.com|https?:/i);
      expect(world.dispatches()).toEqual([]);
      expect([...world.branches().keys()]).toEqual(["master"]);
    });
  }

  it("a config GitHub fails to serve (5xx) is not reported as a bad config: the step fails and a redelivery starts", async () => {
    const world = feature();
    const probot = world.probot();
    world.github.faults.add({
      route: "GET /repos/{owner}/{repo}/contents/{path}",
      status: 502,
      body: { message: "Server Error" },
    });
    const label = world.labeled(at(0));
    await expect(deliver(probot, label)).rejects.toThrow();
    expect(world.comments()).toEqual([]);
    await deliver(probot, label);
    expect(stateOf(world).status).toBe("running");
    expect(world.comments()).toHaveLength(1);
  });
});

describe("a dashboard someone edited", () => {
  it("is not trusted: the state comes from the latest valid checkpoint comment, and the dashboard is written again with a note", async () => {
    const world = feature();
    const probot = world.probot();
    await deliver(probot, world.labeled(at(0)));
    // api reports Blocked: a blocker comment, which carries the state.
    await deliver(
      probot,
      world.finishRun("pc-1-api-1", {
        files: ["backend/api/routes.py"],
        report: { status: "Blocked", blockers: ["Which auth scheme?"] },
        at: at(10),
      }),
    );
    expect(world.comments()).toHaveLength(2);
    expect(world.comments()[1]!.body).toContain("### ⛔ Blocker: Batch 1 — Notification API");
    const checkpoint = stateOf(world);
    expect(statuses(checkpoint)).toEqual({ api: "blocked", styles: "dispatched", ui: "pending" });

    // A maintainer edits the dashboard and changes the state block by hand (say, to mark api accepted).
    const dashboard = world.comments()[0]!;
    world.github.editComment(
      world.repo,
      dashboard,
      dashboard.body.replace(
        /(parallel-coordinator:state v\d+ )([A-Za-z0-9_-]{12})/,
        (_all, head: string, start: string) => `${head}${start.split("").reverse().join("")}`,
      ),
      "maintainer",
    );
    expect(decodeState(dashboard.body, key).ok).toBe(false);

    world.take();
    await deliver(probot, world.finishRun("pc-1-styles-1", { files: ["frontend/styles/bell.css"], at: at(20) }));
    const requests = world.takeCalls();
    // Restored: what GitHub records since the checkpoint is read (the pull requests serve the check-in too), then the check-in goes on as usual.
    expect(requests.map((call) => `${call.method} ${call.path}`)).toEqual([
      COMMENTS,
      `GET ${R}/pulls`,
      `GET ${R}/actions/workflows/parallel-coordinator-agent.yml/runs`,
      `GET ${R}/pulls/3/files`,
      headTree(world, 3),
      `POST ${R}/check-runs`,
      `PUT ${R}/pulls/3/merge`,
      DASHBOARD,
    ]);
    expect(requests[1]!.query).toEqual({
      base: "parallel-coordinator/1",
      state: "all",
      sort: "updated",
      direction: "desc",
      per_page: "100",
    });
    // Since styles was dispatched: it was still out at the checkpoint.
    expect(requests[2]!.query).toEqual({
      event: "workflow_dispatch",
      created: `>=${checkpoint.batches.styles!.runs[0]!.dispatchedAt}`,
      per_page: "100",
    });
    const restored = stateOf(world);
    expect(statuses(restored)).toEqual({ api: "blocked", styles: "accepted", ui: "pending" });
    expect(restored.batches.api!.runs).toEqual(checkpoint.batches.api!.runs);
    // Nothing newer than the checkpoint: nothing more is dispatched than without the restore.
    expect(world.dispatches().map((run) => run.inputs.key)).toEqual(["pc-1-api-1", "pc-1-styles-1"]);
    expect(restored.notes).toEqual([]);
    expect(restored.restores).toEqual([
      `The dashboard's state was restored from the latest checkpoint comment at ${at(20)}: the state's signature does not match: it was changed by someone other than the app. GitHub records nothing newer.`,
    ]);
    expect(world.dashboard()!.body).toContain("restored from the latest checkpoint");

    // The dashboard holds the state again: the next event reads nothing more.
    await deliver(probot, world.finishRun("pc-1-api-1", { at: at(25) }));
    expect(world.take()).toEqual([COMMENTS]);
  });
});

describe("what GitHub refuses beyond its OpenAPI description", () => {
  it("an integration branch beside a folder of branches (422): one comment that says why, nothing else", async () => {
    const world = feature({ branches: ["parallel-coordinator/1/old-work"] });
    const probot = world.probot();
    const label = world.labeled(at(0));
    await deliver(probot, label);
    // The dashboard posted first goes again: nothing started, and the label starts once the branches are sorted out.
    expect(world.take()).toEqual([
      ...CONFIG,
      LABELER,
      COMMENTS,
      `GET ${R}/git/ref/heads%2Fmaster`,
      `POST ${R}/issues/1/comments`,
      `POST ${R}/git/refs`,
      `DELETE ${R}/issues/comments/1001`,
      `POST ${R}/issues/1/comments`,
    ]);
    expect(world.comments()).toHaveLength(1);
    const comment = world.comments()[0]!.body;
    expect(comment).toContain("parallel-coordinator/1");
    expect(comment).toContain("Reference update failed");
    expect(comment).toMatch(/folder of branches/);
    expect(world.dispatches()).toEqual([]);
    expect(world.dashboard()).toBeUndefined();

    await deliver(probot, label);
    expect(world.comments()).toHaveLength(1);
  });

  it("a domain branch beside a folder of branches (422): that batch is blocked with the reason, the others run", async () => {
    const world = feature({ branches: ["parallel-coordinator/1-backend/x"] });
    await deliver(world.probot(), world.labeled(at(0)));
    const state = stateOf(world);
    expect(statuses(state)).toEqual({ api: "blocked", styles: "dispatched", ui: "pending" });
    expect(state.batches.api!.blocker).toContain("parallel-coordinator/1-backend");
    expect(world.dispatches().map((run) => run.inputs.key)).toEqual(["pc-1-styles-1"]);
    expect(world.comments().map((comment) => comment.body.split("\n")[0])).toEqual([
      "## Parallel coordination: Notifications",
      "### ⛔ Blocker: Batch 1 — Notification API",
    ]);
  });

  it("a dispatch with inputs the workflow does not declare (422): blocked, with a comment naming the inputs it must declare", async () => {
    const world = feature({ declaredInputs: ["issue", "batch", "attempt", "key", "base"] });
    await deliver(world.probot(), world.labeled(at(0)));
    const state = stateOf(world);
    expect(statuses(state)).toEqual({ api: "blocked", styles: "blocked", ui: "pending" });
    expect(state.status).toBe("blocked");
    const blockers = world.comments().filter((comment) => comment.body.startsWith("### ⛔ Blocker"));
    expect(blockers).toHaveLength(2);
    expect(blockers[0]!.body).toContain('Unexpected inputs provided: ["scope","brief"]');
    expect(blockers[0]!.body).toContain("declares the inputs issue, batch, attempt, key, base, scope and brief");
    expect(world.dispatches()).toEqual([]);
  });

  it("a final pull request without commits (422) leaves the coordination done, without a pull request and without an error; the finish says so", async () => {
    const world = feature();
    const probot = world.probot();
    // While the app opens the final pull request, a maintainer brings master up to the integration branch by hand.
    world.github.faults.add({
      route: "POST /repos/{owner}/{repo}/pulls",
      latency: () =>
        world.github.updateRef(
          world.repo,
          "refs/heads/master",
          world.repo.branch("parallel-coordinator/1")!,
          "maintainer",
        ),
    });
    await coordinate(probot, world);
    const state = stateOf(world);
    expect(state.status).toBe("done");
    expect(state.finalPr).toBeUndefined();
    const final = world.github.calls.filter((call) => call.method === "POST" && call.path === `${R}/pulls`);
    expect(final.map((call) => call.status)).toEqual([422]);
    const lookup = world.github.calls.filter(
      (call) => call.method === "GET" && call.path === `${R}/pulls` && call.query.base === "master",
    );
    expect(lookup.map((call) => call.query)).toEqual([
      { head: "Codertocat:parallel-coordinator/1", base: "master", state: "open" },
    ]);
    const finish = world.comments().filter((comment) => comment.body.includes("Feature complete"));
    expect(finish).toHaveLength(1);
    expect(finish[0]!.body).not.toContain("Review and merge");
    expect(finish[0]!.body).toContain(
      "- GitHub opened no pull request from `parallel-coordinator/1` into `master`: Validation Failed (No commits between master and parallel-coordinator/1).",
    );
  });

  it("a merge method the repository forbids (405): a blocker that says why", async () => {
    const world = feature({ mergeMethods: ["squash"] });
    const probot = world.probot();
    await deliver(probot, world.labeled(at(0)));
    await deliver(probot, world.finishRun("pc-1-styles-1", { files: ["frontend/styles/bell.css"], at: at(15) }));
    const state = stateOf(world);
    expect(state.batches.styles!.status).toBe("blocked");
    const blocker = world.comments().find((comment) => comment.body.startsWith("### ⛔ Blocker: Batch 2"))!;
    expect(blocker.body).toContain(
      "GitHub refused to merge the pull request: Merge commits are not allowed on this repository.",
    );
    expect(blocker.body).toContain('merge method "merge"');
    expect(world.pulls()[0]!.state).toBe("open");
  });

  it("a pull request that conflicts (405 not mergeable) goes back to its agent on the integration branch as it is; the second conflict is a blocker naming both sides", async () => {
    const world = feature();
    const probot = world.probot();
    await deliver(probot, world.labeled(at(0)));
    world.take();
    // styles' pull request (#2) and the integration branch both changed bell.css since they parted; the branch also README.md.
    const pushed = world.push("parallel-coordinator/1", {
      "README.md": "# Hello-World, with a bell\n",
      "frontend/styles/bell.css": "a maintainer's bell\n",
    });
    await deliver(probot, world.finishRun("pc-1-styles-1", { files: ["frontend/styles/bell.css"], at: at(15) }));
    expect(world.take()).toEqual([
      COMMENTS,
      `GET ${R}/pulls`,
      `GET ${R}/pulls/2/files`,
      headTree(world, 2),
      `POST ${R}/check-runs`,
      `PUT ${R}/pulls/2/merge`,
      `GET ${R}/pulls/2`,
      `GET ${R}/compare/parallel-coordinator%2F1...parallel-coordinator%2F1-frontend`,
      `GET ${R}/compare/parallel-coordinator%2F1-frontend...parallel-coordinator%2F1`,
      // No blocker: #2 closes, the frontend branch goes to the integration head the comparison showed, styles runs again.
      `PATCH ${R}/pulls/2`,
      `PATCH ${R}/git/refs/heads%2Fparallel-coordinator%2F1-frontend`,
      DISPATCH,
      DASHBOARD,
    ]);
    expect(world.comments()).toHaveLength(1);
    expect(world.repo.branch("parallel-coordinator/1-frontend")).toBe(pushed);
    const again = world.runOf("pc-1-styles-2");
    expect(again.inputs.brief).toContain("Files changed on both sides: `frontend/styles/bell.css`");
    expect(stateOf(world).batches.styles).toMatchObject({ status: "dispatched", handBacks: 1 });
    expect(stateOf(world).integrationIssues).toBe(1);

    // The second run conflicts too (the maintainer changed bell.css again): now a person decides.
    world.push("parallel-coordinator/1", { "frontend/styles/bell.css": "the maintainer's bell, again\n" });
    await deliver(probot, world.finishRun("pc-1-styles-2", { files: ["frontend/styles/bell.css"], at: at(35) }));
    const state = stateOf(world);
    expect(state.batches.styles!.status).toBe("blocked");
    expect(state.integrationIssues).toBe(2);
    const blocker = world.comments().find((comment) => comment.body.startsWith("### ⛔ Blocker: Batch 2"))!;
    const open = world.pulls().find((pull) => pull.state === "open")!;
    expect(blocker.body).toContain(
      `> Merge conflict again, after the batch ran once more on the up-to-date integration branch: #${open.number} from parallel-coordinator/1-frontend (batch 2's side: the frontend domain) cannot merge into parallel-coordinator/1. ` +
        "Files changed on both sides, each with the domain that owns it: `frontend/styles/bell.css` (the frontend domain's). " +
        "A person who knows both sides resolves it on parallel-coordinator/1-frontend, then `/approve 2 <SHA of the resolved head>` merges the pull request at that head; `/retry 2` runs the batch again from the integration branch.",
    );
  });

  it("new commits pushed to a pull request after its check-in (409): blocked, not a conflict, and nothing compared", async () => {
    const world = feature();
    const probot = world.probot();
    await deliver(probot, world.labeled(at(0)));
    // While the app merges, a person pushes to the pull request's branch.
    world.github.faults.add({
      route: "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge",
      latency: () => world.push("parallel-coordinator/1-frontend", { "frontend/styles/late.css": "late\n" }),
    });
    await deliver(probot, world.finishRun("pc-1-styles-1", { files: ["frontend/styles/bell.css"], at: at(15) }));
    expect(world.github.calls.filter((call) => call.path.includes("/compare/"))).toEqual([]);
    expect(world.github.calls.find((call) => call.method === "PUT")?.status).toBe(409);
    const state = stateOf(world);
    expect(state.batches.styles!.status).toBe("blocked");
    expect(state.integrationIssues).toBe(0);
    const blocker = world.comments().find((comment) => comment.body.startsWith("### ⛔ Blocker: Batch 2"))!;
    const now = world.repo.branch("parallel-coordinator/1-frontend")!;
    expect(blocker.body).toContain(
      `> New commits arrived on #2 after its check-in (its head is now \`${now}\`), so it was not merged. \`/retry 2\` runs the batch again on its branch, new commits included, and checks that run in; \`/approve 2 ${now}\` merges the pull request at that head, unchecked.`,
    );
    expect(blocker.body).not.toMatch(/conflict/i);
  });

  it("/retry after commits were pushed to the pull request builds on them, and the check-in judges the pull request's whole diff, not only the run's commits", async () => {
    const world = feature();
    const probot = world.probot();
    await deliver(probot, world.labeled(at(0)));
    // While the app merges styles, a person pushes a backend file to the frontend branch: 409, blocked.
    world.github.faults.add({
      route: "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge",
      latency: () => world.push("parallel-coordinator/1-frontend", { "backend/api/hotfix.py": "a person's fix\n" }),
    });
    await deliver(probot, world.finishRun("pc-1-styles-1", { files: ["frontend/styles/bell.css"], at: at(15) }));
    expect(stateOf(world).batches.styles).toMatchObject({ status: "blocked", pushed: true });
    world.take();
    await deliver(probot, world.comment("/retry 2", "maintainer", at(16)));
    const retried = world.take();
    expect(retried).not.toContain(
      "PATCH /repos/Codertocat/Hello-World/git/refs/heads%2Fparallel-coordinator%2F1-frontend",
    );
    expect(world.repo.tree(world.repo.branch("parallel-coordinator/1-frontend")!).get("backend/api/hotfix.py")).toBe(
      "a person's fix\n",
    );
    // The retry changes only its own file; the pushed backend file is still in the pull request, and outside the batch.
    await deliver(probot, world.finishRun("pc-1-styles-2", { files: ["frontend/styles/bell.css"], at: at(30) }));
    const check = world.checkRuns().at(-1)!;
    expect(check.conclusion).toBe("neutral");
    expect((check.annotations as { path: string }[]).map((annotation) => annotation.path)).toEqual([
      "backend/api/hotfix.py",
    ]);
  });

  it("a redo starts on the integration head the app merged last, with nothing of the rejected run: no Merges API, no conflict", async () => {
    const world = feature();
    const probot = world.probot();
    await deliver(probot, world.labeled(at(0)));
    await deliver(probot, world.finishRun("pc-1-styles-1", { files: ["frontend/styles/bell.css"], at: at(15) }));
    world.take();
    // A maintainer changes routes.py on the integration branch while api's first run changes it too (and strays out of scope).
    world.push("parallel-coordinator/1", { "backend/api/routes.py": "a maintainer's routes\n" });
    await deliver(
      probot,
      world.finishRun("pc-1-api-1", { files: ["backend/api/routes.py", "frontend/styles/theme.css"], at: at(18) }),
    );
    const requests = world.take();
    expect(requests).not.toContain(`POST ${R}/merges`);
    expect(requests).toContain(DISPATCH);
    expect(world.repo.branch("parallel-coordinator/1-backend")).toBe(world.repo.pulls.get(2)!.mergeCommitSha);
    expect(stateOf(world).batches.api).toMatchObject({
      status: "dispatched",
      runs: [{ outcome: "redo" }, { attempt: 2 }],
    });
    expect(stateOf(world).integrationIssues).toBe(0);
  });
});
