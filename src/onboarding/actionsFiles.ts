import { readFileSync } from "node:fs";
import { actionReference } from "./actionReference.js";
import { agentWorkflow } from "./onboardingFiles.js";

/**
 * What the Actions bot adds to a repository (`parallel-coordinator init`): the
 * coordinator workflow, and the agent workflow as the App has it with what
 * the bot needs besides — a run name the coordinator's concurrency group can
 * read, and a last step that nudges the coordinator.
 */

export const COORDINATOR_WORKFLOW_PATH = ".github/workflows/parallel-coordinator.yml";
/** The coordinator workflow's file name, which the agent workflow's last step dispatches. */
const COORDINATOR_WORKFLOW = "parallel-coordinator.yml";
/** The template's own `uses:` of the coordinator action (its reference is coordinatorReference() without an override). */
const TEMPLATE_COORDINATOR = /uses: [\w.-]+\/parallel-coordinator\/coordinator@[\w.-]+/g;

/** The coordinator action's `uses:`: the runner's repository and ref, in its `coordinator/` folder. */
export function coordinatorReference(action = actionReference()): string {
  const at = action.lastIndexOf("@");
  return at === -1 ? `${action}/coordinator` : `${action.slice(0, at)}/coordinator${action.slice(at)}`;
}

/** The coordinator workflow template as it ships in `templates/`, pointing at the coordinator action of `action`'s repository and ref. */
export function coordinatorWorkflow(action = actionReference()): string {
  const text = readFileSync(new URL("../../templates/parallel-coordinator.yml", import.meta.url), "utf8");
  return text.replace(TEMPLATE_COORDINATOR, `uses: ${coordinatorReference(action)}`);
}

/** Replaces `from` in `text` exactly once; the templates are this package's own, so a miss is a bug of ours. */
function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at === -1 || text.indexOf(from, at + 1) !== -1)
    throw new Error(`the agent workflow template no longer holds exactly one ${JSON.stringify(from)}`);
  return `${text.slice(0, at)}${to}${text.slice(at + from.length)}`;
}

/**
 * The agent workflow for the Actions bot: the App's, with
 * - its run name as JSON holding the issue (`{"issue":7,"key":"pc-7-api-1"}`):
 *   a `workflow_run` carries only the run's name, GitHub's expressions cannot
 *   cut a number out of text, and the coordinator's concurrency group must
 *   name the issue (`fromJSON(…).issue`); the key is in it for the coordinator;
 * - `actions: write` in the publish job and a last step there that nudges the
 *   coordinator with the issue and this run's id, run or not the steps before
 *   it: GitHub may send no `workflow_run` for a run a GITHUB_TOKEN dispatched,
 *   and a dispatch is the one thing a GITHUB_TOKEN does that starts a run.
 *   The coordinator workflow takes this nudge as the check-in of a run that
 *   succeeded or failed, and skips that run's `workflow_run` (no runner, no
 *   minute): keep the step, or every batch waits for the sweep. The step runs `gh`,
 *   which the hosted runners have, on the run's own token; the issue reaches
 *   it through the environment, never through the script.
 */
export function actionsAgentWorkflow(action = actionReference()): string {
  let text = agentWorkflow(action);
  text = replaceOnce(
    text,
    'run-name: "parallel-coordinator ${{ inputs.key }}"',
    `run-name: \${{ format('{{"issue":{0},"key":"{1}"}}', inputs.issue, inputs.key) }}`,
  );
  text = replaceOnce(
    text,
    "    permissions:\n      contents: write\n      pull-requests: write\n      issues: write\n",
    "    permissions:\n      contents: write\n      pull-requests: write\n      issues: write\n      # The coordinator's nudge, the last step.\n      actions: write\n",
  );
  text = replaceOnce(
    text,
    "    # No checkout and no `run:`: nothing of the repository runs here.\n",
    "    # No checkout, and one `run:`, the last step's `gh`: nothing of the repository runs here.\n",
  );
  return `${text.trimEnd()}

      # The Actions bot: tell the coordinator this run is over (it reads the
      # run's outcome itself), whatever became of the steps before. GitHub may
      # send no workflow_run for a run that a GITHUB_TOKEN dispatched; a
      # dispatch always starts a run.
      - name: Nudge the coordinator
        if: \${{ !cancelled() }}
        # A nudge that fails leaves the run's outcome as the steps before made it (the sweep nudges instead).
        continue-on-error: true
        env:
          GH_TOKEN: \${{ github.token }}
          GH_REPO: \${{ github.repository }}
          ISSUE: \${{ inputs.issue }}
          RUN: \${{ github.run_id }}
          DEFAULT_BRANCH: \${{ github.event.repository.default_branch }}
        run: gh workflow run ${COORDINATOR_WORKFLOW} --ref "$DEFAULT_BRANCH" -f issue="$ISSUE" -f run="$RUN"
`;
}
