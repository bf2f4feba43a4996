import type { Task } from "../plan/task.js";
import type { SplitProposal } from "../schedule/split.js";
import type { Splits } from "../schedule/planner.js";
import { codeSpan, inlineText, listItem } from "../base/markdownText.js";
import { yamlTasks } from "./yamlPlan.js";

/**
 * The splits proposed for oversized tasks as a person reads them: for each,
 * how it is divided and the parts as a ready breakdown fragment (in the
 * breakdown's own form) to paste in the task's place, or why it cannot be
 * divided mechanically.
 */
export function splitsText(splits: Splits): string {
  return splits.proposals.map((proposal) => proposalText(proposal, splits.format)).join("\n\n");
}

function proposalText(proposal: SplitProposal, format: Splits["format"]): string {
  if (!proposal.ok) {
    const why = inlineText(proposal.why);
    return `#### Task ${inlineText(proposal.task)} cannot be split mechanically\n\n${why.charAt(0).toUpperCase()}${why.slice(1)}.`;
  }
  const text = format === "yaml" ? yamlTasks(proposal.parts) : markdownFragment(proposal.parts);
  const fence = "`".repeat(Math.max(3, ...[...text.matchAll(/`{3,}/gu)].map((run) => run[0].length + 1)));
  return [
    `#### Proposed split of task ${inlineText(proposal.task)}, by its ${proposal.by}`,
    "",
    `${proposal.parts.length} parts; the last keeps the task's id, so what depends on the task waits for it. Comment \`/plan split\` (CLI: \`plan --split\`) to plan it so, or put this in the task's place:`,
    "",
    `${fence}${format}`,
    text,
    fence,
  ].join("\n");
}

/** The parts as task-breakdown Markdown: a numbered heading (or a title a slug makes the id of) and bold fields. */
export function markdownFragment(parts: readonly Task[]): string {
  return parts
    .map((part) => {
      const heading = /^\d+(?:\.\d+)*$/u.test(part.id) ? `${part.id}. ${part.title}` : part.title;
      const lines = [`### ${heading}`];
      if (part.domain !== undefined) lines.push(`- **Domain:** ${part.domain}`);
      if (part.agent !== undefined) lines.push(`- **Agent:** ${part.agent}`);
      lines.push(`- **Time:** ${part.estimate} min`);
      if (part.files.length > 0) lines.push(`- **Files:** ${part.files.map(codeSpan).join(", ")}`);
      lines.push(`- **Depends on:** ${part.needs.length === 0 ? "None" : part.needs.join(", ")}`);
      const field = (label: string, items: readonly string[]) => {
        if (items.length === 0) return;
        lines.push(`- **${label}:**`, ...items.map((item) => listItem("-", item, "  ")));
      };
      field("Tasks", part.steps);
      field(
        "Acceptance",
        part.accept.map((item) => ("run" in item ? `✅ ${codeSpan(item.run)} passes` : `✅ ${item.check}`)),
      );
      field("What NOT to do", part.notToDo);
      field("Context", part.context);
      field("Output", part.output);
      return lines.join("\n");
    })
    .join("\n\n");
}
