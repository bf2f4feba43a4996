import type { Batch, Conflict, Level } from "../plan/planModel.js";

const research = /research|diagnos|investigat|audit|explor|spike|досліджен|діагност|аналіз/i;
const syncPoint = /sync point|контракт|contract/i;

/**
 * The seed's level rule and its 0–20 score. Level 3 (an epic) is over 8 hours
 * of work or over 25 batches; Level 1 is one domain or under an hour (one agent
 * suffices); Level 2, everything between, is this app's job. `agentsAtOnce` is
 * the most batches the schedule runs at the same time.
 */
export function levelOf(
  batches: readonly Batch[],
  conflicts: readonly Conflict[],
  context: readonly string[],
  agentsAtOnce: number,
): Level {
  const work = batches.reduce((sum, batch) => sum + batch.estimate, 0);
  const domains = new Set(batches.map((batch) => batch.domain));
  const domainOf = new Map(batches.map((batch) => [batch.id, batch.domain]));
  const needs = batches.flatMap((batch) => batch.needs.map((need) => [batch.domain, domainOf.get(need)] as const));
  const across = needs.some(([a, b]) => a !== b);
  const hasAcceptance = batches.some((batch) => batch.accept.length > 0);
  const hasContracts =
    batches.some((batch) => batch.output.length > 0 || batch.context.some((line) => syncPoint.test(line))) ||
    context.some((line) => syncPoint.test(line));
  const hasResearch = batches.some((batch) => research.test(batch.title));

  const parts = {
    scope: Math.min(5, Math.max(1, domains.size)),
    time: work < 60 ? 1 : work <= 120 ? 2 : work <= 240 ? 3 : work <= 480 ? 4 : 5,
    agents: Math.min(4, Math.max(1, agentsAtOnce)),
    dependencies: needs.length === 0 ? 0 : !across ? 1 : conflicts.length === 0 ? 2 : 3,
    documentation: hasResearch ? 3 : hasContracts ? 2 : hasAcceptance ? 1 : 0,
  };
  const score = parts.scope + parts.time + parts.agents + parts.dependencies + parts.documentation;
  const level = work > 480 || batches.length > 25 ? 3 : domains.size <= 1 || work < 60 ? 1 : 2;
  return { score, level, parts };
}
