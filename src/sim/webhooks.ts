import { createRequire } from "node:module";
import type { InMemoryGitHub, Issue, IssueComment, Repo, WorkflowRun } from "./github.js";

type Json = Record<string, unknown>;

/** A webhook delivery, as `probot.receive` takes it. */
export interface Delivery {
  name: "issues" | "issue_comment" | "workflow_run";
  payload: Json;
}

let examples: Map<string, Json[]> | null | undefined;

/**
 * GitHub's own example payload of an event and action, from the dev dependency
 * `@octokit/webhooks-examples` when it is installed: the simulator's payloads
 * are built on them, so they carry every field GitHub sends, not only the ones
 * the simulator thought of. Without the package, the simulator's fields alone.
 */
function example(name: string, action: string): Json {
  if (examples === undefined) {
    try {
      const definitions = createRequire(import.meta.url)("@octokit/webhooks-examples") as { name: string; examples: Json[] }[];
      examples = new Map(definitions.map((definition) => [definition.name, definition.examples]));
    } catch {
      examples = null;
    }
  }
  const list = examples?.get(name) ?? [];
  const found = list.find((candidate) => candidate.action === action) ?? list[0] ?? {};
  const copy = structuredClone(found);
  // The example's organisation and enterprise are not the simulated repository's.
  delete copy.organization;
  delete copy.enterprise;
  return copy;
}

/** The example's object under `key`, with the simulator's fields over it. */
function over(base: Json, key: string, fields: Json): Json {
  const from = base[key];
  return typeof from === "object" && from !== null && !Array.isArray(from) ? { ...(from as Json), ...fields } : fields;
}

function common(github: InMemoryGitHub, repo: Repo, sender: string): Json {
  return {
    repository: github.repoJson(repo),
    sender: github.user(sender),
    installation: { id: github.installationId, node_id: `MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u${github.installationId}` },
  };
}

export function issueLabeled(github: InMemoryGitHub, repo: Repo, issue: Issue, label: string, sender: string): Delivery {
  const base = example("issues", "labeled");
  const labelJson = (github.issueJson(repo, issue).labels as Json[]).find((candidate) => candidate.name === label) ?? { name: label };
  return {
    name: "issues",
    payload: { ...base, action: "labeled", issue: over(base, "issue", github.issueJson(repo, issue)), label: over(base, "label", labelJson), ...common(github, repo, sender) },
  };
}

export function issueCommentCreated(github: InMemoryGitHub, repo: Repo, comment: IssueComment): Delivery {
  const base = example("issue_comment", "created");
  const issue = repo.issues.get(comment.issue) ?? repo.pulls.get(comment.issue)!;
  return {
    name: "issue_comment",
    payload: {
      ...base,
      action: "created",
      issue: over(base, "issue", github.issueJson(repo, issue)),
      comment: over(base, "comment", github.commentJson(repo, comment)),
      ...common(github, repo, comment.user),
    },
  };
}

/** `workflow_run` with action `requested`, `in_progress` or `completed`, sent by the run's actor. */
export function workflowRun(github: InMemoryGitHub, repo: Repo, run: WorkflowRun, action: "requested" | "in_progress" | "completed"): Delivery {
  const base = example("workflow_run", action);
  const workflow = repo.workflows().find((candidate) => candidate.id === run.workflowId);
  return {
    name: "workflow_run",
    payload: {
      ...base,
      action,
      workflow_run: over(base, "workflow_run", github.runJson(repo, run)),
      workflow: over(base, "workflow", workflow === undefined ? { id: run.workflowId, name: run.name, path: run.path } : github.workflowJson(repo, workflow)),
      ...common(github, repo, run.actor),
    },
  };
}
