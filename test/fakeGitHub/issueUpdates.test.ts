/**
 * Issues created and changed through the REST API, as GitHub does it
 * (https://docs.github.com/rest/issues/issues): "Create an issue" and "Update
 * an issue" (labels replaced whole, a state with its reason), who closed one,
 * and the webhooks each change sends. Every request is checked against
 * GitHub's description.
 */
import { describe, expect, it } from "vitest";
import { APP_LOGIN } from "../../src/fakeGitHub/conventions.js";
import { loadRequestChecker } from "../../src/fakeGitHub/requestChecker.js";
import { refusal, world } from "./support.js";

const repoRef = { owner: "acme", repo: "shop" };

async function setup() {
  const context = world();
  context.github.checkRequests = await loadRequestChecker();
  return context;
}

/** The `issues` webhooks sent, as `action by sender`. */
function issueEvents(sent: ReturnType<typeof world>["sent"]): string[] {
  return sent
    .filter((delivery) => delivery.name === "issues")
    .map((delivery) => {
      const payload = delivery.payload as { action: string; sender: { login: string }; label?: { name: string } };
      return `${payload.action}${payload.label === undefined ? "" : ` ${payload.label.name}`} by ${payload.sender.login}`;
    });
}

describe("the fake GitHub's issues, created and changed", () => {
  it("creates an issue as the caller, with its labels (made when unknown), and answers its id and number", async () => {
    const { github, repo, octokit, sent } = await setup();
    const created = await octokit.rest.issues.create({
      ...repoRef,
      title: "Batch 1 of 2: Model",
      body: "The model.",
      labels: ["batch: pending"],
    });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({
      number: 1,
      title: "Batch 1 of 2: Model",
      state: "open",
      state_reason: null,
      user: { login: APP_LOGIN, type: "Bot" },
      labels: [{ name: "batch: pending" }],
    });
    // The id names the issue in sub-issue and dependency requests; it is not the number.
    expect(created.data.id).not.toBe(created.data.number);
    expect(github.issueById(repo, created.data.id)?.number).toBe(1);
    expect(repo.labels.has("batch: pending")).toBe(true);
    expect(issueEvents(sent)).toEqual([`opened by ${APP_LOGIN}`, `labeled batch: pending by ${APP_LOGIN}`]);
    expect((await refusal(octokit.rest.issues.create({ ...repoRef, title: " " }))).status).toBe(422);
    expect(github.problems).toEqual([]);
  });

  it("closes with a reason and says who closed it when asked for the issue alone; reopens with `reopened`", async () => {
    const { github, repo, octokit, sent } = await setup();
    const issue = github.createIssue(repo, { title: "Model", body: "", user: "maintainer" });
    sent.length = 0;
    const where = { ...repoRef, issue_number: issue.number };

    const closed = await octokit.rest.issues.update({ ...where, state: "closed", state_reason: "not_planned" });
    expect(closed.data).toMatchObject({ state: "closed", state_reason: "not_planned" });
    expect((await octokit.rest.issues.get(where)).data.closed_by).toMatchObject({ login: APP_LOGIN });
    // A list shows the state and its reason, not who closed it.
    const { data: closedList } = await octokit.rest.issues.listForRepo({ ...repoRef, state: "closed" });
    expect(closedList.map((item) => [item.number, item.state_reason, "closed_by" in item])).toEqual([
      [issue.number, "not_planned", false],
    ]);
    // A reason without a change of state is ignored, as GitHub documents.
    await octokit.rest.issues.update({ ...where, state_reason: "completed" });
    expect(repo.issues.get(issue.number)!.stateReason).toBe("not_planned");

    github.reopenIssue(repo, issue, "maintainer");
    expect((await octokit.rest.issues.get(where)).data).toMatchObject({
      state: "open",
      state_reason: "reopened",
      closed_by: null,
    });
    github.closeIssue(repo, issue, "maintainer");
    expect((await octokit.rest.issues.get(where)).data).toMatchObject({
      state_reason: "completed",
      closed_by: { login: "maintainer" },
    });
    expect(issueEvents(sent)).toEqual([`closed by ${APP_LOGIN}`, "reopened by maintainer", "closed by maintainer"]);
    const closedEvent = sent.findLast((delivery) => delivery.name === "issues")!.payload as {
      issue: { state: string; state_reason: string };
    };
    expect(closedEvent.issue).toMatchObject({ state: "closed", state_reason: "completed" });
    expect(github.problems).toEqual([]);
  });

  it("replaces the labels whole, one webhook per label added or taken off, and edits the title", async () => {
    const { github, repo, octokit, sent } = await setup();
    const issue = github.createIssue(repo, {
      title: "Model",
      body: "",
      user: "maintainer",
      labels: ["batch: pending", "kept"],
    });
    sent.length = 0;
    const where = { ...repoRef, issue_number: issue.number };
    const updated = await octokit.rest.issues.update({
      ...where,
      title: "Batch 1 of 3: Model",
      labels: ["kept", "batch: running"],
    });
    expect(updated.data.labels.map((label) => (typeof label === "string" ? label : label.name))).toEqual([
      "kept",
      "batch: running",
    ]);
    expect(updated.data.title).toBe("Batch 1 of 3: Model");
    expect(issueEvents(sent)).toEqual([
      `edited by ${APP_LOGIN}`,
      `unlabeled batch: pending by ${APP_LOGIN}`,
      `labeled batch: running by ${APP_LOGIN}`,
    ]);
    // An unchanged update sends nothing.
    await octokit.rest.issues.update({ ...where, title: "Batch 1 of 3: Model", labels: ["kept", "batch: running"] });
    expect(issueEvents(sent)).toHaveLength(3);
    expect((await refusal(octokit.rest.issues.update({ ...repoRef, issue_number: 99, state: "closed" }))).status).toBe(
      404,
    );
    expect(github.problems).toEqual([]);
  });
});
