import type { Probot, ProbotOctokit } from "probot";
import { runCoordinator } from "../coordinator/runCoordinator.js";
import { COORDINATOR_WORKFLOW_PATH } from "../onboarding/actionsFiles.js";
import { API, WEB } from "../fakeGitHub/conventions.js";
import type { FakeGitHub } from "../fakeGitHub/fakeGitHub.js";
import type { Repo, WorkflowRun } from "../fakeGitHub/repository.js";

/** A coordinator run waits this long for a runner, as a hosted runner's start takes. */
export const RUNNER_START_MS = 20_000;
/** And holds its runner (and its issue's group) this long after its work. */
export const RUNNER_FINISH_MS = 10_000;
/** A job is billed by the minute, rounded up: a coordinator run's job, seconds long, bills one. */
const BILLED_MINUTES_PER_RUN = 1;
/** The sweep's cron (the coordinator workflow's): minutes 7, 22, 37 and 52 of each hour. */
const SWEEP_MINUTES = [7, 22, 37, 52];

/** The `--json` account of the coordinator workflow's runs. */
export interface CoordinatorRuns {
  /** Every run GitHub started, by the event that started it. */
  total: number;
  byTrigger: Record<string, number>;
  /** Runs that took a runner and ran the coordinator. */
  ran: number;
  /** Runs whose job the workflow's `if:` skipped: no runner. */
  skipped: number;
  /** Runs a newer one of their issue's group cancelled while they waited. */
  cancelled: number;
  /** Runs GitHub lost (the simulation's `lostRuns`): cancelled before they ran. */
  lost: number;
  /** The Actions minutes they would bill: each job that ran, rounded up to a whole minute. */
  minutes: number;
}

export interface ActionsBotOptions {
  github: FakeGitHub;
  repo: Repo;
  /** The simulated clock, in milliseconds, and as GitHub writes time. */
  now: () => number;
  clock: () => string;
  /** Queues work at a simulated time. */
  schedule: (at: number, work: () => Promise<void>) => void;
  stateSecret: string;
  /** The Octokit under the coordinator's Probot: the fake's `fetch`, no retries. */
  Octokit: typeof ProbotOctokit;
  log: Probot["log"];
  /** Where the coordinator's failures are told. */
  failed: (line: string) => void;
  /** The coordination's state as text when it runs, undefined otherwise: the sweep comes round only while it runs. */
  running: () => string | undefined;
  /** Whether an agent run is queued, waiting or running. */
  agentsBusy: () => boolean;
}

/**
 * The Actions bot on the fake GitHub: each run of the coordinator workflow
 * that GitHub starts (by the rules of its triggers, the `GITHUB_TOKEN` and
 * the concurrency groups) waits for a runner, then runs the coordinator as
 * the action would (`runCoordinator` on its event, with a `GITHUB_TOKEN` of
 * its own), and holds its group until it ends; the schedule comes round at the
 * workflow's cron while the coordination runs.
 */
export class ActionsBot {
  readonly #options: ActionsBotOptions;
  readonly #ran = new Set<number>();
  /** The most CPU time one run took, in milliseconds (the in-memory GitHub's own work included). */
  slowestRunCpuMs = 0;
  #sweepArmed = false;
  /** The coordination as the last sweep found it. */
  #swept: string | undefined;

  constructor(options: ActionsBotOptions) {
    this.#options = options;
  }

  /** Whether a run is the coordinator's. */
  owns(run: WorkflowRun): boolean {
    return run.path === COORDINATOR_WORKFLOW_PATH;
  }

  /** A coordinator run that may start: it takes a runner, runs, and ends. */
  queued(run: WorkflowRun): void {
    const { github, repo, now, schedule } = this.#options;
    schedule(now() + RUNNER_START_MS, async () => {
      if (run.status !== "queued") return;
      github.setRunStatus(repo, run, "in_progress");
      this.#ran.add(run.id);
      const ok = await this.#play(run);
      schedule(now() + RUNNER_FINISH_MS, async () => {
        github.setRunStatus(repo, run, "completed", ok ? "success" : "failure");
        this.armSweep();
      });
    });
  }

  /**
   * A run of the repository's ended. A run of the coordinator's cancelled
   * before it ran (lost, or replaced by a newer one of its group) may have
   * been the one that would have moved the coordination: the stall watch
   * starts again, and the schedule comes round as on GitHub.
   */
  ended(run: WorkflowRun): void {
    if (!this.owns(run) || run.conclusion !== "cancelled" || this.#ran.has(run.id)) return;
    this.#swept = undefined;
    this.armSweep();
  }

  /**
   * Arms the next scheduled run, once, while the coordination runs and may
   * still move: an agent runs, or the state changed since the last sweep (or
   * a run of the coordinator's was lost since). A coordination that does none
   * of these is stalled, and the simulation ends there (GitHub would go on
   * sweeping it, to no end).
   */
  armSweep(): void {
    const { github, repo, now, schedule, running, agentsBusy } = this.#options;
    const state = running();
    if (this.#sweepArmed || state === undefined || (!agentsBusy() && state === this.#swept)) return;
    this.#sweepArmed = true;
    schedule(nextSweep(now()), async () => {
      this.#sweepArmed = false;
      this.#swept = running();
      github.schedule(repo);
    });
  }

  /** The account, given how many runs GitHub lost (cancelled before they ran, counted apart from those a newer run cancelled). */
  account(lost: number): CoordinatorRuns {
    const runs = [...this.#options.repo.runs.values()].filter((run) => this.owns(run));
    const byTrigger: Record<string, number> = {};
    for (const run of runs) byTrigger[run.event] = (byTrigger[run.event] ?? 0) + 1;
    return {
      total: runs.length,
      byTrigger,
      ran: this.#ran.size,
      skipped: runs.filter((run) => run.conclusion === "skipped").length,
      cancelled: runs.filter((run) => run.conclusion === "cancelled" && !this.#ran.has(run.id)).length - lost,
      lost,
      minutes: this.#ran.size * BILLED_MINUTES_PER_RUN,
    };
  }

  async #play(run: WorkflowRun): Promise<boolean> {
    const { github, repo, clock, stateSecret, Octokit, log, failed } = this.#options;
    const job = {
      event: run.event,
      payload: run.payload,
      token: github.actionsToken(),
      stateKey: stateSecret,
      repository: repo.fullName,
      apiUrl: API,
      serverUrl: WEB,
      workflow: COORDINATOR_WORKFLOW_PATH.slice(COORDINATOR_WORKFLOW_PATH.lastIndexOf("/") + 1),
      ref: repo.defaultBranch,
      runId: String(run.id),
    };
    // The agent's run ended when its nudge's run starts, the simulated clock being where it is: no wait.
    const cpu = process.cpuUsage();
    const result = await runCoordinator(job, { Octokit, fetch: github.fetch, clock, log, runWaits: [] });
    const used = process.cpuUsage(cpu);
    this.slowestRunCpuMs = Math.max(this.slowestRunCpuMs, (used.user + used.system) / 1000);
    if (!result.ok) failed(`${clock()} coordinator run ${run.id} (${result.event}): ${result.problems.join("; ")}`);
    return result.ok;
  }
}

/** The next time the sweep's cron comes round after `ms`. */
function nextSweep(ms: number): number {
  const hour = Math.floor(ms / 3_600_000) * 3_600_000;
  for (const offset of [0, 3_600_000]) {
    for (const minute of SWEEP_MINUTES) {
      const at = hour + offset + minute * 60_000;
      if (at > ms) return at;
    }
  }
  return hour + 3_600_000 + SWEEP_MINUTES[0]! * 60_000;
}
