import type { ProbotOctokit } from "probot";
import { statusOf } from "../github/calls/httpErrors.js";

/** One request the coordinator made, as its Octokit call named it. */
export interface RecordedRequest {
  method: string;
  /** The route as Octokit names it: `/repos/{owner}/{repo}/issues/{issue_number}/comments`. */
  route: string;
  /** The call's parameters (the path's and the body's). */
  params: Record<string, unknown>;
  /** GitHub's answer; undefined when none came. */
  status: number | undefined;
}

/** What an Octokit request's options hold besides the call's own parameters. */
const NOT_PARAMS = new Set(["method", "url", "baseUrl", "headers", "request", "mediaType"]);

/** Octokit with every request recorded into `into`, answered or not: the job summary says what the run did. */
export function recordingOctokit(Octokit: typeof ProbotOctokit, into: RecordedRequest[]): typeof ProbotOctokit {
  return Octokit.plugin((octokit) => {
    octokit.hook.wrap("request", async (request, options) => {
      const params = Object.fromEntries(Object.entries(options).filter(([name]) => !NOT_PARAMS.has(name)));
      const entry = { method: options.method, route: options.url, params };
      try {
        const response = await request(options);
        into.push({ ...entry, status: response.status });
        return response;
      } catch (error) {
        into.push({ ...entry, status: statusOf(error) });
        throw error;
      }
    });
  });
}
