import { readFileSync } from "node:fs";
import type { Context } from "probot";
import { actionReference } from "../onboarding/actionReference.js";
import { configFromYaml, defaultConfig } from "../base/config.js";
import { globProblem, isGlob } from "../plan/glob.js";
import { slug } from "../plan/slug.js";
import { messageOf, statusOf } from "../github/calls/httpErrors.js";
import type { Octokit } from "../github/calls/githubTypes.js";
import type { Deps } from "./deps.js";

/**
 * Onboarding, like Renovate's: when the app is installed on a repository
 * (`installation.created`, `installation_repositories.added`) that has no
 * `.github/parallel-coordinator.yml`, one pull request adds it (commented
 * defaults, domains guessed from the top-level folders) and the agent
 * workflow, and says what to do next. Never twice (a pull request from the
 * onboarding branch, open or closed, means it was offered), never when the
 * config exists. An installation without `workflows: write` cannot write
 * under `.github/workflows/`: the workflow then goes into the description.
 */

export const ONBOARDING_BRANCH = "parallel-coordinator/onboarding";
export const CONFIG_PATH = ".github/parallel-coordinator.yml";
export const WORKFLOW_PATH = ".github/workflows/parallel-coordinator-agent.yml";
/** The template's own `uses:` of the runner (its reference is actionReference() without an override). */
const TEMPLATE_ACTION = /uses: [\w.-]+\/parallel-coordinator@[\w.-]+/;
/** Folders that are tooling or output, not a domain of the code. */
const NOT_DOMAINS = new Set(["node_modules", "vendor", "dist", "build", "out", "target", "coverage", "tmp", "temp", "bin", "obj", "lib64"]);
const MAX_DOMAINS = 8;

type InstallationContext = Context<"installation.created" | "installation_repositories.added">;

export type Onboarding = "configured" | "offered" | "archived" | "empty" | "opened";

/** The label's look when the app creates it. */
const LABEL = { color: "5319e7", description: "A feature issue that parallel-coordinator plans and runs" };

/** The agent workflow template as it ships in `templates/`, pointing at `action`. */
export function agentWorkflow(action = actionReference()): string {
  const text = readFileSync(new URL("../../templates/parallel-coordinator-agent.yml", import.meta.url), "utf8");
  return text.replace(TEMPLATE_ACTION, `uses: ${action}`);
}

/** Top-level folders that look like parts of the code, as domains (`folder/**`). */
export function guessDomains(folders: readonly string[]): string[] {
  const seen = new Set<string>();
  const domains: string[] = [];
  for (const folder of [...folders].sort()) {
    if (folder.startsWith(".") || NOT_DOMAINS.has(folder.toLowerCase())) continue;
    if (isGlob(folder) || globProblem(`${folder}/**`) !== undefined) continue;
    const key = slug(folder);
    if (seen.has(key)) continue;
    seen.add(key);
    domains.push(folder);
    if (domains.length === MAX_DOMAINS) break;
  }
  return domains;
}

