import { inlineText } from "../base/markdownText.js";
import type { BatchName } from "../state/messages.js";

/** `Batch 3 — Title`: a heading's or a list's batch. */
export function numbered(batch: BatchName): string {
  return `Batch ${batch.number} — ${inlineText(batch.title)}`;
}

/** `Batch 3 — Title (backend)`: where batches of several domains are listed together. */
export function numberedInDomain(batch: BatchName): string {
  return `${numbered(batch)} (${batch.domain})`;
}

/** `batch 3 (Title)`: a batch in the middle of a sentence. */
export function inSentence(batch: BatchName): string {
  return `batch ${batch.number} (${inlineText(batch.title)})`;
}
