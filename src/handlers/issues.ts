import type { Context } from "probot";
import { readConfig } from "../github/calls/configFile.js";
import { startCoordination } from "./startCoordination.js";
import type { Deps } from "./deps.js";

/**
 * `issues.labeled` with the configured label, or `issues.opened` already
 * carrying it: the issue becomes a coordination.
 */
export async function onIssue(context: Context<"issues.labeled" | "issues.opened">, deps: Deps): Promise<void> {
  const { payload } = context;
  if (payload.issue.pull_request !== undefined) return;
  // Most issues open with no label at all: no step for them.
  if (payload.action === "opened" && (payload.issue.labels ?? []).length === 0) return;
  const where = { owner: payload.repository.owner.login, repo: payload.repository.name, issue: payload.issue.number };
  // The config names the label, and reading it is a GitHub call: it belongs to the step, after the answer.
  await deps.run(context, where, async () => {
    const config = await readConfig(context);
    // A bad config is reported by the start itself, but only for the default label.
    const label = config.ok ? config.config.label : "parallel-coordinator";
    const wanted =
      payload.action === "labeled"
        ? (payload as { label?: { name: string } }).label?.name === label
        : (payload.issue.labels ?? []).some((candidate) => candidate.name === label);
    if (!wanted) return;
    await startCoordination(context, deps, {
      where,
      config,
      body: payload.issue.body ?? "",
      defaultBranch: payload.repository.default_branch,
      at: payload.issue.updated_at,
      force: false,
    });
  });
}
