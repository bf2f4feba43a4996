import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import * as core from "@actions/core";
import { createGitHubClient, requestFailure } from "../github/calls/githubClient.js";
import type { Report } from "../report/reportSchema.js";
import { runChecks, type Check } from "./acceptance.js";
import { agentEnv, agentVariables, runAgent } from "./agent.js";
import { agentReportPath, clearAgentReport, readAgentReport, type AgentReport } from "./agentReport.js";
import { withGitAuth } from "./auth.js";
import { checkBranch } from "./branch.js";
import { briefChecks, briefHeader, writeBriefFile } from "./brief.js";
import { git, gitOk, type GitOptions } from "./git.js";
import { readInputs, readRunContext, type Inputs } from "./inputs.js";
import { commitMessage, commitStaged, deliver, push, type Delivery } from "./publish.js";
import { buildReport, pullRequestTitle, reportBody } from "./report.js";
import { guardScope, type Change } from "./scope.js";

/**
 * The job itself is read through @actions/core, as every action reads it:
 * `INPUT_*`, `GITHUB_*` and `RUNNER_TEMP` from the environment, outputs and
 * the summary to the files the runner names, the log on standard output.
 */
export interface RunnerOptions {
  /** The repository's working tree; `GITHUB_WORKSPACE` by default. */
  cwd?: string;
  /** Between SIGTERM and SIGKILL when a command runs out of time. */
  killGraceMs?: number;
  /** Milliseconds per second of GitHub's waits before a retry; 1000 by default (tests shorten it). */
  msPerSecond?: number;
}

export interface RunnerResult {
  exitCode: 0 | 1;
  /** Why the action could not run at all (bad inputs, not in a job). */
  problems?: string[];
  report?: Report;
  delivery?: Delivery;
}

/** The identity of the runner's commits when the repository has none configured. */
const BOT = { name: "github-actions[bot]", email: "41898282+github-actions[bot]@users.noreply.github.com" };

async function withIdentity(env: NodeJS.ProcessEnv, cwd: string): Promise<NodeJS.ProcessEnv> {
  const name = (await git({ cwd, env }, ["config", "user.name"])).stdout.trim();
  const email = (await git({ cwd, env }, ["config", "user.email"])).stdout.trim();
  return {
    ...env,
    ...(name === "" && env.GIT_AUTHOR_NAME === undefined ? { GIT_AUTHOR_NAME: BOT.name, GIT_COMMITTER_NAME: BOT.name } : {}),
    ...(email === "" && env.GIT_AUTHOR_EMAIL === undefined ? { GIT_AUTHOR_EMAIL: BOT.email, GIT_COMMITTER_EMAIL: BOT.email } : {}),
  };
}

/** Keeps the agent's `.parallel-coordinator/` (its report) out of every commit, without touching tracked files. */
async function excludeRunnerFolder(options: GitOptions): Promise<void> {
  const relative = (await gitOk(options, ["rev-parse", "--git-path", "info/exclude"])).trim();
  const path = isAbsolute(relative) ? relative : join(options.cwd, relative);
  const line = "/.parallel-coordinator/";
  const current = existsSync(path) ? readFileSync(path, "utf8") : "";
  if (current.split("\n").includes(line)) return;
  mkdirSync(dirname(path), { recursive: true });
  appendFileSync(path, `${current === "" || current.endsWith("\n") ? "" : "\n"}${line}\n`);
}

