import type { Config } from "../base/config.js";
import type { Batch, Plan } from "../plan/planModel.js";
import type { PlanSource } from "../plan/source.js";
import type { Task } from "../plan/task.js";
import type { Problem } from "../base/problem.js";
import { configGlobProblems, taskProblems } from "../plan/validateTasks.js";
import { domainsOf } from "../plan/domain.js";
import { batchTasks, list } from "./batching.js";
import { orderSharedFiles } from "./conflicts.js";
import { scopes } from "./batchScope.js";
import { levelOf } from "./level.js";
import { scheduleJobs } from "./scheduler.js";
import type { Job } from "./scheduleProblem.js";
import { splitOversized, type SplitProposal } from "./split.js";

export interface PlanOptions {
  /** Agents at once, over the plan's `agents:` and the config's. */
  agents?: number;
  /** Plan an epic (Level 3) and oversized batches anyway. */
  force?: boolean;
  /** Search budget of the exact scheduler, in nodes. */
  nodes?: number;
  /** Plan every task over `batch.refuse` minutes as the parts its proposed split gives (`/plan split`, `--split`). */
  split?: boolean;
}

/**
 * A plan, or every problem that stops one; a refused epic still carries the
 * plan it would be, and refused oversized tasks the splits proposed for them.
 */
export type PlanResult = { ok: true; plan: Plan } | { ok: false; problems: Problem[]; plan?: Plan; splits?: Splits };

/** The splits proposed for oversized tasks, and the form of the breakdown they are written back in. */
export interface Splits {
  format: "markdown" | "yaml";
  proposals: SplitProposal[];
}

/**
 * The planner: a breakdown's tasks become batches with orderings, scopes, a
 * schedule, a level and warnings. Pure: the same source, config and options
 * always give the same plan.
 */
export function planFromSource(given: PlanSource, config: Config, options: PlanOptions = {}): PlanResult {
  // Oversized tasks as their proposed parts when asked; otherwise the proposals go with the refusal.
  const split = splitOversized(given.tasks, config);
  const source = options.split === true ? { ...given, tasks: split.tasks } : given;
  const splits = options.split === true ? split.proposals.filter((proposal) => !proposal.ok) : split.proposals;
  const refused = (problems: Problem[]): PlanResult => ({
    ok: false,
    problems,
    ...(splits.length === 0 ? {} : { splits: { format: given.format ?? "markdown", proposals: splits } }),
  });
  const resolved = domainsOf(source.tasks, config);
  const domains = resolved.domains;
  const problems = [
    ...source.problems,
    ...taskProblems(source.tasks),
    ...resolved.problems,
    ...configGlobProblems(config),
  ];
  if (
    options.agents !== undefined &&
    !(Number.isInteger(options.agents) && options.agents >= 2 && options.agents <= 4)
  ) {
    problems.push({ field: "agents", message: `expected 2, 3 or 4 agents at once, got ${options.agents}` });
  }
  const force = options.force === true || config.allowEpics;
  if (problems.length > 0) {
    // Sizes too, from the tasks as far as they could be read: one answer names every problem.
    problems.push(...batchTasks(batchable(source.tasks), domains, config, options.force === true, splits).problems);
    // In the order of the breakdown, as a person fixes them; problems of no line (the options) last.
    return refused(problems.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity)));
  }
  const batching = batchTasks(source.tasks, domains, config, options.force === true, splits);
  if (batching.problems.length > 0) return refused(batching.problems);

  const ordering = orderSharedFiles(batching.batches, config);
  const byId = new Map(source.tasks.map((task) => [task.id, task]));
  const scoped = scopes(
    batching.batches,
    ordering.conflicts,
    config,
    (batch) => byId.get(batch.id)?.fieldLines?.files ?? batch.line,
  );
  if (scoped.problems.length > 0) return { ok: false, problems: scoped.problems };
  const scopeOf = scoped.scopes;
  const batches: Batch[] = batching.batches.map((batch) => ({
    ...batch,
    after: ordering.after.get(batch.id) ?? [],
    scope: scopeOf.get(batch.id)!,
  }));

  const domainCount = new Set(batches.map((batch) => batch.domain)).size;
  const agents = options.agents ?? source.agents ?? config.agents ?? Math.min(4, Math.max(2, domainCount));
  const jobs = jobsOf(batches);
  const schedule = scheduleJobs({ jobs, agents }, options.nodes === undefined ? {} : { nodes: options.nodes });
  const level = levelOf(
    batches,
    ordering.conflicts,
    [...source.context, ...(source.notes ?? [])],
    mostAtOnce(batches, schedule.start),
  );

  const warnings = [
    ...(options.split === true
      ? split.proposals.flatMap((proposal) => (proposal.ok ? [splitWarning(given, proposal)] : []))
      : []),
    ...resolved.warnings,
    ...batching.warnings,
    ...ordering.warnings,
  ];
  const work = batches.reduce((sum, batch) => sum + batch.estimate, 0);
  if (level.level === 1) {
    warnings.unshift(
      `Level 1: ${domainCount <= 1 ? "one domain" : `${work} minutes of work`} — one agent could do this alone. Planned anyway, as asked.`,
    );
  }
  const plan: Plan = {
    ...(source.title === undefined ? {} : { title: source.title }),
    level,
    batches,
    conflicts: ordering.conflicts,
    schedule: {
      agents,
      start: schedule.start,
      makespan: schedule.makespan,
      lowerBound: schedule.lowerBound,
      phaseMakespan: schedule.phaseMakespan,
      optimal: schedule.optimal,
    },
    context: source.context,
    warnings,
  };
  if (level.level === 3) {
    const why = work > 480 ? `${hours(work)} of work (over 8 hours)` : `${batches.length} batches (over 25)`;
    if (!force) {
      return {
        ok: false,
        plan,
        problems: [
          {
            message: `Level 3: ${why} is an epic, not one feature. Split it into features (sub-issues of this issue) of 1–8 hours each, or plan it anyway with \`/plan --force\` (CLI: \`--force\`; config: \`allowEpics: true\`).`,
          },
        ],
      };
    }
    warnings.unshift(
      `Level 3: ${why} is an epic; planned anyway (${options.force === true ? "--force" : "allowEpics"}).`,
    );
  }
  return { ok: true, plan };
}

