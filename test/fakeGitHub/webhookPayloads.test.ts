import { generateKeyPairSync } from "node:crypto";
import examples from "@octokit/webhooks-examples";
import { describe, expect, it } from "vitest";
import { InMemoryGitHub, type WorkflowRun } from "../../src/fakeGitHub/fakeGitHub.js";
import { issueCommentCreated, issueLabeled, workflowRun } from "../../src/fakeGitHub/webhookPayloads.js";

/** GitHub's own example payload of an event and action (`@octokit/webhooks-examples`, a dev dependency). */
function example(name: string, action: string): Record<string, unknown> {
  // The package's own typing describes one module per event, not the array it exports.
  const definitions = examples as unknown as { name: string; examples: Record<string, unknown>[] }[];
  const payload = definitions.find((candidate) => candidate.name === name)?.examples.find((candidate) => candidate.action === action);
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
  const isNull = (path: string) => path.split(".").reduce<unknown>((value, key) => (typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined), ours) === null;
  const parents = (key: string) => key.split(".").slice(0, -1).map((_, index, parts) => parts.slice(0, index + 1).join("."));
  return keys(gitHub).filter((key) => !present.has(key) && !parents(key).some(isNull));
}

function world() {
  const github = new InMemoryGitHub({ appId: 1, publicKey: generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey, installationId: 7, clock: () => "2026-01-05T09:00:00Z" });
  const repo = github.createRepo({ owner: "acme", name: "shop", files: { "README.md": "# shop\n" }, collaborators: { maintainer: "write" } });
  const issue = github.createIssue(repo, { title: "Feature", body: "### 1. A", user: "maintainer", labels: ["parallel-coordinator"] });
  return { github, repo, issue };
}

describe("the simulator's webhook payloads", () => {
  it("carry the fields of GitHub's own examples: issues.labeled, issue_comment.created, workflow_run.*", () => {
    const { github, repo, issue } = world();
    const comment = github.addComment(repo, issue.number, "maintainer", "/status");
    const run: WorkflowRun = {
      id: 5001,
      workflowId: 77,
      path: ".github/workflows/parallel-coordinator-agent.yml",
      name: "parallel-coordinator agent",
      displayTitle: "parallel-coordinator #1 batch 1 (k)",
      headBranch: "parallel-coordinator/1-backend",
      headSha: repo.branch("main")!,
      event: "workflow_dispatch",
      status: "completed",
      conclusion: "success",
      runNumber: 1,
      actor: "parallel-coordinator[bot]",
      inputs: {},
      createdAt: "2026-01-05T09:00:00Z",
      updatedAt: "2026-01-05T09:20:00Z",
      runStartedAt: "2026-01-05T09:00:00Z",
      cancelRequested: false,
    };
    const cases = {
      "issues.labeled": [example("issues", "labeled"), issueLabeled(github, repo, issue, "parallel-coordinator", "maintainer").payload],
      "issue_comment.created": [example("issue_comment", "created"), issueCommentCreated(github, repo, comment).payload],
      "workflow_run.requested": [example("workflow_run", "requested"), workflowRun(github, repo, run, "requested").payload],
      "workflow_run.completed": [example("workflow_run", "completed"), workflowRun(github, repo, run, "completed").payload],
    };
    const lacking = Object.fromEntries(Object.entries(cases).map(([name, [gitHub, ours]]) => [name, missing(gitHub, ours)]));
    expect(lacking).toEqual({ "issues.labeled": [], "issue_comment.created": [], "workflow_run.requested": [], "workflow_run.completed": [] });
  });
});
