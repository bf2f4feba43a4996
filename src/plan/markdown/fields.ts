import type { PhrasingContent } from "mdast";
import { renderInline } from "./render.js";

/** What a bold label names. `ignore`: read and dropped (Status, Priority). */
export type FieldKey =
  | "domain"
  | "agent"
  | "estimate"
  | "files"
  | "needs"
  | "steps"
  | "accept"
  | "notToDo"
  | "context"
  | "output"
  | "agents"
  | "ignore";

// Labels are compared lower-cased, without the trailing colon, with single spaces.
const FIELD_LABELS: ReadonlyArray<readonly [FieldKey, RegExp]> = [
  ["domain", /^(?:domain|домен)$/u],
  ["agent", /^(?:agent|агент)$/u],
  [
    "estimate",
    /^(?:estimate|estimated|estimated time|time estimate|time|duration|effort|час|оцінка|оцінка часу|тривалість)$/u,
  ],
  ["files", /^(?:files?|файли?|files to (?:modify|change|edit|create|touch))$/u],
  [
    "needs",
    /^(?:dependencies|dependency|depends on|depends|needs|requires|blocked by|залежності|залежність|залежить від)$/u,
  ],
  [
    "steps",
    /^(?:tasks|scope|changes|steps|todo|to do|what to do|add|fix|update|remove|implement|задачі|завдання|зміни|кроки|що зробити|додати|виправити|оновити|видалити)$/u,
  ],
  [
    "accept",
    /^(?:acceptance|acceptance criteria|check-?in|check in|check-?in criteria|success criteria|done when|definition of done|критерії|критерії приймання|критерії прийняття|приймання)$/u,
  ],
  ["notToDo", /^(?:what not to do|don't|do not|not to do|out of scope|не робити|що не робити|не треба)$/u],
  ["context", /^(?:context|контекст)(?:\s.*)?$/u],
  ["output", /^(?:output|outputs|return|returns|результат|результати)(?:\s.*)?$/u],
  ["agents", /^(?:agents|агенти|number of agents|кількість агентів)$/u],
  ["ignore", /^(?:status|priority|статус|пріоритет)$/u],
];

/** Step labels that are verbs: their items keep the verb ("Add: …", "Fix: …"). */
const VERB_STEPS = /^(?:add|fix|update|remove|implement|додати|виправити|оновити|видалити)$/u;

export function normalizeLabel(label: string): string {
  return label
    .toLowerCase()
    .replace(/[’ʼ`]/gu, "'")
    .replace(/^[^\p{L}\p{N}]+/u, "")
    .replace(/[^\p{L}\p{N})]+$/u, "")
    .replace(/\s+/gu, " ")
    .trim();
}

export function fieldKey(label: string): FieldKey | undefined {
  const normal = normalizeLabel(label);
  return FIELD_LABELS.find(([, pattern]) => pattern.test(normal))?.[0];
}

export function isVerbStep(label: string): boolean {
  return VERB_STEPS.test(normalizeLabel(label));
}

/** `Context` itself needs no prefix; `Context from Batch 1` keeps its label on every item. */
export function isPlainContext(label: string): boolean {
  const normal = normalizeLabel(label);
  return normal === "context" || normal === "контекст";
}

export interface Labeled {
  label: string;
  /** The value written on the label's line, after the colon. */
  rest: PhrasingContent[];
  /** Written without bold (`Domain: x`): only the known field names are labels so. */
  plain: boolean;
}

/**
 * A label at the start of a line: bold (`**Agent**: x`, `**Agent:** x`, or,
 * for known names, `**Agent: x**`), or plain for a known field name
 * (`Domain: x`, `Час: 20 хв`). A bold lead-in without a colon is no label,
 * nor is a plain one that names no field (`Note: …` stays prose).
 */
export function leadingLabel(nodes: readonly PhrasingContent[]): Labeled | undefined {
  let index = 0;
  while (index < nodes.length) {
    const node = nodes[index];
    if (node?.type !== "text" || node.value.trim() !== "") break;
    index++;
  }
  const first = nodes[index];
  if (first?.type === "text") return plainLabel(first.value, nodes.slice(index + 1));
  if (first?.type !== "strong") return undefined;
  const inner = renderInline(first.children, "plain").replace(/\s+/g, " ").trim();
  if (inner === "" || inner.length > 80) return undefined;
  let label: string;
  let rest: PhrasingContent[];
  const next = nodes[index + 1];
  if (/[:：]$/u.test(inner)) {
    label = inner.slice(0, -1).trim();
    rest = nodes.slice(index + 1);
  } else if (next?.type === "text" && /^\s*[:：]/u.test(next.value)) {
    label = inner;
    rest = [{ type: "text", value: next.value.replace(/^\s*[:：]/u, "") }, ...nodes.slice(index + 2)];
  } else {
    const match = /^([^:：]{1,40})[:：]\s*(.+)$/su.exec(inner);
    if (match?.[1] === undefined || match[2] === undefined || fieldKey(match[1]) === undefined) return undefined;
    label = match[1].trim();
    rest = [{ type: "text", value: match[2] }, ...nodes.slice(index + 1)];
  }
  return label === "" || label.length > 60 ? undefined : { label, rest, plain: false };
}

/** `Domain: backend`, `Time:` (its value below), `Залежності: 1, 2`: a known field name, a colon, the value. */
function plainLabel(text: string, after: readonly PhrasingContent[]): Labeled | undefined {
  const match = /^\s*([\p{L}][\p{L}' -]{0,38}?)\s*[:：](?=\s|$)\s*/u.exec(text);
  if (match?.[1] === undefined || fieldKey(match[1]) === undefined) return undefined;
  const value = text.slice(match[0].length);
  return {
    label: match[1],
    rest: [...(value === "" ? [] : [{ type: "text" as const, value }]), ...after],
    plain: true,
  };
}

/** Drops parenthetical remarks, nested ones too: `Batch 2 (API contract)` → `Batch 2`. */
export function dropParentheticals(text: string): string {
  let out = text;
  for (let round = 0; round < 10; round++) {
    const next = out.replace(/\s*[(（][^()（）]*[)）]/gu, "");
    if (next === out) break;
    out = next;
  }
  return out.trim();
}

const NONE = /^(?:none|no|nothing|n\/a|na|nil|-+|—|–|немає|нема|відсутні|жодних|ні)\.?$/iu;
const TASK_WORD = String.raw`(?:batch(?:es)?|tasks?|батч(?:і|у|ів)?|задач[аіу]?|завдання)`;
const NUMBER = String.raw`\d+(?:\.\d+)*`;
const NUMBERED_REF = new RegExp(String.raw`^(?:${TASK_WORD}\s*)?(?:#|№)?\s*(${NUMBER})$`, "iu");
const RANGE_REF = new RegExp(
  String.raw`^(?:${TASK_WORD}\s*)?(?:#|№)?\s*(\d+)\s*(?:-|–|—|to|до)\s*(?:${TASK_WORD}\s*)?(?:#|№)?\s*(\d+)$`,
  "iu",
);
const NAMED_REF = new RegExp(String.raw`^${TASK_WORD}\s*(?:#|№)?\s*(\S+)$`, "iu");
const REF_IN_TEXT = new RegExp(String.raw`(?:${TASK_WORD}\s*(?:#|№)?\s*|#)(${NUMBER})`, "giu");

export function isNone(text: string): boolean {
  return text.trim() === "" || NONE.test(text.trim());
}

/**
 * Task ids from a dependency value: `Batch 1, 2`, `1, 3`, `Batch 2 (API contract)`,
 * `Task 3`, `#3`, `1-3`, `models and api`; `None`, `Немає`, `-` give nothing.
 * Non-numeric ids are kept as written.
 */
export function parseNeeds(text: string): string[] {
  const value = dropParentheticals(text);
  if (isNone(value)) return [];
  const ids: string[] = [];
  const parts = value.split(/\s*[,;&+]\s*|\s+(?:and|і|й|та)\s+/iu);
  for (const raw of parts) {
    const part = raw
      .trim()
      .replace(/[.:;]+$/u, "")
      .trim();
    if (isNone(part)) continue;
    const range = RANGE_REF.exec(part);
    if (range?.[1] !== undefined && range[2] !== undefined) {
      const low = Number(range[1]);
      const high = Number(range[2]);
      if (high >= low && high - low <= 100) {
        for (let id = low; id <= high; id++) ids.push(String(id));
        continue;
      }
    }
    const numbered = NUMBERED_REF.exec(part);
    if (numbered?.[1] !== undefined) {
      ids.push(numbered[1]);
      continue;
    }
    const named = NAMED_REF.exec(part);
    if (named?.[1] !== undefined) {
      ids.push(named[1]);
      continue;
    }
    const mentioned = [...part.matchAll(REF_IN_TEXT)].map((match) => match[1]).filter((id) => id !== undefined);
    if (mentioned.length > 0) ids.push(...mentioned);
    else ids.push(part);
  }
  return [...new Set(ids)];
}

const PATH_LIKE =
  /[/*]|^\.?[\w@-][\w.@-]*\.[\w-]+$|^(?:makefile|dockerfile|procfile|gemfile|rakefile|jenkinsfile|justfile)$/iu;

function cleanToken(token: string): string {
  return token
    .replace(/^["'«“(<[]+/u, "")
    .replace(/["'»”)>\],;:]+$/u, "")
    .replace(/\.$/u, "");
}

/**
 * Files named by one value or item: its code spans (the first always, later
 * ones when they look like paths); without code spans, the first token of each
 * comma- or line-separated piece that looks like a path or glob.
 */
export function parseFiles(plain: string, codes: readonly string[]): string[] {
  const spans = codes.map((code) => code.trim()).filter((code) => code !== "");
  if (spans.length > 0) return spans.filter((code, index) => index === 0 || /[/.*]/u.test(code));
  const files: string[] = [];
  for (const piece of plain.split(/[,;\n]/u)) {
    if (isNone(dropParentheticals(piece))) continue;
    const token = piece
      .trim()
      .split(/\s+/u)
      .map(cleanToken)
      .find((word) => word !== "" && PATH_LIKE.test(word));
    if (token !== undefined) files.push(token);
  }
  return files;
}

/**
 * Agents named by an Agent value: `a + b (parallel-coordinator decides)` →
 * `["a", "b"]` (remarks dropped; `+`, `,`, `/`, "or", "and", "або", "чи" separate).
 */
export function parseAgents(text: string): string[] {
  return dropParentheticals(text)
    .split(/\s*[+,;/&]\s*|\s+(?:or|and|або|чи|і|та)\s+/iu)
    .map((name) => name.trim())
    .filter((name) => name !== "" && !isNone(name));
}

/** An acceptance line without its check mark: `✅ Search works` → `Search works`. */
export function stripCheckMark(text: string): string {
  return text.replace(/^(?:[✅✔☑✓]\uFE0F?|\[[ xX]\])\s*/u, "").trim();
}
