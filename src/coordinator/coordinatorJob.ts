import { readFileSync } from "node:fs";
import { basename } from "node:path";

/** The repository secret the coordinator signs its state with. */
export const STATE_KEY_SECRET = "PARALLEL_COORDINATOR_STATE_KEY";
/** A state key shorter than this is refused: it would be guessable. */
export const LEAST_KEY_LENGTH = 32;

/** What one run of the coordinator workflow hands the coordinator: its event, its token and its key. */
export interface CoordinatorJob {
  /** `GITHUB_EVENT_NAME`: `issues`, `issue_comment`, `workflow_run`, `workflow_dispatch`, `schedule`. */
  event: string;
  /** The event's payload (the file at `GITHUB_EVENT_PATH`). */
  payload: Record<string, unknown>;
  /** The action's `github-token`: the run's `GITHUB_TOKEN`, or an App's token. */
  token: string;
  /** The action's `state-key`, from the secret; undefined when the workflow hands none. */
  stateKey: string | undefined;
  /** `owner/name`. */
  repository: string;
  /** GitHub's REST API: `GITHUB_API_URL`. */
  apiUrl: string;
  /** `GITHUB_SERVER_URL`. */
  serverUrl: string;
  /** The coordinator workflow's file name (from `GITHUB_WORKFLOW_REF`): the sweep dispatches it. */
  workflow: string;
  /** The branch the run is on (`GITHUB_REF_NAME`): for a scheduled run, the default branch. */
  ref: string;
  /** This run, as the delivery id of its event in the log. */
  runId: string;
}

type Env = Record<string, string | undefined>;

/**
 * The job as the runner describes it in the step's environment, or every
 * problem with it. Inputs arrive as `INPUT_<NAME>` (the name upper-cased,
 * hyphens kept), as @actions/core reads them.
 */
export function jobFromEnv(env: Env): { ok: true; job: CoordinatorJob } | { ok: false; problems: string[] } {
  const value = (name: string) => (env[name] === undefined || env[name]!.trim() === "" ? undefined : env[name]!.trim());
  const problems: string[] = [];
  const required = (name: string, why: string) => {
    const found = value(name);
    if (found === undefined) problems.push(`${name} is not set: ${why}`);
    return found ?? "";
  };
  const event = required("GITHUB_EVENT_NAME", "the coordinator runs as a step of a workflow run");
  const path = required("GITHUB_EVENT_PATH", "the coordinator runs as a step of a workflow run");
  const repository = required("GITHUB_REPOSITORY", "the coordinator runs as a step of a workflow run");
  const token = value("INPUT_GITHUB-TOKEN") ?? "";
  if (token === "")
    problems.push(
      "the input `github-token` is empty: leave it out (the run's GITHUB_TOKEN is the default) or give an App's token",
    );
  let payload: Record<string, unknown> = {};
  if (path !== "") {
    try {
      const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
        problems.push(`${path} holds no event payload (not a JSON object)`);
      else payload = parsed as Record<string, unknown>;
    } catch (error) {
      problems.push(
        `the event payload ${path} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  const workflowRef = value("GITHUB_WORKFLOW_REF");
  return {
    ok: true,
    job: {
      event,
      payload,
      token,
      stateKey: value("INPUT_STATE-KEY"),
      repository,
      apiUrl: (value("GITHUB_API_URL") ?? "https://api.github.com").replace(/\/+$/, ""),
      serverUrl: (value("GITHUB_SERVER_URL") ?? "https://github.com").replace(/\/+$/, ""),
      workflow: workflowRef === undefined ? "parallel-coordinator.yml" : basename(workflowRef.replace(/@.*$/, "")),
      ref: value("GITHUB_REF_NAME") ?? "",
      runId: `${value("GITHUB_RUN_ID") ?? "local"}-${value("GITHUB_RUN_ATTEMPT") ?? "1"}`,
    },
  };
}
