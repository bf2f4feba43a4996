import { describe, expect, it } from "vitest";
import type { Probot } from "probot";
import { useGitHubApi } from "../helpers/github.js";
import { payload, testProbot } from "./app.js";
import { FakeGitHub, deliver } from "./fakeGitHub.js";
import { decodeState } from "../../src/state/codec.js";
import { BODY, COMMENTS, CONFIG, DISPATCH, R, at, coordinate, key, labeled, observable, stateOf, statuses } from "./feature.js";

useGitHubApi();

describe("a whole coordination through the app", () => {
  it("goes from the label to the final pull request: dispatch, check-in, redo, merge, sync, finish", async () => {
    const probot = testProbot();
    const github = new FakeGitHub();

    // 1. Start: config, comments, the default branch, then branches and dispatches, the dashboard last.
    await deliver(probot, "issues", labeled(), "d-start");
    expect(github.take()).toEqual([
      ...CONFIG,
      COMMENTS,
      `GET ${R}/git/ref/heads%2Fmaster`,
      `POST ${R}/git/refs`,
      `POST ${R}/git/refs`,
      DISPATCH,
      `POST ${R}/git/refs`,
      DISPATCH,
      `POST ${R}/issues/1/comments`,
    ]);
    expect(github.log.filter((entry) => entry.path.endsWith("/git/refs")).map((entry) => entry.body)).toEqual([
      { ref: "refs/heads/parallel-coordinator/1", sha: "base-sha" },
      { ref: "refs/heads/parallel-coordinator/1-backend", sha: "base-sha" },
      { ref: "refs/heads/parallel-coordinator/1-frontend", sha: "base-sha" },
    ]);
    const [api1, styles1] = github.log.filter((entry) => `${entry.method} ${entry.path}` === DISPATCH).map((entry) => entry.body);
    expect(api1).toMatchObject({ ref: "parallel-coordinator/1-backend", return_run_details: true, inputs: { issue: "1", batch: "api", attempt: "1", key: "pc-1-api-1", base: "parallel-coordinator/1" } });
    expect(Object.keys(api1.inputs).sort()).toEqual(["attempt", "base", "batch", "brief", "issue", "key", "scope"]);
    expect(JSON.parse(api1.inputs.scope)).toEqual({ allow: ["backend/api/**"], deny: ["frontend/styles/**", "frontend/bell/**"] });
    expect(api1.inputs.brief).toContain("**Batch**: 1 of 3 - Notification API");
    expect(styles1).toMatchObject({ ref: "parallel-coordinator/1-frontend", inputs: { batch: "styles", key: "pc-1-styles-1" } });
    expect(github.comments).toHaveLength(1);
    expect(github.dashboard()).toContain("- [ ] **1.** Notification API — backend · 20 min · 🔄 dispatched");
    expect(stateOf(github)).toMatchObject({ status: "running", head: "base-sha" });
    expect(stateOf(github).batches.api!.runs).toEqual([{ attempt: 1, key: "pc-1-api-1", id: github.runId("pc-1-api-1"), dispatchedAt: "2019-05-15T15:20:18Z" }]);

    // 2. styles succeeds: its pull request by owner:branch, files, ✓ check run, merge, dashboard.
    await deliver(probot, "workflow_run", github.finishRun("pc-1-styles-1", { files: ["frontend/styles/bell.css"], at: at(15) }), "d-styles");
    const styles = github.takeEntries();
    expect(styles.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      COMMENTS,
      `GET ${R}/pulls`,
      `GET ${R}/pulls/10/files`,
      `POST ${R}/check-runs`,
      `PUT ${R}/pulls/10/merge`,
      `PATCH ${R}/issues/comments/500`,
    ]);
    expect(styles[1]!.query).toEqual({ head: "Codertocat:parallel-coordinator/1-frontend", base: "parallel-coordinator/1", state: "all", per_page: "10" });
    expect(styles[3]!.body).toEqual({
      name: "parallel-coordinator / batch 2",
      head_sha: github.pulls[0]!.headSha,
      status: "completed",
      conclusion: "success",
      completed_at: at(15),
      external_id: "pc-1-styles-1002",
      output: { title: "✓ Accepted", summary: "Scope, acceptance and report all check out.", annotations: [] },
    });
    expect(styles[4]!.body).toEqual({ sha: github.pulls[0]!.headSha, merge_method: "merge", commit_title: "Batch 2 of 3: Bell styles (#10)" });
    expect(statuses(stateOf(github))).toEqual({ api: "dispatched", styles: "accepted", ui: "pending" });
    expect(stateOf(github).head).toBe("merge-10");

    // 3. api's first run touches a frontend file: ⚠ check run with the annotation, backend synced, redo dispatched.
    await deliver(probot, "workflow_run", github.finishRun("pc-1-api-1", { files: ["backend/api/routes.py", "frontend/styles/theme.css"], at: at(18) }), "d-api-1");
    const api1Done = github.takeEntries();
    expect(api1Done.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      COMMENTS,
      `GET ${R}/pulls`,
      `GET ${R}/pulls/11/files`,
      `POST ${R}/check-runs`,
      `POST ${R}/merges`,
      DISPATCH,
      `PATCH ${R}/issues/comments/500`,
    ]);
    expect(api1Done[1]!.query.head).toBe("Codertocat:parallel-coordinator/1-backend");
    expect(api1Done[3]!.body).toMatchObject({
      conclusion: "neutral",
      output: {
        title: "⚠ Minor issues: one redo with the findings",
        annotations: [{ path: "frontend/styles/theme.css", start_line: 1, end_line: 1, annotation_level: "warning", message: "Outside batch 1's scope: leave this file to its owner." }],
      },
    });
    expect(api1Done[4]!.body).toEqual({ base: "parallel-coordinator/1-backend", head: "parallel-coordinator/1", commit_message: "Bring parallel-coordinator/1-backend up to date with parallel-coordinator/1" });
    expect(api1Done[5]!.body).toMatchObject({ ref: "parallel-coordinator/1-backend", inputs: { batch: "api", attempt: "2", key: "pc-1-api-2" } });
    expect(api1Done[5]!.body.inputs.brief).toContain("This batch is a redo. Fix what the last check-in found:");
    expect(api1Done[5]!.body.inputs.brief).toContain("frontend/styles/theme.css");
    expect(github.dashboard()).toContain("🔄 dispatched");

    // 4. The redo is clean: ✓, merge, and ui (frontend) starts, synced, with api's integration point.
    await deliver(probot, "workflow_run", github.finishRun("pc-1-api-2", { files: ["backend/api/routes.py"], at: at(30) }), "d-api-2");
    const api2Done = github.takeEntries();
    expect(api2Done.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      COMMENTS,
      `GET ${R}/pulls`,
      `GET ${R}/pulls/11/files`,
      `POST ${R}/check-runs`,
      `PUT ${R}/pulls/11/merge`,
      `POST ${R}/merges`,
      DISPATCH,
      `PATCH ${R}/issues/comments/500`,
    ]);
    expect(api2Done[3]!.body).toMatchObject({ conclusion: "success", external_id: "pc-1-api-1003" });
    expect(api2Done[5]!.body).toMatchObject({ base: "parallel-coordinator/1-frontend", head: "parallel-coordinator/1" });
    const ui = api2Done[6]!.body;
    expect(ui).toMatchObject({ ref: "parallel-coordinator/1-frontend", inputs: { batch: "ui", attempt: "1", key: "pc-1-ui-1" } });
    expect(ui.inputs.brief).toContain("Integration point: api is ready at backend/api/routes.py");
    expect(ui.inputs.brief).toContain("`backend/api/routes.py:1` — changed backend/api/routes.py");

    // 5. ui is clean: ✓, merge, then the finish: the final pull request and the summary comment that points at it.
    await deliver(probot, "workflow_run", github.finishRun("pc-1-ui-1", { files: ["frontend/bell/Bell.tsx"], at: at(50) }), "d-ui");
    const uiDone = github.takeEntries();
    expect(uiDone.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      COMMENTS,
      `GET ${R}/pulls`,
      `GET ${R}/pulls/12/files`,
      `POST ${R}/check-runs`,
      `PUT ${R}/pulls/12/merge`,
      `POST ${R}/pulls`,
      `POST ${R}/issues/1/comments`,
      `PATCH ${R}/issues/comments/500`,
    ]);
    const finish = uiDone[6]!.body.body as string;
    expect(finish).toContain("### ✅ Feature complete: Notifications");
    expect(finish).toContain("| first-try acceptance | 67 % (2/3) | > 90 % |");
    expect(finish).toContain("| rework | 33 % (1/3) | < 10 % |");
    expect(finish).toContain("- Batch 1 — Notification API: redo → accepted");
    expect(finish).toContain("- Review and merge #13 (`parallel-coordinator/1` into `master`); it closes this issue.");
    expect(uiDone[5]!.body).toEqual({
      head: "parallel-coordinator/1",
      base: "master",
      title: "Notifications (#1)",
      body: expect.stringMatching(/^Closes #1\.\n/),
    });
    expect(uiDone[5]!.body.body).toContain("- [x] 3. Notification bell (#12)");

    const final = stateOf(github);
    expect(final.status).toBe("done");
    expect(statuses(final)).toEqual({ api: "accepted", styles: "accepted", ui: "accepted" });
    expect(final.finalPr).toBe(13);
    expect(final.head).toBe("merge-12");
    expect(github.dashboard()!.match(/^- \[x\] \*\*\d\.\*\*/gm)).toHaveLength(3);
    expect(github.dashboard()).toContain("Final pull request: https://github.com/Codertocat/Hello-World/pull/13");
    expect(github.comments.map((comment) => comment.login)).toEqual(["parallel-coordinator[bot]", "parallel-coordinator[bot]"]);
    expect(github.dispatches.map((dispatch) => dispatch.inputs.key)).toEqual(["pc-1-api-1", "pc-1-styles-1", "pc-1-api-2", "pc-1-ui-1"]);
    expect(github.pulls.map((pull) => [pull.number, pull.state, pull.mergedAt !== null])).toEqual([
      [10, "closed", true],
      [11, "closed", true],
      [12, "closed", true],
      [13, "open", false],
    ]);
    // One installation token served the whole coordination.
    expect(github.tokens).toBe(1);
  });

  it("a redelivery of every event, right after it, reads the comments (and, for an issue event, the config) and does nothing else", async () => {
    const probot = testProbot();
    const github = new FakeGitHub();
    const redelivered: Array<[string, string[]]> = [];
    await coordinate(probot, github, async (name, value, id) => {
      github.take();
      const before = observable(github);
      await deliver(probot, name, value, id);
      redelivered.push([id, github.take()]);
      expect(observable(github)).toEqual(before);
    });
    expect(redelivered).toEqual([
      ["d-start", [...CONFIG, COMMENTS]],
      ["d-styles", [COMMENTS]],
      ["d-api-1", [COMMENTS]],
      ["d-api-2", [COMMENTS]],
      ["d-ui", [COMMENTS]],
    ]);
    expect(stateOf(github).status).toBe("done");
  });

  it("a redelivery of every event after the finish changes nothing", async () => {
    const probot = testProbot();
    const github = new FakeGitHub();
    const events: Array<[string, unknown, string]> = [];
    await coordinate(probot, github, async (name, value, id) => {
      events.push([name, value, id]);
    });
    github.take();
    const before = observable(github);
    for (const [name, value, id] of events) await deliver(probot, name, value, id);
    expect(github.take().filter((request) => !request.startsWith("GET "))).toEqual([]);
    expect(observable(github)).toEqual(before);
  });

  it("20 concurrent deliveries of one completion check, merge, dispatch and write once", async () => {
    const probot = testProbot();
    const github = new FakeGitHub();
    await deliver(probot, "issues", labeled(), "d-start");
    await deliver(probot, "workflow_run", github.finishRun("pc-1-styles-1", { files: ["frontend/styles/bell.css"], at: at(15) }), "d-styles");
    github.take();
    const completion = github.finishRun("pc-1-api-1", { files: ["backend/api/routes.py"], at: at(20) });
    await Promise.all(Array.from({ length: 20 }, (_, index) => deliver(probot, "workflow_run", structuredClone(completion), `d-api-${index}`)));
    const requests = github.take();
    const count = (request: string) => requests.filter((candidate) => candidate === request).length;
    expect(count(COMMENTS)).toBe(20);
    expect(requests.filter((request) => request !== COMMENTS)).toEqual([
      `GET ${R}/pulls`,
      `GET ${R}/pulls/11/files`,
      `POST ${R}/check-runs`,
      `PUT ${R}/pulls/11/merge`,
      `POST ${R}/merges`,
      DISPATCH,
      `PATCH ${R}/issues/comments/500`,
    ]);
    expect(github.checkRuns).toHaveLength(2);
    expect(github.dispatches.map((dispatch) => dispatch.inputs.key)).toEqual(["pc-1-api-1", "pc-1-styles-1", "pc-1-ui-1"]);
    expect(statuses(stateOf(github))).toEqual({ api: "accepted", styles: "accepted", ui: "dispatched" });
  });
});

