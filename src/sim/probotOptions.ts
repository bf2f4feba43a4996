import { ProbotOctokit, type Options } from "probot";
import { withContentLimit } from "../github/calls/contentLimit.js";

type OctokitOptions = NonNullable<ConstructorParameters<typeof ProbotOctokit>[0]>;
type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * Probot's options for an app whose every request goes to `fetch` (a fake
 * GitHub's), with Octokit's retries off, and its throttling too unless asked
 * for: a retry or a wait would hide from a test or the simulator what GitHub
 * answered, and throttling spaces writes a second or more apart in real time.
 * Throttled, it throttles as `npm start` does (github/calls/contentLimit.ts).
 */
export function probotOptions(fetch: Fetch, options: Options & { throttle?: boolean }): Options {
  const { throttle, ...rest } = options;
  return {
    ...rest,
    // The token request goes through Probot's own `request`; every other one through the Octokit class.
    request: { fetch },
    // A function, not an object: Probot passes `throttle` options of its own to every instance, which would
    // replace an object's `throttle` whole — and leave throttling on, one write a second.
    Octokit: withContentLimit(ProbotOctokit).defaults((instance: OctokitOptions) => ({
      ...instance,
      request: { ...instance.request, fetch },
      throttle: { ...instance.throttle, enabled: throttle === true },
      retry: { enabled: false },
    })) as typeof ProbotOctokit,
  };
}
