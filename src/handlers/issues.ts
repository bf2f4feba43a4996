import type { Context } from "probot";
import { mayCommand } from "../commands/permissions.js";
import { readConfig } from "../github/calls/configFile.js";
import { ensureComment } from "../github/calls/issueComments.js";
import { roleOf } from "../github/calls/permission.js";
import { loadState } from "../github/stores/loadState.js";
import { commentMarker, mirroredBatch } from "../github/stores/markers.js";
import { defaultConfig } from "../base/config.js";
import { renderMessage } from "../render/renderMessage.js";
import { startCoordination } from "./startCoordination.js";
import { repoUrlOf, type Deps } from "./deps.js";

/**
 * `issues.labeled` with the configured label, or `issues.opened` already
 * carrying it: the issue becomes a coordination — when the person who
 * labelled it (or opened it with the label, as an issue template does) may
 * command. The body then supplies acceptance commands that the runner
 * executes: a stranger's label starts nothing, and is answered once.
 */
export async function onIssue(context: Context<"issues.labeled" | "issues.opened">, deps: Deps): Promise<void> {
  const { payload } = context;
  if (payload.issue.pull_request !== undefined) return;
  // Most issues open with no label at all: no step for them. A batch's sub-issue (the mirror's) is no feature.
  if (payload.action === "opened" && (payload.issue.labels ?? []).length === 0) return;
  if (mirroredBatch(payload.issue.body ?? "") !== undefined) return;
  const where = { owner: payload.repository.owner.login, repo: payload.repository.name, issue: payload.issue.number };
  // The config names the label, and reading it is a GitHub call: it belongs to the step, after the answer.
  // Pending from the step's beginning: features labelled at once each show their dashboard before any goes on.
  const installation = String(payload.installation?.id ?? "");
  await deps.run(context, where, () =>
    deps.acknowledgements.pending(installation, async (acknowledged) => {
      const config = await readConfig(context.octokit, context.repo());
      // A bad config is reported by the start itself, but only for the default label.
      const label = config.ok ? config.config.label : "parallel-coordinator";
      const wanted =
        payload.action === "labeled"
          ? (payload as { label?: { name: string } }).label?.name === label
          : (payload.issue.labels ?? []).some((candidate) => candidate.name === label);
      if (!wanted) return;
      const by = payload.sender.login;
      const least = config.ok ? config.config.permission : defaultConfig.permission;
      if (!mayCommand(await roleOf(context.octokit, where, by), least)) {
        const loaded = await loadState(context.octokit, where, deps.key, deps.journal);
        // A coordination that runs already is not this label's to start, nor to answer for.
        if (loaded.state !== undefined && loaded.state.status !== "done" && loaded.state.status !== "aborted") return;
        const marker = commentMarker(`start-refused-${by}`);
        const body = renderMessage({
          kind: "labelRefused",
          by,
          permission: least,
          label,
          how: payload.action === "labeled" ? "labeled" : "opened",
        });
        await ensureComment(context.octokit, where, loaded.comments, marker, `${body}\n\n${marker}`, loaded.appLogin);
        return;
      }
      await startCoordination(context, deps, {
        where,
        repoUrl: repoUrlOf(context),
        issueCreatedAt: payload.issue.created_at,
        config,
        title: payload.issue.title,
        body: payload.issue.body ?? "",
        defaultBranch: payload.repository.default_branch,
        at: payload.issue.updated_at,
        force: false,
        by,
        author: payload.issue.user?.login ?? "ghost",
        split: false,
        acknowledged,
      });
    }),
  );
}
