/**
 * The GitHub client of the code that runs inside GitHub Actions (the agent
 * runner, and the coordinator entry to come): Octokit with the plugins the app
 * gets through Probot — throttling, retry, pagination, the REST methods — on
 * the token the job is given. `baseUrl` is `GITHUB_API_URL`, so it works on
 * GitHub Enterprise Server too.
 *
 * Retries: an answer of 5xx (or no answer at all, which Octokit reports as
 * 500) is retried 3 times after 1, 4 and 9 s; a 4xx that is about the request
 * itself (400, 401, 403, 404, 410, 422, 451) never is. A rate limit waits what
 * GitHub asks (`retry-after`, or the primary limit's reset) and retries, at
 * most `RATE_LIMIT_RETRIES` times and only when the wait is short enough
 * for a job: beyond that the error reaches the caller.
 */
import { randomUUID } from "node:crypto";
import * as core from "@actions/core";
import { Octokit } from "@octokit/core";
import { paginateRest } from "@octokit/plugin-paginate-rest";
import { restEndpointMethods } from "@octokit/plugin-rest-endpoint-methods";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { RequestError } from "@octokit/request-error";
import { messageOf } from "./httpErrors.js";

/** The plugins in Probot's order (ProbotOctokit), so that code written for the app's client runs on this one. */
const ActionsOctokit = Octokit.plugin(throttling, retry, paginateRest, restEndpointMethods);

export type GitHubClient = InstanceType<typeof ActionsOctokit>;

/** Where the client says what it waits for. */
export interface ClientLog {
  debug: (message: string) => void;
  info: (message: string) => void;
  warn: (message: string) => void;
  error: (message: string) => void;
}

/** The job's log: a wait for a rate limit is a warning on the run's page. */
const jobLog: ClientLog = {
  debug: (message) => core.debug(message),
  info: (message) => core.info(message),
  warn: (message) => core.warning(message),
  error: (message) => core.error(message),
};

export interface GitHubClientOptions {
  token: string;
  /** The REST API's root: `GITHUB_API_URL`. */
  baseUrl: string;
  userAgent: string;
  /** The job's log (through @actions/core) by default. */
  log?: ClientLog;
  /**
   * Milliseconds per second of every wait before a retry (the backoff and
   * `retry-after`): 1000, unless a test shortens the waits.
   */
  msPerSecond?: number;
}

/** Rate-limited requests are retried at most this often. */
export const RATE_LIMIT_RETRIES = 2;
/** A rate limit that asks for a longer wait (seconds) is not waited for: a job's time is better spent failing with the reason. */
export const LONGEST_RATE_LIMIT_WAIT_S = 300;

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const log = options.log ?? jobLog;
  const retryAfterBaseValue = options.msPerSecond ?? 1_000;
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
      const again = retryCount < RATE_LIMIT_RETRIES && retryAfter <= LONGEST_RATE_LIMIT_WAIT_S;
      log.warn(
        `GitHub's ${kind} on ${request.method} ${request.url}: ${again ? `retrying in ${retryAfter} s` : `not retrying (retry ${retryCount + 1}, ${retryAfter} s to wait)`}.`,
      );
      return again;
    };
  return new ActionsOctokit({
    auth: options.token,
    baseUrl: options.baseUrl,
    userAgent: options.userAgent,
    log,
    retry: { retryAfterBaseValue },
    throttle: {
      // The plugin spaces writes (1 s apart, 3 s for those that notify people) per id, and every
      // client of a process has the same id unless told otherwise. A job makes one client; a test
      // process makes one per test, and the spacing of one test's writes must not hold up the next.
      id: randomUUID(),
      retryAfterBaseValue,
      onRateLimit: onLimit("rate limit"),
      onSecondaryRateLimit: onLimit("secondary rate limit"),
    },
  });
}

/**
 * What went wrong with a request, for a person reading a log or a report:
 * `GitHub answered 422 to POST /repos/o/r/pulls: <GitHub's message>`, or that
 * GitHub could not be reached. Other errors by their message.
 */
export function requestFailure(error: unknown): string {
  if (!(error instanceof RequestError)) return error instanceof Error ? error.message : String(error);
  const url = new URL(error.request.url);
  const route = `${error.request.method} ${url.pathname}`;
  if (error.response === undefined) return `GitHub could not be reached for ${route}: ${error.message}`;
  return `GitHub answered ${error.status} to ${route}: ${messageOf(error).slice(0, 500)}`;
}