interface Work {
  failure?: string;
  branch?: string;
  committed: boolean;
  pushed: boolean;
  changes: Change[];
  outOfScope: Report["outOfScope"];
  acceptance: Check[];
  agent: AgentReport;
  notes: string[];
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Steps 1–6 of a run: everything up to the report. A failure stops the steps that need what failed, never the report. */
async function work(inputs: Inputs, options: RunnerOptions, env: NodeJS.ProcessEnv, runUrl: string, serverUrl: string): Promise<Work> {
  const result: Work = { committed: false, pushed: false, changes: [], outOfScope: [], acceptance: [], agent: {}, notes: [] };
  const killGrace = options.killGraceMs === undefined ? {} : { killGraceMs: options.killGraceMs };
  try {
    const cwd = options.cwd ?? env.GITHUB_WORKSPACE ?? process.cwd();
    const top = await git({ cwd, env }, ["rev-parse", "--show-toplevel"]);
    if (top.code !== 0) {
      result.failure = `\`${cwd}\` is not a git repository: check the repository out (actions/checkout) before the runner.`;
      return result;
    }
    const root = top.stdout.trim();
    const gitEnv = await withIdentity(env, root);
    // The runner's git has the token; the agent's environment is made from gitEnv, without it.
    const g: GitOptions = { cwd: root, env: await withGitAuth(gitEnv, root, serverUrl, inputs.token) };

    core.startGroup(`Branch: up to date with ${inputs.base}`);
    const checked = await checkBranch(g, inputs.issue, inputs.base);
    if (checked.ok) core.info(checked.merged ? `Merged origin/${inputs.base} into ${checked.branch}.` : `${checked.branch} has everything of origin/${inputs.base}.`);
    core.endGroup();
    if (!checked.ok) {
      result.failure = `The runner cannot use this checkout: ${checked.reason}.`;
      return result;
    }
    result.branch = checked.branch;
    const start = checked.head;

    await excludeRunnerFolder(g);
    clearAgentReport(root);
    const briefPath = writeBriefFile(inputs.brief, env.RUNNER_TEMP);
    core.info(`Brief: ${briefPath} (${inputs.brief.length} characters), in $PARALLEL_COORDINATOR_BRIEF.`);
    const childEnv = agentEnv(gitEnv, agentVariables(briefPath, agentReportPath(root), inputs.issue, inputs.batch, inputs.attempt, inputs.base));
    const timeoutMs = Math.round(inputs.timeoutMinutes * 60_000);

    const agent = await runAgent(inputs.agent, { cwd: root, env: childEnv, timeoutMs, ...killGrace });
    if (agent.failure !== undefined) {
      result.failure = agent.failure;
      core.error(agent.failure, { title: "Agent" });
    }

    const now = await git(g, ["symbolic-ref", "--quiet", "--short", "HEAD"]);
    if (now.code !== 0 || now.stdout.trim() !== checked.branch) {
      result.failure ??= `The agent left the domain branch \`${checked.branch}\` (HEAD is now ${now.code === 0 ? `\`${now.stdout.trim()}\`` : "detached"}): nothing of its work was committed.`;
      return result;
    }

    core.startGroup("Scope guard");
    const guard = await guardScope(g, start, inputs.scope, inputs.scopeMode);
    for (const item of guard.outOfScope) core.info(`${item.reverted ? "Reverted" : "Outside the scope, left in place"}: ${item.file}`);
    core.info(`${guard.changes.length} file(s) changed inside the scope.`);
    core.endGroup();
    result.outOfScope = guard.outOfScope;
    if (guard.outOfScope.length > 0) {
      core.warning(`${guard.outOfScope.length} change(s) outside the batch's scope: ${guard.outOfScope.map((item) => item.file).join(", ")}`, { title: "Scope" });
    }
    if (guard.folded > 0) result.notes.push(`The agent made ${guard.folded} commit(s) of its own; the runner folded them into the batch's one commit.`);

    const agentReport = readAgentReport(root);
    result.agent = agentReport.report;
    result.notes.push(...agentReport.notes);
    for (const note of agentReport.notes) core.warning(note, { title: "Agent report" });

    if (result.failure === undefined && guard.changes.length === 0) {
      const reverted = guard.outOfScope.filter((item) => item.reverted).length;
      result.failure = `Nothing to commit: the agent changed no file inside the batch's scope${reverted > 0 ? ` (${reverted} change(s) outside it were reverted)` : ""}.`;
    }

    if (result.failure === undefined) {
      const commands = inputs.checks ?? briefChecks(inputs.brief);
      if (commands.length === 0) result.notes.push("No acceptance commands: the brief names none (`command` passes) and the `checks` input is empty.");
      result.acceptance = await runChecks(commands, { cwd: root, env: childEnv, timeoutMs, ...killGrace });
    } else if (guard.changes.length > 0) {
      result.notes.push("The acceptance checks did not run: the agent did not finish. Its partial work is committed for a person to look at.");
    }

    if (guard.changes.length > 0) {
      const title = pullRequestTitle(inputs.issue, inputs.batch, briefHeader(inputs.brief));
      const sha = await commitStaged(g, commitMessage(inputs.issue, inputs.batch, title, inputs.key, runUrl));
      result.committed = true;
      result.changes = guard.changes;
      core.info(`Committed ${sha}.`);
      const refused = await push(g, checked.branch);
      if (refused === undefined) {
        result.pushed = true;
        core.info(`Pushed ${checked.branch}.`);
      } else {
        result.failure ??= refused;
        core.error(refused, { title: "Push" });
      }
    }
  } catch (error) {
    const message = `The runner failed: ${messageOf(error)}`;
    if (result.failure === undefined) result.failure = message;
    else result.notes.push(message);
    core.error(message, { title: "Runner" });
  }
  return result;
}

