/** Minutes as a person reads them: `45 min`, `1 h`, `1 h 5 min` (rounded to the minute). */
export function formatMinutes(minutes: number): string {
  const total = Math.max(0, Math.round(minutes));
  if (total < 60) return `${total} min`;
  const hours = Math.floor(total / 60);
  const rest = total % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** A batch estimate as the seed writes it: `20min`, `17.5min`. */
export function estimateText(minutes: number): string {
  const rounded = Math.round(minutes * 10) / 10;
  return `${rounded}min`;
}
