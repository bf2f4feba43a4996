import examples from "@octokit/webhooks-examples";
import { describe, expect, it } from "vitest";
import type { Delivery } from "../../src/fakeGitHub/fakeGitHub.js";
import { world } from "./support.js";

/** GitHub's own example payload of an event and action (`@octokit/webhooks-examples`, a dev dependency). */
function example(name: string, action: string): Record<string, unknown> {
  // The package's own typing describes one module per event, not the array it exports.
  const definitions = examples as unknown as { name: string; examples: Record<string, unknown>[] }[];
  const payload = definitions
    .find((candidate) => candidate.name === name)
    ?.examples.find((candidate) => candidate.action === action);
  if (payload === undefined) throw new Error(`no example of ${name}.${action}`);
  return payload;
}

/** Dotted paths of the keys of an object, objects within it followed (not arrays). */
function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([key, inner]) => [`${prefix}${key}`, ...keys(inner, `${prefix}${key}.`)]);
}

/** The keys of GitHub's payload that ours lacks; below a field ours sends as null (no milestone) nothing is missing. */
function missing(gitHub: unknown, ours: unknown): string[] {
  const present = new Set(keys(ours));
  const isNull = (path: string) =>
    path
      .split(".")
      .reduce<unknown>(
        (value, key) =>
          typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined,
        ours,
      ) === null;
  const parents = (key: string) =>
    key
      .split(".")
      .slice(0, -1)
      .map((_, index, parts) => parts.slice(0, index + 1).join("."));
  return keys(gitHub).filter((key) => !present.has(key) && !parents(key).some(isNull));
}

/** The payload of the last delivery of each event and action. */
function byName(sent: Delivery[]): Map<string, unknown> {
  return new Map(sent.map((delivery) => [`${delivery.name}.${delivery.payload.action}`, delivery.payload]));
}

describe("the fake's webhook payloads", () => {
  it("carry the fields of GitHub's own examples: issues, issue_comment (a deleted comment with the body it had) and workflow_run", () => {
    const { github, repo, sent } = world();
    const issue = github.createIssue(repo, { title: "Feature", body: "### 1. A", user: "maintainer" });
    github.addLabel(repo, issue, "parallel-coordinator", "maintainer");
    github.removeLabel(repo, issue, "parallel-coordinator", "maintainer");
    github.editIssue(repo, issue, "### 1. B", "maintainer");
    const comment = github.addComment(repo, issue.number, "maintainer", "/status");
    github.editComment(repo, comment, "/help", "maintainer");
    github.deleteComment(repo, comment, "maintainer");
    const inputs = { issue: "1", batch: "1", attempt: "1", key: "pc-1-1-1", base: "main", scope: "{}", brief: "do it" };
    const run = github.dispatch(repo, repo.workflows()[0]!, "main", inputs, "parallel-coordinator[bot]");
    github.setRunStatus(repo, run, "in_progress");
    github.setRunStatus(repo, run, "completed", "success");
    const names = [
      "issues.opened",
      "issues.labeled",
      "issues.unlabeled",
      "issues.edited",
      "issue_comment.created",
      "issue_comment.edited",
      "issue_comment.deleted",
      "workflow_run.requested",
      "workflow_run.completed",
    ];
    const lacking = Object.fromEntries(
      names.map((name) => [name, missing(example(...(name.split(".") as [string, string])), byName(sent).get(name))]),
    );
    expect(lacking).toEqual(Object.fromEntries(names.map((name) => [name, []])));
  });

  // "Webhook events and payloads" (https://docs.github.com/webhooks/webhook-events-and-payloads#issue_comment):
  // issue_comment "occurs when there is activity relating to a comment on an issue or pull request"; a pull
  // request's issue carries `pull_request`.
  it("issue_comment fires for a pull request's comment too, with issue.pull_request set", () => {
    const { github, repo, sent } = world();
    const issue = github.createIssue(repo, { title: "Feature", body: "", user: "maintainer" });
    github.createRef(repo, "refs/heads/work", repo.branch("main")!, "maintainer");
    github.commit(repo, "work", { "w.txt": "w\n" }, "w", "maintainer");
    const pull = github.createPull(repo, { head: "work", base: "main", title: "Work", body: "", user: "maintainer" });
    github.addComment(repo, issue.number, "maintainer", "on the issue");
    github.addComment(repo, pull.number, "maintainer", "on the pull request");
    const comments = sent.flatMap((delivery) => (delivery.name === "issue_comment" ? [delivery.payload.issue] : []));
    expect(comments.map((commented) => [commented.number, commented.pull_request?.url])).toEqual([
      [issue.number, undefined],
      [pull.number, `https://api.github.com/repos/acme/shop/pulls/${pull.number}`],
    ]);
  });

  // "Webhook events and payloads" (https://docs.github.com/webhooks/webhook-events-and-payloads#check_run): a person
  // who presses a button of a check run sends `check_run.requested_action`, with the button's `identifier`, to the
  // app that created the check run only; the payload says who pressed it, not when.
  it("check_run.requested_action: a pressed button, with GitHub's example fields, the check run's open pull request and the presser", async () => {
    const { github, repo, sent, octokit } = world();
    github.createRef(repo, "refs/heads/work", repo.branch("main")!, "maintainer");
    const head = github.commit(repo, "work", { "w.txt": "w\n" }, "w", "maintainer").sha;
    const pull = github.createPull(repo, { head: "work", base: "main", title: "Work", body: "", user: "maintainer" });
    const actions = [{ label: "Redo", description: "Run the batch again", identifier: "redo" }];
    const { data } = await octokit.rest.checks.create({
      owner: "acme",
      repo: "shop",
      name: "batch 1",
      head_sha: head,
      status: "completed",
      conclusion: "neutral",
      external_id: "pc-1-1-5",
      actions,
    });
    github.pressCheckRunButton(repo, repo.checkRuns.get(data.id)!, "redo", "maintainer");
    const delivery = sent.at(-1)!;
    // The example's app holds permissions this one does not ask for: those are the app's, not the payload's shape.
    expect(
      missing(example("check_run", "requested_action"), delivery.payload).filter(
        (key) => !key.includes(".app.permissions."),
      ),
    ).toEqual([]);
    expect(delivery.name).toBe("check_run");
    if (delivery.name !== "check_run") return;
    expect(delivery.payload).toMatchObject({
      action: "requested_action",
      requested_action: { identifier: "redo" },
      sender: { login: "maintainer", type: "User" },
      check_run: {
        id: data.id,
        external_id: "pc-1-1-5",
        head_sha: head,
        conclusion: "neutral",
        pull_requests: [{ number: pull.number, head: { ref: "work", sha: head } }],
      },
    });
    // A button the check run does not show cannot be pressed.
    expect(() => github.pressCheckRunButton(repo, repo.checkRuns.get(data.id)!, "accept", "maintainer")).toThrow(
      /has no button "accept"/,
    );
  });
});
