import { UsageSchema, type Usage } from "../report/reportSchema.js";

/**
 * What an agent's own output says it used, where its recipe prints a format
 * the runner knows: Claude Code's result object (`--output-format json` or
 * `stream-json`: `total_cost_usd` and `usage`), and Codex's `turn.completed`
 * events (`codex exec --json`: tokens, no cost). Undefined when the output
 * says nothing of it, so the agent's report.json may. Read from the output's
 * last 64 KiB (the runner keeps no more): the result comes last.
 */
export function usageFromOutput(output: string): Usage | undefined {
  let claude: Usage | undefined;
  let codexTokens: number | undefined;
  for (const line of output.split("\n")) {
    const event = jsonObject(line.trim());
    if (event === undefined) continue;
    const usage = record(event.usage);
    if (event.type === "result" && (usage !== undefined || typeof event.total_cost_usd === "number")) {
      // Cache reads and writes are tokens the model processed too, billed at their own rates.
      const tokens = sum(usage, [
        "input_tokens",
        "output_tokens",
        "cache_creation_input_tokens",
        "cache_read_input_tokens",
      ]);
      claude = {
        ...(tokens === undefined ? {} : { tokens }),
        ...(typeof event.total_cost_usd === "number" ? { usd: event.total_cost_usd } : {}),
      };
    } else if (event.type === "turn.completed" && usage !== undefined) {
      // Cached input tokens are a part of input_tokens: not counted twice.
      const tokens = sum(usage, ["input_tokens", "output_tokens"]);
      if (tokens !== undefined) codexTokens = (codexTokens ?? 0) + tokens;
    }
  }
  const found = claude ?? (codexTokens === undefined ? undefined : { tokens: codexTokens });
  if (found === undefined || Object.keys(found).length === 0) return undefined;
  const parsed = UsageSchema.safeParse(found);
  return parsed.success ? parsed.data : undefined;
}

function jsonObject(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    return record(JSON.parse(line));
  } catch {
    return undefined;
  }
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The sum of the fields that are counts; undefined when none is. */
function sum(usage: Record<string, unknown> | undefined, fields: string[]): number | undefined {
  const counts = fields
    .map((field) => usage?.[field])
    .filter((value): value is number => typeof value === "number" && Number.isInteger(value) && value >= 0);
  return counts.length === 0 ? undefined : counts.reduce((total, count) => total + count, 0);
}
