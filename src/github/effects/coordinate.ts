import type { Plan } from "../../plan/planModel.js";
import type { Effect } from "../../state/effects.js";
import type { Event } from "../../state/events.js";
import { keepMirror } from "./keepMirror.js";
import { decide } from "../../state/machine.js";
import { position } from "../../state/messages.js";
import { writtenEffect } from "../../render/writtenEffect.js";
import { faultMarker } from "../../render/faultBanner.js";
import type { State } from "../../state/stateSchema.js";
import { encodeState, fingerprintOf } from "../../state/codec.js";
import { ensureComment } from "../calls/issueComments.js";
import { commentMarker } from "../stores/markers.js";
import { ensureDashboard, dashboardBody } from "../stores/dashboardComment.js";
import { dispatchRun } from "../calls/workflowDispatch.js";
import { ensureBranch } from "../calls/branches.js";
import { mergeBatch, openFinalPullRequest } from "../calls/pullRequests.js";
import { createCheckRun, hasCheckRun } from "../calls/checkRuns.js";
import { withdrawBatch } from "../calls/withdraw.js";
import { statusOf } from "../calls/httpErrors.js";
import { issueKey, type Journal } from "../stores/journal.js";
import type { Loaded } from "../stores/loadState.js";
import type { Comment, IssueRef, Octokit } from "../calls/githubTypes.js";

export interface Session {
  octokit: Octokit;
  where: IssueRef;
  /** `https://github.com/owner/repo`, for links. */
  repoUrl: string;
  key: Buffer;
  journal: Journal;
  /** Whether a ⚠ or ✗ check run gets its buttons (the App's do; the Actions bot has nobody to press them for). */
  buttons: boolean;
}

/** A journal note made before a call whose outcome is not known yet. */
const inDoubt = "?";

/** What the journal vouches was done since the loaded state, or undefined when it cannot vouch. */
interface Step {
  issue: string;
  done: Record<string, string> | undefined;
}

/**
 * Decides on an event and carries out what it asks, in order: each effect is
 * safe to repeat, an effect's answer (a run id, a merge, a conflict) is decided
 * on at once, and the state is written last — so a failure half-way leaves the
 * old state, and the next event or a retry finishes the step. A dispatch and a
 * check run are not safe to repeat on GitHub's side: the journal remembers
 * them until the state holds them, and where it cannot vouch for the loaded
 * state, GitHub is asked before they are done again. Nothing it is given is
 * changed: the caller's `loaded` and `state` still say what was loaded; the
 * issue as the step leaves it is returned.
 */
export async function coordinate(
  session: Session,
  loaded: Loaded,
  plan: Plan,
  state: State,
  events: Event | Event[],
): Promise<Loaded & { state: State }> {
  let current = state;
  const issue = issueKey(session.where);
  const entry = await session.journal.read(issue);
  const loadedFingerprint = loaded.state === undefined ? undefined : loaded.fingerprint;
  const step: Step = {
    issue,
    done: entry !== undefined && entry.state === loadedFingerprint ? entry.effects : undefined,
  };
  // The number the state this step writes carries, in the dashboard and in every snapshot it posts: past any the app
  // wrote before, a restored snapshot's included.
  const seq = Math.max(state.seq, entry?.seq ?? 0) + 1;
  // The issue's comments as this step leaves them: a comment posted here is found by the next effect that would post it.
  const comments = [...loaded.comments];
  const queue: Effect[] = [];
  const decideOn = (next: Event) => {
    const decision = decide(current, next, plan);
    current = decision.state;
    queue.unshift(...decision.effects);
  };
  const carryOutEvent = async (event: Event) => {
    decideOn(event);
    while (queue.length > 0) {
      const effect = queue.shift()!;
      // A comment's snapshot carries the number the dashboard will: the next one, unless nothing has changed.
      const unchanged =
        effect.kind === "comment" &&
        loaded.state !== undefined &&
        JSON.stringify(loaded.state) === JSON.stringify(current);
      const answer = await carryOut(
        session,
        step,
        { comments, appLogin: loaded.appLogin },
        plan,
        unchanged ? current : { ...current, seq },
        effect,
        event.at,
      );
      if (answer !== undefined) decideOn(answer);
    }
  };
  for (const event of Array.isArray(events) ? events : [events]) await carryOutEvent(event);
  // The batches' sub-issues, when the config mirrors them: brought up to the state before it is written.
  const mirrored = await keepMirror(
    { octokit: session.octokit, where: session.where, comments, appLogin: loaded.appLogin },
    plan,
    () => current,
    carryOutEvent,
  );
  // A banner of a failing step comes off with the first write after it; a step that changes nothing takes it off too.
  const banner = loaded.dashboard?.body.startsWith(faultMarker) === true;
  if (!banner && loaded.state !== undefined && JSON.stringify(loaded.state) === JSON.stringify(current)) {
    // The state as it was; only the sub-issues the dashboard links may have changed.
    const body =
      mirrored === undefined ? undefined : dashboardBody(plan, current, session.repoUrl, session.key, mirrored.links);
    if (body === undefined || loaded.dashboard === undefined || body === loaded.dashboard.body)
      return { ...loaded, comments, state: current };
    const dashboard = await ensureDashboard(session.octokit, session.where, loaded.dashboard, body);
    return { ...loaded, comments: withDashboard(comments, dashboard), dashboard, state: current };
  }
  current = { ...current, seq };
  const body = dashboardBody(plan, current, session.repoUrl, session.key, mirrored?.links);
  const dashboard = await ensureDashboard(session.octokit, session.where, loaded.dashboard, body);
  const fingerprint = fingerprintOf(body)!;
  await session.journal.settle(issue, fingerprint, seq);
  const { restored: _restored, restoredFrom: _from, ...rest } = loaded;
  return {
    ...rest,
    comments: withDashboard(comments, dashboard),
    dashboard,
    state: current,
    fingerprint,
    appLogin: dashboard.author,
  };
}

