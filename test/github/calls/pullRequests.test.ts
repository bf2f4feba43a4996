import { generateKeyPairSync } from "node:crypto";
import { ProbotOctokit } from "probot";
import { describe, expect, it } from "vitest";
import { ACTIONS_LOGIN, APP_LOGIN, iso } from "../../../src/fakeGitHub/conventions.js";
import { FakeGitHub } from "../../../src/fakeGitHub/fakeGitHub.js";
import { special } from "../../../src/fakeGitHub/gitObjects.js";
import { loadRequestChecker } from "../../../src/fakeGitHub/requestChecker.js";
import {
  evidenceOf,
  listBatchPulls,
  mergeBatch,
  openFinalPullRequest,
} from "../../../src/github/calls/pullRequests.js";
import type { Octokit } from "../../../src/github/calls/githubTypes.js";
import { ReportSchema } from "../../../src/report/reportSchema.js";
import type { Completion } from "../../../src/state/reconcile.js";
import { pullOfRun, type PullRecord } from "../../../src/state/runPull.js";
import { githubApi, useGitHubApi } from "../../helpers/github.js";
import { report, reportMarkdown } from "../../state/support.js";
import { octokit, repo, where } from "../support.js";

useGitHubApi();

const branch = "parallel-coordinator/12-backend";
const base = "parallel-coordinator/12";

/** A pull request from the backend branch as `GET /pulls` lists it. */
function pull(
  number: number,
  state: "open" | "closed",
  body: string,
  merged = false,
  opener = ACTIONS_LOGIN,
): Record<string, unknown> {
  return {
    number,
    state,
    body,
    user: { login: opener, type: "Bot" },
    title: `Batch ${number}`,
    merged_at: merged ? "2026-01-05T09:20:00Z" : null,
    merge_commit_sha: `merge-${number}`,
    head: { ref: branch, sha: `head-${number}`, label: `acme:${branch}` },
    base: { ref: base, sha: "base", label: `acme:${base}` },
  };
}

describe("listBatchPulls", () => {
  it("lists every pull request into the integration branch, newest change first, one page, each with its report when the agent workflow opened it", async () => {
    const api = githubApi()
      .get(`${repo}/pulls`)
      .query({ base, state: "all", sort: "updated", direction: "desc", per_page: "100" })
      .reply(200, [
        pull(505, "open", reportMarkdown(report("ui", 105)), false, "stranger"),
        pull(504, "open", reportMarkdown(report("ui", 104))),
        pull(503, "closed", "No report here.", true),
      ]);
    const pulls = await listBatchPulls(octokit(), where, base, [ACTIONS_LOGIN]);
    api.done();
    expect(pulls).toEqual([
      {
        number: 505,
        head: branch,
        headSha: "head-505",
        open: true,
        merged: false,
        report: {
          ok: false,
          reason: "#505 was opened by @stranger, not by the agent workflow: its description is no report",
        },
      },
      {
        number: 504,
        head: branch,
        headSha: "head-504",
        open: true,
        merged: false,
        report: { ok: true, report: ReportSchema.parse(report("ui", 104)) },
      },
      {
        number: 503,
        head: branch,
        headSha: "head-503",
        open: false,
        merged: true,
        mergedAt: "2026-01-05T09:20:00Z",
        mergeSha: "merge-503",
        report: { ok: false, reason: "no report: the runner's report block is missing" },
      },
    ]);
  });
});

describe("evidenceOf", () => {
  it("of a run without a pull request, only its report, and no request", async () => {
    expect(await evidenceOf(octokit(), where, completion(), { base, symlinks: false })).toEqual({
      report: { ok: false, reason: "none" },
    });
  });
});

/** A finished run's completion as `reconcile` makes it, with its pull request when it has one. */
function completion(pull?: PullRecord): Completion {
  return {
    batch: "model",
    runId: 103,
    at: "2026-01-05T09:20:00Z",
    conclusion: "success",
    minutes: 20,
    ...(pull === undefined ? {} : { pull }),
    report: pull?.report ?? { ok: false, reason: "none" },
  };
}

