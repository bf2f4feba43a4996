import type { Event } from "../../state/events.js";
import { planOf } from "../../state/pinnedPlan.js";
import {
  lostCheckIns,
  mayHaveMissed,
  reconcile,
  recordsSince,
  restoreNote,
  stalledEvent,
  type LostVerdict,
  type RunRecord,
} from "../../state/reconcile.js";
import { position } from "../../state/messages.js";
import { checkRunFoundOutOfScope } from "../calls/checkRuns.js";
import type { State } from "../../state/stateSchema.js";
import { reportWriters } from "../../state/reportWriters.js";
import { runScope } from "../../schedule/runScope.js";
import { postedReports } from "../calls/issueComments.js";
import { evidenceOf, listBatchPulls } from "../calls/pullRequests.js";
import { listRunsSince } from "../calls/workflowRuns.js";
import { vouchesFor } from "../stores/journal.js";
import type { Loaded } from "../stores/loadState.js";
import { coordinate, type Session } from "./coordinate.js";

export interface ReconcileRequest {
  /** When the event happened: the time of a start or an advance the state turns out to need. */
  at: string;
  /** What the event itself shows of a run (a `workflow_run` webhook): newer than any list. */
  run?: RunRecord;
  /** Read the runs even where the journal vouches for the state (the sweep looks for lost completions). */
  readRuns?: boolean;
  /** The event's own events (a command), decided on after the difference. */
  events?: Event[];
  /**
   * Whether the event may bring what the state lacks (true unless said): a
   * redelivered completion, or a label on a coordination that runs, does not.
   * Such an event reads nothing when the journal vouches for the state: the
   * sweep looks for what else GitHub holds.
   */
  news?: boolean;
}

export interface ReconcileResult {
  /** The issue as the step leaves it. */
  loaded: Loaded & { state: State };
  /** What GitHub held that the state did not, in people's words (empty when nothing). */
  recovered: string[];
}

/**
 * Compares a coordination's state with what GitHub holds and acts on the
 * difference, then on the event — the one step every handler, the sweep and
 * an Actions shell run. It reads the batch pull requests (by the report each
 * names), and the agent workflow's runs (by the key in their names) unless the
 * journal vouches that the state holds every run the app dispatched and no
 * pull request names a run still out; `reconcile` (pure) says what differs,
 * and `coordinate` carries it out: runs adopted, lost completions checked in
 * on their own pull requests, merges seen, a stalled start or advance done.
 * A restored snapshot gets its note on the dashboard. Nothing happens when
 * nothing differs and the event asks nothing.
 */
export async function reconcileCoordination(
  session: Session,
  loaded: Loaded & { state: State },
  request: ReconcileRequest,
): Promise<ReconcileResult> {
  const { octokit, where } = session;
  const { state } = loaded;
  const plan = planOf(state);
  const vouched = loaded.restored === undefined && (await vouchesFor(session.journal, where, loaded.fingerprint));
  if (vouched && request.news === false && request.readRuns !== true) {
    // Nothing to compare, but a step that failed before its first write may have left it stalled.
    const stalled = stalledEvent(state, plan, request.at);
    return {
      loaded: stalled === undefined ? loaded : await coordinate(session, loaded, plan, state, [stalled]),
      recovered: [],
    };
  }
  // A report counts only when the agent workflow's publisher wrote it (state/reportWriters.ts).
  const writers = reportWriters(state.config, loaded.appLogin);
  const pulls = await listBatchPulls(octokit, where, state.integration, writers);
  const recorded =
    request.run !== undefined &&
    Object.values(state.batches).some((own) => own.runs.some((run) => run.id === request.run!.id));
  const readRuns =
    !vouched ||
    request.readRuns === true ||
    (request.run !== undefined && !recorded) ||
    mayHaveMissed(state, pulls, request.run?.id);
  const runs = readRuns ? await listRunsSince(octokit, where, state.config.workflow, recordsSince(state)) : undefined;
  const posted = postedReports(loaded.comments, writers);
  const lostVerdicts: LostVerdict[] = [];
  for (const lost of runs === undefined ? [] : lostCheckIns(state, plan, runs, pulls)) {
    const found = await checkRunFoundOutOfScope(
      octokit,
      where,
      lost.sha,
      position(plan, lost.batch),
      lost.batch,
      lost.runId,
    );
    if (found !== undefined) lostVerdicts.push({ runId: lost.runId, outOfScope: found });
  }
  const reconciled = reconcile(state, plan, {
    ...(runs === undefined ? {} : { runs }),
    ...(lostVerdicts.length === 0 ? {} : { lostVerdicts }),
    ...(request.run === undefined ? {} : { event: request.run }),
    pulls,
    posted,
  });
  let next = reconciled.state;
  // Said where people look (never in an agent's brief): the dashboard was damaged or removed, and what GitHub's records added.
  if (loaded.restored !== undefined)
    next = {
      ...next,
      restores: [
        ...(next.restores ?? []),
        restoreNote(loaded.restored, request.at, reconciled.recovered, loaded.restoredFrom),
      ],
    };
  const events: Event[] = [];
  for (const completion of reconciled.completions) {
    const { runId, at, conclusion, minutes } = completion;
    const batch = plan.batches.find((candidate) => candidate.id === completion.batch)!;
    const symlinks = runScope(batch, state.config).allowSymlinks;
    const evidence =
      conclusion === "success"
        ? await evidenceOf(octokit, where, completion, { base: state.integration, symlinks })
        : undefined;
    events.push({
      kind: "runCompleted",
      at,
      runId,
      conclusion,
      minutes,
      ...(evidence === undefined ? {} : { evidence }),
    });
  }
  events.push(...(request.events ?? []));
  if (events.length === 0) {
    const stalled = stalledEvent(next, plan, request.at);
    if (stalled !== undefined) events.push(stalled);
    else if (next === state) return { loaded, recovered: [] };
    // Only adopted: written, with nothing to decide.
    else events.push({ kind: "advance", at: request.at });
  }
  return { loaded: await coordinate(session, loaded, plan, next, events), recovered: reconciled.recovered };
}
