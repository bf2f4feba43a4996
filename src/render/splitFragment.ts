import yaml from "js-yaml";
import type { Task } from "../plan/task.js";
import type { SplitProposal } from "../schedule/split.js";
import type { Splits } from "../schedule/planner.js";
import { codeSpan, inlineText, listItem } from "../base/markdownText.js";

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
  const text = format === "yaml" ? yamlFragment(proposal.parts) : markdownFragment(proposal.parts);
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

/** The parts as entries of a YAML plan's `tasks:`. */
export function yamlFragment(parts: readonly Task[]): string {
  const entries = parts.map((part) => ({
    id: part.id,
    title: part.title,
    ...(part.domain === undefined ? {} : { domain: part.domain }),
    ...(part.agent === undefined ? {} : { agent: part.agent }),
    estimate: part.estimate,
    ...(part.files.length === 0 ? {} : { files: part.files }),
    needs: part.needs,
    ...(part.steps.length === 0 ? {} : { steps: part.steps }),
    ...(part.accept.length === 0 ? {} : { accept: part.accept.map((item) => ("run" in item ? item : item.check)) }),
    ...(part.notToDo.length === 0 ? {} : { notToDo: part.notToDo }),
    ...(part.context.length === 0 ? {} : { context: part.context }),
    ...(part.output.length === 0 ? {} : { output: part.output }),
    ...(part.phase === undefined ? {} : { phase: part.phase }),
  }));
  return yaml.dump(entries, { lineWidth: -1, noRefs: true }).trimEnd();
}
