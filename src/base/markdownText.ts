/**
 * Markdown helpers shared by the dashboard, the briefs and the other renderers.
 *
 * Text from a breakdown is written by issue authors: it is shown as it is, but
 * it must never change the structure around it (open a code block, start a
 * section, close a table cell, mention a person).
 */

/** Collapses every run of whitespace (newlines included) to one space and trims. */
export function oneLine(text: string): string {
  return text.replace(/\s+/gu, " ").trim();
}

/**
 * Shortens `text` to at most `max` characters (UTF-16 units, as `String.length`
 * counts), ending with `…` when cut. Never splits a surrogate pair.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return "";
  if (max === 1) return "…";
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end).trimEnd()}…`;
}

const INLINE_SPECIAL = /[\\`*_[\]<>|~&]/gu;

/**
 * User text for the middle of a Markdown line: one line, Markdown and HTML
 * characters backslash-escaped (so it renders exactly as written), `|` safe in
 * table cells, and `@name` kept from becoming a mention.
 */
export function inlineText(text: string): string {
  return oneLine(text)
    .replace(INLINE_SPECIAL, (c) => `\\${c}`)
    .replace(/@(?=[\p{L}\p{N}_-])/gu, "@\u2060");
}

/**
 * A code span holding `text` on one line, whatever backticks it contains
 * (CommonMark: a longer backtick fence, padded with spaces when needed).
 */
export function codeSpan(text: string): string {
  const body = oneLine(text);
  if (body === "") return "` `";
  let longest = 0;
  for (const run of body.match(/`+/gu) ?? []) longest = Math.max(longest, run.length);
  const fence = "`".repeat(longest + 1);
  const pad = body.startsWith("`") || body.endsWith("`") ? " " : "";
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** A code span for a GFM table cell: `|` must be escaped even inside code. */
export function tableCode(text: string): string {
  return codeSpan(text).replace(/\|/gu, "\\|");
}

const FENCE_LINE = /^(\s*)(`{3,}|~{3,})/u;

/**
 * Makes lines of user text safe inside a block we own: a line that would open
 * or close a fenced code block gets a backslash in front of its fence, so it
 * reads the same but cannot swallow (or end) what follows.
 */
export function neutraliseFences(line: string): string {
  return line.replace(FENCE_LINE, (_all, indent: string, fence: string) => `${indent}\\${fence}`);
}

/**
 * A list item whose text comes from a user: `marker` (`-`, `1.`) then the text;
 * every further line is indented under the marker so that nothing in it (a line
 * like `**Return**:`, a heading, a fence, an HTML comment) can start a block of
 * its own outside the item. Blank lines inside are kept; trailing spaces and
 * leading/trailing blank lines are dropped.
 */
export function listItem(marker: string, text: string, indent = ""): string {
  const lines = text
    .replace(/\r\n?/gu, "\n")
    .split("\n")
    .map((line) => neutraliseFences(line.replace(/\s+$/u, "")));
  while (lines.length > 0 && lines[0] === "") lines.shift();
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  if (lines.length === 0) return `${indent}${marker}`;
  const pad = `${indent}${" ".repeat(marker.length + 1)}`;
  const [first = "", ...rest] = lines;
  const out = [`${indent}${marker} ${first.trimStart()}`];
  for (const line of rest) out.push(line === "" ? "" : `${pad}${line}`);
  return out.join("\n");
}

/** `https://` links only; anything else is not made a link. */
export function safeUrl(url: string): string | undefined {
  const trimmed = url.trim();
  if (!/^https:\/\/[^\s<>"'`]+$/u.test(trimmed)) return undefined;
  return trimmed.replace(/[()]/gu, (c) => (c === "(" ? "%28" : "%29"));
}

/** `60000` → `60,000`, the same on every machine (no locale data). */
export function thousands(n: number): string {
  const [whole = "0", fraction] = String(n).split(".");
  const sign = whole.startsWith("-") ? "-" : "";
  const digits = sign === "" ? whole : whole.slice(1);
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/gu, ",");
  return `${sign}${grouped}${fraction === undefined ? "" : `.${fraction}`}`;
}
