import { describe, expect, it } from "vitest";
import { usageFromOutput } from "../../src/runner/agentUsage.js";

const claudeResult = {
  type: "result",
  subtype: "success",
  is_error: false,
  result: "Done: the bell renders.",
  total_cost_usd: 0.8123,
  usage: { input_tokens: 1200, output_tokens: 3400, cache_creation_input_tokens: 5000, cache_read_input_tokens: 90000 },
};

describe("usageFromOutput", () => {
  it("reads Claude Code's result object: every token it processed, and its cost", () => {
    expect(usageFromOutput(JSON.stringify(claudeResult))).toEqual({ tokens: 99_600, usd: 0.8123 });
  });

  it("reads the result that ends a stream-json log among the other events and plain lines", () => {
    const log = [
      "some text the shell printed",
      JSON.stringify({ type: "system", subtype: "init" }),
      JSON.stringify({ type: "assistant", message: { usage: { input_tokens: 5, output_tokens: 5 } } }),
      JSON.stringify(claudeResult),
      "",
    ].join("\n");
    expect(usageFromOutput(log)).toEqual({ tokens: 99_600, usd: 0.8123 });
  });

  it("adds up Codex's turns, cached input being part of the input", () => {
    const log = [
      JSON.stringify({ type: "thread.started", thread_id: "t" }),
      JSON.stringify({
        type: "turn.completed",
        usage: { input_tokens: 26549, cached_input_tokens: 22272, output_tokens: 1590 },
      }),
      JSON.stringify({
        type: "turn.completed",
        usage: { input_tokens: 1000, cached_input_tokens: 0, output_tokens: 10 },
      }),
    ].join("\n");
    expect(usageFromOutput(log)).toEqual({ tokens: 29_149 });
  });

  it("says nothing of plain output, broken lines, or counts that are not counts", () => {
    expect(usageFromOutput("I changed three files.\nAll tests pass.")).toBeUndefined();
    expect(usageFromOutput('{"type": "result", "total_cost_usd": 0.5')).toBeUndefined();
    expect(
      usageFromOutput(JSON.stringify({ type: "result", usage: { input_tokens: -4, output_tokens: 1.5 } })),
    ).toBeUndefined();
    expect(usageFromOutput(JSON.stringify({ type: "result", total_cost_usd: -1 }))).toBeUndefined();
    expect(usageFromOutput(JSON.stringify({ type: "turn.completed", usage: "lots" }))).toBeUndefined();
  });
});