/** The issue's comments with the dashboard as it was just written. */
function withDashboard(comments: readonly Comment[], dashboard: Comment): Comment[] {
  return comments.some((comment) => comment.id === dashboard.id)
    ? comments.map((comment) => (comment.id === dashboard.id ? dashboard : comment))
    : [...comments, dashboard];
}

async function carryOut(
  session: Session,
  step: Step,
  issue: Pick<Loaded, "comments" | "appLogin">,
  plan: Plan,
  state: State,
  effect: Effect,
  at: string,
): Promise<Event | undefined> {
  const { octokit, where } = session;
  // What people and agents read is written now, from the data the engine decided on.
  const written = writtenEffect(plan, effect);
  switch (written.kind) {
    case "createBranch":
      await ensureBranch(octokit, where, written.branch, written.sha);
      return undefined;
    case "dispatch": {
      const noted = `dispatch:${written.key}`;
      const known = await recall(session, step, noted);
      if ("answer" in known)
        return {
          kind: "dispatched",
          at,
          batch: written.batch,
          attempt: written.attempt,
          ...(known.answer === "" ? {} : { runId: Number(known.answer) }),
        };
      const answer = await dispatchRun(
        octokit,
        where,
        state.config.workflow,
        written,
        at,
        known.verify ? state.startedAt : undefined,
      );
      if (answer.kind === "dispatched")
        await session.journal.note(step.issue, noted, answer.runId === undefined ? "" : String(answer.runId));
      return answer;
    }
    case "cancelRun":
      try {
        await octokit.rest.actions.cancelWorkflowRun({ owner: where.owner, repo: where.repo, run_id: written.runId });
      } catch (error) {
        // 409: the run finished meanwhile; its completion is checked in as usual.
        if (statusOf(error) !== 409) throw error;
      }
      return undefined;
    case "checkRun": {
      const noted = `check:${written.batch}:${written.run}`;
      const known = await recall(session, step, noted);
      if ("answer" in known) return undefined;
      const number = position(plan, written.batch);
      if (!known.verify || !(await hasCheckRun(octokit, where, written, number)))
        await createCheckRun(octokit, where, session.buttons ? written : { ...written, actions: [] }, number, at);
      await session.journal.note(step.issue, noted, "");
      return undefined;
    }
    case "merge":
      return mergeBatch(octokit, where, written, state.config.mergeMethod, at);
    case "comment": {
      // Comments a person should read carry the state too: they restore a damaged dashboard.
      const marker = commentMarker(written.key);
      await ensureComment(
        octokit,
        where,
        issue.comments,
        marker,
        `${written.body}\n\n${marker}\n${encodeState(state, session.key)}`,
        issue.appLogin,
      );
      return undefined;
    }
    case "withdraw":
      await withdrawBatch(octokit, where, written);
      return undefined;
    case "openFinalPullRequest":
      return openFinalPullRequest(octokit, where, written, at);
  }
}

/**
 * What the journal says of an effect GitHub cannot repeat safely: its answer,
 * when it was done; otherwise it is noted in doubt before the call (a request
 * that fails after GitHub carried it out leaves it so), and `verify` says
 * whether GitHub must be asked first — when the journal cannot vouch for the
 * loaded state, or the effect was left in doubt.
 */
async function recall(session: Session, step: Step, noted: string): Promise<{ answer: string } | { verify: boolean }> {
  const done = step.done?.[noted];
  if (done !== undefined && done !== inDoubt) return { answer: done };
  await session.journal.note(step.issue, noted, inDoubt);
  return { verify: step.done === undefined || done === inDoubt };
}
