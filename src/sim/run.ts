import { generateKeyPairSync, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { Probot, type ApplicationFunction } from "probot";
import { configFromYaml, defaultConfig } from "../base/config.js";
import { createApp as realApp, type AppOptions } from "../probotApp.js";
import type { Plan } from "../plan/planModel.js";
import { planFromSource } from "../schedule/planner.js";
import { formatProblem, type Problem } from "../base/problem.js";
import { readBreakdown } from "../plan/readBreakdown.js";
import { decodeState, stateKey } from "../state/codec.js";
import { planOf } from "../state/pinnedPlan.js";
import type { State } from "../state/stateSchema.js";
import { scorecard, type ScorecardEntry } from "../state/scorecard.js";
import type { CoordinationStatus } from "../state/status.js";
import { playRun, runMinutes } from "./simulatedAgent.js";
import { probotOptions } from "./probotOptions.js";
import { ACTIONS_LOGIN, APP_LOGIN, iso } from "../fakeGitHub/conventions.js";
import { actionsAgentWorkflow, COORDINATOR_WORKFLOW_PATH, coordinatorWorkflow } from "../onboarding/actionsFiles.js";
import { ActionsBot, type CoordinatorRuns } from "./actionsBot.js";
import { FakeGitHub, type Delivery } from "../fakeGitHub/fakeGitHub.js";
import type { Fault } from "../fakeGitHub/faults.js";
import type { Issue, Repo } from "../fakeGitHub/repository.js";
import { loadRequestChecker } from "../fakeGitHub/requestChecker.js";
import { emptyScenario, outcomesByBatch, type Scenario, type Step } from "./scenario.js";

/** `createApp` of `src/probotApp.ts`: the app with its secret given, not read from the environment. */
export type AppFactory = (options: AppOptions) => ApplicationFunction;

export interface SimulationOptions {
  /** The feature issue's body. */
  breakdown: string;
  /** `.github/parallel-coordinator.yml`, as text, when the repository has one. */
  config?: string;
  scenario?: Scenario;
  /** The app to run; by default the real one, `createApp` of `src/probotApp.ts`. */
  createApp?: AppFactory;
  /** The simulated clock's start. */
  start?: string;
  /** Webhook deliveries at most (a coordination that never settles stops here). */
  maxDeliveries?: number;
  /** Check every request against GitHub's REST description when `@octokit/openapi` is installed (default true). */
  checkRequests?: boolean;
  /** Keep Probot's own throttling of writes (about 1 s apart, 3 s for those that notify): real wall-clock times. */
  throttle?: boolean;
  /** Start with a maintainer's `/plan --force` instead of the label: an epic (Level 3) or oversized batches are coordinated anyway. */
  force?: boolean;
  /** The app's state secret; a random one by default. A fixed one leaves states another run can read (the kept state fixtures). */
  stateSecret?: string;
  /**
   * Which shell plays the coordination: the App (a server GitHub sends
   * webhooks to; the default) or the Actions bot (the coordinator workflow
   * `init` writes, run by the rules of Actions: its triggers, the
   * `GITHUB_TOKEN`, concurrency groups, the schedule).
   */
  mode?: SimulationMode;
  /** Actions: whether a run a `GITHUB_TOKEN` dispatched sends `workflow_run` (GitHub's docs: yes; a field report: no). */
  workflowRunAfterTokenDispatch?: "fires" | "silent";
  /** GitHub's failures to inject (a 502 on the third dashboard edit, say): a step that meets one fails half-way, as a killed run does. */
  faults?: Fault[];
  /**
   * Actions: the coordinator's runs GitHub loses, by their place among the
   * runs after the start's (the label's, or `/plan --force`'s) whose job
   * would run, 1 the first: each is cancelled before it runs, as a waiting run
   * a newer one of its group cancels, or a schedule GitHub drops.
   */
  lostRuns?: readonly number[];
}

export type SimulationMode = "app" | "actions";

export type RunOutcome = NonNullable<State["batches"][string]["runs"][number]["outcome"]>;

/** The `--json` object. */
export interface SimulationReport {
  /** The coordination's status in the app's state; null when the app started none (it refused the breakdown). */
  status: CoordinationStatus | null;
  batches: { id: string; status: string; runs: { outcome: RunOutcome | null }[] }[];
  /**
   * `perBatch` is null when the coordination has no batches. `rateLimited`: the calls that cost rate limit, all but
   * those answered `304 Not Modified` (a conditional read of what had not changed).
   */
  calls: { total: number; rateLimited: number; perBatch: number | null; byRoute: Record<string, number> };
  comments: { author: string; body: string }[];
  pullRequests: { number: number; head: string; base: string; merged: boolean }[];
  /** The feature issue's sub-issues as they end (`subIssues.mirror`: one per batch), in their order. */
  subIssues: { number: number; title: string; state: "open" | "closed"; labels: string[]; blockedBy: number[] }[];
  /** Minutes from the first dispatch to the final pull request; null without one. */
  makespan: number | null;
  /** How each agent did, as the final report gives it. */
  scorecard: ScorecardEntry[];
  mode: SimulationMode;
  /** Actions: the coordinator workflow's runs, by trigger, and the minutes they bill. */
  coordinatorRuns?: CoordinatorRuns;
}

export interface Simulation extends SimulationReport {
  github: FakeGitHub;
  repo: Repo;
  issue: number;
  start: string;
  state?: State;
  plan?: Plan;
  /** Errors the app's handlers threw. */
  errors: string[];
  /** The wall-clock time of the slowest delivery, in milliseconds. */
  slowestDeliveryMs: number;
  /** Actions: the CPU time of the slowest coordinator run, in milliseconds (the in-memory GitHub's work included). */
  slowestCoordinatorRunCpuMs?: number;
  /** Requests GitHub would refuse or the simulator does not know: each one a bug. */
  problems: string[];
  /** Whether every request was checked against GitHub's REST description (it needs the dev dependency `@octokit/openapi`). */
  requestsChecked: boolean;
  /** Warnings and errors the app logged. */
  log: string[];
  deliveries: number;
  /** Why the simulation stopped before the coordination settled, if it did. */
  stopped?: string;
  /** What is wrong with the config or the breakdown, as the planner sees it (the app answers them with a comment). */
  inputProblems: string[];
}

/** A scenario that does not fit the breakdown: it names batches the plan does not have. */
export class ScenarioError extends Error {
  constructor(readonly problems: Problem[]) {
    super(`the scenario does not fit the breakdown: ${problems.map(formatProblem).join("; ")}`);
  }
}

export const DEFAULT_START = "2026-01-05T09:00:00Z";
export const OWNER = "acme";
export const REPO = "shop";
export const MAINTAINER = "maintainer";
export const READER = "reader";
const APP_ID = 424_242;
const INSTALLATION_ID = 4_242;

/**
 * The agent workflow of the simulated repository: the project's own template
 * (`templates/parallel-coordinator-agent.yml`), so that a dispatch the template
 * does not accept fails here as it would on GitHub; this copy of its trigger
 * when the template is not beside the code.
 */
export function agentWorkflow(): string {
  try {
    return readFileSync(new URL("../../templates/parallel-coordinator-agent.yml", import.meta.url), "utf8");
  } catch {
    return AGENT_WORKFLOW;
  }
}

/** The trigger of the agent workflow: exactly the inputs the app sends. */
export const AGENT_WORKFLOW = `name: parallel-coordinator agent
run-name: "parallel-coordinator #\${{ inputs.issue }} batch \${{ inputs.batch }} (\${{ inputs.key }})"
on:
  workflow_dispatch:
    inputs:
      issue: { description: "Feature issue number", required: true }
      batch: { description: "Batch id", required: true }
      attempt: { description: "Attempt number", required: true }
      key: { description: "Correlation key, in the run name", required: true }
      base: { description: "Integration branch the pull request targets", required: true }
      scope: { description: "Allowed and denied globs, as JSON", required: true }
      brief: { description: "The batch's brief", required: true }
permissions:
  contents: write
  pull-requests: write
  issues: write
jobs:
  agent:
    runs-on: ubuntu-latest
    timeout-minutes: 60
    steps:
      - uses: actions/checkout@v5
      - run: echo "In the simulator, the scripted agent plays this run."
`;

type Logger = Probot["log"];

interface Pending {
  /** Simulated time, in milliseconds. */
  at: number;
  run: () => Promise<void>;
}

/**
 * Plays a whole coordination: an in-memory GitHub, the real app behind a real
 * Probot, and a scripted agent, on a simulated clock. Deterministic except for
 * the keys it makes up, and it never reads the machine's clock.
 */
export async function simulate(options: SimulationOptions): Promise<Simulation> {
  const startIso = options.start ?? DEFAULT_START;
  let now = Date.parse(startIso);
  if (Number.isNaN(now)) throw new Error(`not a timestamp: ${startIso}`);
  const clock = () => iso(now);

  const keys = appKeys();
  const stateSecret = options.stateSecret ?? randomBytes(32).toString("hex");
  const mode = options.mode ?? "app";
  const github = new FakeGitHub({
    appId: APP_ID,
    publicKey: keys.publicKey,
    installationId: INSTALLATION_ID,
    clock,
    ...(options.workflowRunAfterTokenDispatch === undefined
      ? {}
      : { workflowRunAfterTokenDispatch: options.workflowRunAfterTokenDispatch }),
  });
  if (options.checkRequests !== false) github.checkRequests = await loadRequestChecker();
  for (const fault of options.faults ?? []) github.faults.add(fault);

  const parsedConfig = options.config === undefined ? undefined : configFromYaml(options.config);
  const config = parsedConfig?.ok === true ? parsedConfig.config : defaultConfig;
  const planned = planFromSource(readBreakdown(options.breakdown), config, { force: options.force === true });
  const scenario = options.scenario ?? emptyScenario;
  const resolved = outcomesByBatch(scenario, planned.plan);
  if (!resolved.ok) throw new ScenarioError(resolved.problems);
  const inputProblems = [
    ...(parsedConfig?.ok === false ? parsedConfig.problems.map((problem) => `config: ${formatProblem(problem)}`) : []),
    ...(parsedConfig?.ok === false || planned.ok
      ? []
      : planned.problems.map((problem) => `breakdown: ${formatProblem(problem)}`)),
  ];

  const repo = github.createRepo({
    owner: OWNER,
    name: REPO,
    files: {
      "README.md": "# shop\n\nA repository of the parallel-coordinator simulator.\n",
      // The Actions bot's repository holds what `init` writes: its agent workflow and the coordinator's.
      ...(mode === "actions"
        ? {
            [`.github/workflows/${config.workflow}`]: actionsAgentWorkflow(),
            [COORDINATOR_WORKFLOW_PATH]: coordinatorWorkflow(),
          }
        : { [`.github/workflows/${config.workflow}`]: agentWorkflow() }),
      ...(options.config === undefined ? {} : { ".github/parallel-coordinator.yml": options.config }),
    },
    collaborators: { [MAINTAINER]: "write", [READER]: "read" },
  });

  // The event queue, in simulated time; equal times in the order they were queued.
  const queue: Pending[] = [];
  const schedule = (at: number, run: () => Promise<void>): Pending => {
    const pending = { at, run };
    const index = queue.findIndex((other) => other.at > at);
    queue.splice(index === -1 ? queue.length : index, 0, pending);
    return pending;
  };
  // The Actions bot, in that mode: told of the runs that end, its own cancelled ones among them.
  const bot =
    mode === "actions"
      ? new ActionsBot({
          github,
          repo,
          now: () => now,
          clock,
          schedule: (at, work) => void schedule(at, work),
          stateSecret,
          Octokit: probotOptions(github.fetch, { throttle: options.throttle === true }).Octokit!,
          log: quietLogger((line) => log.push(`${clock()} ${line}`)),
          failed: (line) => errors.push(line),
          running: () => {
            const state = stateNow();
            return state?.status === "running" ? JSON.stringify(state) : undefined;
          },
          agentsBusy: () =>
            [...repo.runs.values()].some(
              (run) => run.path === `.github/workflows/${config.workflow}` && run.status !== "completed",
            ),
        })
      : undefined;
  // Every webhook GitHub sends reaches the App, at the time it is sent; the Actions bot's runs start from the same events.
  const completions = new Map<number, Pending>();
  github.onWebhook = (delivery) => {
    // A run that ended before the agent was done (cancelled) needs the agent no more.
    if (delivery.name === "workflow_run" && delivery.payload.action === "completed") {
      unschedule(completions.get(delivery.payload.workflow_run.id));
      bot?.ended(repo.runs.get(delivery.payload.workflow_run.id)!);
    }
    if (mode === "app") schedule(now, () => deliver(delivery));
  };
  const unschedule = (pending: Pending | undefined) => {
    if (pending !== undefined) queue.splice(queue.indexOf(pending), 1);
  };
  const issue = github.createIssue(repo, {
    title: titleOf(options.breakdown),
    body: options.breakdown,
    user: MAINTAINER,
  });

  const log: string[] = [];
  const errors: string[] = [];
  const createApp = options.createApp ?? realApp;
  const boot = async (): Promise<Probot> => {
    const probot = new Probot(
      probotOptions(github.fetch, {
        appId: APP_ID,
        privateKey: keys.privateKey,
        secret: randomBytes(16).toString("hex"),
        log: quietLogger((line) => log.push(`${clock()} ${line}`)),
        throttle: options.throttle === true,
      }),
    );
    // `wait`: each delivery returns once the app's step is done, so the simulated clock never runs ahead of it.
    await probot.load(createApp({ stateSecret, wait: true }));
    return probot;
  };
  let probot = mode === "app" ? await boot() : undefined;
  let deliveries = 0;
  let slowest = 0;
  const deliver = async (delivery: Delivery): Promise<void> => {
    deliveries += 1;
    const started = performance.now();
    try {
      await probot!.receive(delivery as unknown as Parameters<Probot["receive"]>[0]);
      slowest = Math.max(slowest, performance.now() - started);
    } catch (error) {
      errors.push(`${clock()} ${delivery.name}.${String(delivery.payload.action)}: ${describe(error)}`);
    }
  };

  // Each body decoded once: the Actions bot looks at the state after every run.
  const decoded = new Map<string, State | undefined>();
  const stateNow = (): State | undefined =>
    latestState(repo, issue.number, stateKey(stateSecret), mode === "actions" ? ACTIONS_LOGIN : APP_LOGIN, decoded);

  // The scripted agent plays every run of the agent workflow that may start; the Actions bot, every run of the coordinator's.
  const runsOf = new Map<string, number>();
  github.onRunQueued = (_, run) => {
    if (bot?.owns(run) === true) {
      deliveries += 1;
      bot.queued(run);
      return;
    }
    if (run.event !== "workflow_dispatch" || run.path !== `.github/workflows/${config.workflow}`) return;
    const batch = run.inputs.batch ?? "";
    const index = runsOf.get(batch) ?? 0;
    runsOf.set(batch, index + 1);
    const outcome = resolved.outcomes.get(batch)?.[index] ?? "accept";
    schedule(now, async () => {
      if (run.status === "queued") github.setRunStatus(repo, run, "in_progress");
    });
    completions.set(
      run.id,
      schedule(now + runMinutes(run, outcome) * 60_000, async () => {
        completions.delete(run.id);
        const conclusion = playRun(github, repo, run, outcome);
        // The Actions bot's agent workflow nudges the coordinator in its last step, with the run's GITHUB_TOKEN.
        if (bot !== undefined)
          github.dispatch(
            repo,
            repo.workflows().find((workflow) => workflow.path === COORDINATOR_WORKFLOW_PATH)!,
            repo.defaultBranch,
            { issue: run.inputs.issue ?? "", run: String(run.id) },
            ACTIONS_LOGIN,
          );
        github.setRunStatus(repo, run, "completed", conclusion);
      }),
    );
  };

  const ready = (step: Step): boolean =>
    step.when === undefined ? queue.length === 0 : acceptedIn(stateNow()) >= step.when.accepted;
  const perform = async (step: Step): Promise<void> => {
    if (step.restart === true) {
      if (probot === undefined) {
        github.note("nothing restarts: the Actions bot keeps nothing between its runs but what GitHub holds");
        return;
      }
      github.note("the app restarts: a new Probot, nothing kept but what GitHub holds");
      probot = await boot();
      return;
    }
    github.addComment(repo, issue.number, step.by ?? MAINTAINER, step.comment!);
  };

  if (options.force === true) await perform({ comment: "/plan --force", by: MAINTAINER });
  else github.addLabel(repo, issue, config.label, MAINTAINER);
  // Counted from here: the start's own run is not among the places.
  const lost =
    mode === "actions"
      ? (options.lostRuns ?? []).map((call) => github.faults.loseRun({ workflow: COORDINATOR_WORKFLOW_PATH, call }))
      : [];
  bot?.armSweep();
  const maxDeliveries = options.maxDeliveries ?? 10_000;
  const steps = [...scenario.steps];
  let stopped: string | undefined;
  for (;;) {
    if (deliveries >= maxDeliveries) {
      stopped =
        mode === "app"
          ? `stopped after ${deliveries} webhook deliveries (the limit)`
          : `stopped after ${deliveries} coordinator runs (the limit)`;
      break;
    }
    const step = steps[0];
    if (step !== undefined && ready(step)) {
      steps.shift();
      await perform(step);
      continue;
    }
    const next = queue.shift();
    if (next === undefined) {
      if (step !== undefined)
        stopped = `scenario step ${scenario.steps.length - steps.length + 1} never came: ${JSON.stringify(step.when)} was not reached`;
      else if (mode === "actions" && stateNow()?.status === "running")
        stopped = "the coordination stalled: no agent ran and its state did not change between two sweeps";
      break;
    }
    now = Math.max(now, next.at);
    await next.run();
  }

  return {
    ...report(github, repo, issue, stateNow(), mode, bot?.account(lost.reduce((sum, fault) => sum + fault.hits, 0))),
    github,
    repo,
    issue: issue.number,
    start: startIso,
    ...withState(stateNow()),
    errors,
    problems: [...github.problems],
    requestsChecked: github.checkRequests !== undefined,
    log,
    deliveries,
    slowestDeliveryMs: slowest,
    ...(bot === undefined ? {} : { slowestCoordinatorRunCpuMs: bot.slowestRunCpuMs }),
    ...(stopped === undefined ? {} : { stopped }),
    inputProblems,
  };
}

let keyPair: { publicKey: string; privateKey: string } | undefined;

/** The app's key pair, made once per process: making one takes longer than many a simulation. */
function appKeys(): { publicKey: string; privateKey: string } {
  keyPair ??= generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  return keyPair;
}

function withState(state: State | undefined): { state?: State; plan?: Plan } {
  return state === undefined ? {} : { state, plan: planOf(state) };
}

/**
 * The state in the app's comment written last (the App's, or the Actions
 * bot's with `login`): the dashboard, edited after every event. `decoded`
 * keeps what each body held, for a caller that asks again and again.
 */
export function latestState(
  repo: Repo,
  issue: number,
  key: Buffer,
  login = APP_LOGIN,
  decoded = new Map<string, State | undefined>(),
): State | undefined {
  const own = [...repo.comments.values()]
    .filter((comment) => comment.issue === issue && comment.user === login)
    .sort((a, b) => a.written - b.written);
  for (const comment of own.reverse()) {
    if (!decoded.has(comment.body)) {
      const read = decodeState(comment.body, key);
      decoded.set(comment.body, read.ok ? read.state : undefined);
    }
    const state = decoded.get(comment.body);
    if (state !== undefined) return state;
  }
  return undefined;
}

function acceptedIn(state: State | undefined): number {
  return Object.values(state?.batches ?? {}).filter((batch) => batch.status === "accepted").length;
}

function report(
  github: FakeGitHub,
  repo: Repo,
  issue: Issue,
  state: State | undefined,
  mode: SimulationMode,
  coordinatorRuns: CoordinatorRuns | undefined,
): SimulationReport {
  const plan = state === undefined ? undefined : planOf(state);
  const ids = plan?.batches.map((batch) => batch.id) ?? Object.keys(state?.batches ?? {});
  const batches = ids.map((id) => {
    const own = state!.batches[id];
    return {
      id,
      status: own?.status ?? "pending",
      runs: (own?.runs ?? []).map((run) => ({ outcome: run.outcome ?? null })),
    };
  });
  const byRoute: Record<string, number> = {};
  for (const call of github.calls) byRoute[call.route] = (byRoute[call.route] ?? 0) + 1;
  const total = github.calls.length;
  const pulls = [...repo.pulls.values()].sort((a, b) => a.number - b.number);
  const firstDispatch = github.history.find((entry) => entry.kind === "dispatch");
  const final = pulls.find((pull) => pull.base === repo.defaultBranch);
  return {
    status: state?.status ?? null,
    batches,
    scorecard: plan === undefined ? [] : scorecard(plan, state!).map(({ accepted: _accepted, ...entry }) => entry),
    calls: {
      total,
      rateLimited: github.rateLimited(),
      perBatch: batches.length === 0 ? null : Math.round((100 * total) / batches.length) / 100,
      byRoute: Object.fromEntries(Object.entries(byRoute).sort(([a, x], [b, y]) => y - x || a.localeCompare(b))),
    },
    comments: [...repo.comments.values()]
      .filter((comment) => comment.issue === issue.number)
      .map((comment) => ({ author: comment.user, body: comment.body })),
    pullRequests: pulls.map((pull) => ({ number: pull.number, head: pull.head, base: pull.base, merged: pull.merged })),
    subIssues: issue.subIssues.flatMap((number) => {
      const sub = repo.issues.get(number);
      return sub === undefined
        ? []
        : [{ number, title: sub.title, state: sub.state, labels: sub.labels, blockedBy: sub.blockedBy }];
    }),
    makespan:
      firstDispatch === undefined || final === undefined
        ? null
        : (Date.parse(final.createdAt) - Date.parse(firstDispatch.at)) / 60_000,
    mode,
    ...(coordinatorRuns === undefined ? {} : { coordinatorRuns }),
  };
}

function titleOf(breakdown: string): string {
  return /^#\s+(.+)$/m.exec(breakdown)?.[1]?.trim() ?? "Feature";
}

function describe(error: unknown): string {
  const inner = error instanceof AggregateError ? error.errors : [error];
  return inner.map((item) => (item instanceof Error ? (item.stack ?? item.message) : String(item))).join("\n");
}

/** A logger for Probot that keeps the app's warnings and errors for the report and says nothing itself. */
function quietLogger(sink: (line: string) => void): Logger {
  const noop = () => undefined;
  const keep =
    (level: string) =>
    (...args: unknown[]) => {
      const parts = args.map((arg) =>
        typeof arg === "string"
          ? arg
          : arg instanceof Error
            ? arg.message
            : typeof arg === "object" && arg !== null && "err" in arg
              ? String((arg as { err: unknown }).err)
              : "",
      );
      sink(`${level}: ${parts.filter((part) => part !== "").join(" ")}`);
    };
  const logger: Record<string, unknown> = {
    level: "warn",
    trace: noop,
    debug: noop,
    info: noop,
    warn: keep("warn"),
    error: keep("error"),
    fatal: keep("fatal"),
    silent: noop,
    child: () => logger,
    bindings: () => ({}),
    isLevelEnabled: (level: string) => ["warn", "error", "fatal"].includes(level),
    flush: noop,
  };
  return logger as unknown as Logger;
}
