import { codeSpan, inlineText, oneLine, truncate } from "../base/markdownText.js";
import { formatMinutes } from "../base/minutes.js";
import { MAX_SUB_ISSUES, mirrorLabel, type MirrorItem, type MirrorMessage } from "../state/mirror.js";
import { inSentence } from "./batchNames.js";

/** GitHub takes titles of up to 256 characters; a batch's title is cut well before. */
const TITLE_MAX = 200;

/** `[#12] Batch 3 of 8: Endpoints`, as the batch's pull request is titled. */
export function mirrorTitle(issue: number, item: MirrorItem): string {
  return `[#${issue}] Batch ${item.name.number} of ${item.of}: ${truncate(oneLine(item.name.title), TITLE_MAX)}`;
}

/** The sub-issue's description, written once when it is made: its status lives in its label and state. */
export function mirrorBody(issue: number, item: MirrorItem, permission: string): string {
  const labels = (["pending", "running", "redo", "blocked"] as const).map((status) => codeSpan(mirrorLabel(status)));
  return [
    `Batch ${item.name.number} of ${item.of} of #${issue}: ${inlineText(oneLine(item.name.title))} — ${inlineText(item.name.domain === "" ? "no domain" : item.name.domain)} · ${formatMinutes(item.estimate)}.`,
    `parallel-coordinator keeps this issue in step with the batch: its label says where the batch is (${labels.join(", ")}), it closes when the batch's pull request merges, or as not planned when the batch is skipped, and it is blocked by the issues of the batches it waits for. The brief, the runs and the check-ins are on #${issue}.`,
    `Closing this issue is ${codeSpan(`/skip ${item.name.number}`)} from whoever closes it, for people with ${codeSpan(permission)} permission or more; anyone else's close is undone.`,
  ].join("\n\n");
}

/** A mirror message as the Markdown of its comment. */
export function renderMirrorMessage(message: MirrorMessage): string {
  switch (message.kind) {
    case "mirrorClosed":
      return `🔘 @${message.by} closed #${message.subIssue}, the issue of ${inSentence(message.batch)}: ${codeSpan(`/skip ${message.batch.number}`)}.`;
    case "mirrorCloseRefused":
      return `@${message.by}, this issue mirrors ${inSentence(message.batch)} of #${message.issue}, and closing it skips the batch, which takes ${codeSpan(message.permission)} permission or more: it is open again. To have the batch skipped, ask a maintainer on #${message.issue}.`;
    case "mirrorTooMany":
      return [
        `This plan is not mirrored as sub-issues: it needs ${message.needed} and GitHub holds at most ${MAX_SUB_ISSUES} under one issue${message.others > 0 ? `, ${message.others} of them there already` : ""}, so there is room for ${Math.max(0, message.room)}.`,
        "The coordination runs without them: the dashboard's checklist is the plan. Once there is room under this issue (a sub-issue taken off it, or a smaller plan), its next step mirrors the plan.",
      ].join("\n\n");
    case "mirrorRefused":
      return [
        `Sub-issues no longer mirror this plan: GitHub refused a change of them (${message.status}: ${inlineText(truncate(oneLine(message.message), 300))}).`,
        "The coordination goes on without them; the dashboard's checklist is the plan. Once what GitHub refused is put right, the next step brings them up to date.",
      ].join("\n\n");
  }
}