/**
 * One batch run: validates the inputs (failing at once, naming what is
 * missing), then brief → branch → agent → scope guard → checks → commit →
 * push → report. Every run that gets past its inputs ends with a report where
 * the app reads it — the batch's pull request, or a comment on the issue when
 * there is no commit — Blocked with the reason when something went wrong.
 * The step fails only when its inputs are wrong or the report could not be
 * delivered; a Blocked report is an error annotation on a green step, so
 * that the app reads the report instead of retrying a failed run blind.
 */
export async function runAction(options: RunnerOptions = {}): Promise<RunnerResult> {
  const env = process.env;
  const read = readInputs();
  const run = readRunContext(env);
  if (!read.ok || !run.ok) {
    const problems = [...(read.ok ? [] : read.problems), ...(run.ok ? [] : run.problems)];
    for (const problem of problems) core.error(problem, { title: "parallel-coordinator" });
    return { exitCode: 1, problems };
  }
  const inputs = read.inputs;
  const context = run.context;
  const runUrl = `${context.serverUrl}/${context.owner}/${context.repo}/actions/runs/${context.runId}`;
  const title = pullRequestTitle(inputs.issue, inputs.batch, briefHeader(inputs.brief));
  core.info(`parallel-coordinator: ${title} (${inputs.key}), base ${inputs.base}, scope-mode ${inputs.scopeMode}.`);

  const done = await work(inputs, options, env, runUrl, context.serverUrl);
  const report = buildReport({
    issue: inputs.issue,
    batch: inputs.batch,
    run: context.runId,
    ...(done.failure === undefined ? {} : { failure: done.failure }),
    agent: done.agent,
    changes: done.changes,
    acceptance: done.acceptance,
    outOfScope: done.outOfScope,
  });
  let written = report;
  const body = (place: "pull request" | "comment", note?: string) => {
    const shaped = reportBody(report, {
      title,
      runUrl,
      attempt: inputs.attempt,
      place,
      committed: done.committed,
      notes: note === undefined ? done.notes : [...done.notes, note],
      scopeMode: inputs.scopeMode,
    });
    written = shaped.report;
    return shaped.body;
  };

  const github = createGitHubClient({
    token: inputs.token,
    baseUrl: context.apiUrl,
    userAgent: "parallel-coordinator-runner",
    ...(options.msPerSecond === undefined ? {} : { msPerSecond: options.msPerSecond }),
  });
  let delivery: Delivery | undefined;
  try {
    delivery = await deliver({ github, owner: context.owner, repo: context.repo }, { issue: inputs.issue, ...(done.branch === undefined ? {} : { branch: done.branch }), base: inputs.base, canOpen: done.pushed }, title, body);
    core.info(delivery.kind === "pull request" ? `Report in pull request #${delivery.pull.number} (${delivery.pull.html_url}).` : `Report in a comment on #${inputs.issue} (${delivery.url}).`);
  } catch (error) {
    core.error(`The report could not be written to GitHub: ${requestFailure(error)}`, { title: "Report" });
    core.info(`The report:\n${JSON.stringify(written, null, 2)}`);
  }

  core.setOutput("status", written.status);
  core.setOutput("report", JSON.stringify(written));
  core.setOutput("pull-request", delivery?.kind === "pull request" ? String(delivery.pull.number) : "");
  await core.summary.addRaw(body(delivery?.kind ?? "comment"), true).write();
  if (written.status === "Blocked") core.error(written.blockers.join(" ") || "The batch is blocked.", { title: "Batch blocked" });
  else if (written.status === "Needs Review") core.warning(written.blockers.join(" ") || "The agent asks for a review.", { title: "Needs review" });
  const failedChecks = written.acceptance.filter((check) => !check.passed);
  if (failedChecks.length > 0) core.warning(`Acceptance failed: ${failedChecks.map((check) => check.check).join(", ")}`, { title: "Acceptance" });
  return { exitCode: delivery === undefined ? 1 : 0, report: written, ...(delivery === undefined ? {} : { delivery }) };
}
