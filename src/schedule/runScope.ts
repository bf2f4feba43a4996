import { z } from "zod";
import type { Config } from "../base/config.js";
import { globProblem } from "../plan/glob.js";
import type { Batch } from "../plan/planModel.js";
import { slug } from "../plan/slug.js";

const glob = z.string().superRefine((pattern, context) => {
  const problem = globProblem(pattern);
  if (problem !== undefined)
    context.addIssue({ code: "custom", message: `\`${pattern}\` is not a usable glob: it needs ${problem}` });
});

/**
 * A batch's scope as a run is held to it — the `scope` dispatch input, and
 * what the app's check-in judges the pull request by: `allow` and `deny` are
 * globs; a protected path (judge.ts) is refused unless `allowProtected` names
 * it; symlinks and submodules are refused unless allowed here.
 */
export const ScopeSchema = z.object({
  allow: z.array(glob),
  deny: z.array(glob).default([]),
  allowProtected: z.array(glob).default([]),
  allowSymlinks: z.boolean().default(false),
  allowSubmodules: z.boolean().default(false),
});
export type Scope = z.infer<typeof ScopeSchema>;

/**
 * The scope of a batch's runs: its planned `allow` and `deny`, and what the
 * config opens for its domain (`domains.<name>.allowProtected`,
 * `allowSymlinks`, `allowSubmodules`). The config is the repository's, read
 * from its default branch when the coordination was planned: the breakdown,
 * which an issue's author writes, never opens a protected path.
 */
export function runScope(batch: Pick<Batch, "domain" | "scope">, config: Pick<Config, "domains">): Scope {
  const settings = Object.entries(config.domains).find(([name]) => slug(name) === batch.domain)?.[1];
  return {
    allow: batch.scope.allow,
    deny: batch.scope.deny,
    allowProtected: settings?.allowProtected ?? [],
    allowSymlinks: settings?.allowSymlinks ?? false,
    allowSubmodules: settings?.allowSubmodules ?? false,
  };
}

/** The `scope` dispatch input: what is not the runner's default only, so that the inputs stay small. */
export function scopeInput(scope: Scope): string {
  const { allow, deny, allowProtected, allowSymlinks, allowSubmodules } = scope;
  return JSON.stringify({
    allow,
    deny,
    ...(allowProtected.length > 0 ? { allowProtected } : {}),
    ...(allowSymlinks ? { allowSymlinks } : {}),
    ...(allowSubmodules ? { allowSubmodules } : {}),
  });
}
