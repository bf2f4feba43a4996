import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import type { RequestChecker } from "./github.js";

/**
 * The checker of `test/helpers/openapi.ts` — every request against GitHub's
 * own REST description, from the dev dependency `@octokit/openapi` — when it
 * can be had: in a clone with dev dependencies installed. An installed package
 * has neither, and simulates without the check.
 *
 * Loaded lazily by a path computed at run time, so that nothing under `src/`
 * imports from `test/` and the 13 MB description is read only by a simulation.
 */
export async function loadRequestChecker(): Promise<RequestChecker | undefined> {
  try {
    createRequire(import.meta.url).resolve("@octokit/openapi/generated/api.github.com.json");
  } catch {
    return undefined;
  }
  const helper = new URL(["..", "..", "test", "helpers", "openapi.ts"].join("/"), import.meta.url);
  if (!existsSync(helper)) return undefined;
  let module: unknown;
  try {
    module = await import(helper.href);
  } catch {
    // Compiled code run by plain Node cannot import TypeScript.
    return undefined;
  }
  const { checkGitHubRequest, routeOf } = module as { checkGitHubRequest?: unknown; routeOf?: unknown };
  if (typeof checkGitHubRequest !== "function" || typeof routeOf !== "function") return undefined;
  return { check: checkGitHubRequest as RequestChecker["check"], routeOf: routeOf as RequestChecker["routeOf"] };
}
