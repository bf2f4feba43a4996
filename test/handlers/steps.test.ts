import type { Context } from "probot";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { memoryLocks } from "../../src/github/stores/lock.js";
import { stepRunner } from "../../src/handlers/steps.js";

const where = { owner: "o", repo: "r", issue: 1 };

function context(): { context: Context; errors: unknown[][] } {
  const errors: unknown[][] = [];
  return { context: { id: "delivery-1", log: { error: (...args: unknown[]) => errors.push(args) } } as unknown as Context, errors };
}

/** An Octokit request error as Probot's Octokit throws it. */
function githubError(status: number, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(`HTTP ${status}`), { status, response: { status, headers, data: { message: "x" } } });
}

describe("stepRunner", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("tries a failed step again after each delay, and stops once it succeeds", async () => {
    const { context: ctx, errors } = context();
    const work = vi.fn().mockRejectedValueOnce(githubError(502)).mockRejectedValueOnce(githubError(502)).mockResolvedValue(undefined);
    await stepRunner(memoryLocks(), { wait: false, retryDelays: [1_000, 5_000, 60_000] })(ctx, where, work);
    await vi.advanceTimersByTimeAsync(0);
    expect(work).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(work).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(work).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(work).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(work).toHaveBeenCalledTimes(3);
    expect(errors.map(([fields]) => fields)).toEqual([
      expect.objectContaining({ delivery: "delivery-1", step: "o/r#1", attempt: 1, retryInMs: 1_000 }),
      expect.objectContaining({ delivery: "delivery-1", step: "o/r#1", attempt: 2, retryInMs: 5_000 }),
    ]);
  });

  it("waits as long as a rate limit asks (retry-after), when that is longer", async () => {
    const { context: ctx } = context();
    const work = vi.fn().mockRejectedValueOnce(githubError(403, { "retry-after": "90" })).mockResolvedValue(undefined);
    await stepRunner(memoryLocks(), { wait: false, retryDelays: [1_000] })(ctx, where, work);
    await vi.advanceTimersByTimeAsync(89_999);
    expect(work).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(work).toHaveBeenCalledTimes(2);
  });

  it("gives up after its last delay and says the next event finishes the step", async () => {
    const { context: ctx, errors } = context();
    const work = vi.fn().mockRejectedValue(githubError(502));
    await stepRunner(memoryLocks(), { wait: false, retryDelays: [10] })(ctx, where, work);
    await vi.advanceTimersByTimeAsync(1_000_000);
    expect(work).toHaveBeenCalledTimes(2);
    expect(errors.at(-1)).toEqual([expect.objectContaining({ attempt: 2 }), "coordination step failed; the issue's next event or a redelivery finishes it"]);
  });

  it("with wait, the delivery waits for the step and a failure is thrown, not retried", async () => {
    const { context: ctx } = context();
    const work = vi.fn().mockRejectedValue(githubError(502));
    await expect(stepRunner(memoryLocks(), { wait: true, retryDelays: [10] })(ctx, where, work)).rejects.toThrow("HTTP 502");
    await vi.advanceTimersByTimeAsync(1_000);
    expect(work).toHaveBeenCalledTimes(1);
  });
});
