/**
 * `mode: publish` — the publish job, the only one with a write token. It has
 * no checkout and runs no repository code, and applies nothing with git: it
 * takes the verified change only when its SHA-256 is the verify job's output
 * `digest` (a job output no other job can forge; the artifact itself could
 * have been replaced by anything that read a job's ACTIONS_RUNTIME_TOKEN),
 * publishes it through GitHub's API and writes the report, in the batch's
 * pull request or on the issue — Blocked, with the reason, whenever
 * something before it failed.
 */
import * as core from "@actions/core";
import { createGitHubClient, requestFailure } from "../github/calls/githubClient.js";
import type { Report } from "../report/reportSchema.js";
import { inlineText } from "../base/markdownText.js";
import { domainBranchOf } from "./branch.js";
import { briefHeader } from "./brief.js";
import {
  ACCEPTANCE_FILE,
  AcceptanceSchema,
  CHANGE_FILE,
  parseHandoff,
  readDigested,
  readHandoffJson,
  runnerFolder,
  VerifiedChangeSchema,
  type VerifiedChange,
} from "./handoff.js";
import type { Inputs, RunContext } from "./inputs.js";
import type { RunnerOptions } from "./options.js";
import { commitMessage, deliver, publishChange, type Delivery, type Repository } from "./publish.js";
import { buildReport, pullRequestTitle, reportBody } from "./report.js";

export interface Reported {
  report: Report;
  delivery?: Delivery;
}

interface Outcome {
  /** Why the batch is Blocked. */
  failure?: string;
  change?: VerifiedChange;
  acceptance: Report["acceptance"];
  notes: string[];
  branch?: string;
  committed: boolean;
}

/** The verified change, when it is the one the verify job's `digest` names. */
function verifiedChange(inputs: Inputs, context: RunContext, outcome: Outcome): VerifiedChange | undefined {
  const results = Object.entries(inputs.needs)
    .map(([job, need]) => `${job}: ${need.result}`)
    .join(", ");
  const digest = inputs.needs.verify?.outputs.digest ?? "";
  if (digest === "") {
    outcome.failure = `The verify job did not finish (${results || "no jobs named in `needs`"}): nothing was published.`;
    return undefined;
  }
  const folder = runnerFolder(context.runnerTemp, "verified");
  const read = readDigested(folder, CHANGE_FILE, digest);
  const parsed = read.ok ? parseHandoff(CHANGE_FILE, read.value, VerifiedChangeSchema) : read;
  if (!parsed.ok) {
    outcome.failure = `The verified change was refused: ${parsed.reason}. Nothing was published.`;
    return undefined;
  }
  const change = parsed.value;
  if (change.key !== inputs.key || change.start !== context.sha) {
    outcome.failure = `The verified change is for ${inlineText(change.key)} at ${change.start}, not for this run (${inputs.key} at ${context.sha}): nothing was published.`;
    return undefined;
  }
  const acceptance = readHandoffJson(folder, ACCEPTANCE_FILE, AcceptanceSchema);
  // Written where repository code ran: results as data, notes quoted as text.
  if (acceptance.ok && acceptance.value.key === inputs.key) {
    outcome.acceptance = acceptance.value.acceptance;
    outcome.notes.push(...acceptance.value.notes.map((note) => inlineText(note)));
  } else if (change.failure === undefined) {
    outcome.notes.push(
      `The acceptance checks' results are missing (${acceptance.ok ? "they are for another run" : acceptance.reason}).`,
    );
  }
  return change;
}

async function publish(
  inputs: Inputs,
  context: RunContext,
  repository: Repository,
  title: string,
  runUrl: string,
  outcome: Outcome,
): Promise<void> {
  const branch = domainBranchOf(context.ref, inputs.issue);
  if (!branch.ok) {
    outcome.failure = `The runner cannot use this run: ${branch.reason}.`;
    return;
  }
  outcome.branch = branch.branch;
  const change = verifiedChange(inputs, context, outcome);
  if (change === undefined) return;
  outcome.change = change;
  outcome.notes.unshift(...change.notes);
  outcome.failure = change.failure;
  if (change.files.length === 0) return;
  const published = await publishChange(
    repository,
    branch.branch,
    change,
    commitMessage(inputs.issue, inputs.batch, title, inputs.key, runUrl),
  );
  if (!published.ok) {
    if (outcome.failure === undefined) outcome.failure = published.reason;
    else outcome.notes.push(published.reason);
    return;
  }
  outcome.committed = true;
  core.info(`Published ${published.sha} on ${branch.branch}.`);
}

