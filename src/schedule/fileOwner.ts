import type { Plan } from "../plan/planModel.js";

/** The path a glob starts with, up to its first wildcard: `frontend/src/**` → `frontend/src/`. */
function staticPrefix(glob: string): string {
  const wild = glob.search(/[*?[{]/u);
  return wild < 0 ? glob : glob.slice(0, wild);
}

function overlaps(a: string, b: string): boolean {
  if (a === b) return true;
  const pa = staticPrefix(a);
  const pb = staticPrefix(b);
  if (pa === "" || pb === "") return false;
  const exactA = pa === a;
  const exactB = pb === b;
  if (exactA && exactB) return false;
  if (exactA) return pa.startsWith(pb);
  if (exactB) return pb.startsWith(pa);
  return pa.startsWith(pb) || pb.startsWith(pa);
}

/**
 * The domain that owns a file or glob: the conflict zone's owner, else the
 * domain of a batch that names it (exactly, then by path prefix) — of another
 * domain than `except`, when given (a batch asks who owns what it must leave).
 */
export function ownerOf(plan: Plan, file: string, except?: string): string | undefined {
  const zone = plan.conflicts.find((c) => c.file === file);
  if (zone !== undefined) return zone.owner;
  const others = plan.batches.filter((b) => b.domain !== except);
  const exact = others.find((b) => b.scope.allow.includes(file) || b.files.includes(file));
  if (exact !== undefined) return exact.domain;
  const zoneByPrefix = plan.conflicts.find((c) => overlaps(c.file, file));
  if (zoneByPrefix !== undefined) return zoneByPrefix.owner;
  return others.find((b) => [...b.scope.allow, ...b.files].some((f) => overlaps(f, file)))?.domain;
}