/** The scheduling problem of a list of batches: phases from the breakdown, else dependency levels. */
export function jobsOf(batches: readonly Batch[]): Job[] {
  const phases = [...new Set(batches.flatMap((batch) => (batch.phase === undefined ? [] : [batch.phase])))];
  const levels = phases.length > 0 ? undefined : dependencyLevels(batches);
  let phase = 0;
  return batches.map((batch, position) => {
    if (batch.phase !== undefined) phase = phases.indexOf(batch.phase);
    return {
      id: batch.id,
      duration: batch.estimate,
      domain: batch.domain,
      preds: [...batch.needs, ...batch.after],
      phase: levels === undefined ? phase : levels[position]!,
    };
  });
}

/** Each batch's dependency level: 0 without predecessors, else one more than its deepest one. */
function dependencyLevels(batches: readonly Batch[]): number[] {
  const index = new Map(batches.map((batch, position) => [batch.id, position]));
  const preds = batches.map((batch) => [...batch.needs, ...batch.after].map((id) => index.get(id)!));
  const level = new Array<number>(batches.length).fill(-1);
  // Iterative depth-first: a chain of thousands of batches must not overflow the stack.
  for (let root = 0; root < batches.length; root++) {
    const stack = [root];
    while (stack.length > 0) {
      const node = stack[stack.length - 1]!;
      if (level[node]! >= 0) {
        stack.pop();
        continue;
      }
      const pending = preds[node]!.filter((pred) => level[pred]! < 0);
      if (pending.length > 0) {
        stack.push(...pending);
        continue;
      }
      level[node] = preds[node]!.reduce((deepest, pred) => Math.max(deepest, level[pred]! + 1), 0);
      stack.pop();
    }
  }
  return level;
}

function mostAtOnce(batches: readonly Batch[], start: Record<string, number>): number {
  const events = batches.flatMap((batch) => [
    [start[batch.id]!, 1] as const,
    [start[batch.id]! + batch.estimate, -1] as const,
  ]);
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let running = 0;
  let most = 0;
  for (const [, delta] of events) most = Math.max(most, (running += delta));
  return most;
}

function hours(minutes: number): string {
  const h = minutes / 60;
  return `${Number.isInteger(h) ? h : h.toFixed(1)} h`;
}

function splitWarning(source: PlanSource, proposal: Extract<SplitProposal, { ok: true }>): string {
  const minutes = source.tasks.find((task) => task.id === proposal.task)?.estimate;
  const ids = proposal.parts.map((part) => part.id);
  return `Task ${proposal.task} (${minutes} min) is planned as ${ids.length} parts, split by its ${proposal.by}: ${list(ids)}.`;
}

/** Tasks that batching can take although the breakdown has problems: each id once, dependencies on known tasks only. */
function batchable(tasks: readonly Task[]): Task[] {
  const byId = new Map<string, Task>();
  for (const task of tasks) if (!byId.has(task.id)) byId.set(task.id, task);
  return [...byId.values()].map((task) => ({
    ...task,
    needs: task.needs.filter((need) => need !== task.id && byId.has(need)),
  }));
}
