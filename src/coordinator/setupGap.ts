import { RequestError } from "@octokit/request-error";
import { messageOf } from "../github/calls/httpErrors.js";
import type { SetupGap } from "../state/messages.js";

/** The permission of a workflow's `permissions:` each kind of route needs to write. */
const PERMISSIONS: Array<[RegExp, string]> = [
  [/^\/repos\/[^/]+\/[^/]+\/actions\//, "actions"],
  [/^\/repos\/[^/]+\/[^/]+\/check-runs/, "checks"],
  [/^\/repos\/[^/]+\/[^/]+\/pulls/, "pull-requests"],
  [/^\/repos\/[^/]+\/[^/]+\/(issues|labels)/, "issues"],
  [/^\/repos\/[^/]+\/[^/]+\/(git|merges|contents)/, "contents"],
];

/**
 * What a failed request says the workflow or the repository lacks, when it
 * says so: a token refused for want of a permission (403 "Resource not
 * accessible by integration"), or a repository that does not let Actions open
 * pull requests. Anything else (GitHub down, a rate limit) is no setup gap:
 * the next run tries again.
 */
export function setupGapOf(error: unknown): SetupGap | undefined {
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const gap = setupGapOf(inner);
      if (gap !== undefined) return gap;
    }
    return undefined;
  }
  if (!(error instanceof RequestError) || error.status !== 403) return undefined;
  // GitHub Enterprise Server's API lives under /api/v3.
  const path = new URL(error.request.url).pathname.replace(/^\/api\/v3/, "");
  const request = `${error.request.method} ${path}`;
  const message = messageOf(error);
  if (/not permitted to create or approve pull requests/i.test(message))
    return { what: "pullRequests", request, message };
  if (!/resource not accessible by integration/i.test(message)) return undefined;
  const permission = PERMISSIONS.find(([pattern]) => pattern.test(path))?.[1];
  return permission === undefined ? undefined : { what: "permission", permission, request, message };
}
