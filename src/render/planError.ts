import { formatProblem, type Problem } from "../plan/problem.js";
import { inlineText } from "./markdown.js";

/** The one comment a bad breakdown or config gets: what is wrong and where, and how to go on. */
export function planErrorComment(problems: readonly Problem[], what: "breakdown" | "config"): string {
  const lines = problems.slice(0, 50).map((problem) => `- ${inlineText(formatProblem(problem))}`);
  if (problems.length > 50) lines.push(`- …and ${problems.length - 50} more`);
  return [
    what === "breakdown"
      ? `### ⚠ parallel-coordinator cannot plan this issue`
      : `### ⚠ parallel-coordinator cannot read \`.github/parallel-coordinator.yml\``,
    "",
    `${problems.length} problem${problems.length === 1 ? "" : "s"}:`,
    "",
    ...lines,
    "",
    what === "breakdown"
      ? "Nothing was started. Fix the issue's body, then comment `/plan` (or remove and add the label again)."
      : "Nothing was started. Fix the file on the default branch, then comment `/plan`.",
  ].join("\n");
}
