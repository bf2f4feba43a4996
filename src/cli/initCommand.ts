import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { defaultConfig } from "../base/config.js";
import { LEAST_KEY_LENGTH, STATE_KEY_SECRET } from "../coordinator/coordinatorJob.js";
import { actionsAgentWorkflow, COORDINATOR_WORKFLOW_PATH, coordinatorWorkflow } from "../onboarding/actionsFiles.js";
import { repositoryOf } from "../onboarding/actionReference.js";
import { CONFIG_PATH, guessDomains, onboardingConfig, WORKFLOW_PATH } from "../onboarding/onboardingFiles.js";
import { unifiedDiff } from "./lineDiff.js";
import { wrap } from "./wrap.js";

export interface InitCommand {
  /** The repository's root. */
  dir: string;
  /** Replace files that differ from init's. */
  force: boolean;
  /** Asks a yes-or-no question on the terminal; absent when standard input is not one (then nothing is asked). */
  ask?: (question: string) => Promise<boolean>;
  width: number;
}

export interface InitResult {
  output: string;
  status: number;
}

/** A file init writes, and what it is for. */
interface Planned {
  path: string;
  text: string;
  what: string;
}

type Outcome = "created" | "unchanged" | "replaced" | "kept";

/**
 * `parallel-coordinator init`: the Actions bot in a repository, with no
 * server — the coordinator workflow, the agent workflow (with its nudge of the
 * coordinator) and the config, written into the repository's root. A file
 * that exists with other text is never overwritten unless `--force` says so
 * (or the person at the terminal does): its difference is shown instead, and
 * the exit status is 1. Then what is left to do by hand, with the places in
 * the repository's settings.
 */
export async function initCommand(command: InitCommand): Promise<InitResult> {
  const root = resolve(command.dir);
  const domains = guessDomains(folders(root));
  const files: Planned[] = [
    { path: COORDINATOR_WORKFLOW_PATH, text: coordinatorWorkflow(), what: "the coordinator: one run per event" },
    { path: WORKFLOW_PATH, text: actionsAgentWorkflow(), what: "the agent workflow: one run per batch" },
    {
      path: CONFIG_PATH,
      text: onboardingConfig(domains),
      what:
        domains.length === 0
          ? "the config (no domains guessed: name them)"
          : `the config (domains guessed: ${domains.join(", ")})`,
    },
  ];
  const out: string[] = [`parallel-coordinator init: the Actions bot in ${root}`, ""];
  let kept = 0;
  for (const file of files) {
    const target = join(root, file.path);
    const existing = readText(target);
    let outcome: Outcome;
    if (existing === undefined) outcome = "created";
    else if (existing === file.text) outcome = "unchanged";
    else {
      const diff = unifiedDiff(existing, file.text, { before: `${file.path} (yours)`, after: `${file.path} (init's)` });
      const replace =
        command.force ||
        (command.ask !== undefined && (await command.ask(`${diff}\nReplace ${file.path} with init's? [y/N] `)));
      outcome = replace ? "replaced" : "kept";
      if (!replace) {
        kept += 1;
        out.push(
          `  kept       ${file.path}: it differs from init's (--force replaces it)`,
          ...diff
            .trimEnd()
            .split("\n")
            .map((line) => `    ${line}`),
        );
        continue;
      }
    }
    if (outcome !== "unchanged") {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, file.text);
    }
    out.push(`  ${outcome.padEnd(10)} ${file.path}`, ...wrap(file.what, command.width, " ".repeat(13)));
  }
  out.push("", ...byHand(repositoryUrl(root), command.width));
  return { output: `${out.join("\n")}\n`, status: kept > 0 ? 1 : 0 };
}

/** What init cannot do: the commit, the secrets, the repository setting, the label. */
function byHand(url: string | undefined, width: number): string[] {
  const settings = (path: string, words: string) => `${words}${url === undefined ? "" : ` (${url}/settings/${path})`}`;
  const step = (number: number, text: string, ...commands: string[]) => [
    ...wrap(text, width, `  ${number}. `, "     "),
    ...commands.map((line) => `       ${line}`),
  ];
  return [
    "Left to do by hand:",
    ...step(
      1,
      "Commit the files and push them to the default branch (GitHub runs these workflows from there):",
      `git add .github && git commit -m "parallel-coordinator" && git push`,
    ),
    ...step(
      2,
      settings(
        "secrets/actions/new",
        `The state key, a repository secret named ${STATE_KEY_SECRET} (at least ${LEAST_KEY_LENGTH} random characters): Settings → Secrets and variables → Actions → New repository secret`,
      ) + ". With the GitHub CLI:",
      `openssl rand -hex 32 | gh secret set ${STATE_KEY_SECRET}`,
    ),
    ...step(
      3,
      "Your agent's key, a repository secret the same way: ANTHROPIC_API_KEY for the Claude Code step the agent workflow has (templates/RECIPES.md has other agents):",
      "gh secret set ANTHROPIC_API_KEY",
    ),
    ...step(
      4,
      settings(
        "actions",
        'Let Actions open pull requests: Settings → Actions → General → Workflow permissions → "Allow GitHub Actions to create and approve pull requests"',
      ) +
        ". Or give both workflows an App's token instead, so that the batches' commits and pull requests start your CI: the README's \"Without a server\".",
    ),
    ...step(
      5,
      `The label, unless the coordinator's first scheduled run makes it first:`,
      `gh label create ${defaultConfig.label}`,
    ),
    "",
    ...wrap(
      `Then label a feature issue \`${defaultConfig.label}\`, its task breakdown in its body. A nudge from the Actions tab (Run workflow, with the issue's number) makes the coordinator look at an issue again.`,
      width,
    ),
  ];
}

/** The repository's page on GitHub, from its `origin` remote; undefined when there is none on GitHub. */
function repositoryUrl(root: string): string | undefined {
  try {
    const url = execFileSync("git", ["-C", root, "config", "--get", "remote.origin.url"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    return `https://github.com/${repositoryOf(url)}`;
  } catch {
    return undefined;
  }
}

function folders(root: string): string[] {
  try {
    return readdirSync(root, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    return [];
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}
