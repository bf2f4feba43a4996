import type { Context } from "probot";
import { defaultConfig } from "../base/config.js";
import { readConfig } from "../github/calls/configFile.js";
import { nudgeCoordinator } from "../github/calls/nudgeCoordinator.js";
import { openIssuesLabelled } from "../github/calls/openIssues.js";
import { UnreadableState, loadState } from "../github/stores/loadState.js";
import { ensureLabel } from "../onboarding/onboardRepository.js";
import type { Deps } from "./deps.js";
import { runsInFlight } from "../state/runsInFlight.js";
import { runStatus } from "../github/calls/workflowRuns.js";

/** The `schedule` event's payload, with the repository the shell adds when GitHub leaves it out. */
export interface SweepPayload {
  repository: { owner: { login: string }; name: string; default_branch: string };
}

/**
 * `schedule`: the Actions bot's sweep of every running coordination in the
 * repository, so that one whose events were lost (a concurrency group's
 * cancelled pending run, a `workflow_run` GitHub did not send) does not wait
 * for a person. A scheduled run holds no issue's lock, so it only reads, and
 * nudges: a run of the coordinator workflow in the issue's concurrency group.
 * A running coordination gets one for each run it waits for that has ended
 * on GitHub, naming it (checked in as its `workflow_run` would be), and one
 * naming no run, which reconciles it, when it waits for no run or for one
 * GitHub gave no id. One whose runs all still run is left alone, and so are
 * paused, finished and aborted coordinations: each nudge is a run, billed. The
 * label is made first where the repository lacks it, so that a maintainer
 * who set the bot up finds it in the label menu.
 */
export async function onSweep(context: Context, deps: Deps, workflow: string): Promise<void> {
  const { repository } = context.payload as unknown as SweepPayload;
  const repo = { owner: repository.owner.login, repo: repository.name };
  const config = await readConfig(context.octokit, repo);
  const label = config.ok ? config.config.label : defaultConfig.label;
  await ensureLabel(context.octokit, repo.owner, repo.repo, label);
  for (const issue of await openIssuesLabelled(context.octokit, repo, label)) {
    const where = { ...repo, issue };
    const state = await loadState(context.octokit, where, deps.key).then(
      (loaded) => loaded.state,
      // A state this version cannot read is the issue's own events' to tell, not the sweep's.
      (error: unknown) => {
        if (error instanceof UnreadableState) return undefined;
        throw error;
      },
    );
    if (state?.status !== "running") continue;
    const runs = runsInFlight(state);
    if (runs.length === 0 || runs.includes(undefined)) {
      await nudgeCoordinator(context.octokit, where, workflow, repository.default_branch);
      continue;
    }
    for (const run of runs as number[]) {
      if ((await runStatus(context.octokit, repo, run)) !== "running")
        await nudgeCoordinator(context.octokit, where, workflow, repository.default_branch, run);
    }
  }
}
