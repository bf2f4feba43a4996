/**
 * A glob compiled into a matcher whose time grows with the path's length times
 * the pattern's, never exponentially: globs come from issue bodies, and a
 * backtracking regular expression (picomatch's) took 43 s on a 334-byte
 * breakdown of `*a*a…` patterns.
 *
 * The syntax, with dotfiles matched like any file: `*` (any characters but
 * `/`), `**` as a whole segment (any number of folders, none included), `?`
 * (one character but `/`), `[a-z]` and `[!a-z]` (one character of a set), and
 * `{a,b}` (alternatives, nested or not). Everything else is itself: `(`, `)`,
 * `+`, `@` and `!` inside a path are characters of file names, as in Next.js's
 * `app/(auth)/page.tsx`.
 */

import { thousands } from "../base/markdownText.js";

/** Most wildcards (`*` or `**`) in one pattern. */
export const MAX_WILDCARDS = 6;
/** Most patterns one pattern's `{…}` may stand for. */
export const MAX_ALTERNATIVES = 32;
/** Longest pattern, in characters. */
export const MAX_PATTERN_LENGTH = 1_024;

type Token =
  | { kind: "char"; code: number }
  | { kind: "one" }
  | { kind: "set"; negated: boolean; ranges: Array<[number, number]> }
  | { kind: "star" };
type Segment = { kind: "globstar" } | { kind: "part"; tokens: Token[] };

export type Compiled = { ok: true; match: (path: string) => boolean } | { ok: false; problem: string };

const SLASH = 0x2f;

