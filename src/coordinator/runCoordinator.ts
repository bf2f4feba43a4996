import { Probot, ProbotOctokit } from "probot";
import { createActionsApp } from "../probotApp.js";
import { requestFailure } from "../github/calls/githubClient.js";
import { ensureComment, listComments } from "../github/calls/issueComments.js";
import type { IssueRef, Octokit } from "../github/calls/githubTypes.js";
import { commentMarker } from "../github/stores/markers.js";
import { renderMessage } from "../render/renderMessage.js";
import { decodeState, stateKey } from "../state/codec.js";
import type { SetupGap } from "../state/messages.js";
import { parseRunKey } from "../state/names.js";
import { planOf } from "../state/pinnedPlan.js";
import type { State } from "../state/stateSchema.js";
import { LEAST_KEY_LENGTH, STATE_KEY_SECRET, type CoordinatorJob } from "./coordinatorJob.js";
import { jobSummary, type RunAccount } from "./jobSummary.js";
import { recordingOctokit, type RecordedRequest } from "./recordedRequest.js";
import { setupGapOf } from "./setupGap.js";

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
type Logger = Probot["log"];

export interface CoordinatorOptions {
  /** The Octokit class under Probot: Probot's own by default (retries, throttling). */
  Octokit?: typeof ProbotOctokit;
  /** Where requests go: the network by default, a fake GitHub's `fetch` in the simulator. */
  fetch?: Fetch;
  /** The time now, for triggers that carry none (a nudge, the schedule). */
  clock?: () => string;
  /** How long a nudge waits for the run it names to finish (the app's default: half a minute). */
  runWaits?: readonly number[];
  log: Logger;
}

export interface CoordinatorResult extends RunAccount {
  /** The job summary's Markdown. */
  summary: string;
}

/**
 * One run of the coordinator workflow: the App's own handlers, in a Probot
 * authenticated with the run's token, given the run's one event, as
 * @probot/adapter-github-actions does it; the step waits until the event's
 * work is done. No server and no Redis: the workflow's concurrency group is
 * the issue's lock, and what the App keeps in memory between events (the
 * journal, the throttle) lives for one run — the state on GitHub is what
 * carries over. Without the state key nothing is done, and the issue is told.
 */
export async function runCoordinator(job: CoordinatorJob, options: CoordinatorOptions): Promise<CoordinatorResult> {
  const action = typeof job.payload.action === "string" ? job.payload.action : undefined;
  const event = action === undefined ? job.event : `${job.event}.${action}`;
  const [owner = "", repo = ""] = job.repository.split("/");
  const issue = issueOf(job);
  const where = issue === undefined ? undefined : { owner, repo, issue };
  const requests: RecordedRequest[] = [];
  const problems: string[] = [];
  const probot = new Probot({
    githubToken: job.token,
    baseUrl: job.apiUrl,
    log: options.log,
    Octokit: recordingOctokit(options.Octokit ?? ProbotOctokit, requests),
    ...(options.fetch === undefined ? {} : { request: { fetch: options.fetch } }),
  });
  const finish = (ok: boolean, after?: State): CoordinatorResult => {
    const account: RunAccount = {
      event,
      repository: job.repository,
      ...(issue === undefined ? {} : { issue }),
      ok,
      problems,
      requests,
      ...(after === undefined ? {} : { after: { state: after, plan: planOf(after) } }),
    };
    return { ...account, summary: jobSummary(account) };
  };

  const key = job.stateKey;
  if (key === undefined || key.length < LEAST_KEY_LENGTH) {
    const gap: SetupGap = {
      what: "stateKey",
      problem: key === undefined ? "missing" : "short",
      secret: STATE_KEY_SECRET,
      least: LEAST_KEY_LENGTH,
    };
    problems.push(
      key === undefined
        ? `The secret ${STATE_KEY_SECRET} is not set: the coordinator signs its state with it, and starts nothing without it.`
        : `The secret ${STATE_KEY_SECRET} is shorter than ${LEAST_KEY_LENGTH} characters.`,
    );
    if (where !== undefined) await tell(await probot.auth(), where, gap, problems);
    return finish(false);
  }

  const clock = options.clock ?? (() => new Date().toISOString().replace(/\.\d{3}Z$/, "Z"));
  await probot.load(
    createActionsApp({
      stateSecret: key,
      wait: true,
      workflow: job.workflow,
      clock,
      ...(options.runWaits === undefined ? {} : { runWaits: options.runWaits }),
    }),
  );
  let ok = true;
  try {
    await probot.receive({ id: job.runId, name: job.event, payload: withRepository(job) } as Parameters<
      Probot["receive"]
    >[0]);
  } catch (error) {
    ok = false;
    const gap = setupGapOf(error);
    problems.push(...messagesOf(error));
    if (gap !== undefined && where !== undefined) await tell(await probot.auth(), where, gap, problems);
  }
  return finish(ok, lastStateWritten(requests, stateKey(key), issue));
}

