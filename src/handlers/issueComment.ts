import type { Context } from "probot";
import { parseCommand } from "../commands/parse.js";
import { mayCommand } from "../commands/permissions.js";
import { readConfig } from "../github/calls/configFile.js";
import { loadState, namedCheckpoint } from "../github/stores/loadState.js";
import { roleOf } from "../github/calls/permission.js";
import { windows } from "../github/stores/throttle.js";
import { reconcileCoordination } from "../github/effects/reconcileCoordination.js";
import { planOf } from "../state/pinnedPlan.js";
import { statusMessage } from "../state/messages.js";
import { defaultConfig } from "../base/config.js";
import { startCoordination } from "./startCoordination.js";
import { replan } from "./replan.js";
import { answerTo, logRecovered, repoUrlOf, sessionOf, type Deps } from "./deps.js";

/**
 * `issue_comment.created`: a command from a person. Bots (the app included)
 * never command; edited comments never count; nothing on a pull request is a
 * command. Issues that are not
 * coordinations get no answer except to `/plan`. Only people with the
 * configured permission command; anyone who can read the issue may ask
 * `/status` and `/help` (answered at most once per person and issue in ten
 * minutes, unless they may command); others get one polite answer per issue
 * and hour, and nothing more.
 */
export async function onIssueComment(context: Context<"issue_comment.created">, deps: Deps): Promise<void> {
  const { payload } = context;
  if (payload.sender.type === "Bot" || payload.comment.user?.type === "Bot") return;
  // A pull request's comments fire issue_comment too: the app is commanded on feature issues only (a pull request's description is no plan).
  if (payload.issue.pull_request !== undefined && payload.issue.pull_request !== null) return;
  const parsed = parseCommand(payload.comment.body ?? "");
  if (parsed === undefined) return;
  const where = { owner: payload.repository.owner.login, repo: payload.repository.name, issue: payload.issue.number };
  const by = payload.comment.user?.login ?? payload.sender.login;
  const at = payload.comment.created_at;
  const commentId = payload.comment.id;
  // An answer and no change: what anyone who can read the issue may ask (an unknown command is answered with the list).
  const asks = !parsed.ok || parsed.command.name === "status" || parsed.command.name === "help";
  const issueKey = `${where.owner}/${where.repo}#${where.issue}`;
  const refusal = `refused:${issueKey}:${by}`;

  await deps.run(context, where, async () => {
    // Who it is comes first: one light call, before any heavy read of the issue.
    const collaborator = await roleOf(context.octokit, where, by);
    // On a public repository everybody reads; the API knows only collaborators.
    const role = collaborator === "none" && payload.repository.private === false ? "read" : collaborator;
    const reader = mayCommand(role, "read");
    // Refused within the hour: no answer again, and no read either.
    if (!mayCommand(role, "write") && !(asks && reader) && (await deps.throttle.has(refusal))) return;
    const loaded = await loadState(context.octokit, where, deps.key, deps.journal);
    const state = loaded.state;
    const isPlan = parsed.ok && parsed.command.name === "plan";
    if (state === undefined && !isPlan) return;
    const answer = answerTo(context, where, loaded, commentId);
    const least = state?.config.permission ?? defaultConfig.permission;
    if (!mayCommand(role, least)) {
      if (!(asks && reader && state !== undefined)) {
        // Taken once the answer is posted: a step tried again after a failed answer still answers.
        if (await deps.throttle.has(refusal)) return;
        await answer({ kind: "commandRefused", by, permission: least });
        await deps.throttle.take(refusal, windows.refusal);
        return;
      }
      if (!(await deps.throttle.take(`reader:${issueKey}:${by}`, windows.reader))) return;
    }
    await context.octokit.rest.reactions.createForIssueComment({
      owner: where.owner,
      repo: where.repo,
      comment_id: commentId,
      content: "eyes",
    });
    if (!parsed.ok) {
      await answer({ kind: "unknownCommand", error: parsed.error });
      return;
    }
    const { command } = parsed;
    if (command.name === "plan" && (state === undefined || state.status === "done" || state.status === "aborted")) {
      const config = await readConfig(context.octokit, context.repo());
      await startCoordination(context, deps, {
        where,
        repoUrl: repoUrlOf(context),
        issueCreatedAt: payload.issue.created_at,
        config,
        title: payload.issue.title,
        body: payload.issue.body ?? "",
        defaultBranch: payload.repository.default_branch,
        at,
        force: command.force,
        fresh: true,
        by,
        author: payload.issue.user?.login ?? "ghost",
        split: command.split === true,
      });
      return;
    }
    if (state === undefined) return;
    const session = sessionOf(context, where, deps);
    const checkpoint =
      command.name === "resume" && command.checkpoint !== undefined
        ? namedCheckpoint(loaded, deps.key, where.issue, command.checkpoint)
        : undefined;
    const event = {
      kind: "command",
      at,
      by,
      comment: commentId,
      command,
      ...(checkpoint === undefined ? {} : { checkpoint }),
    } as const;
    // What a command acts on is the coordination as GitHub holds it: the difference first. `/status`
    // answers from it, and `/plan` re-plans it; every other command is the engine's.
    const replans = command.name === "plan" && state.status === "paused";
    const answers = command.name === "status" || replans;
    const { loaded: current, recovered } = await reconcileCoordination(
      session,
      { ...loaded, state },
      { at, ...(answers ? {} : { events: [event] }) },
    );
    logRecovered(context, recovered);
    if (replans) {
      await replan(context, deps, current, current.state, {
        title: payload.issue.title,
        body: payload.issue.body ?? "",
        at,
        by,
        author: payload.issue.user?.login ?? "ghost",
        comment: commentId,
        force: command.force,
        split: command.split === true,
      });
      return;
    }
    if (command.name === "status")
      await answer(statusMessage(planOf(current.state), current.state, at, session.repoUrl));
  });
}
