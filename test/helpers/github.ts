/**
 * nock wiring for tests that talk to GitHub's REST API: every request a test
 * lets through to https://api.github.com is checked against GitHub's OpenAPI
 * description (see ./openapi.ts), and every request that no interceptor
 * answers is reported — both fail the test in `afterEach`.
 *
 *   import { githubApi, useGitHubApi } from "../helpers/github.js";
 *   useGitHubApi();
 *   it("comments", async () => {
 *     const api = githubApi().post("/repos/o/r/issues/1/comments").reply(201, { id: 1 });
 *     await app.receive(event);
 *     api.done();
 *   });
 *
 * Problems are collected per test in module state, so do not use this with
 * `it.concurrent` in the same file.
 */
import nock from "nock";
import { afterAll, afterEach, beforeAll } from "vitest";
import { checkGitHubRequest } from "../../src/fakeGitHub/openapiCheck.js";

export const GITHUB_API_ORIGIN = "https://api.github.com";

/** Hosts tests may reach for real (the e2e tests' local server). */
const LOCAL_HOST = /^(localhost|127\.0\.0\.1|\[::1\]|::1)(:\d+)?$/;

const problems: string[] = [];
let noMatchListening = false;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/**
 * `nock("https://api.github.com", options)` whose interceptors check each
 * request they answer against GitHub's REST description. Chain interceptors on
 * it as usual; findings are reported by `assertGitHubRequestsValid()` (called
 * for you by `useGitHubApi()` after each test).
 */
export function githubApi(options?: nock.Options): nock.Scope {
  const scope = nock(GITHUB_API_ORIGIN, options);
  scope.on("request", (req: unknown, _interceptor: unknown, body: unknown) => {
    const method = isRecord(req) ? text(req.method) : undefined;
    const path = isRecord(req) ? text(req.path) : undefined;
    if (method === undefined || path === undefined) {
      problems.push(`could not read method/path of an intercepted GitHub request`);
      return;
    }
    problems.push(...checkGitHubRequest({ method, path, body }));
  });
  return scope;
}

/** nock's "no match" event passes a request, an options object, or both. */
function onNoMatch(reqOrOptions: unknown, maybeOptions?: unknown, body?: unknown): void {
  const sources = [reqOrOptions, maybeOptions].filter(isRecord);
  const pick = (key: string) => sources.map((s) => text(s[key])).find((v) => v !== undefined);
  let host = pick("host") ?? pick("hostname");
  const req = sources[0];
  if (host === undefined && req && typeof req.getHeader === "function") {
    host = text((req.getHeader as (name: string) => unknown).call(req, "host"));
  }
  if (host !== undefined && LOCAL_HOST.test(host)) return;
  const method = (pick("method") ?? "GET").toUpperCase();
  const path = pick("path") ?? "/";
  const where = host === undefined ? path : `${host.replace(/:443$/, "")}${path}`;
  problems.push(`no interceptor matched ${method} ${where} (real network is disabled)`);
  if (host === undefined || host.replace(/:443$/, "") === "api.github.com") {
    // Say whether the request itself is valid, to tell a wrong mock from a wrong request.
    problems.push(...checkGitHubRequest({ method, path, body }).map((p) => `  ${p}`));
  }
}

/**
 * Disables real network (except localhost / 127.0.0.1) and starts reporting
 * requests that hit no interceptor. Idempotent. `useGitHubApi()` calls it.
 */
export function startGitHubApiChecks(): void {
  nock.disableNetConnect();
  nock.enableNetConnect(LOCAL_HOST);
  if (!noMatchListening) {
    nock.emitter.on("no match", onNoMatch);
    noMatchListening = true;
  }
}

/** Stops reporting unmatched requests and re-allows real network. */
export function stopGitHubApiChecks(): void {
  nock.emitter.removeListener("no match", onNoMatch);
  noMatchListening = false;
  nock.enableNetConnect();
}

/** Problems found so far in this test (invalid requests, unmatched requests); a copy. */
export function gitHubRequestProblems(): string[] {
  return [...problems];
}

/** Forget the problems found so far. */
export function clearGitHubRequestProblems(): void {
  problems.length = 0;
}

/**
 * Throws one Error listing every problem found since the last check (and
 * forgets them), or does nothing if all GitHub requests were valid and matched.
 */
export function assertGitHubRequestsValid(): void {
  if (problems.length === 0) return;
  const found = problems.splice(0);
  const count = found.filter((p) => !p.startsWith("  ")).length;
  throw new Error(`${count} problem(s) with requests to GitHub:\n${found.map((p) => `- ${p}`).join("\n")}`);
}

/**
 * End-of-test bookkeeping, as run by `useGitHubApi()`'s `afterEach`: removes all
 * nock interceptors, then throws if any GitHub request was invalid or unmatched.
 */
export function finishGitHubApiTest(): void {
  nock.cleanAll();
  assertGitHubRequestsValid();
}

/**
 * Installs vitest hooks for the current file (or `describe` block): real
 * network off (localhost allowed) before all tests, `finishGitHubApiTest()`
 * after each, network back on after all.
 */
export function useGitHubApi(): void {
  beforeAll(() => {
    startGitHubApiChecks();
  });
  afterEach(() => {
    finishGitHubApiTest();
  });
  afterAll(() => {
    nock.cleanAll();
    clearGitHubRequestProblems();
    stopGitHubApiChecks();
  });
}
