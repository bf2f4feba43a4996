import { codeSpan, inlineText } from "../base/markdownText.js";
import { dashboardMarker } from "../github/stores/markers.js";
import type { Plan } from "../plan/planModel.js";
import type { State } from "../state/stateSchema.js";
import type { RecordedRequest } from "./recordedRequest.js";

/** What one coordinator run was given and what came of it. */
export interface RunAccount {
  /** `issues.labeled`, `schedule`, … */
  event: string;
  repository: string;
  /** The issue the event names, if any. */
  issue?: number;
  ok: boolean;
  /** Why the run failed, or what it could not do. */
  problems: string[];
  requests: RecordedRequest[];
  /** The coordination as this run left it, when it wrote its state. */
  after?: { state: State; plan: Plan };
}

/**
 * The job summary (`GITHUB_STEP_SUMMARY`) of a coordinator run: the event,
 * what the run changed on GitHub in people's words (reads left out), what
 * GitHub refused, the coordination as the run left it, and the requests it
 * cost. A run that changed nothing says so.
 */
export function jobSummary(account: RunAccount): string {
  const on = account.issue === undefined ? account.repository : `${account.repository}#${account.issue}`;
  const lines = [`### parallel-coordinator: ${codeSpan(account.event)} on ${inlineText(on)}`, ""];
  if (!account.ok)
    lines.push(
      "**The run failed.** GitHub holds nothing half-done: the next run (an event, the schedule, a nudge from the Actions tab) goes on from the state the coordination last wrote.",
      "",
    );
  for (const problem of account.problems) lines.push(`> ${inlineText(problem)}`, "");
  const writes = account.requests.filter((request) => request.method !== "GET");
  if (writes.length === 0) lines.push("Nothing to do: the run changed nothing on GitHub.");
  else lines.push("What the run did:", "", ...writes.map((request) => `- ${didWhat(request)}${refused(request)}`));
  if (account.after !== undefined) lines.push("", coordination(account.after.state, account.after.plan));
  const reads = account.requests.length - writes.length;
  lines.push(
    "",
    `*${account.requests.length} request${account.requests.length === 1 ? "" : "s"} to GitHub: ${reads} read${reads === 1 ? "" : "s"}, ${writes.length} write${writes.length === 1 ? "" : "s"}.*`,
  );
  return `${lines.join("\n")}\n`;
}

function refused(request: RecordedRequest): string {
  if (request.status !== undefined && request.status < 400) return "";
  return request.status === undefined ? " (no answer from GitHub)" : ` (refused: ${request.status})`;
}

/** A write in people's words. */
function didWhat({ method, route, params }: RecordedRequest): string {
  const text = (name: string) => String(params[name] ?? "");
  const branch = (name: string) => codeSpan(text(name).replace(/^(refs\/)?heads\//, ""));
  switch (`${method} ${route}`) {
    case "POST /repos/{owner}/{repo}/issues/{issue_number}/comments":
      return text("body").includes(dashboardMarker)
        ? `posted the dashboard on #${text("issue_number")}`
        : `commented on #${text("issue_number")}`;
    case "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}":
      return text("body").includes(dashboardMarker) ? "updated the dashboard" : `edited comment ${text("comment_id")}`;
    case "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions":
      return `reacted ${codeSpan(text("content"))} to comment ${text("comment_id")}`;
    case "POST /repos/{owner}/{repo}/git/refs":
      return `created the branch ${branch("ref")}`;
    case "PATCH /repos/{owner}/{repo}/git/refs/{ref}":
      return `moved the branch ${branch("ref")}`;
    case "DELETE /repos/{owner}/{repo}/git/refs/{ref}":
      return `deleted the branch ${branch("ref")}`;
    case "POST /repos/{owner}/{repo}/merges":
      return `merged ${branch("head")} into ${branch("base")}`;
    case "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches": {
      const inputs = (params.inputs ?? {}) as Record<string, unknown>;
      return inputs.key === undefined
        ? `nudged the coordinator for #${String(inputs.issue ?? "?")}${inputs.run === undefined ? "" : ` (run ${String(inputs.run)} ended)`}`
        : `dispatched ${codeSpan(text("workflow_id"))} on ${branch("ref")} (${codeSpan(String(inputs.key))})`;
    }
    case "POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel":
      return `cancelled run ${text("run_id")}`;
    case "POST /repos/{owner}/{repo}/check-runs":
      return `created the check run ${codeSpan(text("name"))}`;
    case "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}":
      return `updated check run ${text("check_run_id")}`;
    case "POST /repos/{owner}/{repo}/pulls":
      return `opened a pull request from ${branch("head")} into ${branch("base")}`;
    case "PATCH /repos/{owner}/{repo}/pulls/{pull_number}":
      return `updated pull request #${text("pull_number")}`;
    case "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge":
      return `merged pull request #${text("pull_number")}`;
    default:
      return codeSpan(`${method} ${route}`);
  }
}

function coordination(state: State, plan: Plan): string {
  const accepted = plan.batches.filter((batch) => state.batches[batch.id]?.status === "accepted").length;
  const rows = plan.batches.map(
    (batch, index) =>
      `| ${index + 1} | ${inlineText(batch.title)} | ${batch.domain} | ${state.batches[batch.id]?.status ?? "pending"} |`,
  );
  return [
    `The coordination is **${state.status}**: ${accepted} of ${plan.batches.length} batches accepted.`,
    "",
    "| # | batch | domain | status |",
    "| --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}
