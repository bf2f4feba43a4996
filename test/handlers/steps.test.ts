import type { Context } from "probot";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { memoryLocks } from "../../src/github/stores/lock.js";
import { UnreadableState } from "../../src/github/stores/loadState.js";
import { commentMarker } from "../../src/github/stores/markers.js";
import { stepRunner } from "../../src/handlers/steps.js";
import { ConditionalCache } from "../../src/github/calls/conditionalRequests.js";

const where = { owner: "o", repo: "r", issue: 1 };

function context(): { context: Context; errors: unknown[][] } {
  const errors: unknown[][] = [];
  return {
    context: {
      id: "delivery-1",
      log: { error: (...args: unknown[]) => errors.push(args) },
      // The step's reads are wrapped as conditional requests; these steps make none.
      octokit: { hook: { wrap: () => undefined } },
    } as unknown as Context,
    errors,
  };
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
    const work = vi
      .fn()
      .mockRejectedValueOnce(githubError(502))
      .mockRejectedValueOnce(githubError(502))
      .mockResolvedValue(undefined);
    await stepRunner(memoryLocks(), {
      reads: new ConditionalCache(),
      wait: false,
      retryDelays: [1_000, 5_000, 60_000],
    })(ctx, where, work);
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
    const work = vi
      .fn()
      .mockRejectedValueOnce(githubError(403, { "retry-after": "90" }))
      .mockResolvedValue(undefined);
    await stepRunner(memoryLocks(), { reads: new ConditionalCache(), wait: false, retryDelays: [1_000] })(
      ctx,
      where,
      work,
    );
    await vi.advanceTimersByTimeAsync(89_999);
    expect(work).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(work).toHaveBeenCalledTimes(2);
  });

  it("gives up after its last delay and says the next event finishes the step", async () => {
    const { context: ctx, errors } = context();
    const work = vi.fn().mockRejectedValue(githubError(502));
    await stepRunner(memoryLocks(), { reads: new ConditionalCache(), wait: false, retryDelays: [10] })(
      ctx,
      where,
      work,
    );
    await vi.advanceTimersByTimeAsync(1_000_000);
    expect(work).toHaveBeenCalledTimes(2);
    expect(errors.at(-1)).toEqual([
      expect.objectContaining({ attempt: 2 }),
      "coordination step failed; the issue's next event or a redelivery finishes it",
    ]);
  });

  it("a state this version cannot read: logged with the delivery, said on the issue unless said already, never tried again", async () => {
    const warnings: unknown[][] = [];
    const posted: unknown[] = [];
    const ctx = {
      id: "delivery-7",
      log: { warn: (...args: unknown[]) => warnings.push(args), error: () => expect.unreachable("no error is logged") },
      octokit: {
        hook: { wrap: () => undefined },
        rest: {
          issues: {
            createComment: (request: unknown) => (
              posted.push(request),
              Promise.resolve({ data: { id: 5, body: "", user: { login: "app[bot]" } } })
            ),
          },
        },
      },
    } as unknown as Context;
    const newer = () =>
      new UnreadableState(
        { version: 9, issue: 1 },
        [],
        "the state was written by a newer version of the app (state v9; this one reads up to v2)",
      );
    const work = vi.fn().mockRejectedValue(newer());
    await stepRunner(memoryLocks(), { reads: new ConditionalCache(), wait: false, retryDelays: [10] })(
      ctx,
      where,
      work,
    );
    await vi.advanceTimersByTimeAsync(1_000);
    expect(work).toHaveBeenCalledTimes(1);
    expect(warnings).toEqual([
      [
        { delivery: "delivery-7", step: "o/r#1" },
        "the state was written by a newer version of the app (state v9; this one reads up to v2): the issue is left untouched",
      ],
    ]);
    expect(posted).toEqual([{ owner: "o", repo: "r", issue_number: 1, body: expect.stringContaining("(state v9)") }]);
    expect(posted).toEqual([
      { owner: "o", repo: "r", issue_number: 1, body: expect.stringContaining(commentMarker("unreadable-state-v9")) },
    ]);

    // The issue already says so: nothing is posted again, and a wait-ing delivery is not failed.
    const said = {
      id: 5,
      body: `said\n\n${commentMarker("unreadable-state-v9")}`,
      author: "app[bot]",
      bot: true,
      createdAt: "2026-01-05T09:00:00Z",
      updatedAt: "2026-01-05T09:00:00Z",
    };
    const again = vi.fn().mockRejectedValue(new UnreadableState({ version: 9 }, [said], "newer"));
    await stepRunner(memoryLocks(), { reads: new ConditionalCache(), wait: true, retryDelays: [10] })(
      ctx,
      where,
      again,
    );
    expect(posted).toHaveLength(1);
  });

  it("with wait, the delivery waits for the step and a failure is thrown, not retried", async () => {
    const { context: ctx } = context();
    const work = vi.fn().mockRejectedValue(githubError(502));
    await expect(
      stepRunner(memoryLocks(), { reads: new ConditionalCache(), wait: true, retryDelays: [10] })(ctx, where, work),
    ).rejects.toThrow("HTTP 502");
    await vi.advanceTimersByTimeAsync(1_000);
    expect(work).toHaveBeenCalledTimes(1);
  });
});
