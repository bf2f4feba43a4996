import { configFromObject, type ConfigResult } from "../../base/config.js";
import { isTransient, messageOf } from "./httpErrors.js";
import type { Octokit, RepoRef } from "./githubTypes.js";

/** Where the config lives in a repository (and, through `_extends`, in another). */
export const configPath = ".github/parallel-coordinator.yml";

/**
 * `.github/parallel-coordinator.yml` as Probot's config plugin reads it (with
 * `_extends` and the organisation's `.github` repository as defaults),
 * validated. No config at all is the defaults.
 */
export async function readConfig(octokit: Octokit, repo: RepoRef): Promise<ConfigResult> {
  try {
    const { config, files } = await octokit.config.get({ owner: repo.owner, repo: repo.repo, path: configPath });
    return configFromObject(files.some((file) => file.config !== null) ? config : {});
  } catch (error) {
    // GitHub failing to answer says nothing about the file: no "bad config" comment, try again later.
    if (isTransient(error)) throw error;
    return { ok: false, problems: [{ message: `${configPath} cannot be read: ${messageOf(error)}` }] };
  }
}
