import { compileGlob } from "./globMatcher.js";

const globChars = /[*?[\]{}]/;

/** Why a file pattern cannot be used as a scope, or undefined when it can. */
export function globProblem(pattern: string): string | undefined {
  if (pattern.trim() !== pattern || pattern === "") return "a path or glob without surrounding spaces";
  if (/[\0\r\n]/.test(pattern)) return "a path or glob on one line";
  if (pattern.startsWith("/")) return "a path relative to the repository root, not an absolute one";
  if (pattern.includes("\\")) return "forward slashes (`/`) between folders";
  if (pattern.split("/").includes("..")) return "a path inside the repository (no `..`)";
  for (const [open, close] of [
    ["[", "]"],
    ["{", "}"],
    ["(", ")"],
  ] as const) {
    if (pattern.split(open).length !== pattern.split(close).length) return `balanced \`${open}\` and \`${close}\``;
  }
  const compiled = compileGlob(pattern);
  return compiled.ok ? undefined : compiled.problem;
}

export function isGlob(pattern: string): boolean {
  return globChars.test(pattern);
}

/** The literal part of a pattern before its first wildcard (the whole pattern when it has none). */
export function literalPrefix(pattern: string): string {
  const index = pattern.search(globChars);
  return index === -1 ? pattern : pattern.slice(0, index);
}

const matchers = new Map<string, (path: string) => boolean>();
/** Compiled matchers kept: patterns come from every issue the app plans, so the cache is emptied when full. */
const MATCHERS_KEPT = 10_000;

/**
 * Whether a path matches a glob (dotfiles included; see globMatcher.ts), with
 * compiled matchers cached. A pattern globProblem refuses matches nothing.
 */
export function matches(path: string, pattern: string): boolean {
  if (!isGlob(pattern)) return path === pattern;
  let matcher = matchers.get(pattern);
  if (matcher === undefined) {
    const compiled = compileGlob(pattern);
    matcher = compiled.ok ? compiled.match : () => false;
    if (matchers.size >= MATCHERS_KEPT) matchers.clear();
    matchers.set(pattern, matcher);
  }
  return matcher(path);
}

/** Whether a path is covered by any of the patterns. */
export function matchesAny(path: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => matches(path, pattern));
}

/**
 * Whether two file patterns may name a common file: a literal path of one
 * matches the other, or the literal part of one before its first wildcard is a
 * prefix of the other's. Deliberately generous: a false overlap costs some
 * parallelism, a missed one costs a merge conflict.
 */
export function patternsOverlap(a: string, b: string): boolean {
  if (a === b) return true;
  const aGlob = isGlob(a);
  const bGlob = isGlob(b);
  if (!aGlob && !bGlob) return false;
  if (!aGlob) return matches(a, b);
  if (!bGlob) return matches(b, a);
  const pa = literalPrefix(a);
  const pb = literalPrefix(b);
  return pa.startsWith(pb) || pb.startsWith(pa);
}

/** A folder written as `dir/` means everything under it. */
export function normalizePattern(pattern: string): string {
  return pattern.endsWith("/") ? `${pattern}**` : pattern;
}
