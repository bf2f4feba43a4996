/**
 * The Actions bot's workflows in the fake GitHub: the coordinator workflow
 * `init` writes, started by issues, comments, the agent's finished runs, a
 * dispatch and the schedule, by the rules of Actions.
 */
import { describe, expect, it } from "vitest";
import { ACTIONS_LOGIN, APP_LOGIN } from "../../src/fakeGitHub/conventions.js";
import type { FakeGitHub } from "../../src/fakeGitHub/fakeGitHub.js";
import type { Repo, WorkflowRun } from "../../src/fakeGitHub/repository.js";
import { actionsAgentWorkflow, coordinatorWorkflow } from "../../src/onboarding/actionsFiles.js";
import { inputs, world } from "./support.js";

const COORDINATOR = ".github/workflows/parallel-coordinator.yml";

/** A world with init's two workflows. */
function actionsWorld(options: { workflowRunAfterTokenDispatch?: "fires" | "silent" } = {}) {
  const made = world({
    files: { ".github/workflows/agent.yml": actionsAgentWorkflow(), [COORDINATOR]: coordinatorWorkflow() },
  });
  if (options.workflowRunAfterTokenDispatch !== undefined)
    Object.assign(made.github, { workflowRunAfterTokenDispatch: options.workflowRunAfterTokenDispatch });
  return made;
}

/** The coordinator's runs, as `[event, status, conclusion, group]`. */
function coordinatorRuns(repo: Repo): Array<[string, string, string | null, string | undefined]> {
  return [...repo.runs.values()]
    .filter((run) => run.path === COORDINATOR)
    .map((run) => [run.event, run.status, run.conclusion, run.group]);
}

function agentRun(github: FakeGitHub, repo: Repo, issue: string, actor: string): WorkflowRun {
  const agent = repo.workflows().find((workflow) => workflow.path === ".github/workflows/agent.yml")!;
  return github.dispatch(repo, agent, "main", { ...inputs, issue, key: `pc-${issue}-api-1` }, actor);
}

