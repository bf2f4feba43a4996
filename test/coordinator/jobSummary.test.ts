import { describe, expect, it } from "vitest";
import { jobSummary } from "../../src/coordinator/jobSummary.js";
import type { RecordedRequest } from "../../src/coordinator/recordedRequest.js";
import { dashboardMarker } from "../../src/github/stores/markers.js";

const request = (method: string, route: string, params: Record<string, unknown>, status = 201): RecordedRequest => ({
  method,
  route,
  params,
  status,
});
const R = "/repos/{owner}/{repo}";

describe("the job summary of a coordinator run", () => {
  it("says what the run changed in people's words, what GitHub refused, and what it cost, reads left out", () => {
    const summary = jobSummary({
      event: "workflow_run.completed",
      repository: "acme/shop",
      issue: 7,
      ok: false,
      problems: ["Resource not accessible by integration"],
      requests: [
        request("GET", `${R}/issues/{issue_number}/comments`, { issue_number: 7 }, 200),
        request("POST", `${R}/check-runs`, { name: "parallel-coordinator / batch 1" }),
        request("PUT", `${R}/pulls/{pull_number}/merge`, { pull_number: 12 }, 200),
        request("PATCH", `${R}/git/refs/{ref}`, { ref: "heads/parallel-coordinator/7-backend" }, 200),
        request(
          "POST",
          `${R}/actions/workflows/{workflow_id}/dispatches`,
          { workflow_id: "agent.yml", ref: "parallel-coordinator/7-backend", inputs: { key: "pc-7-ui-1" } },
          403,
        ),
        {
          method: "POST",
          route: `${R}/actions/workflows/{workflow_id}/dispatches`,
          params: { workflow_id: "parallel-coordinator.yml", ref: "main", inputs: { issue: "8" } },
          status: undefined,
        },
        request("PATCH", `${R}/issues/comments/{comment_id}`, { comment_id: 3, body: `x ${dashboardMarker}` }, 200),
        request("DELETE", `${R}/labels/{name}`, { name: "x" }, 204),
      ],
    });
    expect(summary).toBe(
      [
        "### parallel-coordinator: `workflow_run.completed` on acme/shop#7",
        "",
        "**The run failed.** GitHub holds nothing half-done: the next run (an event, the schedule, a nudge from the Actions tab) goes on from the state the coordination last wrote.",
        "",
        "> Resource not accessible by integration",
        "",
        "What the run did:",
        "",
        "- created the check run `parallel-coordinator / batch 1`",
        "- merged pull request #12",
        "- moved the branch `parallel-coordinator/7-backend`",
        "- dispatched `agent.yml` on `parallel-coordinator/7-backend` (`pc-7-ui-1`) (refused: 403)",
        "- nudged the coordinator for #8 (no answer from GitHub)",
        "- updated the dashboard",
        "- `DELETE /repos/{owner}/{repo}/labels/{name}`",
        "",
        "*8 requests to GitHub: 1 read, 7 writes.*",
        "",
      ].join("\n"),
    );
  });

  it("says so when the run changed nothing, for the repository when no issue is named", () => {
    const summary = jobSummary({
      event: "schedule",
      repository: "acme/shop",
      ok: true,
      problems: [],
      requests: [request("GET", `${R}/issues`, {}, 200)],
    });
    expect(summary).toBe(
      "### parallel-coordinator: `schedule` on acme/shop\n\nNothing to do: the run changed nothing on GitHub.\n\n*1 request to GitHub: 1 read, 0 writes.*\n",
    );
  });
});