describe("evidenceOf, on the fake GitHub", () => {
  const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const shop = async () => {
    const github = new FakeGitHub({
      appId: 1,
      publicKey,
      installationId: 2,
      clock: () => iso(Date.UTC(2026, 0, 5, 9)),
    });
    github.checkRequests = await loadRequestChecker();
    const app = github.createRepo({
      owner: "acme",
      name: "app",
      files: { "README.md": "# app\n", ".github/workflows/ci.yml": "on: push\n" },
    });
    github.createRef(app, `refs/heads/${base}`, app.branch("main")!, APP_LOGIN);
    github.createRef(app, `refs/heads/${branch}`, app.branch("main")!, APP_LOGIN);
    const client = new ProbotOctokit({
      auth: { token: github.createToken() },
      request: { fetch: github.fetch },
      retry: { enabled: false },
      throttle: { enabled: false },
    }) as Octokit;
    return { github, app, client };
  };
  /** The evidence of run 103 of `model`, judged on the pull request `pullOfRun` says is its own. */
  const evidence = async (client: Octokit, symlinks = false) => {
    const pulls = await listBatchPulls(client, where, base, [ACTIONS_LOGIN]);
    return evidenceOf(client, where, completion(pullOfRun(pulls, branch, where.issue, "model", 103)), {
      base,
      symlinks,
    });
  };

  it("reads each changed file's mode in the head's tree, a rename's old name, and the report in the body", async () => {
    const { github, app, client } = await shop();
    github.commit(
      app,
      branch,
      {
        "README.md": null,
        "docs/README.md": "# app\n",
        "backend/models/n.py": "n\n",
        "backend/link": special("120000", "../README.md"),
        "backend/lib": special("160000", "b".repeat(40)),
      },
      "work",
      ACTIONS_LOGIN,
    );
    const pull = github.createPull(app, {
      head: branch,
      base,
      title: "Batch",
      body: reportMarkdown(report("model", 103)),
      user: ACTIONS_LOGIN,
    });
    const found = await evidence(client);
    expect(found.pr).toEqual({
      number: pull.number,
      headSha: app.branch(branch),
      files: [
        { path: "backend/lib", mode: "160000" },
        { path: "backend/link", mode: "120000" },
        { path: "backend/models/n.py", mode: "100644" },
        { path: "docs/README.md", previous: "README.md", mode: "100644" },
      ],
      changedFiles: 4,
      merged: false,
    });
    expect(found.report).toMatchObject({ ok: true, report: { batch: "model", run: 103 } });
    // A symlink's target is read only for a scope that allows symlinks, to be judged.
    expect((await evidence(client, true)).pr?.files[1]).toEqual({
      path: "backend/link",
      mode: "120000",
      target: "../README.md",
    });
    expect(github.problems).toEqual([]);
  });

  it("takes no report from a pull request someone else opened from the domain branch, whoever wrote its description", async () => {
    const { github, app, client } = await shop();
    github.commit(app, branch, { "backend/models/n.py": "n\n" }, "work", ACTIONS_LOGIN);
    github.createPull(app, {
      head: branch,
      base,
      title: "Batch",
      body: reportMarkdown(report("model", 103)),
      user: "stranger",
    });
    const found = await evidence(client);
    expect(found.pr?.files).toEqual([{ path: "backend/models/n.py", mode: "100644" }]);
    expect(found.report).toEqual({
      ok: false,
      reason: "#1 was opened by @stranger, not by the agent workflow: its description is no report",
    });
  });

  it("counts the changed files past the 3,000 GitHub lists", async () => {
    const { github, app, client } = await shop();
    github.commit(
      app,
      branch,
      Object.fromEntries(Array.from({ length: 3_001 }, (_, index) => [`backend/${index}.py`, `${index}\n`])),
      "many",
      ACTIONS_LOGIN,
    );
    github.createPull(app, {
      head: branch,
      base,
      title: "Batch",
      body: reportMarkdown(report("model", 103)),
      user: ACTIONS_LOGIN,
    });
    const found = await evidence(client);
    expect(found.pr).toMatchObject({ changedFiles: 3_001 });
    expect(found.pr?.files).toHaveLength(3_000);
  });

  it("finds this run's own pull request already merged (a step that failed after the merge), with the integration branch's head", async () => {
    const { github, app, client } = await shop();
    github.commit(app, branch, { "backend/models/n.py": "n\n" }, "work", ACTIONS_LOGIN);
    const pull = github.createPull(app, {
      head: branch,
      base,
      title: "Batch",
      body: reportMarkdown(report("model", 103)),
      user: ACTIONS_LOGIN,
    });
    const merge = github.mergePull(app, pull, { method: "merge", by: APP_LOGIN });
    const found = await evidence(client);
    expect(found.pr).toMatchObject({
      number: pull.number,
      merged: true,
      baseSha: merge,
      files: [{ path: "backend/models/n.py", mode: "100644" }],
    });
  });
});