describe("a server without return_run_details (GitHub Enterprise Server before 3.21)", () => {
  for (const mode of ["ignored", "refused"] as const) {
    it(`${mode === "ignored" ? "answers 204" : "refuses the field (400)"}: the run is found by the key in its name`, async () => {
      const probot = testProbot();
      const github = new FakeGitHub({ runDetails: mode });
      await deliver(probot, "issues", labeled(), "d-start");
      const dispatches = github.takeEntries().filter((entry) => `${entry.method} ${entry.path}` === DISPATCH);
      expect(dispatches.map((entry) => [entry.status, entry.body.return_run_details])).toEqual(
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
      expect(stateOf(github).batches.styles!.runs).toEqual([{ attempt: 1, key: "pc-1-styles-1", dispatchedAt: "2019-05-15T15:20:18Z" }]);

      await deliver(probot, "workflow_run", github.finishRun("pc-1-styles-1", { files: ["frontend/styles/bell.css"], at: at(15) }), "d-styles");
      const state = stateOf(github);
      expect(state.batches.styles).toMatchObject({ status: "accepted", pr: 10 });
      expect(state.batches.styles!.runs[0]).toMatchObject({ id: github.runId("pc-1-styles-1"), outcome: "accepted" });
      expect(github.checkRuns).toHaveLength(1);
    });
  }

  it("two different completions at once are both checked in: one writer at a time, no update lost", async () => {
    const probot = testProbot();
    const github = new FakeGitHub();
    await deliver(probot, "issues", labeled(), "d-start");
    const styles = github.finishRun("pc-1-styles-1", { files: ["frontend/styles/bell.css"], at: at(15) });
    const api = github.finishRun("pc-1-api-1", { files: ["backend/api/routes.py"], at: at(16) });
    await Promise.all([deliver(probot, "workflow_run", styles, "d-styles"), deliver(probot, "workflow_run", api, "d-api")]);
    const state = stateOf(github);
    expect(statuses(state)).toEqual({ api: "accepted", styles: "accepted", ui: "dispatched" });
    expect(github.checkRuns).toHaveLength(2);
    expect(github.pulls.filter((pull) => pull.mergedAt !== null)).toHaveLength(2);
    expect(github.dispatches.map((dispatch) => dispatch.inputs.key)).toEqual(["pc-1-api-1", "pc-1-styles-1", "pc-1-ui-1"]);
  });
});

describe("which issue events start a coordination", () => {
  it("another label: the config is read, nothing else", async () => {
    const probot = testProbot();
    const github = new FakeGitHub();
    const bug = payload("issues", "labeled", (value) => {
      value.issue.body = BODY;
    });
    await deliver(probot, "issues", bug, "d-bug");
    expect(github.take()).toEqual(CONFIG);
  });

  it("an issue opened with the label starts, like the label added later", async () => {
    const probot = testProbot();
    const github = new FakeGitHub();
    const opened = payload("issues", "opened", (value) => {
      value.issue.body = BODY;
      value.issue.labels = [{ id: 1, node_id: "L", url: "https://api.github.com/x", name: "parallel-coordinator", color: "ffffff", default: false, description: null }];
    });
    await deliver(probot, "issues", opened, "d-opened");
    expect(statuses(stateOf(github))).toEqual({ api: "dispatched", styles: "dispatched", ui: "pending" });
    // GitHub sends `labeled` too for an issue created with a label: it changes nothing.
    github.take();
    await deliver(probot, "issues", labeled(), "d-labeled");
    expect(github.take()).toEqual([...CONFIG, COMMENTS]);
  });

  it("a configured label replaces the default one", async () => {
    const probot = testProbot();
    const github = new FakeGitHub({ config: "label: agents\n" });
    await deliver(probot, "issues", labeled(), "d-default-label");
    expect(github.take()).toEqual([`GET ${R}/contents/.github%2Fparallel-coordinator.yml`]);
    const agents = payload("issues", "labeled", (value) => {
      value.label.name = "agents";
      value.issue.body = BODY;
    });
    await deliver(probot, "issues", agents, "d-agents");
    expect(stateOf(github).status).toBe("running");
  });
});

describe("runs that are not the app's", () => {
  async function started(): Promise<{ probot: Probot; github: FakeGitHub }> {
    const probot = testProbot();
    const github = new FakeGitHub();
    await deliver(probot, "issues", labeled(), "d-start");
    github.take();
    return { probot, github };
  }

  it("a run with no key in its name (another workflow, another event) costs no request at all", async () => {
    const { probot, github } = await started();
    const ci = payload<{ workflow_run: Record<string, unknown> }>("workflow_run", "completed", (value) => {
      value.repository = payload("issues", "labeled").repository;
      Object.assign(value.workflow_run, { id: 555, name: "CI", display_title: "Fix the build", path: ".github/workflows/ci.yml", event: "push", conclusion: "success", status: "completed" });
    });
    await deliver(probot, "workflow_run", ci, "d-ci");
    const manual = structuredClone(ci);
    Object.assign(manual.workflow_run, { event: "workflow_dispatch", display_title: "Manually triggered workflow" });
    await deliver(probot, "workflow_run", manual, "d-manual");
    expect(github.take()).toEqual([]);
  });

  it("a run of another workflow that carries a key, or a run id the app never dispatched, is only looked up", async () => {
    const { probot, github } = await started();
    const real = github.finishRun("pc-1-api-1", { files: ["backend/api/routes.py"], at: at(20) });
    const before = observable(github);

    const otherWorkflow = structuredClone(real);
    otherWorkflow.workflow_run.path = ".github/workflows/release.yml";
    await deliver(probot, "workflow_run", otherWorkflow, "d-other");

    const stranger = structuredClone(real);
    stranger.workflow_run.id = 987654;
    await deliver(probot, "workflow_run", stranger, "d-stranger");

    const otherIssue = structuredClone(real);
    otherIssue.workflow_run.display_title = "Agent pc-77-api-1";
    await deliver(probot, "workflow_run", otherIssue, "d-other-issue");

    expect(github.take()).toEqual([COMMENTS, COMMENTS, `GET ${R}/issues/77/comments`]);
    expect(observable(github)).toEqual(before);
    expect(statuses(stateOf(github))).toEqual({ api: "dispatched", styles: "dispatched", ui: "pending" });
  });
});

describe("bad input: one comment that says what is wrong, and nothing else", () => {
  it("a plan with a cycle and an unknown dependency", async () => {
    const probot = testProbot();
    const github = new FakeGitHub();
    const bad = `# Broken\n\n\`\`\`yaml\ntasks:
  - { id: a, title: A, domain: backend, files: ["backend/**"], estimate: 20, needs: [b] }
  - { id: b, title: B, domain: frontend, files: ["frontend/**"], estimate: 20, needs: [a] }
  - { id: c, title: C, domain: docs, files: ["docs/**"], estimate: 20, needs: [zzz] }
\`\`\`\n`;
    await deliver(probot, "issues", labeled(bad), "d-bad");
    expect(github.take()).toEqual([...CONFIG, COMMENTS, `POST ${R}/issues/1/comments`]);
    expect(github.comments).toHaveLength(1);
    const comment = github.comments[0]!.body;
    expect(comment).toContain("### ⚠ parallel-coordinator cannot plan this issue");
    expect(comment).toMatch(/dependency cycle: (a → b → a|b → a → b)/);
    expect(comment).toContain('unknown dependency "zzz"');
    expect(comment).toContain("Nothing was started.");
    expect(github.dispatches).toEqual([]);
    expect([...github.refs.keys()]).toEqual(["master"]);

    await deliver(probot, "issues", labeled(bad), "d-bad");
    await deliver(probot, "issues", labeled(bad), "d-bad-again");
    expect(github.take()).toEqual([...CONFIG, COMMENTS, ...CONFIG, COMMENTS]);
    expect(github.comments).toHaveLength(1);
  });

  it("a config with wrong types", async () => {
    const probot = testProbot();
    const github = new FakeGitHub({ config: "agents: three\nretries: -1\nmergeMethod: fast\nlabel: parallel-coordinator\n" });
    await deliver(probot, "issues", labeled(), "d-config");
    expect(github.take()).toEqual([`GET ${R}/contents/.github%2Fparallel-coordinator.yml`, COMMENTS, `POST ${R}/issues/1/comments`]);
    const comment = github.comments[0]!.body;
    expect(comment).toContain("### ⚠ parallel-coordinator cannot read `.github/parallel-coordinator.yml`");
    expect(comment).toContain("3 problems:");
    for (const field of ["agents", "retries", "mergeMethod"]) expect(comment).toContain(`field "${field}"`);
    expect(github.dispatches).toEqual([]);
    expect([...github.refs.keys()]).toEqual(["master"]);

    await deliver(probot, "issues", labeled(), "d-config");
    expect(github.take()).toEqual([`GET ${R}/contents/.github%2Fparallel-coordinator.yml`, COMMENTS]);
    expect(github.comments).toHaveLength(1);
  });

  it("a config GitHub fails to serve (5xx) is not reported as a bad config: the step fails and a redelivery starts", async () => {
    const probot = testProbot();
    const github = new FakeGitHub();
    github.faults.push({ when: ({ path }) => path.endsWith("contents/.github%2Fparallel-coordinator.yml"), status: 502, body: { message: "Server Error" } });
    await expect(deliver(probot, "issues", labeled(), "d-start")).rejects.toThrow();
    expect(github.comments).toEqual([]);
    await deliver(probot, "issues", labeled(), "d-start");
    expect(stateOf(github).status).toBe("running");
    expect(github.comments).toHaveLength(1);
  });
});

describe("a dashboard someone edited", () => {
  it("is not trusted: the state comes from the latest valid checkpoint comment, and the dashboard is written again with a note", async () => {
    const probot = testProbot();
    const github = new FakeGitHub();
    await deliver(probot, "issues", labeled(), "d-start");
    // api reports Blocked: a blocker comment, which carries the state.
    await deliver(probot, "workflow_run", github.finishRun("pc-1-api-1", { files: ["backend/api/routes.py"], report: { status: "Blocked", blockers: ["Which auth scheme?"] }, at: at(10) }), "d-api");
    expect(github.comments).toHaveLength(2);
    expect(github.comments[1]!.body).toContain("### ⛔ Blocker: Batch 1 — Notification API");
    const checkpoint = stateOf(github);
    expect(statuses(checkpoint)).toEqual({ api: "blocked", styles: "dispatched", ui: "pending" });

    // A maintainer edits the dashboard and changes the state block by hand (say, to mark api accepted).
    const dashboard = github.comments[0]!;
    dashboard.body = dashboard.body.replace(/(parallel-coordinator:state v1 )([A-Za-z0-9_-]{12})/, (_all, head: string, start: string) => `${head}${start.split("").reverse().join("")}`);
    expect(decodeState(dashboard.body, key).ok).toBe(false);

    github.take();
    await deliver(probot, "workflow_run", github.finishRun("pc-1-styles-1", { files: ["frontend/styles/bell.css"], at: at(20) }), "d-styles");
    const requests = github.takeEntries();
    // Restored: what GitHub records since the checkpoint is read, then the check-in goes on as usual.
    expect(requests.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      COMMENTS,
      `GET ${R}/pulls`,
      `GET ${R}/actions/workflows/parallel-coordinator-agent.yml/runs`,
      `GET ${R}/pulls`,
      `GET ${R}/pulls/11/files`,
      `POST ${R}/check-runs`,
      `PUT ${R}/pulls/11/merge`,
      `PATCH ${R}/issues/comments/500`,
    ]);
    expect(requests[1]!.query).toEqual({ base: "parallel-coordinator/1", state: "closed", sort: "updated", direction: "desc", per_page: "100" });
    // Since styles was dispatched: it was still out at the checkpoint.
    expect(requests[2]!.query).toEqual({ event: "workflow_dispatch", created: `>=${checkpoint.batches.styles!.runs[0]!.dispatchedAt}`, per_page: "100" });
    const restored = stateOf(github);
    expect(statuses(restored)).toEqual({ api: "blocked", styles: "accepted", ui: "pending" });
    expect(restored.batches.api!.runs).toEqual(checkpoint.batches.api!.runs);
    // Nothing newer than the checkpoint: nothing more is dispatched than without the restore.
    expect(github.dispatches.map((dispatch) => dispatch.inputs.key)).toEqual(["pc-1-api-1", "pc-1-styles-1"]);
    expect(restored.notes).toEqual([]);
    expect(restored.restores).toEqual([
      `The dashboard's state was restored from the latest checkpoint comment at ${at(20)}: the state's signature does not match: it was changed by someone other than the app. GitHub records nothing newer.`,
    ]);
    expect(github.dashboard()).toContain("restored from the latest checkpoint");

    // The dashboard holds the state again: the next event reads nothing more.
    await deliver(probot, "workflow_run", github.finishRun("pc-1-api-1", { files: ["backend/api/routes.py"], at: at(25) }), "d-api-again");
    expect(github.take()).toEqual([COMMENTS]);
  });
});