/** The issue an event names: the issue itself, the dispatch's `issue` input, or the key in an agent run's name. */
function issueOf(job: CoordinatorJob): number | undefined {
  const payload = job.payload as {
    issue?: { number?: unknown };
    inputs?: { issue?: unknown };
    workflow_run?: { display_title?: unknown };
  };
  switch (job.event) {
    case "issues":
    case "issue_comment":
      return typeof payload.issue?.number === "number" ? payload.issue.number : undefined;
    case "workflow_dispatch": {
      const given = String(payload.inputs?.issue ?? "").trim();
      return /^\d{1,9}$/.test(given) && Number(given) > 0 ? Number(given) : undefined;
    }
    case "workflow_run":
      return parseRunKey(String(payload.workflow_run?.display_title ?? ""))?.issue;
    default:
      return undefined;
  }
}

/** A scheduled run's payload names no repository (GitHub's holds only `schedule`): the run's own is given. */
function withRepository(job: CoordinatorJob): Record<string, unknown> {
  if (job.payload.repository !== undefined) return job.payload;
  const [owner = "", name = ""] = job.repository.split("/");
  return {
    ...job.payload,
    repository: {
      owner: { login: owner },
      name,
      full_name: job.repository,
      html_url: `${job.serverUrl}/${job.repository}`,
      default_branch: job.ref,
    },
  };
}

/** Says on the issue, once, what the workflow or the repository lacks; when even that is refused, the job summary alone says it. */
async function tell(octokit: Octokit, where: IssueRef, gap: SetupGap, problems: string[]): Promise<void> {
  const marker = commentMarker(`setup-${gap.what}${gap.what === "permission" ? `-${gap.permission}` : ""}`);
  try {
    await ensureComment(
      octokit,
      where,
      await listComments(octokit, where),
      marker,
      `${renderMessage({ kind: "setupMissing", gap })}\n\n${marker}`,
    );
  } catch (error) {
    problems.push(`The issue could not be told: ${messagesOf(error).join("; ")}`);
  }
}

/** The coordination as the run left it: the signed state in the last comment it wrote for the issue. */
function lastStateWritten(requests: RecordedRequest[], key: Buffer, issue: number | undefined): State | undefined {
  for (const request of [...requests].reverse()) {
    if (
      request.status === undefined ||
      request.status >= 400 ||
      typeof request.params.body !== "string" ||
      !request.route.includes("/issues/")
    )
      continue;
    const decoded = decodeState(request.params.body, key);
    if (decoded.ok && (issue === undefined || decoded.state.issue === issue)) return decoded.state;
  }
  return undefined;
}

/** What went wrong, one line per error: a request GitHub refused or failed as `GitHub answered 502 to PATCH /repos/…: …`. */
function messagesOf(error: unknown): string[] {
  const inner = error instanceof AggregateError ? error.errors : [error];
  return inner.map(requestFailure);
}
