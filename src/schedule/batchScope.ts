import type { Config } from "../base/config.js";
import type { Problem } from "../base/problem.js";
import type { Conflict } from "../plan/planModel.js";
import { literalPrefix, normalizePattern, patternsOverlap } from "../plan/glob.js";
import { slug } from "../plan/slug.js";
import { domainGlobs } from "../plan/domain.js";
import type { DraftBatch } from "./batching.js";

export interface Scopes {
  scopes: Map<string, { allow: string[]; deny: string[] }>;
  /** Batches left with no file of their own: a scope only ever narrows what its author wrote. */
  problems: Problem[];
}

/**
 * What each batch may change (`allow`) and must leave alone (`deny`, what the
 * other domains own). A batch's allow is its own files, else its domain's
 * configured globs, else everything (`**`): what no other domain owns, since
 * deny wins. Conflict zones belong to their owner only. A batch that names
 * files, all of them another domain's zones, is a problem: falling back to its
 * domain's globs or `**` would let it change what it never named.
 * `filesLine` is where a batch's files are written, for the problem.
 */
export function scopes(
  batches: readonly DraftBatch[],
  conflicts: readonly Conflict[],
  config: Config,
  filesLine: (batch: DraftBatch) => number | undefined = (batch) => batch.line,
): Scopes {
  const zoneOwner = new Map(conflicts.map((conflict) => [conflict.file, conflict.owner]));
  const ownedByOthers = (pattern: string, domain: string): boolean => {
    const owner = zoneOwner.get(pattern);
    return owner !== undefined && owner !== domain;
  };

  const owned = new Map<string, string[]>();
  const own = (domain: string, pattern: string) => {
    const list = owned.get(domain) ?? [];
    if (!list.includes(pattern)) list.push(pattern);
    owned.set(domain, list);
  };
  for (const batch of batches) {
    for (const glob of domainGlobs(batch.domain, config)) own(batch.domain, glob);
    for (const file of batch.files) {
      const pattern = normalizePattern(file);
      own(zoneOwner.get(pattern) ?? batch.domain, pattern);
    }
  }

  // Most batches share their domain's deny list: compute it once per domain.
  const domainDeny = new Map<string, string[]>();
  const denyFor = (domain: string, except: ReadonlySet<string>): string[] => {
    const cached = except.size === 0 ? domainDeny.get(domain) : undefined;
    if (cached !== undefined) return cached;
    const deny = new Set<string>();
    for (const [other, patterns] of owned) {
      if (other === domain) continue;
      for (const pattern of patterns) if (!except.has(pattern)) deny.add(pattern);
    }
    const result = withoutCovered([...deny]);
    if (except.size === 0) domainDeny.set(domain, result);
    return result;
  };

  const result = new Map<string, { allow: string[]; deny: string[] }>();
  const problems: Problem[] = [];
  for (const batch of batches) {
    const files = batch.files.map(normalizePattern).filter((pattern) => !ownedByOthers(pattern, batch.domain));
    if (batch.files.length > 0 && files.length === 0) {
      problems.push(emptiedProblem(batch, zoneOwner, filesLine(batch)));
      continue;
    }
    const globs = domainGlobs(batch.domain, config);
    const allow = files.length > 0 ? files : globs.length > 0 ? globs : ["**"];
    // Another domain's configured folder glob does not forbid a file this batch names itself.
    const except = new Set<string>();
    for (const [name, settings] of Object.entries(config.domains)) {
      for (const glob of settings.files.map(normalizePattern)) {
        if (
          slug(name) !== batch.domain &&
          !zoneOwner.has(glob) &&
          files.some((file) => file !== glob && patternsOverlap(file, glob))
        )
          except.add(glob);
      }
    }
    result.set(batch.id, { allow, deny: denyFor(batch.domain, except) });
  }
  return { scopes: result, problems };
}

function emptiedProblem(batch: DraftBatch, zoneOwner: ReadonlyMap<string, string>, line: number | undefined): Problem {
  const owners = [...new Set(batch.files.map((file) => zoneOwner.get(normalizePattern(file))!))];
  const files = batch.files.map((file) => `\`${file}\``).join(", ");
  const what = batch.tasks.length === 1 ? "the task" : "its tasks";
  return {
    task: batch.id,
    ...(line === undefined ? {} : { line }),
    field: "Files",
    message: `every file it names (${files}) is a conflict zone of ${owners.join(" and ")}, so it has nothing of its own to change. Move ${what} to ${owners.length === 1 ? `domain ${owners[0]}` : `one of ${owners.join(" and ")}`}, or give it files of its own.`,
  };
}

/**
 * Drops patterns already covered by a folder glob in the same list (a file
 * under `dir/**`, a folder inside another), looking up each pattern's parent
 * folders rather than comparing every pair.
 */
function withoutCovered(patterns: readonly string[]): string[] {
  if (patterns.includes("**")) return ["**"];
  const folders = new Set(patterns.filter((pattern) => pattern.endsWith("/**")).map((pattern) => pattern.slice(0, -2)));
  return patterns.filter((pattern) => {
    const literal = literalPrefix(pattern);
    for (let slash = literal.indexOf("/"); slash !== -1; slash = literal.indexOf("/", slash + 1)) {
      const folder = literal.slice(0, slash + 1);
      if (folders.has(folder) && `${folder}**` !== pattern) return false;
    }
    return true;
  });
}
