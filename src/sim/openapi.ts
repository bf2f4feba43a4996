import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import type { RequestChecker } from "./github.js";

/**
 * The checker of `test/helpers/openapi.ts` — every request against GitHub's
 * own REST description, from the dev dependency `@octokit/openapi` — when it
 * can be had: in a clone with dev dependencies installed. An installed package
 * has neither, and simulates without the check.
 *
 * Loaded lazily by paths computed at run time, so that nothing under `src/`
 * imports from `test/`, the bundle in lib/ holds neither the checker nor tsx,
 * and the 13 MB description is read only by a simulation.
 */
export async function loadRequestChecker(): Promise<RequestChecker | undefined> {
  const require = createRequire(import.meta.url);
  try {
    require.resolve("@octokit/openapi/generated/api.github.com.json");
  } catch {
    return undefined;
  }
  const helper = new URL(["..", "..", "test", "helpers", "openapi.ts"].join("/"), import.meta.url);
  if (!existsSync(helper)) return undefined;
  const module = await importTypeScript(helper);
  const { checkGitHubRequest, routeOf } = (module ?? {}) as { checkGitHubRequest?: unknown; routeOf?: unknown };
  if (typeof checkGitHubRequest !== "function" || typeof routeOf !== "function") return undefined;
  return { check: checkGitHubRequest as RequestChecker["check"], routeOf: routeOf as RequestChecker["routeOf"] };
}

/** A TypeScript module: imported as it is under tsx or vitest; through tsx's API (a dev dependency) from the built CLI. */
async function importTypeScript(url: URL): Promise<unknown> {
  try {
    return await import(url.href);
  } catch {
    // Plain Node cannot import TypeScript.
  }
  try {
    // Resolved as an import (tsx's own ES module), by a name computed at run time so that the bundle leaves it out.
    const api = import.meta.resolve(["tsx", "esm", "api"].join("/"));
    const { tsImport } = (await import(api)) as { tsImport: (specifier: string, parent: string) => Promise<unknown> };
    return await tsImport(url.href, import.meta.url);
  } catch {
    return undefined;
  }
}
