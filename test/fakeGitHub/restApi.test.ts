import { beforeAll, describe, expect, it } from "vitest";
import { ACTIONS_LOGIN, APP_LOGIN } from "../../src/fakeGitHub/conventions.js";
import { special } from "../../src/fakeGitHub/gitObjects.js";
import { createdMatches } from "../../src/fakeGitHub/restApi.js";
import { loadRequestChecker } from "../../src/fakeGitHub/requestChecker.js";
import { inputs, refusal, world } from "./support.js";

describe("the fake GitHub's REST API", () => {
  describe("refs", () => {
    it("creates a branch and refuses one that exists", async () => {
      const { octokit, repo } = world();
      const sha = repo.branch("main")!;
      const created = await octokit.rest.git.createRef({ owner: "acme", repo: "shop", ref: "refs/heads/a/b", sha });
      expect(created.status).toBe(201);
      expect(created.data.object.sha).toBe(sha);
      expect((await octokit.rest.git.getRef({ owner: "acme", repo: "shop", ref: "heads/a/b" })).data.ref).toBe(
        "refs/heads/a/b",
      );

      expect(
        await refusal(octokit.rest.git.createRef({ owner: "acme", repo: "shop", ref: "refs/heads/a/b", sha })),
      ).toEqual({ status: 422, message: "Reference already exists" });
      expect((await refusal(octokit.rest.git.getRef({ owner: "acme", repo: "shop", ref: "heads/nope" }))).status).toBe(
        404,
      );
      expect(
        await refusal(
          octokit.rest.git.createRef({ owner: "acme", repo: "shop", ref: "refs/heads/x", sha: "0".repeat(40) }),
        ),
      ).toEqual({ status: 422, message: "Object does not exist" });
    });
  });

  describe("a commit", () => {
    // "Get a commit" (https://docs.github.com/rest/commits/commits#get-a-commit): by SHA or by a branch's name, with its parents.
    it("is read by SHA or by a branch name that holds a slash, with its parents, and a missing one is 422", async () => {
      const { github, repo, octokit } = world();
      const main = repo.branch("main")!;
      github.createRef(repo, "refs/heads/a/b", main, APP_LOGIN);
      github.commit(repo, "a/b", { "a.txt": "a\n" }, "a", ACTIONS_LOGIN);
      github.commit(repo, "main", { "b.txt": "b\n" }, "b", "maintainer");
      const merged = await octokit.rest.repos.merge({ owner: "acme", repo: "shop", base: "a/b", head: "main" });
      const merge = await octokit.rest.repos.getCommit({ owner: "acme", repo: "shop", ref: merged.data.sha });
      expect(merge.data.parents.map((parent) => parent.sha)).toHaveLength(2);
      expect((await octokit.rest.repos.getCommit({ owner: "acme", repo: "shop", ref: "a/b" })).data.sha).toBe(
        merged.data.sha,
      );
      expect(
        (await refusal(octokit.rest.repos.getCommit({ owner: "acme", repo: "shop", ref: "0".repeat(40) }))).status,
      ).toBe(422);
    });
  });

  // "Get a tree" (https://docs.github.com/rest/git/trees#get-a-tree): by a tree's SHA or a ref; each entry with its mode
  // ("100644 for file (blob), 100755 for executable (blob), 040000 for subdirectory (tree), 160000 for submodule
  // (commit), or 120000 for a blob that specifies the path of a symlink"); with `recursive`, "if `truncated` is `true`
  // in the response then the number of items in the `tree` array exceeded our maximum limit. If you need to fetch
  // more items, use the non-recursive method of fetching trees, and fetch one sub-tree at a time"; "the limit for the
  // `tree` array is 100,000 entries". "Get a blob" (https://docs.github.com/rest/git/blobs#get-a-blob): base64.
  describe("the Git Data API's trees and blobs", () => {
    it("lists each entry with its mode, type and object, folders by their own SHA, and every entry below with recursive", async () => {
      const { github, repo, octokit } = world();
      github.commit(
        repo,
        "main",
        {
          "bin/run": special("100755", "#!/bin/sh\n"),
          "docs/link": special("120000", "../README.md"),
          "vendor/lib": special("160000", "a".repeat(40)),
        },
        "modes",
        ACTIONS_LOGIN,
      );
      const head = repo.branch("main")!;
      const root = (await octokit.rest.git.getTree({ owner: "acme", repo: "shop", tree_sha: head })).data;
      expect(root.truncated).toBe(false);
      expect(root.tree.map(({ path, mode, type }) => [path, mode, type])).toEqual([
        [".github", "040000", "tree"],
        ["README.md", "100644", "blob"],
        ["bin", "040000", "tree"],
        ["docs", "040000", "tree"],
        ["vendor", "040000", "tree"],
      ]);
      const docs = (
        await octokit.rest.git.getTree({
          owner: "acme",
          repo: "shop",
          tree_sha: root.tree.find((item) => item.path === "docs")!.sha!,
        })
      ).data;
      expect(docs.tree).toMatchObject([{ path: "link", mode: "120000", type: "blob", size: 12 }]);
      const all = (await octokit.rest.git.getTree({ owner: "acme", repo: "shop", tree_sha: "main", recursive: "1" }))
        .data.tree;
      expect(all.map(({ path, mode }) => `${mode} ${path}`)).toEqual([
        "040000 .github",
        "040000 .github/workflows",
        "100644 .github/workflows/agent.yml",
        "100644 README.md",
        "040000 bin",
        "100755 bin/run",
        "040000 docs",
        "120000 docs/link",
        "040000 vendor",
        "160000 vendor/lib",
      ]);
      expect(all.find((item) => item.path === "vendor/lib")).toMatchObject({ type: "commit", sha: "a".repeat(40) });
      // A symlink's blob is its target.
      const link = (await octokit.rest.git.getBlob({ owner: "acme", repo: "shop", file_sha: docs.tree[0]!.sha! })).data;
      expect(Buffer.from(link.content, "base64").toString()).toBe("../README.md");
      expect(
        (await refusal(octokit.rest.git.getTree({ owner: "acme", repo: "shop", tree_sha: "f".repeat(40) }))).status,
      ).toBe(404);
    });

    it("stops a recursive list at 100,000 entries and says truncated; the folders one by one list the rest", async () => {
      const { github, repo, octokit } = world();
      github.commit(
        repo,
        "main",
        Object.fromEntries(Array.from({ length: 100_000 }, (_, index) => [`many/${index}.txt`, ""])),
        "many",
        ACTIONS_LOGIN,
      );
      const whole = (await octokit.rest.git.getTree({ owner: "acme", repo: "shop", tree_sha: "main", recursive: "1" }))
        .data;
      expect(whole.truncated).toBe(true);
      expect(whole.tree).toHaveLength(100_000);
      // `.github`, its folder and file, `README.md` and `many` come first: the last five files of `many` are left out.
      expect(whole.tree.filter((item) => item.path!.startsWith("many/"))).toHaveLength(99_995);
      const many = (await octokit.rest.git.getTree({ owner: "acme", repo: "shop", tree_sha: "main" })).data.tree.find(
        (item) => item.path === "many",
      )!;
      const folder = (await octokit.rest.git.getTree({ owner: "acme", repo: "shop", tree_sha: many.sha! })).data;
      expect(folder).toMatchObject({ truncated: false });
      expect(folder.tree).toHaveLength(100_000);
    });
  });

  describe("sub-issues and issue dependencies", () => {
    // https://docs.github.com/rest/issues/sub-issues and https://docs.github.com/rest/issues/issue-dependencies:
    // a sub-issue or a blocking issue is named by its id, not its number; every request is checked against the description.
    const setup = async () => {
      const context = world();
      const { github, repo, octokit } = context;
      github.checkRequests = await loadRequestChecker();
      const [feature, model, api, page] = ["Feature", "Model", "API", "Page"].map((title) =>
        github.createIssue(repo, { title, body: `${title}.`, user: "maintainer" }),
      );
      const id = async (number: number) =>
        (await octokit.rest.issues.get({ owner: "acme", repo: "shop", issue_number: number })).data.id;
      return { ...context, feature: feature!, model: model!, api: api!, page: page!, id };
    };

    it("lists a parent's sub-issues in the order added, 100 a page at most, and names each one's parent", async () => {
      const { github, octokit, feature, model, api, page, id } = await setup();
      const where = { owner: "acme", repo: "shop", issue_number: feature.number };
      for (const child of [model, api, page])
        expect((await octokit.rest.issues.addSubIssue({ ...where, sub_issue_id: await id(child.number) })).status).toBe(
          201,
        );
      const listed = await octokit.rest.issues.listSubIssues({ ...where, per_page: 2 });
      expect(listed.data.map((issue) => issue.title)).toEqual(["Model", "API"]);
      expect(listed.headers.link).toContain('rel="next"');
      expect(
        (await octokit.paginate(octokit.rest.issues.listSubIssues, { ...where, per_page: 100 })).map(
          (issue) => issue.number,
        ),
      ).toEqual([model.number, api.number, page.number]);
      expect(
        (await octokit.rest.issues.getParent({ owner: "acme", repo: "shop", issue_number: api.number })).data.number,
      ).toBe(feature.number);
      expect(
        (await refusal(octokit.rest.issues.getParent({ owner: "acme", repo: "shop", issue_number: feature.number })))
          .status,
      ).toBe(404);
      const parent = await octokit.rest.issues.get(where);
      expect(parent.data.sub_issues_summary).toEqual({ total: 3, completed: 0, percent_completed: 0 });

      await octokit.rest.issues.removeSubIssue({ ...where, sub_issue_id: await id(api.number) });
      expect((await octokit.rest.issues.listSubIssues(where)).data.map((issue) => issue.number)).toEqual([
        model.number,
        page.number,
      ]);
      expect(github.problems).toEqual([]);
    });

    it("refuses a sub-issue of itself, twice, with a parent already (unless replaced), unknown, or the 101st", async () => {
      const { github, repo, octokit, feature, model, api, id } = await setup();
      const where = { owner: "acme", repo: "shop", issue_number: feature.number };
      await octokit.rest.issues.addSubIssue({ ...where, sub_issue_id: await id(model.number) });
      expect(
        (await refusal(octokit.rest.issues.addSubIssue({ ...where, sub_issue_id: await id(feature.number) }))).status,
      ).toBe(422);
      expect(
        (await refusal(octokit.rest.issues.addSubIssue({ ...where, sub_issue_id: await id(model.number) }))).status,
      ).toBe(422);
      expect((await refusal(octokit.rest.issues.addSubIssue({ ...where, sub_issue_id: 999_999 }))).status).toBe(404);
      const other = { owner: "acme", repo: "shop", issue_number: api.number };
      expect(
        (await refusal(octokit.rest.issues.addSubIssue({ ...other, sub_issue_id: await id(model.number) }))).status,
      ).toBe(422);
      await octokit.rest.issues.addSubIssue({ ...other, sub_issue_id: await id(model.number), replace_parent: true });
      expect(
        (await octokit.rest.issues.getParent({ owner: "acme", repo: "shop", issue_number: model.number })).data.number,
      ).toBe(api.number);

      for (let n = 0; n < 100; n++)
        github.addSubIssue(
          repo,
          feature,
          github.createIssue(repo, { title: `Task ${n}`, body: "", user: "maintainer" }),
        );
      const extra = github.createIssue(repo, { title: "One too many", body: "", user: "maintainer" });
      expect(
        await refusal(octokit.rest.issues.addSubIssue({ ...where, sub_issue_id: await id(extra.number) })),
      ).toEqual({
        status: 422,
        message: "Validation Failed: Parent cannot have more than 100 sub-issues",
      });
      expect(github.problems).toEqual([]);
    });

    it("records what an issue is blocked by and what it blocks, and refuses itself or the same twice", async () => {
      const { github, octokit, model, api, page, id } = await setup();
      const on = (issue: { number: number }) => ({ owner: "acme", repo: "shop", issue_number: issue.number });
      expect(
        (await octokit.rest.issues.addBlockedByDependency({ ...on(api), issue_id: await id(model.number) })).status,
      ).toBe(201);
      await octokit.rest.issues.addBlockedByDependency({ ...on(page), issue_id: await id(api.number) });
      await octokit.rest.issues.addBlockedByDependency({ ...on(page), issue_id: await id(model.number) });
      expect((await octokit.rest.issues.listDependenciesBlockedBy(on(page))).data.map((issue) => issue.title)).toEqual([
        "API",
        "Model",
      ]);
      expect((await octokit.rest.issues.listDependenciesBlocking(on(model))).data.map((issue) => issue.title)).toEqual([
        "API",
        "Page",
      ]);
      expect((await octokit.rest.issues.get(on(page))).data.issue_dependencies_summary).toEqual({
        blocked_by: 2,
        blocking: 0,
        total_blocked_by: 2,
        total_blocking: 0,
      });
      expect(
        (await refusal(octokit.rest.issues.addBlockedByDependency({ ...on(page), issue_id: await id(api.number) })))
          .status,
      ).toBe(422);
      expect(
        (await refusal(octokit.rest.issues.addBlockedByDependency({ ...on(page), issue_id: await id(page.number) })))
          .status,
      ).toBe(422);

      await octokit.rest.issues.removeDependencyBlockedBy({ ...on(page), issue_id: await id(model.number) });
      expect((await octokit.rest.issues.listDependenciesBlockedBy(on(page))).data.map((issue) => issue.title)).toEqual([
        "API",
      ]);
      expect(
        (
          await refusal(
            octokit.rest.issues.removeDependencyBlockedBy({ ...on(page), issue_id: await id(model.number) }),
          )
        ).status,
      ).toBe(404);
      expect(github.problems).toEqual([]);
    });
  });

  describe("the Merges API", () => {
    it("answers 201 with a merge commit, 204 when there is nothing to merge, 409 on a conflict", async () => {
      const { github, repo, octokit } = world();
      const main = repo.branch("main")!;
      github.createRef(repo, "refs/heads/feature", main, APP_LOGIN);
      github.commit(repo, "feature", { "a.txt": "feature\n" }, "a", ACTIONS_LOGIN);

      const merged = await octokit.rest.repos.merge({ owner: "acme", repo: "shop", base: "main", head: "feature" });
      expect(merged.status).toBe(201);
      expect(merged.data.parents.map((parent) => parent.sha)).toEqual([main, repo.branch("feature")]);
      expect(repo.tree(repo.branch("main")!).get("a.txt")).toBe("feature\n");

      const again = await octokit.rest.repos.merge({ owner: "acme", repo: "shop", base: "main", head: "feature" });
      expect(again.status as number).toBe(204);

      // The same file changed differently on both sides since their merge base.
      github.commit(repo, "feature", { "a.txt": "one side\n" }, "b", ACTIONS_LOGIN);
      github.commit(repo, "main", { "a.txt": "other side\n" }, "c", "maintainer");
      expect(
        await refusal(octokit.rest.repos.merge({ owner: "acme", repo: "shop", base: "main", head: "feature" })),
      ).toEqual({ status: 409, message: "Merge conflict" });
      // Different files on both sides merge cleanly.
      github.commit(repo, "main", { "a.txt": "one side\n", "b.txt": "main\n" }, "d", "maintainer");
      expect(
        (await octokit.rest.repos.merge({ owner: "acme", repo: "shop", base: "main", head: "feature" })).status,
      ).toBe(201);
      expect(
        (await refusal(octokit.rest.repos.merge({ owner: "acme", repo: "shop", base: "nope", head: "feature" })))
          .status,
      ).toBe(404);
    });
  });

  describe("workflow dispatch", () => {
    it("starts a run and returns its id with return_run_details, 204 without", async () => {
      const { github, octokit } = world();
      const started: number[] = [];
      github.onRunQueued = (_, run) => started.push(run.id);
      const route = "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches";
      const details = await octokit.request(route, {
        owner: "acme",
        repo: "shop",
        workflow_id: "agent.yml",
        ref: "main",
        inputs,
        return_run_details: true,
      });
      expect(details.status as number).toBe(200);
      const id = (details.data as unknown as { workflow_run_id: number }).workflow_run_id;
      expect(started).toEqual([id]);
      const run = (await octokit.rest.actions.getWorkflowRun({ owner: "acme", repo: "shop", run_id: id })).data;
      expect(run).toMatchObject({
        id,
        event: "workflow_dispatch",
        status: "queued",
        head_branch: "main",
        path: ".github/workflows/agent.yml",
        name: "parallel-coordinator agent",
      });
      expect(run.display_title).toContain("pc-1-1-1");

      const plain = await octokit.request(route, {
        owner: "acme",
        repo: "shop",
        workflow_id: "agent.yml",
        ref: "main",
        inputs,
      });
      expect(plain.status).toBe(204);
      expect(started).toHaveLength(2);
    });

    it("refuses values that are not strings, a missing required input, unknown workflows and refs", async () => {
      const { github, octokit } = world();
      github.onRunQueued = () => {
        throw new Error("no run may start");
      };
      const dispatch = (body: Record<string, unknown>, workflow = "agent.yml") =>
        refusal(
          octokit.request("POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches", {
            owner: "acme",
            repo: "shop",
            workflow_id: workflow,
            ref: "main",
            ...body,
          }),
        );
      expect(await dispatch({ inputs: { ...inputs, attempt: 1 } })).toEqual({
        status: 422,
        message: "Invalid request.\n\nFor 'properties/attempt', 1 is not a string.",
      });
      expect(await dispatch({ inputs: { issue: "1" } })).toEqual({
        status: 422,
        message: "Required input 'batch' not provided",
      });
      expect(await dispatch({ inputs, ref: "nope" })).toEqual({ status: 422, message: "No ref found for: nope" });
      expect((await dispatch({ inputs }, "missing.yml")).status).toBe(404);
    });

    it("refuses a dispatch on a ref whose tree lacks the workflow", async () => {
      const { github, repo, octokit } = world();
      github.createRef(repo, "refs/heads/bare", repo.branch("main")!, APP_LOGIN);
      github.commit(repo, "bare", { ".github/workflows/agent.yml": null }, "remove the workflow", "maintainer");
      expect(
        await refusal(
          octokit.request("POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches", {
            owner: "acme",
            repo: "shop",
            workflow_id: "agent.yml",
            ref: "bare",
            inputs,
          }),
        ),
      ).toEqual({ status: 422, message: "Workflow does not have 'workflow_dispatch' trigger" });
    });

    it("lists runs by branch, status and creation time, and cancels only a run that has not finished", async () => {
      const { github, repo, octokit, at } = world();
      github.createRef(repo, "refs/heads/other", repo.branch("main")!, APP_LOGIN);
      const route = "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches";
      await octokit.request(route, { owner: "acme", repo: "shop", workflow_id: "agent.yml", ref: "main", inputs });
      at.minute = 30;
      await octokit.request(route, { owner: "acme", repo: "shop", workflow_id: "agent.yml", ref: "other", inputs });
      const [second, first] = [...repo.runs.values()].reverse();
      github.setRunStatus(repo, first!, "completed", "success");

      const list = async (query: Record<string, string>) =>
        (
          await octokit.rest.actions.listWorkflowRunsForRepo({ owner: "acme", repo: "shop", ...query })
        ).data.workflow_runs.map((run) => run.id);
      expect(await list({})).toEqual([second!.id, first!.id]);
      expect(await list({ branch: "other" })).toEqual([second!.id]);
      expect(await list({ status: "completed" })).toEqual([first!.id]);
      expect(await list({ status: "success" })).toEqual([first!.id]);
      expect(await list({ event: "push" })).toEqual([]);
      expect(await list({ created: ">=2026-01-05T09:15:00Z" })).toEqual([second!.id]);
      const byWorkflow = await octokit.rest.actions.listWorkflowRuns({
        owner: "acme",
        repo: "shop",
        workflow_id: "agent.yml",
        branch: "main",
      });
      expect(byWorkflow.data.total_count).toBe(1);

      expect(
        (await octokit.rest.actions.cancelWorkflowRun({ owner: "acme", repo: "shop", run_id: second!.id })).status,
      ).toBe(202);
      expect(second).toMatchObject({ status: "completed", conclusion: "cancelled", cancelRequested: true });
      expect(
        await refusal(octokit.rest.actions.cancelWorkflowRun({ owner: "acme", repo: "shop", run_id: first!.id })),
      ).toEqual({ status: 409, message: "Cannot cancel a workflow run that is completed." });
    });
  });

  describe("pull requests", () => {
    it("refuses a second pull request for the same head and base", async () => {
      const { github, repo, octokit } = world();
      github.createRef(repo, "refs/heads/work", repo.branch("main")!, APP_LOGIN);
      const create = () =>
        octokit.rest.pulls.create({ owner: "acme", repo: "shop", head: "work", base: "main", title: "Work" });
      github.commit(repo, "work", { "w.txt": "w\n" }, "w", ACTIONS_LOGIN);
      const { data } = await create();
      expect(data).toMatchObject({
        number: 1,
        state: "open",
        head: { ref: "work", sha: repo.branch("work") },
        base: { ref: "main" },
        mergeable: true,
      });
      expect(await refusal(create())).toEqual({
        status: 422,
        message: "Validation Failed: A pull request already exists for acme:work.",
      });
      expect(
        (
          await refusal(
            octokit.rest.pulls.create({ owner: "acme", repo: "shop", head: "nope", base: "main", title: "x" }),
          )
        ).status,
      ).toBe(422);
      const files = await octokit.rest.pulls.listFiles({ owner: "acme", repo: "shop", pull_number: 1 });
      expect(files.data.map((file) => [file.filename, file.status])).toEqual([["w.txt", "added"]]);
    });

    it("filters by head only as owner:branch — a bare branch name is ignored and every pull request comes back", async () => {
      const { github, repo, octokit } = world();
      for (const branch of ["one", "two"]) {
        github.createRef(repo, `refs/heads/${branch}`, repo.branch("main")!, APP_LOGIN);
        github.commit(repo, branch, { [`${branch}.txt`]: branch }, branch, ACTIONS_LOGIN);
        github.createPull(repo, { head: branch, base: "main", title: branch, body: "", user: ACTIONS_LOGIN });
      }
      const numbers = async (query: Record<string, string>) =>
        (await octokit.rest.pulls.list({ owner: "acme", repo: "shop", ...query })).data.map((pull) => pull.number);
      expect(await numbers({ head: "acme:one" })).toEqual([1]);
      expect(await numbers({ head: "two" })).toEqual([2, 1]);
      expect(await numbers({ head: "someone-else:one" })).toEqual([]);
      expect(await numbers({ base: "other" })).toEqual([]);
      expect(await numbers({ state: "closed" })).toEqual([]);
      expect(await numbers({ state: "all", direction: "asc" })).toEqual([1, 2]);
    });

    it("merges with an allowed method, refuses a moved head (409) and a merged pull request (405)", async () => {
      const { github, repo, octokit } = world({ mergeMethods: ["squash"] });
      github.createRef(repo, "refs/heads/work", repo.branch("main")!, APP_LOGIN);
      const head = github.commit(repo, "work", { "w.txt": "w\n" }, "w", ACTIONS_LOGIN).sha;
      github.createPull(repo, { head: "work", base: "main", title: "Work", body: "", user: ACTIONS_LOGIN });
      const merge = (body: { merge_method?: "merge" | "squash" | "rebase"; sha?: string }) =>
        octokit.rest.pulls.merge({ owner: "acme", repo: "shop", pull_number: 1, ...body });

      expect(await refusal(merge({ merge_method: "squash", sha: "f".repeat(40) }))).toEqual({
        status: 409,
        message: "Head branch was modified. Review and try the merge again.",
      });
      const { data } = await merge({ merge_method: "squash", sha: head });
      expect(data).toMatchObject({ merged: true, sha: repo.branch("main") });
      expect(repo.git.get(data.sha)!.parents).toHaveLength(1);
      expect(await refusal(merge({ merge_method: "squash" }))).toEqual({
        status: 405,
        message: "Pull Request is not mergeable",
      });

      const pull = (await octokit.rest.pulls.get({ owner: "acme", repo: "shop", pull_number: 1 })).data;
      expect(pull).toMatchObject({ state: "closed", merged: true, merge_commit_sha: data.sha });
      // A merged pull request keeps its files.
      expect(
        (await octokit.rest.pulls.listFiles({ owner: "acme", repo: "shop", pull_number: 1 })).data.map(
          (file) => file.filename,
        ),
      ).toEqual(["w.txt"]);
    });

    // "List pull requests files" (https://docs.github.com/rest/pulls/pulls#list-pull-requests-files): "Responses include a
    // maximum of 3000 files"; the pull request's `changed_files` counts them all.
    it("lists at most 3,000 files of a pull request, while changed_files counts them all", async () => {
      const { github, repo, octokit } = world();
      github.createRef(repo, "refs/heads/work", repo.branch("main")!, APP_LOGIN);
      github.commit(
        repo,
        "work",
        Object.fromEntries(
          Array.from({ length: 3_005 }, (_, index) => [`many/${String(index).padStart(4, "0")}.txt`, `${index}\n`]),
        ),
        "many",
        ACTIONS_LOGIN,
      );
      github.createPull(repo, { head: "work", base: "main", title: "Many", body: "", user: ACTIONS_LOGIN });
      const listed = await octokit.paginate(octokit.rest.pulls.listFiles, {
        owner: "acme",
        repo: "shop",
        pull_number: 1,
        per_page: 100,
      });
      expect(listed).toHaveLength(3_000);
      expect((await octokit.rest.pulls.get({ owner: "acme", repo: "shop", pull_number: 1 })).data.changed_files).toBe(
        3_005,
      );
    });

    // "Compare two commits" (https://docs.github.com/rest/commits/commits#compare-two-commits): the list of changed files
    // "includes up to 300 changed files for the entire comparison".
    it("compares with at most 300 files listed", async () => {
      const { github, repo, octokit } = world();
      github.createRef(repo, "refs/heads/work", repo.branch("main")!, APP_LOGIN);
      github.commit(
        repo,
        "work",
        Object.fromEntries(
          Array.from({ length: 305 }, (_, index) => [`many/${String(index).padStart(3, "0")}.txt`, `${index}\n`]),
        ),
        "many",
        ACTIONS_LOGIN,
      );
      const compared = (
        await octokit.rest.repos.compareCommitsWithBasehead({ owner: "acme", repo: "shop", basehead: "main...work" })
      ).data;
      expect(compared.files).toHaveLength(300);
    });

    // The file lists of a pull request and of a comparison
    // (https://docs.github.com/rest/commits/commits#compare-two-commits): "files with a `renamed` status have a
    // `previous_filename` field showing the previous filename of the file".
    it("lists a renamed file once, under its new name with its previous one", async () => {
      const { github, repo, octokit } = world();
      github.createRef(repo, "refs/heads/work", repo.branch("main")!, APP_LOGIN);
      github.commit(
        repo,
        "work",
        { "README.md": null, "docs/README.md": "# shop\n", "new.txt": "new\n" },
        "move",
        ACTIONS_LOGIN,
      );
      github.createPull(repo, { head: "work", base: "main", title: "Move", body: "", user: ACTIONS_LOGIN });
      const files = (await octokit.rest.pulls.listFiles({ owner: "acme", repo: "shop", pull_number: 1 })).data;
      expect(files.map((file) => [file.filename, file.status, file.previous_filename])).toEqual([
        ["docs/README.md", "renamed", "README.md"],
        ["new.txt", "added", undefined],
      ]);
      const compared = (
        await octokit.rest.repos.compareCommitsWithBasehead({ owner: "acme", repo: "shop", basehead: "main...work" })
      ).data.files;
      expect(compared?.find((file) => file.status === "renamed")).toMatchObject({
        filename: "docs/README.md",
        previous_filename: "README.md",
      });
    });

    it("refuses to merge a pull request that conflicts with its base", async () => {
      const { github, repo, octokit } = world();
      github.createRef(repo, "refs/heads/work", repo.branch("main")!, APP_LOGIN);
      github.commit(repo, "work", { "README.md": "theirs\n" }, "w", ACTIONS_LOGIN);
      github.createPull(repo, { head: "work", base: "main", title: "Work", body: "", user: ACTIONS_LOGIN });
      github.commit(repo, "main", { "README.md": "ours\n" }, "m", "maintainer");
      expect((await octokit.rest.pulls.get({ owner: "acme", repo: "shop", pull_number: 1 })).data).toMatchObject({
        mergeable: false,
        mergeable_state: "dirty",
      });
      expect(await refusal(octokit.rest.pulls.merge({ owner: "acme", repo: "shop", pull_number: 1 }))).toEqual({
        status: 405,
        message: "Pull Request is not mergeable",
      });
    });

    it("rebases commit by commit", async () => {
      const { github, repo, octokit } = world();
      github.createRef(repo, "refs/heads/work", repo.branch("main")!, APP_LOGIN);
      github.commit(repo, "work", { "a.txt": "a\n" }, "first", ACTIONS_LOGIN);
      github.commit(repo, "work", { "b.txt": "b\n" }, "second", ACTIONS_LOGIN);
      github.commit(repo, "main", { "c.txt": "c\n" }, "main moves", "maintainer");
      github.createPull(repo, { head: "work", base: "main", title: "Work", body: "", user: ACTIONS_LOGIN });
      const { data } = await octokit.rest.pulls.merge({
        owner: "acme",
        repo: "shop",
        pull_number: 1,
        merge_method: "rebase",
      });
      const top = repo.git.get(data.sha)!;
      expect(top.message).toBe("second");
      expect(repo.git.get(top.parents[0]!)!.message).toBe("first");
      expect([...top.tree.keys()].sort()).toEqual([
        ".github/workflows/agent.yml",
        "README.md",
        "a.txt",
        "b.txt",
        "c.txt",
      ]);
    });
  });

  // "Use conditional requests if appropriate" (https://docs.github.com/rest/using-the-rest-api/best-practices-for-using-the-rest-api):
  // "Most endpoints return an etag header … If the data has not changed, you will receive a 304 Not Modified response.
  // Making a conditional request does not count against your primary rate limit if a 304 response is returned and the
  // request was made while correctly authorized with an Authorization header."
  describe("conditional requests", () => {
    const notModified = async (promise: Promise<unknown>) => {
      try {
        await promise;
        return undefined;
      } catch (error) {
        const { status, response } = error as { status: number; response?: { headers: Record<string, string> } };
        return { status, used: response?.headers["x-ratelimit-used"], etag: response?.headers.etag };
      }
    };

    it("answers a GET sent again with its etag 304, free of rate limit, until what it answers changes", async () => {
      const { github, repo, octokit } = world();
      const issue = github.createIssue(repo, { title: "Feature", body: "body", user: "maintainer" });
      const firstComment = github.addComment(repo, issue.number, "maintainer", "first");
      const list = (etag?: string) =>
        octokit.request("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
          owner: "acme",
          repo: "shop",
          issue_number: issue.number,
          ...(etag === undefined ? {} : { headers: { "if-none-match": etag } }),
        });
      const first = await list();
      const etag = first.headers.etag!;
      expect(etag).toMatch(/^W\/"[0-9a-f]+"$/);
      const used = first.headers["x-ratelimit-used"];

      expect(await notModified(list(etag))).toEqual({ status: 304, used, etag });
      expect(github.calls.at(-1)!.status).toBe(304);
      expect(github.rateLimited()).toBe(github.calls.length - 1);

      github.addComment(repo, issue.number, "maintainer", "second");
      const added = await list(etag);
      expect(added.status).toBe(200);
      expect(added.data.map((comment) => comment.body)).toEqual(["first", "second"]);
      expect(added.headers.etag).not.toBe(etag);
      // An edit changes the answer too, and so does a deletion.
      github.editComment(repo, firstComment, "first, edited", "maintainer");
      const edited = await list(added.headers.etag);
      expect(edited.data.map((comment) => comment.body)).toEqual(["first, edited", "second"]);
      github.deleteComment(repo, firstComment, "maintainer");
      expect((await list(edited.headers.etag)).data.map((comment) => comment.body)).toEqual(["second"]);
    });

    it("answers 200 to an etag of another resource, and never 304 to a write or a refusal", async () => {
      const { github, repo, octokit } = world();
      const issue = github.createIssue(repo, { title: "Feature", body: "body", user: "maintainer" });
      const comments = await octokit.rest.issues.listComments({
        owner: "acme",
        repo: "shop",
        issue_number: issue.number,
      });
      const pulls = await octokit.request("GET /repos/{owner}/{repo}/pulls", {
        owner: "acme",
        repo: "shop",
        state: "closed",
        headers: { "if-none-match": 'W/"0000"' },
      });
      expect(pulls.status).toBe(200);
      const posted = await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
        owner: "acme",
        repo: "shop",
        issue_number: issue.number,
        body: "hello",
        headers: { "if-none-match": comments.headers.etag! },
      });
      expect(posted.status).toBe(201);
      expect(
        await notModified(
          octokit.request("GET /repos/{owner}/{repo}/issues/{issue_number}", {
            owner: "acme",
            repo: "shop",
            issue_number: 999,
            headers: { "if-none-match": "*" },
          }),
        ),
      ).toMatchObject({ status: 404 });
    });
  });

  describe("issues and comments", () => {
    it("pages comments with per_page and a Link header, as octokit.paginate follows it", async () => {
      const { github, repo, octokit } = world();
      const issue = github.createIssue(repo, { title: "Feature", body: "body", user: "maintainer" });
      for (let index = 1; index <= 65; index++)
        github.addComment(repo, issue.number, index % 2 === 0 ? "maintainer" : APP_LOGIN, `comment ${index}`);

      const first = await octokit.rest.issues.listComments({
        owner: "acme",
        repo: "shop",
        issue_number: issue.number,
        per_page: 30,
      });
      expect(first.data).toHaveLength(30);
      expect(first.headers.link).toContain('page=2>; rel="next"');
      expect(first.headers.link).toContain('page=3>; rel="last"');
      const third = await octokit.rest.issues.listComments({
        owner: "acme",
        repo: "shop",
        issue_number: issue.number,
        per_page: 30,
        page: 3,
      });
      expect(third.data.map((comment) => comment.body)).toEqual([
        "comment 61",
        "comment 62",
        "comment 63",
        "comment 64",
        "comment 65",
      ]);
      expect(third.headers.link).toContain('rel="prev"');
      expect(third.headers.link).not.toContain('rel="next"');

      const all = await octokit.paginate(octokit.rest.issues.listComments, {
        owner: "acme",
        repo: "shop",
        issue_number: issue.number,
        per_page: 100,
      });
      expect(all).toHaveLength(65);
      expect(all[0]).toMatchObject({ body: "comment 1", user: { login: APP_LOGIN, type: "Bot" } });
      expect(all[1]).toMatchObject({ user: { login: "maintainer", type: "User" }, author_association: "COLLABORATOR" });
      expect(
        (
          await octokit.rest.issues.listComments({
            owner: "acme",
            repo: "shop",
            issue_number: issue.number,
            per_page: 30,
            page: 4,
          })
        ).data,
      ).toEqual([]);
    });

    it("posts as the app's bot, edits in place, reacts once, and refuses a comment on an issue that does not exist", async () => {
      const { github, repo, octokit, at } = world();
      const issue = github.createIssue(repo, { title: "Feature", body: "body", user: "maintainer" });
      const posted = (
        await octokit.rest.issues.createComment({
          owner: "acme",
          repo: "shop",
          issue_number: issue.number,
          body: "hello",
        })
      ).data;
      expect(posted.user).toMatchObject({ login: APP_LOGIN, type: "Bot" });
      at.minute = 5;
      const edited = (
        await octokit.rest.issues.updateComment({
          owner: "acme",
          repo: "shop",
          comment_id: posted.id,
          body: "hello again",
        })
      ).data;
      expect(edited).toMatchObject({
        id: posted.id,
        body: "hello again",
        created_at: "2026-01-05T09:00:00Z",
        updated_at: "2026-01-05T09:05:00Z",
      });
      expect(repo.comments.get(posted.id)!.edits).toBe(1);

      const react = () =>
        octokit.rest.reactions.createForIssueComment({
          owner: "acme",
          repo: "shop",
          comment_id: posted.id,
          content: "eyes",
        });
      expect((await react()).status).toBe(201);
      expect((await react()).status).toBe(200);
      expect(
        (await octokit.rest.issues.getComment({ owner: "acme", repo: "shop", comment_id: posted.id })).data.reactions,
      ).toMatchObject({ eyes: 1, total_count: 1 });

      expect(
        (await refusal(octokit.rest.issues.createComment({ owner: "acme", repo: "shop", issue_number: 99, body: "x" })))
          .status,
      ).toBe(404);

      // "Delete an issue comment" (https://docs.github.com/rest/issues/comments#delete-an-issue-comment): 204, then it is gone.
      expect(
        (await octokit.rest.issues.deleteComment({ owner: "acme", repo: "shop", comment_id: posted.id })).status,
      ).toBe(204);
      expect(repo.comments.has(posted.id)).toBe(false);
      expect(
        (await refusal(octokit.rest.issues.deleteComment({ owner: "acme", repo: "shop", comment_id: posted.id })))
          .status,
      ).toBe(404);
    });

    // "List repository issues" (https://docs.github.com/rest/issues/issues#list-repository-issues).
    it("lists a repository's open issues carrying every label asked for, newest first, pull requests among them", async () => {
      const { github, repo, octokit } = world();
      const first = github.createIssue(repo, {
        title: "One",
        body: "",
        user: "maintainer",
        labels: ["parallel-coordinator"],
      });
      github.createIssue(repo, { title: "Two", body: "", user: "maintainer", labels: ["bug"] });
      const third = github.createIssue(repo, {
        title: "Three",
        body: "",
        user: "maintainer",
        labels: ["parallel-coordinator", "bug"],
      });
      github.createRef(repo, "refs/heads/topic", repo.branch("main")!, "maintainer");
      github.commit(repo, "topic", { "a.txt": "a\n" }, "a", "maintainer");
      github.createPull(repo, { head: "topic", base: "main", title: "Topic", body: "", user: "maintainer" });
      const list = async (labels?: string) =>
        (
          await octokit.paginate(octokit.rest.issues.listForRepo, {
            owner: "acme",
            repo: "shop",
            state: "open",
            ...(labels === undefined ? {} : { labels }),
            per_page: 100,
          })
        ).map((issue) => [issue.number, issue.pull_request !== undefined]);
      expect(await list("parallel-coordinator")).toEqual([
        [third.number, false],
        [first.number, false],
      ]);
      expect(await list("parallel-coordinator,bug")).toEqual([[third.number, false]]);
      expect(await list()).toEqual([
        [4, true],
        [3, false],
        [2, false],
        [1, false],
      ]);
    });

    // "List issue events" (https://docs.github.com/rest/issues/events#list-issue-events).
    it("lists who added and removed each label of an issue, and when, oldest first", async () => {
      const { github, repo, octokit, at } = world();
      const issue = github.createIssue(repo, { title: "One", body: "", user: "maintainer", labels: ["bug"] });
      at.minute = 3;
      github.addLabel(repo, issue, "parallel-coordinator", "reader");
      at.minute = 4;
      github.removeLabel(repo, issue, "parallel-coordinator", "maintainer");
      const events = await octokit.paginate(octokit.rest.issues.listEvents, {
        owner: "acme",
        repo: "shop",
        issue_number: issue.number,
        per_page: 100,
      });
      expect(
        events.map((event) => [
          event.event,
          event.actor?.login,
          "label" in event ? event.label.name : undefined,
          event.created_at,
        ]),
      ).toEqual([
        ["labeled", "maintainer", "bug", "2026-01-05T09:00:00Z"],
        ["labeled", "reader", "parallel-coordinator", "2026-01-05T09:03:00Z"],
        ["unlabeled", "maintainer", "parallel-coordinator", "2026-01-05T09:04:00Z"],
      ]);
    });

    // "Get repository permissions for a user" (https://docs.github.com/rest/collaborators/collaborators#get-repository-permissions-for-a-user):
    // `permission` is admin, write, read or none ("the maintain role is mapped to write and the triage role is mapped
    // to read"); `role_name` names the role itself.
    it("tells each collaborator's permission and role; anyone reads a public repository", async () => {
      const { octokit, repo } = world();
      repo.collaborators.set("triager", "triage");
      const permission = async (username: string) => {
        const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({
          owner: "acme",
          repo: "shop",
          username,
        });
        return [data.permission, data.role_name];
      };
      expect(await permission("maintainer")).toEqual(["write", "write"]);
      expect(await permission("reader")).toEqual(["read", "read"]);
      expect(await permission("triager")).toEqual(["read", "triage"]);
      expect(await permission("acme")).toEqual(["admin", "admin"]);
      expect(await permission("stranger")).toEqual(["none", "none"]);
      repo.private = false;
      expect(await permission("stranger")).toEqual(["read", "read"]);
    });
  });

  describe("contents, checks, compare", () => {
    it("serves files as JSON or raw, 404 for a missing one and for a repository that does not exist", async () => {
      const { octokit } = world();
      const json = await octokit.rest.repos.getContent({ owner: "acme", repo: "shop", path: "README.md" });
      expect(Buffer.from((json.data as { content: string }).content, "base64").toString()).toBe("# shop\n");
      const raw = await octokit.rest.repos.getContent({
        owner: "acme",
        repo: "shop",
        path: "README.md",
        mediaType: { format: "raw" },
      });
      expect(raw.data as unknown).toBe("# shop\n");
      const folder = await octokit.rest.repos.getContent({ owner: "acme", repo: "shop", path: ".github" });
      expect((folder.data as { name: string; type: string }[]).map((entry) => [entry.name, entry.type])).toEqual([
        ["workflows", "dir"],
      ]);
      expect(
        (
          await refusal(
            octokit.rest.repos.getContent({ owner: "acme", repo: "shop", path: ".github/parallel-coordinator.yml" }),
          )
        ).status,
      ).toBe(404);
      expect(
        (
          await refusal(
            octokit.rest.repos.getContent({ owner: "acme", repo: ".github", path: ".github/parallel-coordinator.yml" }),
          )
        ).status,
      ).toBe(404);
      expect((await octokit.rest.repos.get({ owner: "acme", repo: "shop" })).data.default_branch).toBe("main");
    });

    it("creates and updates check runs on a known commit only", async () => {
      const { repo, octokit } = world();
      const head_sha = repo.branch("main")!;
      const created = await octokit.rest.checks.create({
        owner: "acme",
        repo: "shop",
        name: "batch 1",
        head_sha,
        status: "completed",
        conclusion: "success",
        output: { title: "✓", summary: "ok" },
      });
      expect(created.data).toMatchObject({
        status: "completed",
        conclusion: "success",
        output: { title: "✓", summary: "ok" },
      });
      const updated = await octokit.rest.checks.update({
        owner: "acme",
        repo: "shop",
        check_run_id: created.data.id,
        conclusion: "neutral",
      });
      expect(updated.data.conclusion).toBe("neutral");
      expect(
        await refusal(octokit.rest.checks.create({ owner: "acme", repo: "shop", name: "x", head_sha: "0".repeat(40) })),
      ).toEqual({ status: 422, message: `No commit found for SHA: ${"0".repeat(40)}` });
      const annotations = Array.from({ length: 51 }, () => ({
        path: "a",
        start_line: 1,
        end_line: 1,
        annotation_level: "warning" as const,
        message: "m",
      }));
      expect(
        (
          await refusal(
            octokit.rest.checks.create({
              owner: "acme",
              repo: "shop",
              name: "x",
              head_sha,
              output: { title: "t", summary: "s", annotations },
            }),
          )
        ).status,
      ).toBe(422);
    });

    it("compares two branches", async () => {
      const { github, repo, octokit } = world();
      github.createRef(repo, "refs/heads/work", repo.branch("main")!, APP_LOGIN);
      github.commit(repo, "work", { "w.txt": "w\n" }, "w", ACTIONS_LOGIN);
      const ahead = (
        await octokit.rest.repos.compareCommitsWithBasehead({ owner: "acme", repo: "shop", basehead: "main...work" })
      ).data;
      expect(ahead).toMatchObject({ status: "ahead", ahead_by: 1, behind_by: 0 });
      expect(ahead.files?.map((file) => file.filename)).toEqual(["w.txt"]);
      github.commit(repo, "main", { "m.txt": "m\n" }, "m", "maintainer");
      expect(
        (await octokit.rest.repos.compareCommitsWithBasehead({ owner: "acme", repo: "shop", basehead: "main...work" }))
          .data.status,
      ).toBe("diverged");
    });
  });

  describe("requests", () => {
    it("counts every request by its documented route, and records what it cannot answer", async () => {
      const { github, octokit } = world();
      await octokit.rest.repos.get({ owner: "acme", repo: "shop" });
      await refusal(octokit.rest.git.getRef({ owner: "acme", repo: "shop", ref: "heads/nope" }));
      expect(github.calls.map((call) => [call.route, call.status])).toEqual([
        ["GET /repos/{owner}/{repo}", 200],
        ["GET /repos/{owner}/{repo}/git/ref/{ref}", 404],
      ]);
      expect(github.problems).toEqual([]);

      expect((await refusal(octokit.rest.repos.listBranches({ owner: "acme", repo: "shop" }))).message).toMatch(
        /does not implement GET \/repos\/acme\/shop\/branches/,
      );
      await expect(octokit.graphql("query { viewer { login } }")).rejects.toThrow(/no GraphQL/);
      expect(github.problems).toEqual([
        "GET /repos/acme/shop/branches: the fake GitHub does not implement GET /repos/acme/shop/branches",
        "POST /graphql: the app should use the REST API only",
      ]);
    });

    it("wants an installation token, and the app's JWT where GitHub does", async () => {
      const { octokit, as } = world();
      expect(await refusal(as().rest.repos.get({ owner: "acme", repo: "shop" }))).toEqual({
        status: 401,
        message: "Requires authentication",
      });
      expect(await refusal(as("ghs_forged").rest.repos.get({ owner: "acme", repo: "shop" }))).toEqual({
        status: 401,
        message: "Bad credentials",
      });
      expect((await refusal(octokit.rest.apps.getRepoInstallation({ owner: "acme", repo: "shop" }))).status).toBe(401);
      expect((await refusal(octokit.rest.apps.listInstallations())).status).toBe(401);
    });

    // "List installations for the authenticated app" and "List repositories accessible to the app installation".
    it("lists the app's installation to its JWT, and the installation's repositories to its token", async () => {
      const { github, octokit } = world();
      github.createRepo({ owner: "acme", name: "web", files: { "README.md": "# web\n" } });
      const repositories = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, {
        per_page: 100,
      });
      expect(repositories.map((repository) => repository.full_name)).toEqual(["acme/shop", "acme/web"]);
      expect((await octokit.rest.apps.listReposAccessibleToInstallation({ per_page: 1 })).data).toMatchObject({
        total_count: 2,
        repositories: [{ full_name: "acme/shop" }],
      });
    });

    describe("checked against GitHub's REST description", () => {
      let checker: Awaited<ReturnType<typeof loadRequestChecker>>;
      beforeAll(async () => {
        checker = await loadRequestChecker();
      });

      it("refuses a request the description rejects and names unknown routes by it", async () => {
        expect(checker).toBeDefined();
        const { github, repo, octokit } = world();
        github.checkRequests = checker;
        const issue = github.createIssue(repo, { title: "Feature", body: "body", user: "maintainer" });
        await octokit.rest.issues.createComment({
          owner: "acme",
          repo: "shop",
          issue_number: issue.number,
          body: "fine",
        });
        expect(github.problems).toEqual([]);
        const wrong = await refusal(
          octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
            owner: "acme",
            repo: "shop",
            issue_number: issue.number,
            body: 5 as unknown as string,
          }),
        );
        expect(wrong.status).toBe(422);
        expect(github.problems).toEqual([
          "POST /repos/acme/shop/issues/1/comments [/repos/{owner}/{repo}/issues/{issue_number}/comments]: body.body: must be string",
        ]);
        await refusal(octokit.rest.repos.listBranches({ owner: "acme", repo: "shop" }));
        expect(github.calls.at(-1)!.route).toBe("GET /repos/{owner}/{repo}/branches");
      });
    });
  });
});

describe("createdMatches", () => {
  it("reads GitHub's date qualifiers", () => {
    const at = "2026-01-05T09:30:00Z";
    expect(createdMatches(">=2026-01-05T09:30:00Z", at)).toBe(true);
    expect(createdMatches(">2026-01-05T09:30:00Z", at)).toBe(false);
    expect(createdMatches("<2026-01-06", at)).toBe(true);
    expect(createdMatches("<=2026-01-04", at)).toBe(false);
    expect(createdMatches("2026-01-05", at)).toBe(true);
    expect(createdMatches("2026-01-01..2026-01-05", at)).toBe(true);
    expect(createdMatches("2026-01-06..*", at)).toBe(false);
    expect(createdMatches("*..2026-01-05T09:00:00Z", at)).toBe(false);
  });
});
