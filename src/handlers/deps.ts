import type { Context } from "probot";
import type { Locks } from "../github/stores/lock.js";
import type { Journal } from "../github/stores/journal.js";
import type { Throttle } from "../github/stores/throttle.js";
import type { ConditionalCache } from "../github/calls/conditionalRequests.js";
import type { Comment, IssueRef, RepoRef } from "../github/calls/githubTypes.js";
import type { Session } from "../github/effects/coordinate.js";
import { ensureComment } from "../github/calls/issueComments.js";
import type { Loaded } from "../github/stores/loadState.js";
import { commentMarker } from "../github/stores/markers.js";
import { renderMessage } from "../render/renderMessage.js";
import type { Message } from "../state/messages.js";
import type { Planner } from "../schedule/planRequest.js";
import type { Acknowledgements } from "./acknowledgements.js";

/**
 * Where a step comes from: a webhook's delivery (a Probot context is one), or
 * the sweep. Its id goes into the log with every failure; `octokit` acts for
 * the installation.
 */
export interface StepOrigin {
  id: string;
  log: Context["log"];
  octokit: Context["octokit"];
}

/** What every handler shares: the state key, the locks, the journal, the throttle, the starts pending, and how work is run. */
export interface Deps {
  key: Buffer;
  locks: Locks;
  journal: Journal;
  throttle: Throttle;
  /** GitHub's answers to the reads made again and again, kept to send them as conditional requests (free when unchanged). */
  reads: ConditionalCache;
  /** How a breakdown is planned: in a worker with a time budget (planInWorker.ts). */
  plan: Planner;
  /** The starts of each installation yet to show their dashboard: the others' branch and dispatch writes wait for them. */
  acknowledgements: Acknowledgements;
  /** Whether check runs get buttons: the App's do; the Actions bot's would have nobody to press them for. */
  buttons: boolean;
  /**
   * The Actions bot's coordinator workflow: an event of one issue that is another's step (a batch's sub-issue
   * closed) nudges that issue through it, since a run holds only its own issue's concurrency group. The App has
   * none: its locks are its own.
   */
  nudge?: { workflow: string };
  /**
   * Runs a coordination step for an issue (or a repository's onboarding) under
   * its lock (see steps.ts): the server answers GitHub first and lets the step
   * finish, trying it again if it fails; tests and the simulator wait for it.
   * A handler does no GitHub call before it: GitHub gives up on a delivery
   * after 10 s, and a slow GitHub would make the answer wait.
   */
  run: (origin: StepOrigin, where: IssueRef | RepoRef, work: () => Promise<void>) => Promise<void>;
}

export function sessionOf(context: Context, where: IssueRef, deps: Deps): Session {
  return sessionFor(context.octokit, where, repoUrlOf(context), deps);
}

export function sessionFor(octokit: Context["octokit"], where: IssueRef, repoUrl: string, deps: Deps): Session {
  return { octokit, where, repoUrl, key: deps.key, journal: deps.journal, buttons: deps.buttons };
}

/** `https://github.com/owner/repo`, from a webhook about a repository. */
export function repoUrlOf(context: Context): string {
  return (context.payload as { repository: { html_url: string } }).repository.html_url;
}

/** Answers a person's comment once: the answer is keyed by that comment, so a redelivery finds it and posts nothing. */
export function answerTo(
  context: Context,
  where: IssueRef,
  loaded: Loaded,
  comment: number,
): (message: Message) => Promise<Comment> {
  return sayOnce(context, where, loaded, `answer-${comment}`);
}

/** Says a message on the issue once under `key`: a step tried again, or an event delivered again, finds it and posts nothing. */
export function sayOnce(
  context: Context,
  where: IssueRef,
  loaded: Loaded,
  key: string,
): (message: Message) => Promise<Comment> {
  const marker = commentMarker(key);
  return (message) =>
    ensureComment(
      context.octokit,
      where,
      loaded.comments,
      marker,
      `${renderMessage(message)}\n\n${marker}`,
      loaded.appLogin,
    );
}

/** What GitHub held that the state lacked, for whoever reads the log: the sign of a step that was lost. */
export function logRecovered(context: StepOrigin, recovered: string[]): void {
  if (recovered.length > 0)
    context.log.info({ delivery: context.id, recovered }, "reconciled the coordination with GitHub");
}
