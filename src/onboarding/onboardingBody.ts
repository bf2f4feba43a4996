import { defaultConfig } from "../base/config.js";
import { CONFIG_PATH, ONBOARDING_BRANCH, WORKFLOW_PATH } from "./onboardingFiles.js";

function fence(text: string): string {
  let longest = 2;
  for (const run of text.match(/`{3,}/g) ?? []) longest = Math.max(longest, run.length);
  const marks = "`".repeat(longest + 1);
  return `${marks}yaml\n${text.replace(/\n$/, "")}\n${marks}`;
}

/** The onboarding pull request's description: what it adds, and the steps before the first coordination. */
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
  out.push(
    "This pull request sets up **parallel-coordinator**: a feature issue with a task breakdown becomes 15–25-minute batches that 2–4 coding agents work on in parallel, each in its own workflow run and pull request, checked in by the app.",
    "",
  );
  out.push("### What it adds", "");
  out.push(
    `- \`${CONFIG_PATH}\`: the configuration, every default written out as a comment. ${
      domains.length > 0
        ? `The domains (${domains.map((domain) => `\`${domain}\``).join(", ")}) are guessed from the top-level folders: check them.`
        : "No domain could be guessed from the top-level folders: add yours."
    }`,
  );
  if (workflow === "added") out.push(`- \`${WORKFLOW_PATH}\`: the agent workflow the app dispatches for every batch.`);
  if (workflow === "exists") out.push(`- \`${WORKFLOW_PATH}\` is there already: it is left as it is.`);
  if (options.label === "created")
    out.push(
      `- The label \`${defaultConfig.label}\`, which starts a coordination, was missing: the app has created it in this repository.`,
    );
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
    out.push(
      "<details><summary>parallel-coordinator-agent.yml</summary>",
      "",
      fence(options.workflowText),
      "",
      "</details>",
      "",
    );
  }
  out.push("### Next steps", "");
  out.push("1. Check the domains in the config: the files each one owns and may change.");
  out.push(
    "2. In the agent workflow, pick your agent (Claude Code by default; the runner's README has recipes for Codex CLI, Aider and a plain script) and add its API key as a repository secret (`ANTHROPIC_API_KEY` for Claude Code).",
  );
  out.push(
    '3. Recommended: let the runner use an App token rather than `GITHUB_TOKEN` (whose pushes start no workflow and whose pull requests need "Allow GitHub Actions to create and approve pull requests"): set the variable `PARALLEL_COORDINATOR_CLIENT_ID` and the secret `PARALLEL_COORDINATOR_PRIVATE_KEY`.',
  );
  out.push("4. Merge this pull request.");
  out.push(
    "5. Write a task breakdown in a feature issue and label it `parallel-coordinator`: the app answers with the plan.",
    "",
  );
  out.push("Close this pull request to say no: it will not be offered again.");
  return out.join("\n");
}
