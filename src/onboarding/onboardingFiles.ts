import { readFileSync } from "node:fs";
import { globProblem, isGlob } from "../plan/glob.js";
import { slug } from "../plan/slug.js";
import { actionReference } from "./actionReference.js";

/**
 * What the onboarding pull request adds, and where: the configuration with
 * every default written out as a comment (domains guessed from the top-level
 * folders), and the agent workflow.
 */

export const ONBOARDING_BRANCH = "parallel-coordinator/onboarding";
export const CONFIG_PATH = ".github/parallel-coordinator.yml";
export const WORKFLOW_PATH = ".github/workflows/parallel-coordinator-agent.yml";
/** The template's own `uses:` of the runner, in each of its jobs (its reference is actionReference() without an override). */
const TEMPLATE_ACTION = /uses: [\w.-]+\/parallel-coordinator@[\w.-]+/g;
/** Folders that are tooling or output, not a domain of the code. */
const NOT_DOMAINS = new Set([
  "node_modules",
  "vendor",
  "dist",
  "build",
  "out",
  "target",
  "coverage",
  "tmp",
  "temp",
  "bin",
  "obj",
  "lib64",
]);
const MAX_DOMAINS = 8;

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
      "#   ci:",
      '#     files: [".github/workflows/ci.yml"]',
      '#     allowProtected: [".github/workflows/ci.yml"]   # protected paths (.github/**, CODEOWNERS, .npmrc…) its batches may change',
      "#     allowSymlinks: false         # let its batches add symlinks",
      "#     allowSubmodules: false       # … and submodules",
    );
  } else {
    lines.push(
      "# Domains: which files each part of the team owns. Guessed from the top-level folders: check them.",
      "domains:",
    );
    for (const folder of domains) {
      lines.push(
        `  ${JSON.stringify(folder)}:`,
        `    files: [${JSON.stringify(`${folder}/**`)}]`,
        "    # agents: []                    # agent names in breakdowns that mean this domain",
      );
    }
    lines.push(
      "  # A domain's batches never change protected paths (.github/**, CODEOWNERS, .gitmodules, .npmrc…), symlinks or",
      "  # submodules, unless the domain opens them:",
      '  #   allowProtected: [".github/workflows/ci.yml"]',
      "  #   allowSymlinks: false",
      "  #   allowSubmodules: false",
    );
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
    "# subIssues:",
    '#   domainLabel: "domain:"        # a sub-issue\'s label `domain:backend` names its domain',
    "#   mirror: false                 # mirror a plan written in the body as sub-issues, one per batch",
    "# budget:                         # per feature, either or both: past it the coordination pauses itself",
    "#   minutes: 240                  # agent minutes, the runs' times added up",
    "#   usd: 20                       # cost in US dollars, as the agents report it",
    "# workflow: parallel-coordinator-agent.yml   # the agent workflow under .github/workflows",
    "# publisher: my-runner[bot]       # the App the workflow's publish job writes as, when not this app or GITHUB_TOKEN",
    "",
  );
  return lines.join("\n");
}