describe("what GitHub refuses beyond its OpenAPI description", () => {
  it("an integration branch beside a folder of branches (422): one comment that says why, nothing else", async () => {
    const probot = testProbot();
    const github = new FakeGitHub({ branches: { "parallel-coordinator/1/old-work": "old-sha" } });
    await deliver(probot, "issues", labeled(), "d-start");
    expect(github.take()).toEqual([...CONFIG, COMMENTS, `GET ${R}/git/ref/heads%2Fmaster`, `POST ${R}/git/refs`, `POST ${R}/issues/1/comments`]);
    expect(github.comments).toHaveLength(1);
    const comment = github.comments[0]!.body;
    expect(comment).toContain("parallel-coordinator/1");
    expect(comment).toContain("Reference update failed");
    expect(comment).toMatch(/folder of branches/);
    expect(github.dispatches).toEqual([]);
    expect(github.dashboard()).toBeUndefined();

    await deliver(probot, "issues", labeled(), "d-start");
    expect(github.comments).toHaveLength(1);
  });

  it("a domain branch beside a folder of branches (422): that batch is blocked with the reason, the others run", async () => {
    const probot = testProbot();
    const github = new FakeGitHub({ branches: { "parallel-coordinator/1-backend/x": "old-sha" } });
    await deliver(probot, "issues", labeled(), "d-start");
    const state = stateOf(github);
    expect(statuses(state)).toEqual({ api: "blocked", styles: "dispatched", ui: "pending" });
    expect(state.batches.api!.blocker).toContain("parallel-coordinator/1-backend");
    expect(github.dispatches.map((dispatch) => dispatch.inputs.key)).toEqual(["pc-1-styles-1"]);
    expect(github.comments.map((comment) => comment.body.split("\n")[0])).toEqual(["### ⛔ Blocker: Batch 1 — Notification API", "## Parallel coordination: Notifications"]);
  });

  it("a dispatch with inputs the workflow does not declare (422): blocked, with a comment naming the inputs it must declare", async () => {
    const probot = testProbot();
    const github = new FakeGitHub({ declaredInputs: ["issue", "batch", "attempt", "key", "base"] });
    await deliver(probot, "issues", labeled(), "d-start");
    const state = stateOf(github);
    expect(statuses(state)).toEqual({ api: "blocked", styles: "blocked", ui: "pending" });
    expect(state.status).toBe("blocked");
    const blockers = github.comments.filter((comment) => comment.body.startsWith("### ⛔ Blocker"));
    expect(blockers).toHaveLength(2);
    expect(blockers[0]!.body).toContain('Unexpected inputs provided: ["scope","brief"]');
    expect(blockers[0]!.body).toContain("declares the inputs issue, batch, attempt, key, base, scope and brief");
    expect(github.dispatches).toEqual([]);
  });

  it("a final pull request without commits (422) leaves the coordination done, without a pull request and without an error; the finish says so", async () => {
    const probot = testProbot();
    const github = new FakeGitHub();
    const events: Array<[string, unknown, string]> = [];
    await coordinate(probot, github, async (name, value, id) => {
      events.push([name, value, id]);
      if (id === "d-api-2") github.noCommits = true;
    });
    const state = stateOf(github);
    expect(state.status).toBe("done");
    expect(state.finalPr).toBeUndefined();
    const final = github.log.filter((entry) => entry.method === "POST" && entry.path === `${R}/pulls`);
    expect(final.map((entry) => entry.status)).toEqual([422]);
    const lookup = github.log.filter((entry) => entry.method === "GET" && entry.path === `${R}/pulls` && entry.query.base === "master");
    expect(lookup.map((entry) => entry.query)).toEqual([{ head: "Codertocat:parallel-coordinator/1", base: "master", state: "open" }]);
    const finish = github.comments.filter((comment) => comment.body.includes("Feature complete"));
    expect(finish).toHaveLength(1);
    expect(finish[0]!.body).not.toContain("Review and merge");
    expect(finish[0]!.body).toContain("- GitHub opened no pull request from `parallel-coordinator/1` into `master`: Validation Failed (No commits between master and parallel-coordinator/1).");
  });

  it("a merge method the repository forbids (405): a blocker that says why", async () => {
    const probot = testProbot();
    const github = new FakeGitHub({ mergeMethods: ["squash"] });
    await deliver(probot, "issues", labeled(), "d-start");
    await deliver(probot, "workflow_run", github.finishRun("pc-1-styles-1", { files: ["frontend/styles/bell.css"], at: at(15) }), "d-styles");
    const state = stateOf(github);
    expect(state.batches.styles!.status).toBe("blocked");
    const blocker = github.comments.find((comment) => comment.body.startsWith("### ⛔ Blocker: Batch 2"))!;
    expect(blocker.body).toContain("GitHub refused to merge the pull request: Merge commits are not allowed on this repository.");
    expect(blocker.body).toContain('merge method "merge"');
    expect(github.pulls[0]!.state).toBe("open");
  });

  it("a pull request that conflicts (405 not mergeable): a blocker naming the files changed on both sides and the owner", async () => {
    const probot = testProbot();
    const github = new FakeGitHub();
    await deliver(probot, "issues", labeled(), "d-start");
    github.take();
    // styles' pull request (#10) and the integration branch both changed bell.css since they parted.
    github.conflicting.add(10);
    github.changed.set("parallel-coordinator/1-frontend", ["frontend/styles/bell.css", "frontend/styles/theme.css"]);
    github.changed.set("parallel-coordinator/1", ["README.md", "frontend/styles/bell.css"]);
    await deliver(probot, "workflow_run", github.finishRun("pc-1-styles-1", { files: ["frontend/styles/bell.css"], at: at(15) }), "d-styles");
    expect(github.take()).toEqual([
      COMMENTS,
      `GET ${R}/pulls`,
      `GET ${R}/pulls/10/files`,
      `POST ${R}/check-runs`,
      `PUT ${R}/pulls/10/merge`,
      `GET ${R}/pulls/10`,
      `GET ${R}/compare/parallel-coordinator%2F1...parallel-coordinator%2F1-frontend`,
      `GET ${R}/compare/parallel-coordinator%2F1-frontend...parallel-coordinator%2F1`,
      `POST ${R}/issues/1/comments`,
      `PATCH ${R}/issues/comments/500`,
    ]);
    const state = stateOf(github);
    expect(state.batches.styles!.status).toBe("blocked");
    expect(state.integrationIssues).toBe(1);
    const blocker = github.comments.find((comment) => comment.body.startsWith("### ⛔ Blocker: Batch 2"))!;
    expect(blocker.body).toContain(
      "> Merge conflict: #10 from parallel-coordinator/1-frontend cannot merge into parallel-coordinator/1. Files changed on both sides: `frontend/styles/bell.css`. " +
        "The owner, the frontend domain, resolves it on parallel-coordinator/1-frontend, then `/approve 2` merges the pull request as it is, or `/retry 2` runs the batch again.",
    );
    expect(github.pulls[0]!.state).toBe("open");
  });

  it("new commits pushed to a pull request after its check-in (409): blocked, not a conflict, and nothing compared", async () => {
    const probot = testProbot();
    const github = new FakeGitHub();
    await deliver(probot, "issues", labeled(), "d-start");
    github.faults.push({ when: ({ method, path }) => method === "PUT" && path === `${R}/pulls/10/merge`, status: 409, body: { message: "Head branch was modified. Review and try the merge again." } });
    await deliver(probot, "workflow_run", github.finishRun("pc-1-styles-1", { files: ["frontend/styles/bell.css"], at: at(15) }), "d-styles");
    expect(github.log.filter((entry) => entry.path.includes("/compare/"))).toEqual([]);
    const state = stateOf(github);
    expect(state.batches.styles!.status).toBe("blocked");
    expect(state.integrationIssues).toBe(0);
    const blocker = github.comments.find((comment) => comment.body.startsWith("### ⛔ Blocker: Batch 2"))!;
    expect(blocker.body).toContain("> New commits arrived on #10 after its check-in, so it was not merged. `/retry 2` runs the batch again on its branch, new commits included, and checks that run in;");
    expect(blocker.body).not.toMatch(/conflict/i);
  });

  it("a domain branch that conflicts when brought up to date (Merges API 409): a blocker naming the files and the owner, no dispatch", async () => {
    const probot = testProbot();
    const github = new FakeGitHub();
    await deliver(probot, "issues", labeled(), "d-start");
    await deliver(probot, "workflow_run", github.finishRun("pc-1-styles-1", { files: ["frontend/styles/bell.css"], at: at(15) }), "d-styles");
    github.take();
    // api's redo must first bring the backend branch up to date with the integration branch, which styles moved.
    github.syncConflicts.add("parallel-coordinator/1-backend");
    github.changed.set("parallel-coordinator/1-backend", ["backend/api/routes.py", "frontend/styles/theme.css"]);
    github.changed.set("parallel-coordinator/1", ["backend/api/routes.py", "frontend/styles/bell.css"]);
    await deliver(probot, "workflow_run", github.finishRun("pc-1-api-1", { files: ["backend/api/routes.py", "frontend/styles/theme.css"], at: at(18) }), "d-api-1");
    const requests = github.take();
    expect(requests.slice(requests.indexOf(`POST ${R}/merges`))).toEqual([
      `POST ${R}/merges`,
      `GET ${R}/compare/parallel-coordinator%2F1-backend...parallel-coordinator%2F1`,
      `GET ${R}/compare/parallel-coordinator%2F1...parallel-coordinator%2F1-backend`,
      `POST ${R}/issues/1/comments`,
      `PATCH ${R}/issues/comments/500`,
    ]);
    expect(requests).not.toContain(DISPATCH);
    const state = stateOf(github);
    expect(state.batches.api!.status).toBe("blocked");
    expect(state.integrationIssues).toBe(1);
    const blocker = github.comments.find((comment) => comment.body.startsWith("### ⛔ Blocker: Batch 1"))!;
    expect(blocker.body).toContain(
      "> Merge conflict: parallel-coordinator/1-backend cannot be brought up to date with parallel-coordinator/1. Files changed on both sides: `backend/api/routes.py`. " +
        "The owner, the backend domain, resolves it on parallel-coordinator/1-backend (merging parallel-coordinator/1 into it), then `/retry 1` runs the batch on it.",
    );
  });
});
