/**
 * A feature issue whose work lives in its sub-issues: no breakdown in its
 * body, each sub-issue a task, GitHub's "blocked by" links its dependencies.
 */
import { describe, expect, it } from "vitest";
import { useGitHubApi } from "../helpers/github.js";
import { MAINTAINER, World, deliver, useWorlds } from "./world.js";

useGitHubApi();
useWorlds();

const T0 = "2026-01-05T09:00:00Z";

/** The feature and its sub-issues: #2 model (backend), #3 API blocked by #2, #4 page (frontend) blocked by #3, #5 docs closed. */
function feature(apiBody = "- **Time:** 20 min\n- **Files:** `backend/api.py`", modelAuthor = MAINTAINER) {
  const world = new World({ body: "Search for saved items. The work is in the sub-issues." });
  const { github, repo } = world;
  const open = (title: string, body: string, labels: string[] = [], user = MAINTAINER) => {
    const issue = github.createIssue(repo, { title, body, user, labels });
    github.addSubIssue(repo, world.issue, issue);
    return issue;
  };
  const model = open(
    "Search model",
    "Time: 20 min\nFiles: `backend/models.py`\nAcceptance:\n- ✅ `make migrate` passes",
    ["domain:backend"],
    modelAuthor,
  );
  const api = open("Search API", apiBody, ["domain:backend"]);
  const page = open("Search page", "Domain: frontend\nTime: 20 min\nFiles: `frontend/search.tsx`");
  const docs = open("Docs", "Domain: docs\nTime: 20 min");
  docs.state = "closed";
  github.addBlockedBy(api, model);
  github.addBlockedBy(page, api);
  return { world, model, api, page };
}

describe("a feature issue planned from its sub-issues", () => {
  it("plans each open sub-issue as a task in the order of its blocked-by links, and runs that plan", async () => {
    const { world } = feature();
    const probot = world.probot();
    await deliver(probot, world.labeled(T0));
    expect(world.github.problems).toEqual([]);
    const state = world.state();
    expect(Object.keys(state.batches)).toEqual(["2", "3", "4"]);
    // Only the model is ready: the API is blocked by it, the page by the API.
    expect(world.dispatches().map((run) => run.inputs.key)).toEqual(["pc-1-2-1"]);
    expect(world.dashboardText()).toContain("Search model");
    expect(
      world.github.calls.some(
        (call) => call.route === "GET /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by",
      ),
    ).toBe(true);

    // Later events run the plan the state pinned, without reading the sub-issues again.
    const since = world.github.calls.length;
    await deliver(
      probot,
      world.finishRun(world.dispatchOf("2"), {
        started: T0,
        at: "2026-01-05T09:18:00Z",
        files: ["backend/models.py"],
        conclusion: "success",
      }),
    );
    expect(world.state().batches["2"]!.status).toBe("accepted");
    expect(world.dispatches().map((run) => run.inputs.key)).toEqual(["pc-1-2-1", "pc-1-3-1"]);
    expect(world.github.calls.slice(since).some((call) => call.route.includes("sub_issues"))).toBe(false);
  });

  it("runs a sub-issue's acceptance commands only when its author may command: a stranger's are checks for the agent", async () => {
    const trusted = feature();
    await deliver(trusted.world.probot(), trusted.world.labeled(T0));
    expect(trusted.world.dispatchOf("2").inputs.brief).toContain("- `make migrate` passes\n");
    expect(trusted.world.state().commandsWithheld).toBeUndefined();

    const { world } = feature(undefined, "stranger");
    await deliver(world.probot(), world.labeled(T0));
    expect(world.dispatchOf("2").inputs.brief).toContain(
      "- `make migrate` passes (a check for you: the runner does not run it)",
    );
    expect(world.state().commandsWithheld).toEqual({ author: "stranger" });
  });

  it("refuses a sub-issue whose body is wrong, naming it and the line in its body", async () => {
    const { world, api } = feature("- **Time:** soon");
    await deliver(world.probot(), world.labeled(T0));
    expect(world.dispatches()).toEqual([]);
    const refusal = world.appComments().find((comment) => comment.body.includes("cannot plan this issue"))!.body;
    expect(refusal).toContain(`Task #${api.number}, line 1, field "Estimate": expected minutes or hours`);
  });

  it("a body with a breakdown is planned from the body, and the sub-issues are not read", async () => {
    const { world } = feature();
    world.github.editIssue(world.repo, world.issue, "### 1. Everything\nDomain: backend\nTime: 20 min\n", MAINTAINER);
    await deliver(world.probot(), world.labeled(T0));
    expect(Object.keys(world.state().batches)).toEqual(["1"]);
    expect(world.github.calls.some((call) => call.route.includes("sub_issues"))).toBe(false);
  });
});
