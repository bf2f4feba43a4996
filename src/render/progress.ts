const FILLED = "▰";
const EMPTY = "▱";

/**
 * The share of `done` in `total`, in whole percent: never 100 % before the end
 * nor 0 % once something is done.
 */
export function percent(done: number, total: number): number {
  if (total <= 0) return 0;
  const clamped = Math.min(Math.max(done, 0), total);
  const value = Math.round((clamped / total) * 100);
  if (clamped < total && value === 100) return 99;
  if (clamped > 0 && value === 0) return 1;
  return value;
}

/**
 * A text progress bar that renders on GitHub in any font:
 * `▰▰▰▱▱▱▱▱▱▱ 3/8 batches (38%)`. The bar shows at least one cell once
 * something is done and is full only at the end.
 */
export function progressBar(done: number, total: number, width = 10, unit = "batches"): string {
  const cells = Math.max(1, Math.floor(width));
  const clamped = total <= 0 ? 0 : Math.min(Math.max(done, 0), total);
  let filled = total <= 0 ? 0 : Math.round((clamped / total) * cells);
  if (clamped > 0 && filled === 0) filled = 1;
  if (clamped < total && filled === cells) filled = cells - 1;
  return `${FILLED.repeat(filled)}${EMPTY.repeat(cells - filled)} ${clamped}/${Math.max(total, 0)} ${unit} (${percent(clamped, total)}%)`;
}