/** `.github/parallel-coordinator.yml` with every default written out as a comment. */
export function onboardingConfig(domains: readonly string[]): string {
  const lines = [
    "# parallel-coordinator: coordinates 2–4 AI coding agents on one feature.",
    "# Label a feature issue `parallel-coordinator` (with a task breakdown in its body):",
    "# the app plans batches and runs each in .github/workflows/parallel-coordinator-agent.yml.",
    "# Every key is optional; the commented values are the defaults.",
    "",
    "# label: parallel-coordinator     # the label that makes an issue a coordination",
    "# agents: 3                       # 2–4 at once; default: the number of domains, within 2–4",
    "# allowEpics: false               # plan Level-3 breakdowns instead of refusing them",
    "# batch:                          # minutes",
    "#   min: 15",
    "#   max: 25",
    "#   merge: 10                     # tasks under this merge within a domain",
    "#   refuse: 45                    # tasks over this are refused",
    "",
  ];
  if (domains.length === 0) {
    lines.push(
      "# Domains: which files each part of the team owns. None could be guessed from the top-level folders.",
      "# domains:",
      "#   backend:",
      '#     files: ["backend/**"]                # what the domain owns and may change',
      "#     agents: [fastapi-backend-expert]     # agent names in breakdowns that mean this domain",
      "#   frontend:",
      '#     files: ["frontend/**"]',
    );
  } else {
    lines.push("# Domains: which files each part of the team owns. Guessed from the top-level folders: check them.", "domains:");
    for (const folder of domains) {
      lines.push(`  ${JSON.stringify(folder)}:`, `    files: [${JSON.stringify(`${folder}/**`)}]`, "    # agents: []                    # agent names in breakdowns that mean this domain");
    }
  }
  lines.push(
    "",
    "# owners:                         # conflict-zone owners, by path or glob",
    "#   shared/types/**: backend",
    "# mergeMethod: merge              # how accepted batches merge into the integration branch: merge | squash | rebase",
    "# retries: 1                      # automatic retries of a failed, cancelled or timed-out run (0–3)",
    "# pause:",
    "#   cancelWithinMinutes: 3        # on /pause, runs younger than this are cancelled and go back to pending",
    "# permission: write               # least permission to command: read | triage | write | maintain | admin",
    "# workflow: parallel-coordinator-agent.yml   # the agent workflow under .github/workflows",
    "",
  );
  return lines.join("\n");
}

function fence(text: string): string {
  let longest = 2;
  for (const run of text.match(/`{3,}/g) ?? []) longest = Math.max(longest, run.length);
  const marks = "`".repeat(longest + 1);
  return `${marks}yaml\n${text.replace(/\n$/, "")}\n${marks}`;
}

export function onboardingBody(options: {
  htmlUrl: string;
  domains: readonly string[];
  workflow: "added" | "exists" | "description";
  workflowText: string;
  refused?: string;
  label: "created" | "exists";
}): string {
  const { domains, workflow } = options;
  const out: string[] = [];
  out.push("This pull request sets up **parallel-coordinator**: a feature issue with a task breakdown becomes 15–25-minute batches that 2–4 coding agents work on in parallel, each in its own workflow run and pull request, checked in by the app.", "");
  out.push("### What it adds", "");
  out.push(
    `- \`${CONFIG_PATH}\`: the configuration, every default written out as a comment. ${
      domains.length > 0 ? `The domains (${domains.map((domain) => `\`${domain}\``).join(", ")}) are guessed from the top-level folders: check them.` : "No domain could be guessed from the top-level folders: add yours."
    }`,
  );
  if (workflow === "added") out.push(`- \`${WORKFLOW_PATH}\`: the agent workflow the app dispatches for every batch.`);
  if (workflow === "exists") out.push(`- \`${WORKFLOW_PATH}\` is there already: it is left as it is.`);
  if (options.label === "created") out.push(`- The label \`${defaultConfig.label}\`, which starts a coordination, was missing: the app has created it in this repository.`);
  out.push("");
  if (workflow === "description") {
    const newFile = `${options.htmlUrl}/new/${ONBOARDING_BRANCH.split("/").map(encodeURIComponent).join("/")}?filename=${encodeURIComponent(WORKFLOW_PATH)}`;
    out.push("### One step: add the agent workflow", "");
    out.push(
      options.refused === undefined
        ? "The app may not write under `.github/workflows/` (its installation lacks the `workflows: write` permission), so add the workflow yourself:"
        : `The app could not write under \`.github/workflows/\` (${options.refused}), so add the workflow yourself:`,
    );
    out.push(`[create \`${WORKFLOW_PATH}\` on this branch](${newFile}) with this content.`, "");
    out.push("<details><summary>parallel-coordinator-agent.yml</summary>", "", fence(options.workflowText), "", "</details>", "");
  }
  out.push("### Next steps", "");
  out.push("1. Check the domains in the config: the files each one owns and may change.");
  out.push("2. In the agent workflow, pick your agent (Claude Code by default; the runner's README has recipes for Codex CLI, Aider and a plain script) and add its API key as a repository secret (`ANTHROPIC_API_KEY` for Claude Code).");
  out.push("3. Recommended: let the runner use an App token rather than `GITHUB_TOKEN` (whose pushes start no workflow and whose pull requests need \"Allow GitHub Actions to create and approve pull requests\"): set the variable `PARALLEL_COORDINATOR_CLIENT_ID` and the secret `PARALLEL_COORDINATOR_PRIVATE_KEY`.");
  out.push("4. Merge this pull request.");
  out.push("5. Write a task breakdown in a feature issue and label it `parallel-coordinator`: the app answers with the plan.", "");
  out.push("Close this pull request to say no: it will not be offered again.");
  return out.join("\n");
}

/** A file's blob sha and text ("" for a folder), or undefined where there is none. */
async function fileAt(octokit: Octokit, owner: string, repo: string, path: string, ref: string): Promise<{ sha: string; text: string } | undefined> {
  try {
    const { data } = await octokit.rest.repos.getContent({ owner, repo, path, ref });
    if (Array.isArray(data)) return { sha: "", text: "" };
    return { sha: data.sha, text: "content" in data && typeof data.content === "string" ? Buffer.from(data.content, "base64").toString("utf8") : "" };
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

async function fileSha(octokit: Octokit, owner: string, repo: string, path: string, ref: string): Promise<string | undefined> {
  return (await fileAt(octokit, owner, repo, path, ref))?.sha;
}

/**
 * The label that starts a coordination, created when the repository lacks it,
 * so that a maintainer finds it in the label menu. A 422 is another delivery
 * creating it at the same moment.
 */
export async function ensureLabel(octokit: Octokit, owner: string, repo: string, name: string): Promise<"created" | "exists"> {
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

async function putFile(octokit: Octokit, owner: string, repo: string, path: string, text: string, message: string): Promise<void> {
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
export async function onboardRepository(octokit: Octokit, owner: string, repo: string, canWriteWorkflows: boolean): Promise<{ onboarding: Onboarding; label?: "created" | "exists" }> {
  const { data: repository } = await octokit.rest.repos.get({ owner, repo });
  if (repository.archived) return { onboarding: "archived" };
  const base = repository.default_branch;
  const config = await fileAt(octokit, owner, repo, CONFIG_PATH, base);
  const label = await ensureLabel(octokit, owner, repo, config === undefined ? defaultConfig.label : labelOf(config.text));
  if (config !== undefined) return { onboarding: "configured", label };
  const { data: offered } = await octokit.rest.pulls.list({ owner, repo, head: `${owner}:${ONBOARDING_BRANCH}`, state: "all", per_page: 1 });
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
  const folders = root.tree.filter((entry) => entry.type === "tree" && entry.path !== undefined).map((entry) => entry.path!);
  const domains = guessDomains(folders);
  const workflowExists = (await fileSha(octokit, owner, repo, WORKFLOW_PATH, base)) !== undefined;
  const workflowText = agentWorkflow();

  try {
    await octokit.rest.git.createRef({ owner, repo, ref: `refs/heads/${ONBOARDING_BRANCH}`, sha: head });
  } catch (error) {
    // Left by an earlier delivery that stopped half-way: go on with it.
    if (statusOf(error) !== 422) throw error;
  }
  await putFile(octokit, owner, repo, CONFIG_PATH, onboardingConfig(domains), "Add the parallel-coordinator configuration");

  let workflow: "added" | "exists" | "description" = workflowExists ? "exists" : canWriteWorkflows ? "added" : "description";
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
    body: onboardingBody({ htmlUrl: repository.html_url, domains, workflow, workflowText, label, ...(refused === undefined ? {} : { refused }) }),
  });
  return { onboarding: "opened", label };
}

/**
 * `installation.created` and `installation_repositories.added`: each new
 * repository gets the label, and without a config its onboarding pull request.
 * Each repository is its own step, after the delivery is answered, one at a
 * time per repository (a duplicated delivery finds the first one's pull
 * request) and tried again when it fails.
 */
export async function onInstallation(context: InstallationContext, deps: Deps): Promise<void> {
  const { payload } = context;
  const repositories = payload.action === "created" ? (payload.repositories ?? []) : payload.repositories_added;
  const canWriteWorkflows = (payload.installation.permissions as Record<string, string | undefined>).workflows === "write";
  const failures: unknown[] = [];
  for (const repository of repositories) {
    const [owner, repo] = repository.full_name.split("/") as [string, string];
    const step = deps.run(context, { owner, repo }, async () => {
      const result = await onboardRepository(context.octokit, owner, repo, canWriteWorkflows);
      context.log.info({ repository: repository.full_name, ...result }, result.label === "created" ? `onboarding; created the label in ${repository.full_name}` : "onboarding");
    });
    // One repository's failure does not keep the others from their onboarding (it only shows where steps are awaited).
    await step.catch((error: unknown) => failures.push(error));
  }
  if (failures.length > 0) throw new AggregateError(failures, `onboarding failed in ${failures.length} of ${repositories.length} repositories`);
}