describe("mergeBatch", () => {
  const effect = {
    kind: "merge" as const,
    batch: "api",
    pr: 501,
    sha: "head-501",
    title: "Batch 1 of 4: API",
    head: branch,
    base,
  };
  const compare = (basehead: string) => `${repo}/compare/${basehead.replaceAll("/", "%2F")}`;
  const changed = (side: string, files: string[]) => ({
    status: "diverged",
    files: files.map((filename) => ({ sha: `${side}:${filename}`, filename, status: "modified" })),
  });
  /** The pull request as GET answers after a refused merge. */
  const state = (fields: {
    merged?: boolean;
    state?: "open" | "closed";
    mergeable?: boolean | null;
    mergeable_state?: string;
  }) => ({
    ...pull(501, fields.state ?? "open", "", fields.merged === true),
    merged: fields.merged ?? false,
    mergeable: fields.mergeable ?? null,
    mergeable_state: fields.mergeable_state ?? "unknown",
  });

  it("merges with the configured method, only at the checked-in head", async () => {
    const api = githubApi()
      .put(`${repo}/pulls/501/merge`, {
        sha: "head-501",
        merge_method: "squash",
        commit_title: "Batch 1 of 4: API (#501)",
      })
      .reply(200, { sha: "merge-sha", merged: true, message: "Pull Request successfully merged" });
    const event = await mergeBatch(octokit(), where, effect, "squash", "2026-01-05T09:20:00Z");
    api.done();
    expect(event).toEqual({ kind: "merged", at: "2026-01-05T09:20:00Z", batch: "api", sha: "merge-sha" });
  });

  it("a method the repository forbids (405) is a refusal that says why, not a conflict: nothing is compared", async () => {
    const api = githubApi()
      .put(`${repo}/pulls/501/merge`)
      .reply(405, {
        message: "Merge commits are not allowed on this repository.",
        documentation_url: "https://docs.github.com/rest/pulls/pulls#merge-a-pull-request",
      })
      .get(`${repo}/pulls/501`)
      .reply(200, state({ mergeable: true, mergeable_state: "clean" }));
    const event = await mergeBatch(octokit(), where, effect, "merge", "t");
    api.done();
    expect(event).toEqual({
      kind: "mergeRefused",
      at: "t",
      batch: "api",
      cause: "refused",
      reason: 'Merge commits are not allowed on this repository. (HTTP 405; merge method "merge")',
    });
  });

  it("a pull request that cannot merge (405 not mergeable) is a conflict in the files both branches changed since their merge base", async () => {
    const api = githubApi()
      .put(`${repo}/pulls/501/merge`)
      .reply(405, { message: "Pull Request is not mergeable" })
      .get(`${repo}/pulls/501`)
      .reply(200, state({ mergeable: false, mergeable_state: "dirty" }))
      .get(compare(`${base}...${branch}`))
      .reply(200, changed("batch", ["backend/api/routes.py", "backend/api/schemas.py", "backend/db.py"]))
      .get(compare(`${branch}...${base}`))
      .reply(200, changed("integration", ["backend/db.py", "frontend/bell.tsx", "backend/api/routes.py"]));
    const event = await mergeBatch(octokit(), where, effect, "merge", "t");
    api.done();
    expect(event).toEqual({
      kind: "mergeRefused",
      at: "t",
      batch: "api",
      cause: "conflict",
      reason: 'Pull Request is not mergeable (HTTP 405; merge method "merge")',
      files: ["backend/api/routes.py", "backend/db.py"],
    });
  });

  it("a conflict whose comparison GitHub refuses (404) is still a conflict, without files; so is one GitHub has not computed yet", async () => {
    const api = githubApi()
      .put(`${repo}/pulls/501/merge`)
      .reply(405, { message: "Pull Request is not mergeable" })
      .get(`${repo}/pulls/501`)
      .reply(200, state({ mergeable: null }))
      .get(compare(`${base}...${branch}`))
      .reply(404, { message: "Not Found" });
    const event = await mergeBatch(octokit(), where, effect, "merge", "t");
    api.done();
    expect(event).toEqual({
      kind: "mergeRefused",
      at: "t",
      batch: "api",
      cause: "conflict",
      reason: 'Pull Request is not mergeable (HTTP 405; merge method "merge")',
    });
  });

  it("a pull request merged already (by this step before it failed, or by a person) is merged, not refused: the head is the integration branch's", async () => {
    const api = githubApi()
      .put(`${repo}/pulls/501/merge`)
      .reply(405, { message: "Pull Request is not mergeable" })
      .get(`${repo}/pulls/501`)
      .reply(200, state({ merged: true, state: "closed" }))
      .get(`${repo}/git/ref/heads%2Fparallel-coordinator%2F12`)
      .reply(200, {
        ref: `refs/heads/${base}`,
        node_id: "R",
        url: "https://api.github.com/x",
        object: { sha: "integration-head", type: "commit", url: "https://api.github.com/y" },
      });
    const event = await mergeBatch(octokit(), where, effect, "merge", "t");
    api.done();
    expect(event).toEqual({ kind: "merged", at: "t", batch: "api", sha: "integration-head" });
  });

  it("a pull request closed without merging, or held by branch protection, is a refusal that says why, not a conflict", async () => {
    const closed = githubApi()
      .put(`${repo}/pulls/501/merge`)
      .reply(405, { message: "Pull Request is not mergeable" })
      .get(`${repo}/pulls/501`)
      .reply(200, state({ state: "closed" }));
    expect(await mergeBatch(octokit(), where, effect, "merge", "t")).toMatchObject({
      kind: "mergeRefused",
      cause: "refused",
      reason: expect.stringContaining("#501 was closed without merging"),
    });
    closed.done();
    const guarded = githubApi()
      .put(`${repo}/pulls/501/merge`)
      .reply(405, { message: "Pull Request is not mergeable" })
      .get(`${repo}/pulls/501`)
      .reply(200, state({ mergeable: true, mergeable_state: "blocked" }));
    expect(await mergeBatch(octokit(), where, effect, "merge", "t")).toMatchObject({
      kind: "mergeRefused",
      cause: "refused",
      reason: expect.stringContaining("Pull Request is not mergeable"),
    });
    guarded.done();
  });

  it("new commits since the check-in (409 head modified) are not a conflict: nothing is compared, the head it has now is named", async () => {
    const api = githubApi()
      .put(`${repo}/pulls/501/merge`)
      .reply(409, { message: "Head branch was modified. Review and try the merge again." })
      .get(`${repo}/pulls/501`)
      .reply(200, { ...state({}), head: { ref: branch, sha: "head-now", label: `acme:${branch}` } });
    const approval = { comment: 7, by: "alice", sha: "head-501" };
    const event = await mergeBatch(octokit(), where, { ...effect, approval }, "merge", "t");
    api.done();
    expect(event).toEqual({
      kind: "mergeRefused",
      at: "t",
      batch: "api",
      cause: "moved",
      head: "head-now",
      reason: 'Head branch was modified. Review and try the merge again. (HTTP 409; merge method "merge")',
      approval,
    });
  });

  it("a 5xx is not a decision: it fails the step", async () => {
    const api = githubApi().put(`${repo}/pulls/501/merge`).reply(502, { message: "Server Error" });
    await expect(mergeBatch(octokit(), where, effect, "merge", "t")).rejects.toMatchObject({ status: 502 });
    api.done();
  });
});

