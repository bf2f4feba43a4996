import { configFromObject, configFromYaml, type ConfigResult } from "../../base/config.js";
import { isTransient, statusOf } from "./httpErrors.js";
import type { Octokit, RepoRef } from "./githubTypes.js";

/** Where the config lives in a repository (and, through `_extends`, in another). */
export const configPath = ".github/parallel-coordinator.yml";

/**
 * `.github/parallel-coordinator.yml` as Probot's config plugin reads it (with
 * `_extends` and the organisation's `.github` repository as defaults),
 * validated as `plan` validates it. No config at all is the defaults. A file
 * that is not a mapping (`42`, a list) is refused as `plan` refuses it, not
 * merged into one; one that does not parse is judged as `plan` judges it,
 * with its line — never with the plugin's own words and URLs.
 */
export async function readConfig(octokit: Octokit, repo: RepoRef): Promise<ConfigResult> {
  try {
    const { config, files } = await octokit.config.get({ owner: repo.owner, repo: repo.repo, path: configPath });
    const found = files.filter((file) => file.config !== null);
    // The plugin merges the files into one object: a number or a list would become {} or {"0": …}.
    const notMapping = found.find((file) => typeof file.config !== "object" || Array.isArray(file.config));
    if (notMapping !== undefined) return configFromObject(notMapping.config);
    return configFromObject(found.length > 0 ? config : {});
  } catch (error) {
    // GitHub failing to answer says nothing about the file: no "bad config" comment, try again later.
    if (isTransient(error)) throw error;
    return judgedAsPlan(octokit, repo);
  }
}

/** The repository's own config file read again and judged as `plan` judges it; a file it extends that fails is named as such. */
async function judgedAsPlan(octokit: Octokit, repo: RepoRef): Promise<ConfigResult> {
  let text: string | undefined;
  try {
    const { data } = await octokit.rest.repos.getContent({
      owner: repo.owner,
      repo: repo.repo,
      path: configPath,
      mediaType: { format: "raw" },
    });
    text = typeof data === "string" ? data : undefined;
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
  const judged = text === undefined ? undefined : configFromYaml(text);
  if (judged !== undefined && !judged.ok) return judged;
  return {
    ok: false,
    problems: [
      {
        message: `a config it extends (its \`_extends\`, or the organisation's \`.github\` repository) cannot be read as a mapping of settings`,
      },
    ],
  };
}
