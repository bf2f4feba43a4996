import type { Config } from "../base/config.js";
import type { Conflict } from "../plan/planModel.js";
import { isGlob, literalPrefix, matches, normalizePattern, patternsOverlap } from "../plan/glob.js";
import { slug } from "../plan/slug.js";
import type { DraftBatch } from "./batching.js";
import { list } from "./batching.js";
import { Reachability } from "./reachability.js";

export interface Ordering {
  conflicts: Conflict[];
  /** Orderings the planner adds, by batch id: the batches each must wait for. */
  after: Map<string, string[]>;
  warnings: string[];
}

/**
 * Catches what a breakdown's author missed: batches that change the same files
 * never run at once, whatever the text says. A file touched by two domains is
 * a conflict zone with one owner (configured, else the domain that touches it
 * first in dependency order); the other domains' batches that touch it wait for
 * the owner's. Other batches sharing files run in dependency order, then
 * breakdown order.
 */
export function orderSharedFiles(batches: readonly DraftBatch[], config: Config): Ordering {
  const index = new Map(batches.map((batch, position) => [batch.id, position]));
  const reach = new Reachability(batches.map((batch) => batch.needs.map((need) => index.get(need)!)));
  const order = reach.topologicalOrder();
  const rank = new Map(order.map((position, place) => [position, place]));
  const after = new Map<string, string[]>();
  const warnings: string[] = [];

  const touching = filesTouched(batches);
  const conflicts: Conflict[] = [];

  // Conflict zones first: owners go first where the dependencies allow it.
  for (const [file, users] of touching) {
    const domains = [...new Set(users.map((position) => batches[position]!.domain))];
    if (domains.length < 2) continue;
    const byRank = [...users].sort((a, b) => rank.get(a)! - rank.get(b)!);
    const configured = configuredOwner(file, config);
    const owner = configured !== undefined && domains.includes(configured) ? configured : batches[byRank[0]!]!.domain;
    const ownerBatches = byRank.filter((position) => batches[position]!.domain === owner);
    const waiting: string[] = [];
    for (const position of byRank) {
      if (batches[position]!.domain === owner) continue;
      for (const first of ownerBatches) {
        if (reach.reaches(position, first) || reach.reaches(first, position)) continue;
        reach.add(first, position);
        addAfter(after, batches[position]!.id, batches[first]!.id);
        waiting.push(batches[position]!.id);
      }
    }
    conflicts.push({ file, domains, owner, batches: byRank.map((position) => batches[position]!.id) });
    const others = domains.filter((domain) => domain !== owner);
    warnings.push(
      `Conflict zone: ${file} is touched by ${list(domains)}. Owner: ${owner}${configured === owner ? " (configured)" : " (first in dependency order)"}; ${list(others)} must not change it${waiting.length > 0 ? `, and batch${plural(waiting)} ${list(unique(waiting))} wait${waiting.length === 1 ? "s" : ""} for ${owner}'s` : ""}.`,
    );
  }

  // Then every other pair that shares a file and is not yet ordered.
  const sequence = reach.topologicalOrder();
  const place = new Map(sequence.map((position, at) => [position, at]));
  for (const [file, users] of touching) {
    const byPlace = [...users].sort((a, b) => place.get(a)! - place.get(b)!);
    const added: string[] = [];
    for (let later = 1; later < byPlace.length; later++) {
      const target = byPlace[later]!;
      const source = byPlace[later - 1]!;
      if (reach.reaches(source, target)) continue;
      reach.add(source, target);
      addAfter(after, batches[target]!.id, batches[source]!.id);
      added.push(`${batches[target]!.id} after ${batches[source]!.id}`);
    }
    if (added.length > 0) {
      warnings.push(
        `${file} is changed by batches ${list(byPlace.map((position) => batches[position]!.id))}: they run in sequence (${added.join(", ")}), whatever the breakdown says about running them in parallel.`,
      );
    }
  }
  return { conflicts, after, warnings };
}

/**
 * Each distinct file pattern with the batches (by position) whose patterns may
 * name the same files. Patterns that overlap without being equal (a folder glob
 * and a file in it) are reported under the more specific one.
 */
function filesTouched(batches: readonly DraftBatch[]): Map<string, number[]> {
  const users = new Map<string, Set<number>>();
  batches.forEach((batch, position) => {
    for (const file of batch.files) {
      const pattern = normalizePattern(file);
      const set = users.get(pattern) ?? new Set<number>();
      set.add(position);
      users.set(pattern, set);
    }
  });
  const specific = new Map([...users.keys()].map((pattern) => [pattern, specificity(pattern)]));
  forEachOverlap([...users.keys()], (a, b) => {
    // Fold the broader pattern's users into the narrower one's.
    const narrow = specific.get(a)! >= specific.get(b)! ? a : b;
    const broad = narrow === a ? b : a;
    for (const position of users.get(broad)!) users.get(narrow)!.add(position);
  });
  const result = new Map<string, number[]>();
  for (const [pattern, set] of users)
    if (set.size > 1)
      result.set(
        pattern,
        [...set].sort((x, y) => x - y),
      );
  return result;
}

/**
 * Each pair of distinct patterns that overlap (see patternsOverlap), found
 * through their literal prefixes rather than by comparing every pair: a glob
 * overlaps the globs whose literal prefix starts its own or starts with it, and
 * the literal paths under its prefix that it matches. Handed over one by one:
 * thousands of globs with one prefix make millions of pairs, too many to hold.
 */
function forEachOverlap(patterns: readonly string[], overlap: (a: string, b: string) => void): void {
  const globs = patterns.filter(isGlob).map((pattern) => ({ pattern, prefix: literalPrefix(pattern) }));
  globs.sort((x, y) => (x.prefix < y.prefix ? -1 : x.prefix > y.prefix ? 1 : 0));
  const literals = patterns.filter((pattern) => !isGlob(pattern)).sort();
  for (let index = 0; index < globs.length; index++) {
    const { pattern, prefix } = globs[index]!;
    // Globs whose prefix starts with this one's sort right after it (equal prefixes included).
    for (let other = index + 1; other < globs.length && globs[other]!.prefix.startsWith(prefix); other++) {
      overlap(pattern, globs[other]!.pattern);
    }
    for (let at = firstAtLeast(literals, prefix); at < literals.length && literals[at]!.startsWith(prefix); at++) {
      if (patternsOverlap(literals[at]!, pattern)) overlap(literals[at]!, pattern);
    }
  }
}

/** The first index in a sorted list whose item is not before `value`. */
function firstAtLeast(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

function specificity(pattern: string): number {
  return pattern.replace(/\*\*?|\?/g, "").length;
}

function configuredOwner(file: string, config: Config): string | undefined {
  for (const [pattern, owner] of Object.entries(config.owners)) {
    if (pattern === file || matches(file, pattern)) return slug(owner);
  }
  return undefined;
}

function addAfter(after: Map<string, string[]>, batch: string, waitsFor: string): void {
  const list = after.get(batch) ?? [];
  if (!list.includes(waitsFor)) list.push(waitsFor);
  after.set(batch, list);
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}

function plural(items: readonly string[]): string {
  return unique(items).length === 1 ? "" : "es";
}
