import { configFromYaml, defaultConfig } from "../base/config.js";
import { readPlanFile } from "../plan/readBreakdown.js";
import { planFromSource, type PlanResult } from "../schedule/planner.js";
import { formatProblem, type Problem } from "../base/problem.js";
import type { Plan } from "../plan/planModel.js";
import { renderDashboard } from "../render/dashboard.js";
import { briefFor } from "../render/batchBrief.js";
import { markdownFragment, splitsText } from "../render/splitFragment.js";
import { yamlTasks } from "../render/yamlPlan.js";
import { problemList, readText, type Format } from "./output.js";
import { terminalText } from "./terminalText.js";

export interface PlanCommand {
  file: string;
  config?: string;
  /** As given: a number of agents, or words that are not one. */
  agents?: string;
  force: boolean;
  /** Oversized tasks planned as their proposed parts. */
  split: boolean;
  briefs: boolean;
  format: Format;
  /** Columns of text output. */
  width: number;
}

/** `parallel-coordinator plan`: what it prints and its exit status. */
export async function planCommand(command: PlanCommand): Promise<{ output: string; status: number }> {
  const result = await planOf(command);
  if (command.format === "json")
    return { output: `${JSON.stringify(planJson(result, command.briefs), null, 2)}\n`, status: result.ok ? 0 : 1 };
  if (!result.ok) {
    const count = `${result.problems.length} problem${result.problems.length === 1 ? "" : "s"}`;
    const problems = problemList(
      `cannot plan ${command.file} (${count}):`,
      result.problems.map(formatProblem),
      command.width,
    );
    if (result.splits === undefined) return { output: problems, status: 1 };
    // The proposed splits as ready breakdown fragments, to paste in or to plan with --split.
    const splits = splitsText(result.splits);
    const shown = command.format === "markdown" ? splits : terminalText(splits, command.width);
    return { output: `${problems}\n${shown.trimEnd()}\n`, status: 1 };
  }
  const parts = [renderDashboard(result.plan)];
  if (command.briefs) {
    for (const batch of result.plan.batches) parts.push(`---\n\n${briefFor(result.plan, batch.id)}`);
  }
  const markdown = `${parts.join("\n\n").trimEnd()}\n`;
  return { output: command.format === "markdown" ? markdown : terminalText(markdown, command.width), status: 0 };
}

/** The plan, or every problem with the command's files and options at once. */
async function planOf(command: PlanCommand): Promise<PlanResult> {
  const problems: Problem[] = [];
  const config =
    command.config === undefined ? { ok: true as const, config: defaultConfig } : await readConfig(command.config);
  // Each problem names the file it is in: the config's are not the breakdown's.
  if (!config.ok)
    problems.push(...config.problems.map((problem) => ({ message: `${command.config}: ${formatProblem(problem)}` })));
  const agents =
    command.agents === undefined ? undefined : /^\s*\d+\s*$/.test(command.agents) ? Number(command.agents) : undefined;
  if (command.agents !== undefined && agents === undefined)
    problems.push({ message: `--agents: expected 2, 3 or 4 agents at once, got "${command.agents}"` });
  const text = await readText(command.file);
  if (text === undefined) problems.push({ message: `cannot read ${command.file}` });
  if (problems.length > 0 || !config.ok || text === undefined) return { ok: false, problems };
  return planFromSource(readPlanFile(command.file, text), config.config, {
    ...(agents === undefined ? {} : { agents }),
    force: command.force,
    split: command.split,
  });
}

async function readConfig(path: string): Promise<ReturnType<typeof configFromYaml>> {
  const text = await readText(path);
  return text === undefined ? { ok: false, problems: [{ message: "cannot read it" }] } : configFromYaml(text);
}

/** The `--json` object: names and meanings that programs rely on; with `briefs`, each batch's brief (Markdown). */
export function planJson(result: PlanResult, briefs = false): object {
  const plan: Plan | undefined = result.plan;
  return {
    level: plan?.level ?? null,
    batches: (plan?.batches ?? []).map((batch) => ({
      id: batch.id,
      title: batch.title,
      domain: batch.domain,
      files: batch.files,
      estimate: batch.estimate,
      needs: batch.needs,
      after: batch.after,
      tasks: batch.tasks,
      ...(briefs && plan !== undefined ? { brief: briefFor(plan, batch.id) } : {}),
    })),
    conflicts: (plan?.conflicts ?? []).map(({ file, domains, owner }) => ({ file, domains, owner })),
    schedule:
      plan === undefined
        ? null
        : {
            agents: plan.schedule.agents,
            start: plan.schedule.start,
            makespan: plan.schedule.makespan,
            lowerBound: plan.schedule.lowerBound,
            phaseMakespan: plan.schedule.phaseMakespan,
            optimal: plan.schedule.optimal,
          },
    warnings: plan?.warnings ?? [],
    errors: result.ok ? [] : result.problems.map(formatProblem),
    ...(result.ok || result.splits === undefined
      ? {}
      : {
          splits: result.splits.proposals.map((proposal) =>
            proposal.ok
              ? {
                  task: proposal.task,
                  by: proposal.by,
                  parts: proposal.parts.map((part) => ({ id: part.id, estimate: part.estimate, needs: part.needs })),
                  fragment: (result.splits?.format === "yaml" ? yamlTasks : markdownFragment)(proposal.parts),
                }
              : { task: proposal.task, why: proposal.why },
          ),
        }),
  };
}