describe("the coordinator workflow in the fake GitHub", () => {
  // "Triggering a workflow from a workflow": what a GITHUB_TOKEN causes starts no run, so the bot's own comments never start it.
  it("runs for a person's label and command on an issue, in the issue's group; not for the bot's own comment", () => {
    const { github, repo } = actionsWorld();
    const issue = github.createIssue(repo, { title: "Feature", body: "", user: "maintainer" });
    github.addLabel(repo, issue, "parallel-coordinator", "maintainer");
    github.addComment(repo, issue.number, "maintainer", "/status");
    github.addComment(repo, issue.number, ACTIONS_LOGIN, "### Dashboard\n/pause is a command");
    expect(coordinatorRuns(repo)).toEqual([
      // Opened without the label: the job's `if:` skips it, and it takes no place in the group.
      ["issues", "completed", "skipped", undefined],
      ["issues", "queued", null, "parallel-coordinator-1"],
      ["issue_comment", "pending", null, "parallel-coordinator-1"],
    ]);
  });

  it("skips what concerns no coordination: another label, a comment without a command, a pull request's comment, an issue opened without the label", () => {
    const { github, repo } = actionsWorld();
    const issue = github.createIssue(repo, { title: "Bug", body: "", user: "maintainer", labels: ["bug"] });
    github.addComment(repo, issue.number, "maintainer", "see https://example.com/a/b");
    github.addComment(repo, issue.number, "maintainer", "first line\n  indented /not a command start");
    expect(coordinatorRuns(repo).map(([event, , conclusion]) => [event, conclusion])).toEqual([
      ["issues", "skipped"],
      ["issues", "skipped"],
      ["issue_comment", "skipped"],
      ["issue_comment", "skipped"],
    ]);
  });

  it("runs for a person's close of a batch's sub-issue (the mirror's marker), in the sub-issue's group; not a bot's, not another issue's", () => {
    const { github, repo } = actionsWorld();
    const marker = "Batch 1 of 2 of #1.\n\n<!-- parallel-coordinator:mirror 1 api -->";
    const sub = github.createIssue(repo, { title: "[#1] Batch 1 of 2: API", body: marker, user: ACTIONS_LOGIN });
    const other = github.createIssue(repo, { title: "Bug", body: "", user: "maintainer" });
    const byBot = github.createIssue(repo, { title: "[#1] Batch 2 of 2: UI", body: marker, user: ACTIONS_LOGIN });
    const before = coordinatorRuns(repo).length;
    github.closeIssue(repo, sub, "maintainer");
    github.closeIssue(repo, other, "maintainer");
    github.closeIssue(repo, byBot, APP_LOGIN);
    expect(coordinatorRuns(repo).slice(before)).toEqual([
      ["issues", "queued", null, `parallel-coordinator-${sub.number}`],
      ["issues", "completed", "skipped", undefined],
      ["issues", "completed", "skipped", undefined],
    ]);
  });

  it("runs when an agent run ends without its nudge (cancelled), in the group of the issue its JSON name holds; one that nudged is skipped", () => {
    const { github, repo } = actionsWorld();
    const run = agentRun(github, repo, "7", APP_LOGIN);
    expect(run.displayTitle).toBe('{"issue":7,"key":"pc-7-api-1"}');
    github.setRunStatus(repo, run, "in_progress");
    expect(coordinatorRuns(repo)).toEqual([]);
    github.cancelRun(repo, run);
    const succeeded = agentRun(github, repo, "7", APP_LOGIN);
    github.setRunStatus(repo, succeeded, "in_progress");
    github.setRunStatus(repo, succeeded, "completed", "success");
    expect(coordinatorRuns(repo)).toEqual([
      ["workflow_run", "queued", null, "parallel-coordinator-7"],
      ["workflow_run", "completed", "skipped", undefined],
    ]);
  });

  // GitHub's docs list no exception for workflow_run, but a field report says a run a GITHUB_TOKEN dispatched sent none.
  it("runs when a run a GITHUB_TOKEN dispatched completes, or not, as the fake is told to play it", () => {
    for (const [setting, expected] of [
      ["fires", 1],
      ["silent", 0],
    ] as const) {
      const { github, repo } = actionsWorld({ workflowRunAfterTokenDispatch: setting });
      const run = agentRun(github, repo, "7", ACTIONS_LOGIN);
      github.setRunStatus(repo, run, "in_progress");
      github.setRunStatus(repo, run, "completed", "timed_out");
      expect(
        coordinatorRuns(repo).filter(([event]) => event === "workflow_run"),
        setting,
      ).toHaveLength(expected);
    }
  });

  it("runs for a dispatch naming an issue, and for the schedule, each in its own group; the schedule's payload is its cron alone", () => {
    const { github, repo } = actionsWorld();
    const coordinator = repo.workflows().find((workflow) => workflow.path === COORDINATOR)!;
    const nudge = github.dispatch(repo, coordinator, "main", { issue: "7" }, ACTIONS_LOGIN);
    expect(nudge.payload).toMatchObject({ inputs: { issue: "7" }, ref: "refs/heads/main", workflow: COORDINATOR });
    const [sweep] = github.schedule(repo);
    expect(sweep!.payload).toEqual({ schedule: "7,22,37,52 * * * *" });
    expect(coordinatorRuns(repo)).toEqual([
      ["workflow_dispatch", "queued", null, "parallel-coordinator-7"],
      ["schedule", "queued", null, "parallel-coordinator-sweep"],
    ]);
  });

  // "Control the concurrency of workflows and jobs": one running and one pending per group; a newer pending run cancels the older.
  it("keeps one run per issue whatever started it: a newer pending run cancels the older, other issues run at once", () => {
    const { github, repo } = actionsWorld();
    const issue = github.createIssue(repo, {
      title: "Feature",
      body: "",
      user: "maintainer",
      labels: ["parallel-coordinator"],
    });
    github.cancelRun(repo, agentRun(github, repo, String(issue.number), ACTIONS_LOGIN));
    github.addComment(repo, issue.number, "maintainer", "/pause");
    github.cancelRun(repo, agentRun(github, repo, "99", APP_LOGIN));
    expect(coordinatorRuns(repo)).toEqual([
      // Opened with the label: GitHub sends `opened`, then `labeled`; both concern the coordination.
      ["issues", "queued", null, "parallel-coordinator-1"],
      ["issues", "completed", "cancelled", "parallel-coordinator-1"],
      ["workflow_run", "completed", "cancelled", "parallel-coordinator-1"],
      ["issue_comment", "pending", null, "parallel-coordinator-1"],
      ["workflow_run", "queued", null, "parallel-coordinator-99"],
    ]);
  });

  // Events are lost by design: a newer pending run cancels the older, a schedule is dropped under load.
  it("loses the runs it is told to (faults.loseRun): cancelled before they take a runner or their group, the next ones unharmed", () => {
    const { github, repo } = actionsWorld();
    const issue = github.createIssue(repo, { title: "Feature", body: "", user: "maintainer" });
    const coordinator = repo.workflows().find((workflow) => workflow.path === COORDINATOR)!;
    const lost = github.faults.loseRun({ workflow: COORDINATOR, call: 2, times: 2 });
    const queued: number[] = [];
    github.onRunQueued = (_, run) => void queued.push(run.id);
    // A run its job's `if:` skips is not counted: the label's run is the first.
    github.addComment(repo, issue.number, "maintainer", "no command here");
    github.addLabel(repo, issue, "parallel-coordinator", "maintainer");
    const nudge = github.dispatch(repo, coordinator, "main", { issue: String(issue.number) }, ACTIONS_LOGIN);
    const [sweep] = github.schedule(repo);
    github.addComment(repo, issue.number, "maintainer", "/status");
    expect(coordinatorRuns(repo)).toEqual([
      ["issues", "completed", "skipped", undefined],
      ["issue_comment", "completed", "skipped", undefined],
      ["issues", "queued", null, "parallel-coordinator-1"],
      ["workflow_dispatch", "completed", "cancelled", "parallel-coordinator-1"],
      ["schedule", "completed", "cancelled", "parallel-coordinator-sweep"],
      ["issue_comment", "pending", null, "parallel-coordinator-1"],
    ]);
    expect(lost.hits).toBe(2);
    expect(nudge.cancelRequested && sweep!.cancelRequested).toBe(true);
    // The lost runs never ran, and the waiting comment's run starts when the label's ends.
    const label = [...repo.runs.values()].find((run) => run.path === COORDINATOR && run.status === "queued")!;
    expect(queued).toEqual([label.id]);
    github.setRunStatus(repo, label, "in_progress");
    github.setRunStatus(repo, label, "completed", "success");
    expect(coordinatorRuns(repo).at(-1)).toEqual(["issue_comment", "queued", null, "parallel-coordinator-1"]);
    expect(queued).toHaveLength(2);
  });
});
