import { inlineText, listItem } from "../base/markdownText.js";
import type { Message } from "../state/messages.js";
import { numbered } from "./batchNames.js";
import { progressBar } from "./progress.js";

/** A blocker, for a person: what stopped, why, and the three ways on. */
export function blockerComment(message: Extract<Message, { kind: "blocker" }>): string {
  const { batch, pr, held } = message;
  const { number } = batch;
  const heldNote =
    held.length === 0
      ? ""
      : ` ${inlineText(batch.domain)}'s next batches wait too (${held.map(numbered).join("; ")}): this batch's work is on their branch, in #${pr}.`;
  return [
    `### ⛔ Blocker: ${numbered(batch)}`,
    "",
    listItem(">", message.reason ?? "blocked"),
    "",
    `Other batches that do not wait for this one go on.${heldNote} To decide:`,
    "",
    `- \`/approve ${number}\` takes the batch as it is (${pr === undefined ? "" : `#${pr} merges at the head its check-in judged, or at the one \`/approve ${number} <SHA>\` names; `}dependents go on)`,
    `- \`/retry ${number}\` runs it again`,
    `- \`/skip ${number}\` leaves it out (${pr === undefined ? "" : `#${pr} closes unmerged, `}dependents go on without it)`,
    "",
    `${progressBar(message.settled, message.total)} · ${message.at}`,
  ].join("\n");
}
