import { configFromYaml, defaultConfig } from "../base/config.js";
import type { Octokit } from "../github/calls/githubTypes.js";
import { messageOf, statusOf } from "../github/calls/httpErrors.js";
import { onboardingBody } from "./onboardingBody.js";
import {
  agentWorkflow,
  CONFIG_PATH,
  guessDomains,
  ONBOARDING_BRANCH,
  onboardingConfig,
  WORKFLOW_PATH,
} from "./onboardingFiles.js";

/**
 * Onboarding, like Renovate's: when the app is installed on a repository
 * that has no `.github/parallel-coordinator.yml`, one pull request adds it
 * (commented defaults, domains guessed from the top-level folders) and the
 * agent workflow, and says what to do next. Never twice (a pull request from
 * the onboarding branch, open or closed, means it was offered), never when the
 * config exists. An installation without `workflows: write` cannot write
 * under `.github/workflows/`: the workflow then goes into the description.
 */

export type Onboarding = "configured" | "offered" | "archived" | "empty" | "opened";

/** The label's look when the app creates it. */
const LABEL = { color: "5319e7", description: "A feature issue that parallel-coordinator plans and runs" };

/** A file's blob sha and text ("" for a folder), or undefined where there is none. */
async function fileAt(
  octokit: Octokit,
  owner: string,
  repo: string,
  path: string,
  ref: string,
): Promise<{ sha: string; text: string } | undefined> {
  try {
    const { data } = await octokit.rest.repos.getContent({ owner, repo, path, ref });
    if (Array.isArray(data)) return { sha: "", text: "" };
    return {
      sha: data.sha,
      text:
        "content" in data && typeof data.content === "string"
          ? Buffer.from(data.content, "base64").toString("utf8")
          : "",
    };
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

async function fileSha(
  octokit: Octokit,
  owner: string,
  repo: string,
  path: string,
  ref: string,
): Promise<string | undefined> {
  return (await fileAt(octokit, owner, repo, path, ref))?.sha;
}

/**
 * The label that starts a coordination, created when the repository lacks it,
 * so that a maintainer finds it in the label menu. A 422 is another delivery
 * creating it at the same moment.
 */
export async function ensureLabel(
  octokit: Octokit,
  owner: string,
  repo: string,
  name: string,
): Promise<"created" | "exists"> {
  try {
    await octokit.rest.issues.getLabel({ owner, repo, name });
    return "exists";
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
  try {
    await octokit.rest.issues.createLabel({ owner, repo, name, ...LABEL });
    return "created";
  } catch (error) {
    if (statusOf(error) === 422) return "exists";
    throw error;
  }
}

/** The label a repository's config names; the default one when the config says nothing valid. */
function labelOf(configText: string): string {
  const config = configFromYaml(configText);
  return config.ok ? config.config.label : defaultConfig.label;
}

async function putFile(
  octokit: Octokit,
  owner: string,
  repo: string,
  path: string,
  text: string,
  message: string,
): Promise<void> {
  const sha = await fileSha(octokit, owner, repo, path, ONBOARDING_BRANCH);
  await octokit.rest.repos.createOrUpdateFileContents({
    owner,
    repo,
    path,
    message,
    content: Buffer.from(text, "utf8").toString("base64"),
    branch: ONBOARDING_BRANCH,
    ...(sha === undefined || sha === "" ? {} : { sha }),
  });
}

/** Onboards one repository; says what it found or did, and whether it created the label. */
export async function onboardRepository(
  octokit: Octokit,
  owner: string,
  repo: string,
  canWriteWorkflows: boolean,
): Promise<{ onboarding: Onboarding; label?: "created" | "exists" }> {
  const { data: repository } = await octokit.rest.repos.get({ owner, repo });
  if (repository.archived) return { onboarding: "archived" };
  const base = repository.default_branch;
  const config = await fileAt(octokit, owner, repo, CONFIG_PATH, base);
  const label = await ensureLabel(
    octokit,
    owner,
    repo,
    config === undefined ? defaultConfig.label : labelOf(config.text),
  );
  if (config !== undefined) return { onboarding: "configured", label };
  const { data: offered } = await octokit.rest.pulls.list({
    owner,
    repo,
    head: `${owner}:${ONBOARDING_BRANCH}`,
    state: "all",
    per_page: 1,
  });
  if (offered.length > 0) return { onboarding: "offered", label };

  let head: string;
  try {
    const { data } = await octokit.rest.git.getRef({ owner, repo, ref: `heads/${base}` });
    head = data.object.sha;
  } catch (error) {
    // 404/409: an empty repository has no branch to start from.
    if (statusOf(error) === 404 || statusOf(error) === 409) return { onboarding: "empty", label };
    throw error;
  }
  // The top level of the default branch: one tree, not recursive.
  const { data: root } = await octokit.rest.git.getTree({ owner, repo, tree_sha: head });
  const folders = root.tree
    .filter((entry) => entry.type === "tree" && entry.path !== undefined)
    .map((entry) => entry.path!);
  const domains = guessDomains(folders);
  const workflowExists = (await fileSha(octokit, owner, repo, WORKFLOW_PATH, base)) !== undefined;
  const workflowText = agentWorkflow();

  try {
    await octokit.rest.git.createRef({ owner, repo, ref: `refs/heads/${ONBOARDING_BRANCH}`, sha: head });
  } catch (error) {
    // Left by an earlier delivery that stopped half-way: go on with it.
    if (statusOf(error) !== 422) throw error;
  }
  await putFile(
    octokit,
    owner,
    repo,
    CONFIG_PATH,
    onboardingConfig(domains),
    "Add the parallel-coordinator configuration",
  );

  let workflow: "added" | "exists" | "description" = workflowExists
    ? "exists"
    : canWriteWorkflows
      ? "added"
      : "description";
  let refused: string | undefined;
  if (workflow === "added") {
    try {
      await putFile(octokit, owner, repo, WORKFLOW_PATH, workflowText, "Add the parallel-coordinator agent workflow");
    } catch (error) {
      const status = statusOf(error);
      if (status !== 403 && status !== 404 && status !== 422) throw error;
      workflow = "description";
      refused = `${messageOf(error)}, HTTP ${status}`;
    }
  }
  await octokit.rest.pulls.create({
    owner,
    repo,
    head: ONBOARDING_BRANCH,
    base,
    title: "Set up parallel-coordinator",
    body: onboardingBody({
      htmlUrl: repository.html_url,
      domains,
      workflow,
      workflowText,
      label,
      ...(refused === undefined ? {} : { refused }),
    }),
  });
  return { onboarding: "opened", label };
}
