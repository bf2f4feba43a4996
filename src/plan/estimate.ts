// Units as breakdowns write them, in English and Ukrainian.
const hourWords = /^(h|hr|hrs|hour|hours|год|година|години|годин|г)$/;
const minuteWords = /^(m|min|mins|minute|minutes|хв|хвилина|хвилини|хвилин)$/;

/** Words people write for a time, as numbers and units: `half an hour` → `0.5 h`, `1½ h` → `1.5 h`. */
const SPELLED: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bhalf\s+(?:an?\s+)?hour\b|пів\s*години/gu, " 0.5 h "],
  [/\b(?:an|one|a)\s+hour\b|одна\s+година/gu, " 1 h "],
  [/(\d)\s*½/gu, "$1.5"],
  [/½/gu, "0.5"],
  [/(\d)\s*¼/gu, "$1.25"],
  [/¼/gu, "0.25"],
  [/(\d)\s*¾/gu, "$1.75"],
  [/¾/gu, "0.75"],
];

/** What separates the two ends of a range: `15-20 min`, `10–20 min`, `10 min to 20 min`, `від 10 до 20 хв`. */
const RANGE = /\s*(?:[-–—]|\.{2,3}|…|\bto\b|(?<![\p{L}])до(?![\p{L}]))\s*/u;

/** An estimate as read: minutes, or why there are none. */
export type EstimateReading = { ok: true; minutes: number } | { ok: false; why: "unreadable" | "zero" | "negative" };

/**
 * Minutes from an estimate as written: `20 min`, `25 хв`, `1h`, `1.5 hours`,
 * `1h 30m`, `1h30`, `1:30` (hours and minutes), `½ h`, `half an hour`,
 * `2 години`, a bare number of minutes; a range (`15-20 min`, `10–20 min`,
 * `10 min to 20 min`) counts its upper end, as the seed sizes a batch by its
 * longest likely time. Zero and negative times are refused, never read as
 * their size: `-5 min` is a mistake, not five minutes.
 */
export function readEstimate(value: string | number): EstimateReading {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return { ok: false, why: "unreadable" };
    return value < 0
      ? { ok: false, why: "negative" }
      : value === 0
        ? { ok: false, why: "zero" }
        : { ok: true, minutes: value };
  }
  let cleaned = value.toLowerCase().replace(/−/g, "-");
  for (let round = 0; round < 5; round++) cleaned = cleaned.replace(/\([^()]*\)/g, " ");
  for (const [pattern, replacement] of SPELLED) cleaned = cleaned.replace(pattern, replacement);
  cleaned = cleaned
    .replace(/[~≈]/g, " ")
    .replace(/(\d),(\d)/g, "$1.$2")
    .trim();
  if (/^-\s*\d/.test(cleaned)) return { ok: false, why: "negative" };

  // Each end of a range as its terms; ends without a number (`20 min — with review`) are remarks.
  const ends = cleaned
    .split(RANGE)
    .map(termsOf)
    .filter((terms) => terms === undefined || terms.length > 0);
  if (ends.length === 0 || ends.some((terms) => terms === undefined)) return { ok: false, why: "unreadable" };
  const read = ends as Term[][];
  // `1-2 hours`: an end of one bare number takes the unit of the end after it.
  const minutes = read.map((terms, index) => {
    const only = terms.length === 1 ? terms[0] : undefined;
    const unit =
      only?.unit === ""
        ? read
            .slice(index + 1)
            .flat()
            .find((term) => term.unit !== "")?.unit
        : undefined;
    return sum(unit === undefined ? terms : [{ amount: only!.amount, unit }]);
  });
  const most = Math.round(Math.max(...minutes));
  return most === 0 ? { ok: false, why: "zero" } : { ok: true, minutes: most };
}

interface Term {
  amount: number;
  /** `h`, `m`, or `""` for a bare number. */
  unit: "h" | "m" | "";
}

/** The terms of one end of a range (`1h 30m`, `1:30`, `90`); undefined when a unit is not a time. */
function termsOf(text: string): Term[] | undefined {
  const clock = /^(\d+):([0-5]\d)\s*(?:h|hr|hrs|hours?|год\S*)?$/u.exec(text.trim());
  if (clock !== null) return [{ amount: Number(clock[1]) * 60 + Number(clock[2]), unit: "m" }];
  const terms: Term[] = [];
  for (const [, amount, word = ""] of text.matchAll(/(\d+(?:\.\d+)?)\s*([a-zа-яіїєґ]*)/gu)) {
    if (hourWords.test(word)) terms.push({ amount: Number(amount), unit: "h" });
    else if (minuteWords.test(word)) terms.push({ amount: Number(amount), unit: "m" });
    // `1h30`: a bare number after hours is minutes.
    else if (word === "") terms.push({ amount: Number(amount), unit: terms.length > 0 ? "m" : "" });
    else return undefined;
  }
  return terms;
}

function sum(terms: readonly Term[]): number {
  return terms.reduce((total, term) => total + (term.unit === "h" ? term.amount * 60 : term.amount), 0);
}

/** Why an estimate that is not a time is refused, after what was written. */
export function estimateProblem(why: "zero" | "negative", written: string): string {
  return why === "zero"
    ? `"${written}" is no time at all: give the minutes or hours the task takes, more than zero`
    : `"${written}" is a negative time: give the minutes or hours the task takes, more than zero`;
}

/** The problem of a task with no estimate: the reader says it of an empty field, the validator of a task without one. */
export const MISSING_ESTIMATE = 'missing: give the time in minutes or hours, such as "20 min" or "1h"';
