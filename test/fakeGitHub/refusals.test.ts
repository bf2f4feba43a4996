/**
 * What GitHub refuses beyond its REST description, as the fake refuses it.
 * These tests run without the description (the fake checks requests against
 * it only when asked), so each refusal is the fake's own: an installed
 * package, which has no description, refuses them all the same.
 */
import { describe, expect, it } from "vitest";
import { ACTIONS_LOGIN, APP_LOGIN } from "../../src/fakeGitHub/conventions.js";
import { DISPATCH, inputs, refusal, world } from "./support.js";

const shop = { owner: "acme", repo: "shop" };

describe("what GitHub refuses beyond its REST description", () => {
  // git keeps refs as files, so a ref cannot sit beside a folder of refs of the same name
  // (https://git-scm.com/docs/git-check-ref-format); GitHub answers "Create a reference"
  // (https://docs.github.com/rest/git/refs#create-a-reference) with 422 "Reference update failed".
  it("a ref beside a folder of refs, either way round (422)", async () => {
    const { repo, octokit } = world();
    const sha = repo.branch("main")!;
    expect((await octokit.rest.git.createRef({ ...shop, ref: "refs/heads/a/b", sha })).status).toBe(201);
    expect(await refusal(octokit.rest.git.createRef({ ...shop, ref: "refs/heads/a", sha }))).toEqual({
      status: 422,
      message: "Reference update failed",
    });
    expect(await refusal(octokit.rest.git.createRef({ ...shop, ref: "refs/heads/a/b/c", sha }))).toEqual({
      status: 422,
      message: "Reference update failed",
    });
    expect((await octokit.rest.git.createRef({ ...shop, ref: "refs/heads/a-b", sha })).status).toBe(201);
  });

  // "Create a workflow dispatch event" (https://docs.github.com/rest/actions/workflows#create-a-workflow-dispatch-event):
  // "Input keys and values configured in the workflow file. The maximum number of properties is 25."
  // Workflow syntax (https://docs.github.com/actions/reference/workflows-and-actions/workflow-syntax#onworkflow_dispatchinputs):
  // "The maximum payload for inputs is 65,535 characters." An input the workflow does not declare is refused
  // with 422 "Unexpected inputs provided".
  it("a dispatch with undeclared inputs, over 25 inputs or over 65,535 characters of them (422), and no run starts", async () => {
    const many = Object.fromEntries(Array.from({ length: 26 }, (_, index) => [`input${index}`, "x"]));
    const declared = `on:\n  workflow_dispatch:\n    inputs:\n${Object.keys(many)
      .map((name) => `      ${name}: { required: false }\n`)
      .join("")}`;
    const { github, repo, octokit } = world({ files: { ".github/workflows/wide.yml": declared } });
    github.onRunQueued = () => {
      throw new Error("no run may start");
    };
    const dispatch = (workflow: string, given: Record<string, string>) =>
      refusal(octokit.request(DISPATCH, { ...shop, workflow_id: workflow, ref: "main", inputs: given }));
    expect(await dispatch("agent.yml", { ...inputs, profile: "claude" })).toEqual({
      status: 422,
      message: 'Unexpected inputs provided: ["profile"]',
    });
    expect((await dispatch("wide.yml", many)).status).toBe(422);
    expect(await dispatch("agent.yml", { ...inputs, brief: "x".repeat(65_535) })).toEqual({
      status: 422,
      message: "inputs are too large.",
    });
    expect([...repo.runs.values()]).toEqual([]);
    // 25 inputs, and 65,535 characters in all, are allowed.
    github.onRunQueued = undefined;
    const { input25: _dropped, ...twentyFive } = many;
    expect(
      (await octokit.request(DISPATCH, { ...shop, workflow_id: "wide.yml", ref: "main", inputs: twentyFive })).status,
    ).toBe(204);
    const room =
      65_535 -
      Object.entries(inputs).reduce(
        (sum, [name, value]) => sum + name.length + (name === "brief" ? 0 : value.length),
        0,
      );
    expect(
      (
        await octokit.request(DISPATCH, {
          ...shop,
          workflow_id: "agent.yml",
          ref: "main",
          inputs: { ...inputs, brief: "x".repeat(room) },
        })
      ).status,
    ).toBe(204);
  });

  // "Create a pull request" (https://docs.github.com/rest/pulls/pulls#create-a-pull-request) answers 422
  // "Validation Failed" when the head has no commits the base lacks.
  it("a pull request without commits (422)", async () => {
    const { github, repo, octokit } = world();
    github.createRef(repo, "refs/heads/work", repo.branch("main")!, APP_LOGIN);
    expect(await refusal(octokit.rest.pulls.create({ ...shop, head: "work", base: "main", title: "Work" }))).toEqual({
      status: 422,
      message: "Validation Failed: No commits between main and work",
    });
  });

  // "Merge a pull request" (https://docs.github.com/rest/pulls/pulls#merge-a-pull-request): 405 "if merge cannot be
  // performed"; a repository allows some merge methods only
  // (https://docs.github.com/repositories/configuring-branches-and-merges-in-your-repository/configuring-pull-request-merges).
  it("a merge method the repository forbids (405)", async () => {
    const { github, repo, octokit } = world({ mergeMethods: ["squash"] });
    github.createRef(repo, "refs/heads/work", repo.branch("main")!, APP_LOGIN);
    github.commit(repo, "work", { "w.txt": "w\n" }, "w", ACTIONS_LOGIN);
    github.createPull(repo, { head: "work", base: "main", title: "Work", body: "", user: ACTIONS_LOGIN });
    expect(await refusal(octokit.rest.pulls.merge({ ...shop, pull_number: 1, merge_method: "merge" }))).toEqual({
      status: 405,
      message: "Merge commits are not allowed on this repository.",
    });
    expect(await refusal(octokit.rest.pulls.merge({ ...shop, pull_number: 1, merge_method: "rebase" }))).toEqual({
      status: 405,
      message: "Rebase merges are not allowed on this repository.",
    });
    expect((await octokit.rest.pulls.merge({ ...shop, pull_number: 1, merge_method: "squash" })).data.merged).toBe(
      true,
    );
  });

  // An issue's, a pull request's or a comment's body holds at most 65,536 characters; GitHub answers 422
  // "body is too long (maximum is 65536 characters)" ("Create an issue comment",
  // https://docs.github.com/rest/issues/comments#create-an-issue-comment).
  it("a body over 65,536 characters: a comment's, posted or edited, and a pull request's (422)", async () => {
    const { github, repo, octokit } = world();
    const issue = github.createIssue(repo, { title: "Feature", body: "body", user: "maintainer" });
    const longest = "x".repeat(65_536);
    const tooLong = `${longest}x`;
    const posted = (await octokit.rest.issues.createComment({ ...shop, issue_number: issue.number, body: longest }))
      .data;
    expect(
      await refusal(octokit.rest.issues.createComment({ ...shop, issue_number: issue.number, body: tooLong })),
    ).toEqual({ status: 422, message: "Validation Failed: body is too long (maximum is 65536 characters)" });
    expect(
      (await refusal(octokit.rest.issues.updateComment({ ...shop, comment_id: posted.id, body: tooLong }))).status,
    ).toBe(422);
    github.createRef(repo, "refs/heads/work", repo.branch("main")!, APP_LOGIN);
    github.commit(repo, "work", { "w.txt": "w\n" }, "w", ACTIONS_LOGIN);
    expect(
      (await refusal(octokit.rest.pulls.create({ ...shop, head: "work", base: "main", title: "Work", body: tooLong })))
        .status,
    ).toBe(422);
    const pull = (
      await octokit.rest.pulls.create({ ...shop, head: "work", base: "main", title: "Work", body: longest })
    ).data;
    expect(
      (await refusal(octokit.rest.pulls.update({ ...shop, pull_number: pull.number, body: tooLong }))).status,
    ).toBe(422);
    expect(() => github.createIssue(repo, { title: "Too long", body: tooLong, user: "maintainer" })).toThrow(
      "Validation Failed",
    );
  });

  // "Create a check run" (https://docs.github.com/rest/checks/runs#create-a-check-run): "A maximum of three actions
  // are accepted"; an action's label and identifier: "The maximum size is 20 characters", its description: 40.
  it("a check run with more than 3 actions, or an action's label or identifier over 20 characters or its description over 40 (422)", async () => {
    const { repo, octokit } = world();
    const head_sha = repo.branch("main")!;
    const action = { label: "l".repeat(20), description: "d".repeat(40), identifier: "i".repeat(20) };
    const create = (actions: (typeof action)[]) =>
      octokit.rest.checks.create({
        ...shop,
        name: "batch 1",
        head_sha,
        status: "completed",
        conclusion: "success",
        actions,
      });
    expect((await refusal(create([action, action, action, action]))).status).toBe(422);
    for (const longer of [{ label: "l".repeat(21) }, { description: "d".repeat(41) }, { identifier: "i".repeat(21) }]) {
      expect((await refusal(create([{ ...action, ...longer }]))).status, Object.keys(longer)[0]).toBe(422);
    }
    const created = await create([action, action, action]);
    expect(created.status).toBe(201);
    expect([...repo.checkRuns.values()].map((run) => run.actions)).toEqual([[action, action, action]]);
  });
});
