/** What a heading's own text says it is (its section may still make it a task). */
export type HeadingText =
  | { kind: "phase" }
  | { kind: "sync" }
  | { kind: "numbered"; id: string; title: string; prefixed: boolean }
  | { kind: "plain" };

const PHASE = /^(?:phase|фаза|етап|stage)(?=[\s\d:.)\-–—]|$)/iu;
const SYNC = /sync[\s_-]*point|точка\s+синхронізації/iu;
// `Batch 3: Title`, `Task 3 - Title`, `Батч 2.5: …`, `Задача 3:`, `Завдання 3.`
const PREFIXED = /^(?:batch|task|батч|задача|завдання)[\s#№-]*(\d+(?:\.\d+)*)(?:\s*[.:)]\s*|\s+[-–—]\s*|\s+|$)(.*)$/isu;
// `3. Title`, `3) Title`, `2.5. Title`, `3 — Title` (never `1.5 hours`)
const BARE = /^(?:#|№)?(\d+(?:\.\d+)*)(?:\s*[.:)](?:\s+|$|(?=\D))|\s+[-–—]\s+)(.*)$/su;

export function readHeadingText(text: string): HeadingText {
  const trimmed = text.trim();
  if (PHASE.test(trimmed)) return { kind: "phase" };
  const prefixed = PREFIXED.exec(trimmed);
  if (prefixed?.[1] !== undefined) return numbered(prefixed[1], prefixed[2] ?? "", trimmed, true);
  if (SYNC.test(trimmed)) return { kind: "sync" };
  const bare = BARE.exec(trimmed);
  if (bare?.[1] !== undefined) return numbered(bare[1], bare[2] ?? "", trimmed, false);
  return { kind: "plain" };
}

function numbered(id: string, rest: string, whole: string, prefixed: boolean): HeadingText {
  const title = rest.trim();
  return { kind: "numbered", id, title: title === "" ? whole : title, prefixed };
}
