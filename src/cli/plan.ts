import { readFile } from "node:fs/promises";
import { configFromYaml, defaultConfig } from "../config.js";
import { readPlanFile } from "../plan/read.js";
import { planFromSource, type PlanResult } from "../plan/planner.js";
import { formatProblem, type Problem } from "../plan/problem.js";
import type { Plan } from "../plan/plan.js";
import { renderDashboard } from "../render/dashboard.js";
import { briefFor } from "../brief/brief.js";

export interface PlanCommand {
  file: string;
  config?: string;
  agents?: number;
  force: boolean;
  json: boolean;
  briefs: boolean;
}

/** `parallel-coordinator plan`: what it prints and its exit status. */
export async function planCommand(command: PlanCommand): Promise<{ output: string; status: number }> {
  const config = command.config === undefined ? { ok: true as const, config: defaultConfig } : await readConfig(command.config);
  let result: PlanResult;
  if (!config.ok) {
    result = { ok: false, problems: config.problems.map((problem) => ({ ...problem, message: `${command.config}: ${problem.message}` })) };
  } else {
    const text = await readText(command.file);
    result =
      text === undefined
        ? { ok: false, problems: [{ message: `cannot read ${command.file}` }] }
        : planFromSource(readPlanFile(command.file, text), config.config, {
            ...(command.agents === undefined ? {} : { agents: command.agents }),
            force: command.force,
          });
  }
  if (command.json) return { output: `${JSON.stringify(planJson(result), null, 2)}\n`, status: result.ok ? 0 : 1 };
  if (!result.ok) return { output: problemsText(command.file, result.problems), status: 1 };
  const parts = [renderDashboard(result.plan)];
  if (command.briefs) {
    for (const batch of result.plan.batches) parts.push(`---\n\n${briefFor(result.plan, batch.id)}`);
  }
  return { output: `${parts.join("\n\n").trimEnd()}\n`, status: 0 };
}

async function readConfig(path: string): Promise<ReturnType<typeof configFromYaml>> {
  const text = await readText(path);
  return text === undefined ? { ok: false, problems: [{ message: "cannot read the file" }] } : configFromYaml(text);
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return undefined;
  }
}

function problemsText(file: string, problems: readonly Problem[]): string {
  const lines = problems.map((problem) => `  - ${formatProblem(problem)}`);
  return `${file}: cannot plan this breakdown (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${lines.join("\n")}\n`;
}

/** The `--json` object: names and meanings that programs rely on. */
export function planJson(result: PlanResult): object {
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
  };
}
