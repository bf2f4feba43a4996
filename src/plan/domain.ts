import type { Config } from "../base/config.js";
import type { Problem } from "../base/problem.js";
import type { Task } from "./task.js";
import { slug } from "./slug.js";
import { matchesAny, normalizePattern, patternsOverlap } from "./glob.js";

/** Every task's domain (by task id, as a slug), with what a person should know about how it was found. */
export interface Domains {
  domains: Map<string, string>;
  /** An agent that could mean more than one domain. */
  warnings: string[];
  /** A task whose files lie in more than one configured domain, and no domain written. */
  problems: Problem[];
}

/**
 * The domain of each task, as a slug. `Agent:` and `Domain:` name the same
 * work, so an agent is one domain with a domain written elsewhere in the plan
 * when they can be told to be the same:
 *
 * 1. its `Domain`, as a slug (a configured domain is matched by its slug);
 * 2. else its `Agent`: the configured domain that lists the agent; else the
 *    domain written beside the same agent on another task; else the one
 *    domain (configured or written in the plan) whose name is a part of the
 *    agent's (`backend` in `fastapi-backend-expert`); else the agent itself;
 * 3. else the one configured domain whose globs cover its files; files in
 *    several configured domains are a problem, never silently `general`;
 * 4. else `general`.
 *
 * An agent that could mean two domains (written beside both, or naming both)
 * stays a domain of its own, with a warning naming them.
 */
export function domainsOf(tasks: readonly Task[], config: Config): Domains {
  const written = new Map<string, Set<string>>();
  for (const task of tasks) {
    if (task.domain === undefined || task.agent === undefined) continue;
    const agent = slug(task.agent);
    written.set(agent, (written.get(agent) ?? new Set()).add(slug(task.domain)));
  }
  const named = new Set([
    ...Object.keys(config.domains).map((name) => slug(name)),
    ...tasks.flatMap((task) => (task.domain === undefined ? [] : [slug(task.domain)])),
  ]);

  const domains = new Map<string, string>();
  const warnings: string[] = [];
  const problems: Problem[] = [];
  const warned = new Set<string>();
  const ambiguous = (agent: string, candidates: readonly string[], why: string) => {
    if (warned.has(agent)) return;
    warned.add(agent);
    warnings.push(
      `Agent ${agent} could mean domain ${candidates.join(" or ")} (${why}): its tasks are planned as domain ${agent}. Write \`Domain:\` on them to say which.`,
    );
  };

  for (const task of tasks) {
    if (task.domain !== undefined) {
      domains.set(task.id, slug(task.domain));
      continue;
    }
    if (task.agent !== undefined) {
      domains.set(task.id, agentDomain(task.agent, config, written, named, ambiguous));
      continue;
    }
    const covering = coveringDomains(task, config);
    if (covering.length > 1) {
      const line = task.fieldLines?.files ?? task.line;
      problems.push({
        task: task.id,
        ...(line === undefined ? {} : { line }),
        field: "Files",
        message: `its files lie in the configured domains ${covering.join(" and ")}: write \`Domain:\` on it, or split it into one task per domain`,
      });
    }
    domains.set(task.id, covering.length === 1 ? covering[0]! : "general");
  }
  return { domains, warnings, problems };
}

function agentDomain(
  agentName: string,
  config: Config,
  written: ReadonlyMap<string, ReadonlySet<string>>,
  named: ReadonlySet<string>,
  ambiguous: (agent: string, candidates: readonly string[], why: string) => void,
): string {
  const agent = slug(agentName);
  for (const [name, domain] of Object.entries(config.domains)) {
    if (domain.agents.some((listed) => slug(listed) === agent)) return slug(name);
  }
  const beside = [...(written.get(agent) ?? [])];
  if (beside.length === 1) return beside[0]!;
  if (beside.length > 1) {
    ambiguous(agent, beside, "it is written beside each");
    return agent;
  }
  if (named.has(agent)) return agent;
  const parts = [...named].filter((domain) => containsWords(agent, domain));
  if (parts.length === 1) return parts[0]!;
  if (parts.length > 1) ambiguous(agent, parts, "its name holds each");
  return agent;
}

/** `fastapi-backend-expert` holds `backend`; `fastapi-expert` does not hold `api`. */
function containsWords(agent: string, domain: string): boolean {
  return `-${agent}-`.includes(`-${domain}-`);
}

/** The configured domains whose globs cover every file of a task, or, when none covers all, those that cover some. */
function coveringDomains(task: Task, config: Config): string[] {
  if (task.files.length === 0) return [];
  const covers = (globs: readonly string[], file: string) => {
    const pattern = normalizePattern(file);
    return matchesAny(pattern, globs) || globs.some((glob) => patternsOverlap(pattern, glob));
  };
  const configured = Object.entries(config.domains).filter(([, domain]) => domain.files.length > 0);
  const all = configured.filter(([, domain]) => task.files.every((file) => covers(domain.files, file)));
  if (all.length > 0) return all.map(([name]) => slug(name));
  return configured
    .filter(([, domain]) => task.files.some((file) => covers(domain.files, file)))
    .map(([name]) => slug(name));
}

/** The configured globs of a domain slug. */
export function domainGlobs(domain: string, config: Config): string[] {
  for (const [name, settings] of Object.entries(config.domains)) {
    if (slug(name) === domain) return settings.files.map(normalizePattern);
  }
  return [];
}
