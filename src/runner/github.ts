/**
 * The few GitHub REST calls the runner makes, through plain `fetch` with the
 * token (no SDK in the bundle). `GITHUB_API_URL` decides the host, so it
 * works on GitHub Enterprise Server too.
 */

export class GitHubApiError extends Error {
  constructor(
    readonly status: number,
    readonly route: string,
    message: string,
  ) {
    super(`GitHub answered ${status} to ${route}: ${message}`);
  }
}

export interface PullRequest {
  number: number;
  html_url: string;
}

export interface GitHubOptions {
  apiUrl: string;
  token: string;
  owner: string;
  repo: string;
  fetch?: typeof fetch;
  /** Waits before retrying a request GitHub could not answer (5xx, network). */
  retryDelaysMs?: number[];
}

export class GitHub {
  private readonly fetch: typeof fetch;
  private readonly delays: number[];

  constructor(private readonly options: GitHubOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.delays = options.retryDelaysMs ?? [2_000, 5_000];
  }

  private repoPath(path: string): string {
    return `/repos/${encodeURIComponent(this.options.owner)}/${encodeURIComponent(this.options.repo)}${path}`;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const route = `${method} ${path.split("?")[0]}`;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await this.fetch(`${this.options.apiUrl}${path}`, {
          method,
          headers: {
            accept: "application/vnd.github+json",
            authorization: `Bearer ${this.options.token}`,
            "user-agent": "parallel-coordinator-runner",
            "x-github-api-version": "2022-11-28",
            ...(body === undefined ? {} : { "content-type": "application/json" }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      } catch (error) {
        if (attempt < this.delays.length) {
          await sleep(this.delays[attempt]!);
          continue;
        }
        throw new GitHubApiError(0, route, (error as Error).message);
      }
      const text = await response.text();
      if (response.ok) return (text === "" ? undefined : JSON.parse(text)) as T;
      if (response.status >= 500 && attempt < this.delays.length) {
        await sleep(this.delays[attempt]!);
        continue;
      }
      let message = text;
      try {
        const data = JSON.parse(text) as { message?: unknown; errors?: Array<{ message?: string } | string> };
        const details = (data.errors ?? []).map((item) => (typeof item === "string" ? item : (item.message ?? ""))).filter(Boolean);
        message = `${typeof data.message === "string" ? data.message : text}${details.length > 0 ? ` (${details.join("; ")})` : ""}`;
      } catch {
        // Not JSON: the text as it is.
      }
      throw new GitHubApiError(response.status, route, message.slice(0, 500));
    }
  }

  /** The open pull request from `branch` into `base`, if any (`head` needs the owner: a bare branch name is ignored). */
  async openPullRequest(branch: string, base: string): Promise<PullRequest | undefined> {
    const query = new URLSearchParams({ head: `${this.options.owner}:${branch}`, base, state: "open", per_page: "10" });
    const pulls = await this.request<PullRequest[]>("GET", this.repoPath(`/pulls?${query.toString()}`));
    return pulls[0];
  }

  async createPullRequest(branch: string, base: string, title: string, body: string): Promise<PullRequest> {
    return this.request<PullRequest>("POST", this.repoPath("/pulls"), { title, head: branch, base, body });
  }

  async updatePullRequest(number: number, title: string, body: string): Promise<PullRequest> {
    return this.request<PullRequest>("PATCH", this.repoPath(`/pulls/${number}`), { title, body });
  }

  async comment(issue: number, body: string): Promise<{ id: number; html_url: string }> {
    return this.request("POST", this.repoPath(`/issues/${issue}/comments`), { body });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
