// Units as breakdowns write them, in English and Ukrainian.
const hourWords = /^(h|hr|hrs|hour|hours|год|година|години|годин|г)$/;
const minuteWords = /^(m|min|mins|minute|minutes|хв|хвилина|хвилини|хвилин)$/;

/**
 * Minutes from an estimate as written: `20 min`, `15-20 min` (the upper end),
 * `25 хв`, `1h`, `1.5 hours`, `1h 30m`, `2 години`, or a bare number of minutes.
 * Undefined when the text holds no time.
 */
export function parseEstimate(text: string): number | undefined {
  const cleaned = text
    .toLowerCase()
    .replace(/\(.*?\)/g, " ")
    .replace(/[~≈]/g, " ")
    .replace(/,(\d)/g, ".$1")
    .trim();
  const parts = [...cleaned.matchAll(/(\d+(?:\.\d+)?)(?:\s*[-–—]\s*(\d+(?:\.\d+)?))?\s*([a-zа-яіїєґ]*)/g)];
  if (parts.length === 0) return undefined;
  let minutes = 0;
  for (const [, low, high, unit = ""] of parts) {
    const amount = Number(high ?? low);
    if (hourWords.test(unit)) minutes += amount * 60;
    else if (minuteWords.test(unit) || unit === "") minutes += amount;
    else return undefined;
  }
  return minutes > 0 ? Math.round(minutes) : undefined;
}

/** The problem of a task with no estimate: the reader says it of an empty field, the validator of a task without one. */
export const MISSING_ESTIMATE = 'missing: give the time in minutes or hours, such as "20 min" or "1h"';
