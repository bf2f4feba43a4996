import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/commands/parse.js";

describe("parseCommand", () => {
  it.each([
    ["/pause", { name: "pause" }],
    ["/pause waiting for the API review", { name: "pause", reason: "waiting for the API review" }],
    ["/пауза обід", { name: "pause", reason: "обід" }],
    ["/resume", { name: "resume" }],
    ["/продовжити", { name: "resume" }],
    ["/resume @https://github.com/acme/shop/issues/7#issuecomment-1234567", { name: "resume", checkpoint: 1234567 }],
    ["/resume https://github.com/acme/shop/issues/7#issuecomment-42", { name: "resume", checkpoint: 42 }],
    ["/resume @<https://github.com/acme/shop/issues/7#issuecomment-42>", { name: "resume", checkpoint: 42 }],
    ["/resume #issuecomment-42", { name: "resume", checkpoint: 42 }],
    ["/resume @42", { name: "resume", checkpoint: 42 }],
    ["/продовжити 42", { name: "resume", checkpoint: 42 }],
    ["/retry 3", { name: "retry", batch: "3" }],
    ["/skip #4", { name: "skip", batch: "4" }],
    ["/approve models", { name: "approve", batch: "models" }],
    [`/approve 3 ${"AbC123".repeat(6)}abcd`, { name: "approve", batch: "3", sha: `${"abc123".repeat(6)}abcd` }],
    ["/plan", { name: "plan", force: false }],
    ["/plan --force", { name: "plan", force: true }],
    ["/plan split", { name: "plan", force: false, split: true }],
    ["/plan split --force", { name: "plan", force: true, split: true }],
    ["/status", { name: "status" }],
    ["/abort", { name: "abort" }],
    ["/help", { name: "help" }],
    ["  /PAUSE  now  ", { name: "pause", reason: "now" }],
  ])("%j", (body, command) => {
    expect(parseCommand(body)).toEqual({ ok: true, command });
  });

  it("takes the first command line of a longer comment, CRLF included", () => {
    expect(parseCommand("Thanks all.\r\n/pause lunch\r\n/resume")).toEqual({
      ok: true,
      command: { name: "pause", reason: "lunch" },
    });
  });

  it("ignores commands in code, quotes and HTML comments", () => {
    expect(parseCommand("```\n/pause\n```")).toBeUndefined();
    expect(parseCommand("~~~sh\n/abort\n~~~\n")).toBeUndefined();
    expect(parseCommand("text\n\n    /abort\n")).toBeUndefined();
    expect(parseCommand("> /pause\n> said someone")).toBeUndefined();
    expect(parseCommand("<!-- /abort -->")).toBeUndefined();
    expect(parseCommand("<!--\n/abort\n-->")).toBeUndefined();
    expect(parseCommand("I said /pause yesterday")).toBeUndefined();
    expect(parseCommand("```\n/pause\n```\n/status")).toEqual({ ok: true, command: { name: "status" } });
  });

  it("answers unknown commands and bad arguments", () => {
    expect(parseCommand("/frobnicate")).toEqual({ ok: false, error: "`/frobnicate` is not a command" });
    expect(parseCommand("/retry")).toMatchObject({ ok: false, error: expect.stringContaining("needs one batch") });
    expect(parseCommand("/retry 1 2")).toMatchObject({ ok: false });
    const resumeError = {
      ok: false,
      error:
        "`/resume` takes nothing, one of this issue's checkpoint comments, by its link or id (`/resume @https://github.com/owner/repo/issues/7#issuecomment-123`), or `budget` and what to add to it (`/resume budget +60m`, `/resume budget +$5`, or both)",
    };
    expect(parseCommand("/resume now")).toEqual(resumeError);
    // The seed's path names a file of its own; here a checkpoint is a comment.
    expect(parseCommand("/resume @.artifacts/profile-editing/20240124_103000")).toEqual(resumeError);
    expect(parseCommand("/resume @42 43")).toEqual(resumeError);
    expect(parseCommand("/plan please")).toMatchObject({ ok: false });
    // GitHub's merge takes the head's full SHA: a short one, or anything else, is refused with the form to use.
    expect(parseCommand("/approve")).toMatchObject({
      ok: false,
      error: expect.stringContaining("`/approve 3 <commit SHA>`"),
    });
    expect(parseCommand("/approve 3 abc1234")).toEqual({
      ok: false,
      error: "`/approve` names the head it approves by its full commit SHA (40 hex digits), not `abc1234`",
    });
    expect(parseCommand("/approve 3 `@x`")).toEqual({
      ok: false,
      error: "`/approve` names the head it approves by its full commit SHA (40 hex digits), not `@x`",
    });
    expect(parseCommand(`/approve 3 ${"a".repeat(40)} extra`)).toMatchObject({ ok: false });
    expect(parseCommand("/plan split split")).toEqual({
      ok: false,
      error:
        "`/plan` takes nothing, `split` to plan oversized tasks as the parts proposed, or `--force` to plan an epic anyway",
    });
  });

  it("/resume budget raises the budget by minutes, dollars or both; anything else is refused", () => {
    expect(parseCommand("/resume budget +60m")).toEqual({
      ok: true,
      command: { name: "resume", raise: { minutes: 60 } },
    });
    expect(parseCommand("/resume budget +1h30m")).toEqual({
      ok: true,
      command: { name: "resume", raise: { minutes: 90 } },
    });
    expect(parseCommand("/resume budget +$5")).toEqual({ ok: true, command: { name: "resume", raise: { usd: 5 } } });
    expect(parseCommand("/resume budget +2.5usd +2h")).toEqual({
      ok: true,
      command: { name: "resume", raise: { usd: 2.5, minutes: 120 } },
    });
    const refused = {
      ok: false,
      error:
        "`/resume` takes nothing, one of this issue's checkpoint comments, by its link or id (`/resume @https://github.com/owner/repo/issues/7#issuecomment-123`), or `budget` and what to add to it (`/resume budget +60m`, `/resume budget +$5`, or both)",
    };
    for (const text of [
      "/resume budget",
      "/resume budget 60m",
      "/resume budget +soon",
      "/resume budget +60m +30m",
      "/resume budget +$0",
      "/resume budget +1h +$1 +$2",
    ]) {
      expect(parseCommand(text), text).toEqual(refused);
    }
  });

  it("finds no command in ordinary text", () => {
    expect(parseCommand("Looks good to me")).toBeUndefined();
    expect(parseCommand("")).toBeUndefined();
  });
});
