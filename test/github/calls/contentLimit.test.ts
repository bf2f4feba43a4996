import { ProbotOctokit } from "probot";
import { afterEach, describe, expect, it, vi } from "vitest";
import { contentCreation, withContentLimit } from "../../../src/github/calls/contentLimit.js";

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

/** The most of `times` (ms, ascending) that fall within any window of `ms`. */
function mostWithin(times: number[], ms: number): number {
  let most = 0;
  for (let first = 0, last = 0; first < times.length; first++) {
    while (last < times.length && times[last]! < times[first]! + ms) last++;
    most = Math.max(most, last - first);
  }
  return most;
}

describe("the limit on content creation", () => {
  it("keeps within GitHub's documented 80 a minute and 500 an hour, and lets 50 dashboards through in the first minute", async () => {
    vi.useFakeTimers();
    const limiter = contentCreation.key("an installation");
    const times: number[] = [];
    const started = Date.now();
    const jobs = Array.from({ length: 700 }, () => limiter.schedule(async () => void times.push(Date.now())));
    await vi.advanceTimersByTimeAsync(3 * 3_600_000);
    await Promise.all(jobs);

    expect(times).toHaveLength(700);
    expect(mostWithin(times, 60_000)).toBeLessThanOrEqual(80);
    expect(mostWithin(times, 3_600_000)).toBeLessThanOrEqual(500);
    // 50 features labelled at once post their dashboards within the minute.
    expect(times.filter((time) => time < started + 60_000).length).toBeGreaterThanOrEqual(50);
  });

  it("is what a new comment waits for in an Octokit made with it; an edit does not", async () => {
    const keys = vi.spyOn(contentCreation, "key");
    const Octokit = withContentLimit(ProbotOctokit).defaults({
      request: {
        fetch: async () => new Response("{}", { status: 201, headers: { "content-type": "application/json" } }),
      },
      retry: { enabled: false },
    });
    const octokit = new Octokit({ throttle: { id: "7", onRateLimit: () => false, onSecondaryRateLimit: () => false } });
    const issue = { owner: "o", repo: "r" };
    await octokit.rest.issues.updateComment({ ...issue, comment_id: 1, body: "edited" });
    expect(keys).not.toHaveBeenCalled();
    await octokit.rest.issues.createComment({ ...issue, issue_number: 1, body: "new" });
    expect(keys).toHaveBeenCalledWith("7");
  });
});
