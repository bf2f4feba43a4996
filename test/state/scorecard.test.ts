import { describe, expect, it } from "vitest";
import type { Event } from "../../src/state/events.js";
import { finishMessage } from "../../src/state/messages.js";
import { scorecard } from "../../src/state/scorecard.js";
import { at, completed, evidence, play, report, running } from "./support.js";

const merged = (batch: string, sha: string, when: number): Event => ({ kind: "merged", at: at(when), batch, sha });

describe("the scorecard, by agent", () => {
  it("gives each agent's batches, first-try, redo, out-of-scope and blocked shares, time over estimate and usage", () => {
    const { plan, state } = running();
    const { state: done } = play(plan, state, [
      // styles (frontend): accepted first, 10 of 20 min, with usage.
      completed(102, 10, at(10), {
        evidence: evidence(
          502,
          ["frontend/styles/a.css"],
          report("styles", 102, { usage: { tokens: 1_000, usd: 0.1 } }),
        ),
      }),
      merged("styles", "m1", 10),
      // api (backend, recipe claude): out of scope, then its redo is accepted.
      completed(101, 20, at(20), {
        evidence: evidence(501, ["backend/api/a.py", "frontend/x.ts"], report("api", 101, { agent: "claude" })),
      }),
      { kind: "dispatched", at: at(20), batch: "api", attempt: 2, runId: 201 },
      completed(201, 40, at(60), {
        evidence: evidence(601, ["backend/api/a.py"], report("api", 201, { agent: "claude", usage: { usd: 0.5 } })),
      }),
      merged("api", "m2", 60),
      { kind: "dispatched", at: at(60), batch: "model", attempt: 1, runId: 103 },
      { kind: "dispatched", at: at(60), batch: "ui", attempt: 1, runId: 104 },
      // ui (frontend): blocked, then approved by a person: not first-try.
      completed(104, 30, at(90), {
        evidence: evidence(504, ["frontend/bell/a.tsx"], report("ui", 104, { status: "Blocked" })),
      }),
      { kind: "command", at: at(91), by: "alice", comment: 5, command: { name: "approve", batch: "ui" } },
      merged("ui", "m3", 91),
    ]);
    expect(scorecard(plan, done).map(({ accepted: _accepted, ...entry }) => entry)).toEqual([
      {
        agent: "claude",
        batches: 1,
        firstTry: 0,
        redo: 1,
        outOfScope: 1,
        blocked: 0,
        overEstimate: { median: 1.5, worst: 2 },
        usage: { usd: 0.5 },
      },
      {
        agent: "frontend",
        batches: 2,
        firstTry: 0.5,
        redo: 0,
        outOfScope: 0,
        blocked: 0.5,
        overEstimate: { median: 1, worst: 1.5 },
        usage: { tokens: 1_000, usd: 0.1 },
      },
    ]);
    // model is still running: no finished run, no entry yet.
    expect(scorecard(plan, done).some((entry) => entry.agent === "backend")).toBe(false);
  });

  it("first-try acceptance counts only batches the check-in accepted on their first run: an /approve is a person's, and its own entry", () => {
    const { plan, state } = running();
    const { state: approved } = play(plan, state, [
      // api blocked with nothing committed (its report came as a comment), approved as it is.
      completed(101, 12, at(12), {
        evidence: { report: evidence(501, [], report("api", 101, { status: "Blocked" })).report },
      }),
      { kind: "command", at: at(13), by: "alice", comment: 6, command: { name: "approve", batch: "api" } },
    ]);
    const own = approved.batches.api!;
    expect(own.status).toBe("accepted");
    expect(own.runs.map((run) => run.outcome)).toEqual(["blocked"]);
    expect(own.decisions).toEqual([{ decision: "approve", by: "alice", at: at(13) }]);
    const finish = finishMessage(plan, approved);
    if (finish.kind !== "finish") throw new Error("not a finish");
    expect(finish.finish.quality).toMatchObject({ firstTry: 0, accepted: 1 });
    expect(finish.finish.issues[0]).toEqual({
      batch: { number: 1, title: "Notification API", domain: "backend" },
      history: [{ run: "blocked" }, { decision: "approve", by: "alice" }],
    });
  });
  it("a run /pause cancelled before it ended is a person's doing: the run after it is the agent's first try", () => {
    const { plan, state } = running();
    const { state: done } = play(plan, state, [
      { kind: "command", at: at(1), by: "alice", comment: 7, command: { name: "pause" } },
      { kind: "command", at: at(2), by: "alice", comment: 8, command: { name: "resume" } },
      { kind: "dispatched", at: at(2), batch: "api", attempt: 2, runId: 201 },
      completed(201, 20, at(22), { evidence: evidence(601, ["backend/api/a.py"], report("api", 201)) }),
      merged("api", "m1", 22),
    ]);
    const own = done.batches.api!;
    expect(own.runs.map((run) => run.outcome)).toEqual(["cancelled", "accepted"]);
    expect(scorecard(plan, done).find((entry) => entry.agent === "backend")).toMatchObject({ batches: 1, firstTry: 1 });
  });
});
