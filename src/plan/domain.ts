import type { Config } from "../base/config.js";
import type { Task } from "./task.js";
import { slug } from "./slug.js";
import { matchesAny, normalizePattern, patternsOverlap } from "./glob.js";

/**
 * A task's domain, as a slug: its `Domain`, else its `Agent` mapped through the
 * config's domains (a domain may list agent names), else the agent's name
 * itself, else the one configured domain whose globs cover its files, else
 * `general`.
 */
export function domainOf(task: Task, config: Config): string {
  if (task.domain !== undefined) return configuredDomain(task.domain, config) ?? slug(task.domain);
  if (task.agent !== undefined) {
    for (const [name, domain] of Object.entries(config.domains)) {
      if (domain.agents.some((agent) => slug(agent) === slug(task.agent!))) return slug(name);
    }
    return configuredDomain(task.agent, config) ?? slug(task.agent);
  }
  const covering = Object.entries(config.domains).filter(
    ([, domain]) =>
      domain.files.length > 0 &&
      task.files.length > 0 &&
      task.files.every((file) => {
        const pattern = normalizePattern(file);
        return matchesAny(pattern, domain.files) || domain.files.some((glob) => patternsOverlap(pattern, glob));
      }),
  );
  return covering.length === 1 ? slug(covering[0]![0]) : "general";
}

/** The configured domain a name means, matched by slug, as a slug. */
function configuredDomain(name: string, config: Config): string | undefined {
  const wanted = slug(name);
  return Object.keys(config.domains).find((domain) => slug(domain) === wanted) === undefined ? undefined : wanted;
}

/** The configured globs of a domain slug. */
export function domainGlobs(domain: string, config: Config): string[] {
  for (const [name, settings] of Object.entries(config.domains)) {
    if (slug(name) === domain) return settings.files.map(normalizePattern);
  }
  return [];
}