/** The publish job's step: the change, then the report; the step fails only when the report cannot reach GitHub. */
export async function runPublishMode(inputs: Inputs, context: RunContext, options: RunnerOptions): Promise<Reported> {
  const runUrl = `${context.serverUrl}/${context.owner}/${context.repo}/actions/runs/${context.runId}`;
  const title = pullRequestTitle(inputs.issue, inputs.batch, briefHeader(inputs.brief));
  const github = createGitHubClient({
    token: inputs.token,
    baseUrl: context.apiUrl,
    userAgent: "parallel-coordinator-runner",
    ...(options.msPerSecond === undefined ? {} : { msPerSecond: options.msPerSecond }),
  });
  const repository: Repository = { github, owner: context.owner, repo: context.repo };
  const outcome: Outcome = { acceptance: [], notes: [], committed: false };
  try {
    await publish(inputs, context, repository, title, runUrl, outcome);
  } catch (error) {
    const message = `Publishing the change failed: ${requestFailure(error)}`;
    if (outcome.failure === undefined) outcome.failure = message;
    else outcome.notes.push(message);
  }
  if (outcome.failure !== undefined) core.error(outcome.failure, { title: "Publish" });

  const change = outcome.change;
  const report = buildReport({
    issue: inputs.issue,
    batch: inputs.batch,
    run: context.runId,
    ...(outcome.failure === undefined ? {} : { failure: outcome.failure }),
    agent: change?.agent ?? {},
    changes: outcome.committed ? (change?.files ?? []).map((file) => ({ file: file.path, kind: file.status })) : [],
    acceptance: outcome.acceptance,
    outOfScope: change?.outOfScope ?? [],
  });
  let written = report;
  const body = (place: "pull request" | "comment", note?: string) => {
    const shaped = reportBody(report, {
      title,
      runUrl,
      attempt: inputs.attempt,
      place,
      committed: outcome.committed,
      notes: note === undefined ? outcome.notes : [...outcome.notes, note],
      scopeMode: change?.scopeMode ?? "revert",
    });
    written = shaped.report;
    return shaped.body;
  };

  let delivery: Delivery | undefined;
  try {
    delivery = await deliver(
      repository,
      {
        issue: inputs.issue,
        ...(outcome.branch === undefined ? {} : { branch: outcome.branch }),
        base: inputs.base,
        canOpen: outcome.committed,
      },
      title,
      body,
    );
    core.info(
      delivery.kind === "pull request"
        ? `Report in pull request #${delivery.pull.number} (${delivery.pull.html_url}).`
        : `Report in a comment on #${inputs.issue} (${delivery.url}).`,
    );
  } catch (error) {
    core.error(`The report could not be written to GitHub: ${requestFailure(error)}`, { title: "Report" });
    core.info(`The report:\n${JSON.stringify(written, null, 2)}`);
  }

  core.setOutput("status", written.status);
  core.setOutput("report", JSON.stringify(written));
  core.setOutput("pull-request", delivery?.kind === "pull request" ? String(delivery.pull.number) : "");
  await core.summary.addRaw(body(delivery?.kind ?? "comment"), true).write();
  if (written.status === "Blocked")
    core.error(written.blockers.join(" ") || "The batch is blocked.", { title: "Batch blocked" });
  else if (written.status === "Needs Review")
    core.warning(written.blockers.join(" ") || "The agent asks for a review.", { title: "Needs review" });
  const failedChecks = written.acceptance.filter((check) => !check.passed);
  if (failedChecks.length > 0)
    core.warning(`Acceptance failed: ${failedChecks.map((check) => check.check).join(", ")}`, { title: "Acceptance" });
  return { report: written, ...(delivery === undefined ? {} : { delivery }) };
}