describe("openFinalPullRequest", () => {
  const effect = {
    kind: "openFinalPullRequest" as const,
    head: base,
    base: "main",
    title: "Feature (#12)",
    body: "Closes #12.",
  };

  it("finds the one already open when GitHub says it exists (422)", async () => {
    const api = githubApi()
      .post(`${repo}/pulls`)
      .reply(422, {
        message: "Validation Failed",
        errors: [
          { resource: "PullRequest", code: "custom", message: `A pull request already exists for acme:${base}.` },
        ],
      })
      .get(`${repo}/pulls`)
      .query({ head: `acme:${base}`, base: "main", state: "open" })
      .reply(200, [pull(600, "open", "Closes #12.")]);
    const event = await openFinalPullRequest(octokit(), where, effect, "t");
    api.done();
    expect(event).toEqual({ kind: "finalPullRequest", at: "t", number: 600 });
  });

  it("with no commits between the branches (422) there is no pull request, and no error: the refusal says why", async () => {
    const api = githubApi()
      .post(`${repo}/pulls`)
      .reply(422, {
        message: "Validation Failed",
        errors: [{ resource: "PullRequest", code: "custom", message: `No commits between main and ${base}` }],
      })
      .get(`${repo}/pulls`)
      .query({ head: `acme:${base}`, base: "main", state: "open" })
      .reply(200, []);
    const event = await openFinalPullRequest(octokit(), where, effect, "t");
    api.done();
    expect(event).toEqual({
      kind: "finalPullRequestRefused",
      at: "t",
      reason: `Validation Failed (No commits between main and ${base})`,
    });
  });
});
