import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { jobFromEnv } from "../../src/coordinator/coordinatorJob.js";

const dir = mkdtempSync(join(tmpdir(), "pc-job-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const base = (path: string) => ({
  GITHUB_EVENT_NAME: "issue_comment",
  GITHUB_EVENT_PATH: path,
  GITHUB_REPOSITORY: "acme/shop",
  "INPUT_GITHUB-TOKEN": "ghs_token",
});

describe("the coordinator's job, from a step's environment", () => {
  it("reads the event, the token, the key and where the run is", () => {
    const path = file("event.json", JSON.stringify({ action: "created", issue: { number: 7 } }));
    const read = jobFromEnv({
      ...base(path),
      "INPUT_STATE-KEY": " the key ",
      GITHUB_API_URL: "https://ghe.example.com/api/v3/",
      GITHUB_WORKFLOW_REF: "acme/shop/.github/workflows/coordinate.yml@refs/heads/main",
      GITHUB_REF_NAME: "main",
      GITHUB_RUN_ID: "42",
      GITHUB_RUN_ATTEMPT: "2",
    });
    expect(read).toEqual({
      ok: true,
      job: {
        event: "issue_comment",
        payload: { action: "created", issue: { number: 7 } },
        token: "ghs_token",
        stateKey: "the key",
        repository: "acme/shop",
        apiUrl: "https://ghe.example.com/api/v3",
        serverUrl: "https://github.com",
        workflow: "coordinate.yml",
        ref: "main",
        runId: "42-2",
      },
    });
  });

  it("leaves the key undefined when the workflow hands none (the coordinator says so on the issue)", () => {
    const read = jobFromEnv({ ...base(file("e.json", "{}")), "INPUT_STATE-KEY": "" });
    expect(read.ok && read.job.stateKey).toBeUndefined();
    expect(read.ok && read.job.workflow).toBe("parallel-coordinator.yml");
  });

  it("names every problem at once: no workflow run around it, no token, an event file that is not a payload", () => {
    expect(jobFromEnv({})).toEqual({
      ok: false,
      problems: [
        "GITHUB_EVENT_NAME is not set: the coordinator runs as a step of a workflow run",
        "GITHUB_EVENT_PATH is not set: the coordinator runs as a step of a workflow run",
        "GITHUB_REPOSITORY is not set: the coordinator runs as a step of a workflow run",
        "the input `github-token` is empty: leave it out (the run's GITHUB_TOKEN is the default) or give an App's token",
      ],
    });
    expect(jobFromEnv({ ...base(file("list.json", "[1]")) })).toEqual({
      ok: false,
      problems: [`${join(dir, "list.json")} holds no event payload (not a JSON object)`],
    });
    const broken = jobFromEnv({ ...base(file("broken.json", "{")) });
    expect(broken.ok === false && broken.problems[0]).toMatch(/^the event payload .*broken\.json cannot be read: /);
    const missing = jobFromEnv({ ...base(join(dir, "none.json")) });
    expect(missing.ok === false && missing.problems[0]).toMatch(/none\.json cannot be read: ENOENT/);
  });
});
