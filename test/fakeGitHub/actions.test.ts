/**
 * Workflow runs in the fake GitHub follow the rules of Actions: what starts a
 * run (and what a GITHUB_TOKEN cannot start), and how concurrency groups queue
 * and cancel runs.
 */
import { describe, expect, it } from "vitest";
import { ACTIONS_LOGIN, APP_LOGIN } from "../../src/fakeGitHub/conventions.js";
import type { Repo, WorkflowRun } from "../../src/fakeGitHub/repository.js";
import { DISPATCH, inputs, refusal, world } from "./support.js";

const shop = { owner: "acme", repo: "shop" };
const CI = "name: ci\non: [push, pull_request]\njobs: {}\n";

/** The runs of a workflow, as `[event, status, conclusion]`. */
function runsOf(repo: Repo, path: string): Array<[string, string, string | null]> {
  return [...repo.runs.values()]
    .filter((run) => run.path === path)
    .map((run) => [run.event, run.status, run.conclusion]);
}

describe("what starts a workflow run", () => {
  // "Triggering a workflow from a workflow" (https://docs.github.com/actions/how-tos/write-workflows/choose-when-workflows-run/trigger-a-workflow#triggering-a-workflow-from-a-workflow):
  // "events triggered by the GITHUB_TOKEN, with the exception of workflow_dispatch and repository_dispatch, will not
  // create a new workflow run."
  it("a push or a pull request made with a GITHUB_TOKEN starts none; the same with the app's token does; a GITHUB_TOKEN's dispatch does", async () => {
    const { github, repo, octokit, as } = world({ files: { ".github/workflows/ci.yml": CI } });
    const actions = as(github.actionsToken());
    const main = repo.branch("main")!;

    // A GITHUB_TOKEN: a branch, a commit pushed, a pull request; no run.
    await actions.rest.git.createRef({ ...shop, ref: "refs/heads/by-actions", sha: main });
    github.commit(repo, "by-actions", { "a.txt": "a\n" }, "a", ACTIONS_LOGIN);
    const pull = await actions.rest.pulls.create({ ...shop, head: "by-actions", base: "main", title: "By Actions" });
    expect(pull.data.user).toMatchObject({ login: ACTIONS_LOGIN });
    expect(runsOf(repo, ".github/workflows/ci.yml")).toEqual([]);

    // The app's installation token: the branch's push runs, then its pull request's.
    await octokit.rest.git.createRef({ ...shop, ref: "refs/heads/by-app", sha: main });
    github.commit(repo, "by-app", { "b.txt": "b\n" }, "b", ACTIONS_LOGIN);
    await octokit.rest.pulls.create({ ...shop, head: "by-app", base: "main", title: "By the app" });
    expect(runsOf(repo, ".github/workflows/ci.yml")).toEqual([
      ["push", "queued", null],
      ["pull_request", "queued", null],
    ]);

    // A person's push to a branch with an open pull request: a push run and a pull_request run.
    github.commit(repo, "by-app", { "c.txt": "c\n" }, "c", "maintainer");
    expect(runsOf(repo, ".github/workflows/ci.yml")).toHaveLength(4);

    // A GITHUB_TOKEN's dispatch does start a run, as github-actions[bot].
    expect((await actions.request(DISPATCH, { ...shop, workflow_id: "agent.yml", ref: "main", inputs })).status).toBe(
      204,
    );
    expect([...repo.runs.values()].at(-1)).toMatchObject({
      event: "workflow_dispatch",
      actor: ACTIONS_LOGIN,
      status: "queued",
    });
  });
});

describe("concurrency groups", () => {
  const deploy = (cancelInProgress: boolean) =>
    `name: deploy\non:\n  workflow_dispatch:\n    inputs:\n      target: { required: true }\nconcurrency:\n  group: deploy-\${{ inputs.target }}\n  cancel-in-progress: ${cancelInProgress}\njobs: {}\n`;

  // "Control the concurrency of workflows and jobs" (https://docs.github.com/actions/how-tos/write-workflows/choose-what-workflows-do/control-workflow-concurrency):
  // "there can be at most one running and one pending job in a concurrency group at any time. When a concurrent job
  // or workflow is queued, if another job or workflow using the same concurrency group in the repository is in
  // progress, the queued job or workflow will be pending. Any existing pending job or workflow in the same
  // concurrency group, if it exists, will be canceled"; "The concurrency group name is case insensitive."
  it("hold one running and one pending run: a newer pending run cancels the older; the pending one starts when the group frees", () => {
    const { github, repo, sent } = world({ files: { ".github/workflows/deploy.yml": deploy(false) } });
    const queued: number[] = [];
    github.onRunQueued = (_, run) => queued.push(run.id);
    const workflow = repo.workflows().find((candidate) => candidate.name === "deploy")!;
    const dispatch = (target: string) => github.dispatch(repo, workflow, "main", { target }, APP_LOGIN);
    const first = dispatch("prod");
    const second = dispatch("Prod");
    const other = dispatch("staging");
    expect([first.status, second.status, other.status]).toEqual(["queued", "pending", "queued"]);
    const third = dispatch("prod");
    expect(second).toMatchObject({ status: "completed", conclusion: "cancelled" });
    expect(third.status).toBe("pending");
    const completed = sent.flatMap((delivery) =>
      delivery.name === "workflow_run" && delivery.payload.action === "completed"
        ? [delivery.payload.workflow_run.id]
        : [],
    );
    expect(completed).toEqual([second.id]);

    github.setRunStatus(repo, first, "in_progress");
    github.setRunStatus(repo, first, "completed", "success");
    expect(third.status).toBe("queued");
    expect(queued).toEqual([first.id, other.id, third.id]);
  });

  it("with cancel-in-progress, a new run cancels the running one and starts after it", () => {
    const { github, repo } = world({ files: { ".github/workflows/deploy.yml": deploy(true) } });
    const workflow = repo.workflows().find((candidate) => candidate.name === "deploy")!;
    const running: WorkflowRun = github.dispatch(repo, workflow, "main", { target: "prod" }, APP_LOGIN);
    github.setRunStatus(repo, running, "in_progress");
    const newer = github.dispatch(repo, workflow, "main", { target: "prod" }, APP_LOGIN);
    expect(running).toMatchObject({ status: "completed", conclusion: "cancelled", cancelRequested: true });
    expect(newer.status).toBe("queued");
  });
});

describe("cancelling a run", () => {
  // "Cancel a workflow run" (https://docs.github.com/rest/actions/workflow-runs#cancel-a-workflow-run): 409 Conflict
  // for a run that has finished.
  it("ends a run that has not finished as cancelled, and refuses one that has (409)", async () => {
    const { github, repo, octokit } = world();
    const run = github.dispatch(repo, repo.workflows()[0]!, "main", inputs, APP_LOGIN);
    expect((await octokit.rest.actions.cancelWorkflowRun({ ...shop, run_id: run.id })).status).toBe(202);
    expect(run).toMatchObject({ status: "completed", conclusion: "cancelled" });
    expect(await refusal(octokit.rest.actions.cancelWorkflowRun({ ...shop, run_id: run.id }))).toEqual({
      status: 409,
      message: "Cannot cancel a workflow run that is completed.",
    });
  });
});
