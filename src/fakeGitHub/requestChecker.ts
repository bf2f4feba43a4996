import { createRequire } from "node:module";

/** GitHub's REST description, as the fake checks requests against it. */
export interface RequestChecker {
  /** Problems with a request's shape; none when the description accepts it. */
  check: (request: { method: string; path: string; body?: unknown }) => string[];
  /** The documented route of a request (`GET /repos/{owner}/{repo}`), if any. */
  routeOf: (method: string, path: string) => string | undefined;
}

/** Where `@octokit/openapi` keeps the description of api.github.com. */
export const DESCRIPTION = "@octokit/openapi/generated/api.github.com.json";

/**
 * The checker of ./openapiCheck.ts when GitHub's REST description can be had:
 * in a clone, where the dev dependency `@octokit/openapi` (385 MB installed)
 * is. An installed package has none, and the fake answers unchecked.
 *
 * Imported only then, so that the checker and its JSON Schema validator sit in
 * a chunk of lib/ of their own that an installed package never loads.
 */
export async function loadRequestChecker(): Promise<RequestChecker | undefined> {
  try {
    createRequire(import.meta.url).resolve(DESCRIPTION);
  } catch {
    return undefined;
  }
  const { checkGitHubRequest, routeOf } = await import("./openapiCheck.js");
  return { check: (request) => checkGitHubRequest(request), routeOf };
}
