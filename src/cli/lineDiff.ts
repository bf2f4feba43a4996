/**
 * A unified diff of two texts, line by line (`diff -u`'s format, 3 lines of
 * context): what `init` shows instead of overwriting a file. Longest common
 * subsequence by dynamic programming: workflow files are a few hundred lines.
 */
export function unifiedDiff(before: string, after: string, names: { before: string; after: string }): string {
  const a = lines(before);
  const b = lines(after);
  // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const edits: Array<{ kind: " " | "-" | "+"; text: string; ai: number; bi: number }> = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) edits.push({ kind: " ", text: a[i]!, ai: i++, bi: j++ });
    // Deletions before insertions, as diff -u shows a changed line.
    else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!))
      edits.push({ kind: "-", text: a[i]!, ai: i++, bi: j });
    else edits.push({ kind: "+", text: b[j]!, ai: i, bi: j++ });
  }
  const out = [`--- ${names.before}`, `+++ ${names.after}`];
  const changed = edits.map((edit, index) => (edit.kind === " " ? -1 : index)).filter((index) => index !== -1);
  let at = 0;
  while (at < changed.length) {
    // A hunk: changes no more than 6 unchanged lines apart, with 3 lines of context around them.
    let last = at;
    while (last + 1 < changed.length && changed[last + 1]! - changed[last]! <= 7) last++;
    const start = Math.max(0, changed[at]! - 3);
    const end = Math.min(edits.length, changed[last]! + 4);
    const hunk = edits.slice(start, end);
    const from = hunk.filter((edit) => edit.kind !== "+").length;
    const to = hunk.filter((edit) => edit.kind !== "-").length;
    out.push(
      `@@ -${hunk[0]!.ai + (from === 0 ? 0 : 1)},${from} +${hunk[0]!.bi + (to === 0 ? 0 : 1)},${to} @@`,
      ...hunk.map((edit) => `${edit.kind}${edit.text}`),
    );
    at = last + 1;
  }
  return `${out.join("\n")}\n`;
}

function lines(text: string): string[] {
  const split = text.split("\n");
  if (split.at(-1) === "") split.pop();
  return split;
}
