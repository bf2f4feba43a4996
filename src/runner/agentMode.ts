/**
 * `mode: agent` — the agent job, which holds no write credential: the runner
 * is given no token, and the checkout must not keep one in `.git/config`.
 * Runs the agent on the brief in a process group of its own under its time
 * limit, kills whatever of the group is left, and hands the change over as
 * data (agent.json, change.patch) for the artifact the next step uploads.
 */
import { join } from "node:path";
import * as core from "@actions/core";
import { agentEnv, agentVariables, batchVariables, runAgent } from "./agent.js";
import { agentReportPath, clearAgentReport, readAgentReport } from "./agentReport.js";
import { domainBranchOf } from "./branch.js";
import { writeBriefFile } from "./brief.js";
import { captureChange } from "./capture.js";
import { requestFailure } from "../github/calls/githubClient.js";
import { git, headOf, objectStoreOf, type GitOptions, type ObjectStore } from "./git.js";
import { AGENT_FILE, freshFolder, PATCH_FILE, runnerFolder, writeHandoffJson, type AgentHandoff } from "./handoff.js";
import type { Inputs, RunContext } from "./inputs.js";
import { killOptions, workspaceOf, type RunnerOptions } from "./options.js";

/** Settings through which a checkout keeps a credential or pulls in other config (actions/checkout's `persist-credentials`). */
const PERSISTED = /^(http\..*\.extraheader|include\.path|includeif\..*\.path|credential\..*|url\..*\.insteadof)$/;

/** Why the checkout keeps a credential within the agent's reach, if it does. */
async function persistedCredential(checkout: GitOptions): Promise<string | undefined> {
  const listed = await git(checkout, ["config", "--local", "--null", "--list"]);
  for (const item of listed.stdout.split("\0")) {
    const [name = "", value = ""] = item.split("\n");
    if (PERSISTED.test(name.toLowerCase()) || (name.toLowerCase().startsWith("remote.") && /\/\/[^/]*@/.test(value))) {
      return `The checkout keeps a credential in .git/config (\`${name}\`): check the repository out with \`persist-credentials: false\`, so that nothing in the agent's job can write with it.`;
    }
  }
  return undefined;
}

export async function runAgentMode(inputs: Inputs, context: RunContext, options: RunnerOptions): Promise<void> {
  const out = runnerFolder(context.runnerTemp, "agent");
  const handoff: AgentHandoff = { version: 1, key: inputs.key, start: context.sha, agent: {}, notes: [] };
  try {
    freshFolder(out);
    const cwd = workspaceOf(options);
    const checkout: GitOptions = { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME } };
    const top = await git(checkout, ["rev-parse", "--show-toplevel"]);
    const branch = domainBranchOf(context.ref, inputs.issue);
    if (top.code !== 0) {
      handoff.failure = `\`${cwd}\` is not a git repository: check the repository out (actions/checkout) before the runner.`;
    } else if (!branch.ok) {
      handoff.failure = `The runner cannot use this run: ${branch.reason}.`;
    } else {
      const root = top.stdout.trim();
      const at: GitOptions = { ...checkout, cwd: root };
      const head = await headOf(at);
      const persisted = await persistedCredential(at);
      if (head !== context.sha) {
        handoff.failure = `The checkout is at ${head}, not at the commit the run was dispatched on (${context.sha}): check out the dispatched ref as it was (actions/checkout's default).`;
      } else if (persisted !== undefined) {
        handoff.failure = persisted;
      } else {
        await runAndCapture(inputs, context, options, root, await objectStoreOf(at), handoff);
      }
    }
  } catch (error) {
    handoff.failure ??= `The runner failed: ${requestFailure(error)}`;
  }
  if (handoff.failure !== undefined) core.error(handoff.failure, { title: "Agent" });
  writeHandoffJson(out, AGENT_FILE, handoff);
  core.info(`The change and the agent's report are in ${out}, for the artifact the next step uploads.`);
}

/** The agent's run, then its change: the hand-over folder is emptied after the agent (which may have written there) and filled by the runner alone. */
async function runAndCapture(
  inputs: Inputs,
  context: RunContext,
  options: RunnerOptions,
  root: string,
  store: ObjectStore,
  handoff: AgentHandoff,
): Promise<void> {
  clearAgentReport(root);
  const briefPath = writeBriefFile(inputs.brief, context.runnerTemp);
  core.info(`Brief: ${briefPath} (${inputs.brief.length} characters), in $PARALLEL_COORDINATOR_BRIEF.`);
  const env = agentEnv(process.env, { ...batchVariables(inputs), ...agentVariables(briefPath, agentReportPath(root)) });
  const run = await runAgent(inputs.agent, {
    cwd: root,
    env,
    timeoutMs: Math.round(inputs.timeoutMinutes * 60_000),
    ...killOptions(options),
  });
  if (run.failure !== undefined) handoff.failure = run.failure;

  const out = freshFolder(runnerFolder(context.runnerTemp, "agent"));
  const bytes = await captureChange(
    store,
    root,
    context.sha,
    runnerFolder(context.runnerTemp, "git-agent"),
    join(out, PATCH_FILE),
  );
  core.info(bytes === 0 ? "The agent changed nothing." : `The agent's change: a patch of ${bytes} bytes.`);
  const report = readAgentReport(root);
  // The agent's own output, where its recipe prints usage, before what its report.json says.
  handoff.agent = { ...report.report, ...(run.usage === undefined ? {} : { usage: run.usage }) };
  handoff.notes.push(...report.notes);
  for (const note of report.notes) core.warning(note, { title: "Agent report" });
}
