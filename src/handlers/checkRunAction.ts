import type { Context } from "probot";
import { buttonCommand } from "../commands/buttons.js";
import { mayCommand } from "../commands/permissions.js";
import { checkedRun } from "../github/calls/checkRuns.js";
import { roleOf } from "../github/calls/permission.js";
import { reconcileCoordination } from "../github/effects/reconcileCoordination.js";
import { loadState } from "../github/stores/loadState.js";
import { windows } from "../github/stores/throttle.js";
import { batchName, position } from "../state/messages.js";
import { planOf } from "../state/pinnedPlan.js";
import { logRecovered, sayOnce, sessionOf, type Deps } from "./deps.js";

/**
 * `check_run.requested_action`: a person pressed a button of a batch's check-in
 * (GitHub sends it to the app that made the check run only). It is a command
 * from that person, checked as a comment's is: only people with the configured
 * permission command, others get one polite answer per issue and hour. The
 * press is said on the issue first — which also gives the command a time GitHub
 * recorded, since the payload has none, and a key its answer is posted once by:
 * a redelivery finds that comment (by the delivery's id) and does nothing twice.
 */
export async function onCheckRunAction(context: Context<"check_run.requested_action">, deps: Deps): Promise<void> {
  const { payload } = context;
  if (payload.sender.type === "Bot") return;
  const checked = checkedRun(payload.check_run.external_id);
  if (checked === undefined) return;
  const where = { owner: payload.repository.owner.login, repo: payload.repository.name, issue: checked.issue };
  const by = payload.sender.login;
  const refusal = `refused:${where.owner}/${where.repo}#${where.issue}:${by}`;

  await deps.run(context, where, async () => {
    const role = await roleOf(context.octokit, where, by);
    if (!mayCommand(role, "write") && (await deps.throttle.has(refusal))) return;
    const loaded = await loadState(context.octokit, where, deps.key, deps.journal);
    const state = loaded.state;
    if (state === undefined) return;
    const plan = planOf(state);
    if (!plan.batches.some((batch) => batch.id === checked.batch)) return;
    const number = position(plan, checked.batch);
    const pressed = buttonCommand(
      payload.requested_action?.identifier ?? "",
      checked.batch,
      payload.check_run.head_sha,
      number,
    );
    if (pressed === undefined) return;
    const say = sayOnce(context, where, loaded, `press-${context.id}`);
    const least = state.config.permission;
    if (!mayCommand(role, least)) {
      if (await deps.throttle.has(refusal)) return;
      await say({ kind: "commandRefused", by, permission: least });
      await deps.throttle.take(refusal, windows.refusal);
      return;
    }
    const { command } = pressed;
    const written =
      command.name === "approve"
        ? `/approve ${number} ${command.sha ?? ""}`.trim()
        : command.name === "retry"
          ? `/retry ${number}`
          : "/pause";
    const said = await say({
      kind: "buttonPressed",
      by,
      button: pressed.label,
      batch: batchName(plan, checked.batch),
      command: written,
    });
    // Like a comment's command, it acts on the coordination as GitHub holds it: the difference first.
    const { recovered } = await reconcileCoordination(
      sessionOf(context, where, deps),
      { ...loaded, state },
      { at: said.createdAt, events: [{ kind: "command", at: said.createdAt, by, comment: said.id, command }] },
    );
    logRecovered(context, recovered);
  });
}
