import { checkRunButtons } from "../commands/buttons.js";
import type { Effect } from "../state/effects.js";

export interface CheckRunOutput {
  title: string;
  /** Markdown: the findings as a list. */
  summary: string;
  /** Its buttons: Accept, Redo and Pause on a ⚠ or ✗ verdict, none on a ✓. */
  actions: Array<{ identifier: string; label: string; description: string }>;
}

/** The check run's title and summary: the verdict in a few words, then every finding. */
export function checkRunOutput(
  check: Pick<Extract<Effect, { kind: "checkRun" }>, "verdict" | "slow" | "findings">,
): CheckRunOutput {
  const title =
    check.verdict === "accept"
      ? `✓ Accepted${check.slow ? " (red flag: slow)" : ""}`
      : check.verdict === "minor"
        ? "⚠ Minor issues: one redo with the findings"
        : "✗ Major problems: blocked until a person decides";
  const summary =
    check.findings.length === 0
      ? "Scope, acceptance and report all check out."
      : check.findings.map((finding) => `- ${finding}`).join("\n");
  return {
    title,
    summary,
    actions: check.verdict === "accept" ? [] : checkRunButtons.map((button) => ({ ...button })),
  };
}
