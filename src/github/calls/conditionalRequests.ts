import { statusOf } from "./httpErrors.js";
import type { Octokit } from "./githubTypes.js";

/**
 * The lists the app reads again and again while nothing may have changed —
 * an issue's comments (the state), the batch pull requests, the agent
 * workflow's runs, the sweep's labelled issues and repositories, the
 * batches' sub-issues (`subIssues.mirror`, read at every step) — read as
 * GitHub's conditional requests: sent with the `etag` of the answer kept from
 * the last read, and answered `304 Not Modified` while that answer still
 * holds, which costs nothing of the rate limit ("Best practices for using the
 * REST API: use conditional requests"). The answer is the very one GitHub
 * gave, so everything read from it is checked as before.
 */
const conditional = [
  /^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/comments$/,
  /^\/repos\/[^/]+\/[^/]+\/pulls$/,
  /^\/repos\/[^/]+\/[^/]+\/actions\/workflows\/[^/]+\/runs$/,
  /^\/repos\/[^/]+\/[^/]+\/issues$/,
  /^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/sub_issues$/,
  /^\/installation\/repositories$/,
];

interface Kept {
  etag: string;
  /** The answer as GitHub gave it (as JSON: each reader gets its own copy). */
  response: string;
  size: number;
}

/**
 * GitHub's answers kept for conditional requests, by URL, the least recently
 * used forgotten first past `maxBytes`: forgetting one only costs a full read.
 * In memory, per process: replicas each keep their own.
 */
export class ConditionalCache {
  readonly #kept = new Map<string, Kept>();
  #bytes = 0;

  constructor(readonly maxBytes = 32 * 1024 * 1024) {}

  get(key: string): Kept | undefined {
    const kept = this.#kept.get(key);
    if (kept !== undefined) {
      this.#kept.delete(key);
      this.#kept.set(key, kept);
    }
    return kept;
  }

  set(key: string, etag: string, response: unknown): void {
    this.forget(key);
    const text = JSON.stringify(response);
    // Two bytes a character at most: the bound holds whatever the text.
    const size = 2 * text.length;
    if (size > this.maxBytes) return;
    this.#kept.set(key, { etag, response: text, size });
    this.#bytes += size;
    for (const [oldest, kept] of this.#kept) {
      if (this.#bytes <= this.maxBytes) break;
      this.#kept.delete(oldest);
      this.#bytes -= kept.size;
    }
  }

  forget(key: string): void {
    const kept = this.#kept.get(key);
    if (kept === undefined) return;
    this.#kept.delete(key);
    this.#bytes -= kept.size;
  }
}

/** Octokits whose reads go through a cache already: each is wrapped once. */
const wrapped = new WeakSet<object>();

/**
 * Sends the reads above of `octokit` (every page of them) as conditional
 * requests through `cache`: a `304` is answered with the answer kept, as a
 * `200`. `onNotModified` is told of each, for whoever counts what costs rate
 * limit. Other requests go as they are.
 */
export function readConditionally(octokit: Octokit, cache: ConditionalCache, onNotModified?: () => void): void {
  if (wrapped.has(octokit)) return;
  wrapped.add(octokit);
  octokit.hook.wrap("request", async (request, options) => {
    const { method, url, headers } = octokit.request.endpoint.parse(options);
    if (method !== "GET" || !conditional.some((path) => path.test(new URL(url).pathname))) return request(options);
    const key = `${headers.accept ?? ""} ${url}`;
    const kept = cache.get(key);
    // Set on the request's own options: the hooks inside this one (the token's) are handed those, not a copy.
    if (kept !== undefined) options.headers = { ...options.headers, "if-none-match": kept.etag };
    try {
      const response = await request(options);
      const etag = response.headers.etag;
      if (etag === undefined) cache.forget(key);
      else cache.set(key, etag, response);
      return response;
    } catch (error) {
      if (kept === undefined || statusOf(error) !== 304) throw error;
      onNotModified?.();
      return JSON.parse(kept.response) as Awaited<ReturnType<typeof request>>;
    }
  });
}
