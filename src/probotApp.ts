import type { ApplicationFunction, Context, Probot } from "probot";
import { stateKey } from "./state/codec.js";
import { memoryLocks, type Locks } from "./github/stores/lock.js";
import { memoryJournal, type Journal } from "./github/stores/journal.js";
import { memoryThrottle, type Throttle } from "./github/stores/throttle.js";
import { redisStoreFromUrl } from "./github/stores/redisStore.js";
import { ConditionalCache } from "./github/calls/conditionalRequests.js";
import type { Deps } from "./handlers/deps.js";
import { memoryAcknowledgements } from "./handlers/acknowledgements.js";
import { onIssue } from "./handlers/issues.js";
import { onWorkflowRun } from "./handlers/workflowRun.js";
import { onIssueComment } from "./handlers/issueComment.js";
import { onDashboardChanged } from "./handlers/dashboardChanged.js";
import { onCheckRunAction } from "./handlers/checkRunAction.js";
import { onSubIssueClosed } from "./handlers/subIssueClosed.js";
import { onInstallation } from "./handlers/installation.js";
import { onNudge } from "./handlers/nudge.js";
import { onSweep } from "./handlers/sweep.js";
import { defaultRetryDelays, stepRunner } from "./handlers/steps.js";
import { startSweeps, type SweepOptions } from "./handlers/installationSweep.js";
import { workerPlanner } from "./handlers/planInWorker.js";
import type { Planner } from "./schedule/planRequest.js";

export interface AppOptions {
  /** Signs the state the app keeps in its comments; the webhook secret by default. */
  stateSecret: string;
  locks?: Locks;
  journal?: Journal;
  throttle?: Throttle;
  /** Wait for each coordination step before answering the delivery (tests, the simulator). */
  wait?: boolean;
  /** Milliseconds before each new try of a failed step (not with `wait`). */
  retryDelays?: readonly number[];
  /** Milliseconds a step fails before the dashboard says so (a minute by default). */
  faultAfterMs?: number;
  /** Reconcile every open coordination at start-up and then periodically (see handlers/installationSweep.ts). */
  sweep?: SweepOptions;
  /** How breakdowns are planned: in a worker with a budget of 1 s by default (a test gives another budget). */
  planner?: Planner;
}

/** The Probot app: registers the handlers, nothing else. */
export function createApp(options: AppOptions): ApplicationFunction {
  return (app) => {
    const deps = depsOf(options, true);
    onAppEvents(app, deps);
    // A check run's buttons are an App's: GitHub sends their presses to the app that made the check run.
    app.on("check_run.requested_action", (context) => onCheckRunAction(context, deps));
    if (options.sweep !== undefined) startSweeps(app, deps, options.sweep);
  };
}

export interface ActionsAppOptions extends AppOptions {
  /** The coordinator workflow's file under .github/workflows: the sweep nudges coordinations through it. */
  workflow: string;
  /** The time now, for the triggers that carry none (a nudge, the schedule). */
  clock: () => string;
  /** Milliseconds to wait, each in turn, for a run a nudge names to finish (see handlers/nudge.ts). */
  runWaits?: readonly number[];
}

/** A nudge's run ends moments after its last step: half a minute at most, in three waits. */
const defaultRunWaits: readonly number[] = [5_000, 10_000, 15_000];

/**
 * The same app as the Actions bot runs it, one event per workflow run (see
 * src/coordinator/): every handler of the App, and the two triggers only
 * Actions has, a nudge (`workflow_dispatch` naming an issue) and the sweep
 * (`schedule`).
 */
export function createActionsApp(options: ActionsAppOptions): ApplicationFunction {
  return (app) => {
    const deps = { ...depsOf(options, false), nudge: { workflow: options.workflow } };
    onAppEvents(app, deps);
    app.on("workflow_dispatch", (context) =>
      onNudge(context, deps, options.clock(), options.runWaits ?? defaultRunWaits),
    );
    // `schedule` is no webhook, so Probot has no name for it; the shell hands it over as it is.
    app.onAny(async (context) => {
      if ((context.name as string) === "schedule") await onSweep(context as unknown as Context, deps, options.workflow);
    });
  };
}

function depsOf(options: AppOptions, buttons: boolean): Deps {
  const locks = options.locks ?? memoryLocks();
  const key = stateKey(options.stateSecret);
  const reads = new ConditionalCache();
  const run = stepRunner(locks, {
    wait: options.wait === true,
    reads,
    retryDelays: options.retryDelays ?? defaultRetryDelays,
    faults: { key, afterMs: options.faultAfterMs ?? 60_000 },
  });
  return {
    key,
    locks,
    journal: options.journal ?? memoryJournal(),
    throttle: options.throttle ?? memoryThrottle(),
    plan: options.planner ?? workerPlanner(),
    acknowledgements: memoryAcknowledgements(),
    buttons,
    reads,
    run,
  };
}

function onAppEvents(app: Probot, deps: Deps): void {
  app.on(["issues.labeled", "issues.opened"], (context) => onIssue(context, deps));
  app.on("workflow_run.completed", (context) => onWorkflowRun(context, deps));
  app.on("issue_comment.created", (context) => onIssueComment(context, deps));
  app.on("issues.closed", (context) => onSubIssueClosed(context, deps));
  app.on(["issue_comment.deleted", "issue_comment.edited"], (context) => onDashboardChanged(context, deps));
  app.on(["installation.created", "installation_repositories.added"], (context) => onInstallation(context, deps));
}

/** The sweep as `npm start` runs it: `SWEEP_MINUTES` (15) apart, at most `SWEEP_CALLS_PER_HOUR` (600) calls an hour per installation. */
export function sweepFromEnvironment(env: Readonly<Record<string, string | undefined>>): SweepOptions {
  const number = (name: string, fallback: number) => {
    const value = Number(env[name] ?? "");
    return env[name] === undefined || env[name] === "" || !Number.isFinite(value) || value <= 0 ? fallback : value;
  };
  return { everyMs: number("SWEEP_MINUTES", 15) * 60_000, callsPerHour: number("SWEEP_CALLS_PER_HOUR", 600) };
}

/**
 * The app as `npm start` (src/server/serverEntry.ts) or `probot run ./lib/index.js`
 * loads it: the state is signed with the webhook secret;
 * with `REDIS_URL`, replicas share the per-issue locks, the journal and the throttle.
 */
const app: ApplicationFunction = (probot, options) => {
  const secret = process.env.WEBHOOK_SECRET;
  if (secret === undefined || secret === "")
    throw new Error("WEBHOOK_SECRET is not set: the app signs its state with it");
  const sweep = sweepFromEnvironment(process.env);
  const redisUrl = process.env.REDIS_URL;
  if (redisUrl === undefined || redisUrl === "") return createApp({ stateSecret: secret, sweep })(probot, options);
  // ioredis reconnects by itself; meanwhile each command Redis fails falls back to this replica's memory.
  const { locks, journal, throttle } = redisStoreFromUrl(
    redisUrl,
    (error) => probot.log.warn({ err: error }, "Redis connection error"),
    (message, error) => probot.log.warn({ err: error }, message),
  );
  return createApp({ stateSecret: secret, locks, journal, throttle, sweep })(probot, options);
};

export default app;
