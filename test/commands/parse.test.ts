import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/commands/parse.js";

describe("parseCommand", () => {
  it.each([
    ["/pause", { name: "pause" }],
    ["/pause waiting for the API review", { name: "pause", reason: "waiting for the API review" }],
    ["/пауза обід", { name: "pause", reason: "обід" }],
    ["/resume", { name: "resume" }],
    ["/продовжити", { name: "resume" }],
    ["/retry 3", { name: "retry", batch: "3" }],
    ["/skip #4", { name: "skip", batch: "4" }],
    ["/approve models", { name: "approve", batch: "models" }],
    ["/plan", { name: "plan", force: false }],
    ["/plan --force", { name: "plan", force: true }],
    ["/status", { name: "status" }],
    ["/abort", { name: "abort" }],
    ["/help", { name: "help" }],
    ["  /PAUSE  now  ", { name: "pause", reason: "now" }],
  ])("%j", (body, command) => {
    expect(parseCommand(body)).toEqual({ ok: true, command });
  });

  it("takes the first command line of a longer comment, CRLF included", () => {
    expect(parseCommand("Thanks all.\r\n/pause lunch\r\n/resume")).toEqual({ ok: true, command: { name: "pause", reason: "lunch" } });
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
    expect(parseCommand("/plan please")).toMatchObject({ ok: false });
  });

  it("/resume budget raises the budget by minutes, dollars or both; anything else is refused", () => {
    expect(parseCommand("/resume budget +60m")).toEqual({ ok: true, command: { name: "resume", raise: { minutes: 60 } } });
    expect(parseCommand("/resume budget +1h30m")).toEqual({ ok: true, command: { name: "resume", raise: { minutes: 90 } } });
    expect(parseCommand("/resume budget +$5")).toEqual({ ok: true, command: { name: "resume", raise: { usd: 5 } } });
    expect(parseCommand("/resume budget +2.5usd +2h")).toEqual({ ok: true, command: { name: "resume", raise: { usd: 2.5, minutes: 120 } } });
    const refused = { ok: false, error: "`/resume` takes nothing, or `budget` and what to add to it: `/resume budget +60m`, `/resume budget +$5`, or both" };
    for (const text of ["/resume now", "/resume budget", "/resume budget 60m", "/resume budget +soon", "/resume budget +60m +30m", "/resume budget +$0", "/resume budget +1h +$1 +$2"]) {
      expect(parseCommand(text), text).toEqual(refused);
    }
  });

  it("finds no command in ordinary text", () => {
    expect(parseCommand("Looks good to me")).toBeUndefined();
    expect(parseCommand("")).toBeUndefined();
  });
});
