import type { Config } from "../base/config.js";

/** Who acts with a workflow run's `GITHUB_TOKEN`. */
export const ACTIONS_BOT = "github-actions[bot]";

/**
 * Who may write a batch's report: the identities the agent workflow's publish
 * job can write as — the workflow's `GITHUB_TOKEN` (github-actions[bot]), this
 * app (its own App token), or the other App the config names as `publisher`.
 * A report by anyone else (a stranger's comment, a pull request a stranger
 * opened from the domain branch) is no report. `appLogin`: the app's own bot,
 * as the author of its signed state shows it.
 */
export function reportWriters(config: Pick<Config, "publisher">, appLogin: string | undefined): string[] {
  return [
    ACTIONS_BOT,
    ...(appLogin === undefined ? [] : [appLogin]),
    ...(config.publisher === undefined ? [] : [config.publisher]),
  ];
}
