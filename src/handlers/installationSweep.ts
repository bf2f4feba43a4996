import type { Probot } from "probot";
import { readConfig } from "../github/calls/configFile.js";
import type { RepoRef } from "../github/calls/githubTypes.js";
import { reconcileCoordination } from "../github/effects/reconcileCoordination.js";
import { issueKey } from "../github/stores/journal.js";
import { loadState } from "../github/stores/loadState.js";
import { defaultConfig } from "../base/config.js";
import { readConditionally } from "../github/calls/conditionalRequests.js";
import { logRecovered, sessionFor, type Deps, type StepOrigin } from "./deps.js";
import { lostIssueOf, takeUpLost, type LostIssue } from "./lostCoordination.js";

export interface SweepOptions {
  /** The least time between the starts of two passes over an installation. */
  everyMs: number;
  /** GitHub calls a pass may make per installation and hour: it spreads its work to stay within them. */
  callsPerHour: number;
  /** GitHub's time now: when what a pass decides happens (a stalled start or advance). */
  clock?: () => string;
  /** Told of every pass over an installation when it ends. */
  onPass?: (pass: SweepPass) => void;
}

/** One pass over an installation's open coordinations. */
export interface SweepPass {
  installation: number;
  /** Open coordinations reconciled. */
  coordinations: number;
  /** GitHub calls the pass made. */
  calls: number;
  /** Of which answered `304 Not Modified` (a conditional read of what had not changed): free of rate limit. */
  notModified: number;
}

/**
 * How long a pass waits after work that made `calls` GitHub calls, so that it
 * makes no more than `callsPerHour` an hour: its calls are spread evenly.
 */
export function pauseAfter(calls: number, callsPerHour: number): number {
  return Math.ceil((calls * 3_600_000) / callsPerHour);
}

/**
 * The sweep: every open coordination of every installation is reconciled with
 * GitHub once at start-up and then every `everyMs`, so a coordination whose
 * last event was lost (a webhook GitHub never delivered, a step killed with
 * the app) goes on without waiting for a person. Installations are swept side
 * by side, each within its own budget of calls.
 */
export function startSweeps(app: Probot, deps: Deps, options: SweepOptions): void {
  const round = async () => {
    const started = Date.now();
    try {
      const installations = await (await app.auth()).paginate("GET /app/installations", { per_page: 100 });
      await Promise.all(
        installations.map(async ({ id }) => {
          const octokit = await app.auth(id);
          const pass = await sweepInstallation(
            deps,
            { id: `sweep:${id}:${new Date(started).toISOString()}`, log: app.log, octokit },
            options,
            id,
          );
          app.log.info({ ...pass }, "swept the installation's open coordinations");
          options.onPass?.(pass);
        }),
      );
    } catch (error) {
      app.log.error(
        { err: error },
        "the sweep could not list the app's installations; it tries again at the next round",
      );
    }
    setTimeout(() => void round(), Math.max(0, started + options.everyMs - Date.now())).unref();
  };
  setTimeout(() => void round(), 0).unref();
}

/**
 * One pass over an installation: its repositories, in each the open issues
 * carrying the configured label, and each coordination among them reconciled
 * with GitHub (its runs read whatever the journal says), under the issue's
 * lock. A step that fails is logged and left to the next pass or event.
 */
export async function sweepInstallation(
  deps: Deps,
  origin: StepOrigin,
  options: SweepOptions,
  installation: number,
): Promise<SweepPass> {
  const { octokit } = origin;
  let calls = 0;
  let notModified = 0;
  octokit.hook.before("request", () => {
    calls += 1;
  });
  readConditionally(octokit, deps.reads, () => {
    notModified += 1;
  });
  const clock = options.clock ?? (() => new Date().toISOString());
  let counted = 0;
  // Each piece of work is followed by the pause its calls ask for: those that cost rate limit.
  const paced = async <T>(work: () => Promise<T>): Promise<T> => {
    const result = await work();
    const made = calls - notModified - counted;
    counted = calls - notModified;
    await new Promise((resolve) => setTimeout(resolve, pauseAfter(made, options.callsPerHour)).unref());
    return result;
  };
  let coordinations = 0;
  const repositories = await paced(() =>
    octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 }),
  );
  for (const repository of repositories) {
    const repo: RepoRef = { owner: repository.owner.login, repo: repository.name };
    const { config, issues } = await paced(async () => {
      const read = await readConfig(octokit, repo);
      const label = read.ok ? read.config.label : defaultConfig.label;
      return {
        config: read,
        issues: await octokit.paginate(octokit.rest.issues.listForRepo, {
          ...repo,
          state: "open",
          labels: label,
          per_page: 100,
        }),
      };
    });
    for (const issue of issues) {
      if (issue.pull_request !== undefined) continue;
      const found = lostIssueOf(issue, repo, repository, config);
      const swept = await paced(() => sweepCoordination(deps, origin, found, clock()));
      if (swept) coordinations += 1;
    }
  }
  return { installation, coordinations, calls, notModified };
}

/**
 * One coordination reconciled under its issue's lock; false when the issue
 * holds none that runs. An issue with no state at all is taken up as lost
 * (`takeUpLost`). A failure is logged.
 */
async function sweepCoordination(deps: Deps, origin: StepOrigin, found: LostIssue, at: string): Promise<boolean> {
  const { octokit } = origin;
  const { where } = found;
  try {
    return await deps.locks.withLock(issueKey(where), async () => {
      const loaded = await loadState(octokit, where, deps.key);
      const { state } = loaded;
      if (state === undefined) return await takeUpLost(origin, deps, found, at);
      if (state.status === "done" || state.status === "aborted") return false;
      const { recovered } = await reconcileCoordination(
        sessionFor(octokit, where, found.repoUrl, deps),
        { ...loaded, state },
        { at, readRuns: true },
      );
      logRecovered(origin, recovered);
      return true;
    });
  } catch (error) {
    origin.log.error(
      { err: error, delivery: origin.id, step: issueKey(where) },
      "the sweep could not reconcile a coordination; the next pass or event tries again",
    );
    return false;
  }
}