/** A pattern compiled, or why it cannot be (said as what it needs: "expected …"). */
export function compileGlob(pattern: string): Compiled {
  if (pattern.length > MAX_PATTERN_LENGTH)
    return {
      ok: false,
      problem: `a path or glob of at most ${thousands(MAX_PATTERN_LENGTH)} characters, not ${thousands(pattern.length)}`,
    };
  if (pattern.startsWith("!"))
    return {
      ok: false,
      problem: "a path or glob without a leading `!` (a negation): name what may change, and leave the rest out",
    };
  if (/[@!+*?]\(/.test(pattern))
    return {
      ok: false,
      problem: "a glob without extglobs (`@(…)`, `!(…)`, `+(…)`, `*(…)`, `?(…)`): write alternatives as `{a,b}`",
    };
  const wildcards = pattern.match(/\*+/g)?.length ?? 0;
  if (wildcards > MAX_WILDCARDS)
    return {
      ok: false,
      problem: `at most ${MAX_WILDCARDS} wildcards (\`*\` or \`**\`) in one pattern, not ${wildcards}`,
    };
  const alternatives = expandBraces(pattern);
  if (typeof alternatives === "string") return { ok: false, problem: alternatives };
  const compiled: Segment[][] = [];
  for (const alternative of alternatives) {
    const segments = segmentsOf(alternative);
    if (typeof segments === "string") return { ok: false, problem: segments };
    compiled.push(segments);
  }
  return { ok: true, match: (path) => compiled.some((segments) => matchPath(segments, path.split("/"))) };
}

/**
 * The brace-free patterns a pattern stands for (`a/{b,c}` → `a/b`, `a/c`), or
 * what it needs when its braces are not alternatives or stand for too many.
 */
function expandBraces(pattern: string): string[] | string {
  const open = pattern.indexOf("{");
  if (open === -1) return pattern.includes("}") ? "balanced `{` and `}`" : [pattern];
  let depth = 0;
  const commas: number[] = [];
  let close = -1;
  for (let at = open; at < pattern.length && close === -1; at++) {
    const char = pattern[at];
    if (char === "{") depth++;
    else if (char === "}" && --depth === 0) close = at;
    else if (char === "," && depth === 1) commas.push(at);
  }
  if (close === -1) return "balanced `{` and `}`";
  if (commas.length === 0)
    return "alternatives in `{…}` separated by commas, such as `{ts,tsx}` (ranges such as `{1..3}` are not read)";
  const bounds = [open, ...commas, close];
  const before = pattern.slice(0, open);
  const after = expandBraces(pattern.slice(close + 1));
  if (typeof after === "string") return after;
  const result: string[] = [];
  for (let index = 0; index + 1 < bounds.length; index++) {
    const inner = expandBraces(pattern.slice(bounds[index]! + 1, bounds[index + 1]!));
    if (typeof inner === "string") return inner;
    for (const middle of inner) {
      for (const tail of after) {
        result.push(`${before}${middle}${tail}`);
        if (result.length > MAX_ALTERNATIVES) return `at most ${MAX_ALTERNATIVES} alternatives from its \`{…}\``;
      }
    }
  }
  return result;
}

/** A brace-free pattern as segments of tokens; `**` alone in a segment crosses folders, elsewhere it is `*`. */
function segmentsOf(pattern: string): Segment[] | string {
  const segments: Segment[] = [];
  let tokens: Token[] = [];
  let at = 0;
  const end = () => {
    const globstar = tokens.length === 1 && tokens[0]!.kind === "star" && /(^|\/)\*\*$/.test(pattern.slice(0, at));
    if (globstar) {
      // `a/**/**/b` is `a/**/b`.
      if (segments.at(-1)?.kind !== "globstar") segments.push({ kind: "globstar" });
    } else {
      segments.push({ kind: "part", tokens });
    }
    tokens = [];
  };
  while (at < pattern.length) {
    const code = pattern.charCodeAt(at);
    if (code === SLASH) {
      end();
      at++;
    } else if (pattern[at] === "*") {
      while (pattern[at] === "*") at++;
      tokens.push({ kind: "star" });
    } else if (pattern[at] === "?") {
      tokens.push({ kind: "one" });
      at++;
    } else if (pattern[at] === "[") {
      const set = setAt(pattern, at);
      if (typeof set === "string") return set;
      tokens.push(set.token);
      at = set.next;
    } else if (pattern[at] === "]") {
      return "balanced `[` and `]`";
    } else {
      const point = pattern.codePointAt(at)!;
      tokens.push({ kind: "char", code: point });
      at += point > 0xffff ? 2 : 1;
    }
  }
  end();
  return segments;
}

/** The `[…]` set that starts at `start`, and where the pattern goes on after it. */
function setAt(pattern: string, start: number): { token: Token; next: number } | string {
  let at = start + 1;
  const negated = pattern[at] === "!" || pattern[at] === "^";
  if (negated) at++;
  const ranges: Array<[number, number]> = [];
  const first = at;
  while (at < pattern.length && (pattern[at] !== "]" || at === first)) {
    if (pattern[at] === "/") return "`[…]` sets without `/` (a set matches one character of a file name)";
    if (pattern[at] === "[" && pattern[at + 1] === ":")
      return "`[…]` sets of characters and ranges such as `[a-z]` (POSIX classes such as `[[:alpha:]]` are not read)";
    const low = pattern.codePointAt(at)!;
    at += low > 0xffff ? 2 : 1;
    if (pattern[at] === "-" && at + 1 < pattern.length && pattern[at + 1] !== "]") {
      const high = pattern.codePointAt(at + 1)!;
      if (high === SLASH) return "`[…]` sets without `/` (a set matches one character of a file name)";
      if (high < low)
        return `\`[…]\` ranges from low to high, not \`${String.fromCodePoint(low)}-${String.fromCodePoint(high)}\``;
      ranges.push([low, high]);
      at += high > 0xffff ? 3 : 2;
    } else {
      ranges.push([low, low]);
    }
  }
  if (at >= pattern.length) return "balanced `[` and `]`";
  return { token: { kind: "set", negated, ranges }, next: at + 1 };
}

/**
 * Whether the path's segments match: the pattern's segments are states, each
 * path segment moves every live state on (a `**` state may stay), so the work
 * is the path's segments times the pattern's, whatever the pattern.
 */
function matchPath(segments: readonly Segment[], path: readonly string[]): boolean {
  let live = closure(segments, new Set([0]));
  for (const name of path) {
    const codes = Array.from(name, (char) => char.codePointAt(0)!);
    const next = new Set<number>();
    for (const state of live) {
      const segment = segments[state];
      if (segment === undefined) continue;
      if (segment.kind === "globstar") next.add(state);
      else if (matchSegment(segment.tokens, codes)) next.add(state + 1);
    }
    if (next.size === 0) return false;
    live = closure(segments, next);
  }
  return live.has(segments.length);
}

/** A `**` may stand for no folder at all: its state also stands at the segment after it. */
function closure(segments: readonly Segment[], states: Set<number>): Set<number> {
  for (const state of states) if (segments[state]?.kind === "globstar") states.add(state + 1);
  return states;
}

/**
 * One segment of a path against one segment of the pattern: single-character
 * tokens in step, a `*` tried again one character further only from the last
 * `*` seen (what a `*` before it could take, this one can take too), so at
 * most the name's length times the tokens'. A segment that is `*` alone needs
 * a name of at least one character, as picomatch has it.
 */
function matchSegment(tokens: readonly Token[], codes: readonly number[]): boolean {
  if (codes.length === 0 && tokens.length === 1 && tokens[0]!.kind === "star") return false;
  let token = 0;
  let at = 0;
  let star = -1;
  let starAt = 0;
  while (at < codes.length) {
    const current = tokens[token];
    if (current?.kind === "star") {
      star = token++;
      starAt = at;
    } else if (current !== undefined && matchesOne(current, codes[at]!)) {
      token++;
      at++;
    } else if (star !== -1) {
      token = star + 1;
      at = ++starAt;
    } else {
      return false;
    }
  }
  while (tokens[token]?.kind === "star") token++;
  return token === tokens.length;
}

function matchesOne(token: Exclude<Token, { kind: "star" }>, code: number): boolean {
  switch (token.kind) {
    case "char":
      return token.code === code;
    case "one":
      return true;
    case "set":
      return token.ranges.some(([low, high]) => low <= code && code <= high) !== token.negated;
  }
}
