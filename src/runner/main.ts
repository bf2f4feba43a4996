import * as core from "@actions/core";
import type { Report } from "../report/reportSchema.js";
import { runAcceptanceMode } from "./acceptanceMode.js";
import { runAgentMode } from "./agentMode.js";
import { readInputs, readRunContext } from "./inputs.js";
import type { RunnerOptions } from "./options.js";
import { runPublishMode } from "./publishMode.js";
import type { Delivery } from "./publish.js";
import { runVerifyMode } from "./verifyMode.js";

export interface RunnerResult {
  exitCode: 0 | 1;
  /** Why the action could not run at all (bad inputs, not in a job). */
  problems?: string[];
  /** The verify step's output. */
  digest?: string;
  /** The publish step's report and where it went. */
  report?: Report;
  delivery?: Delivery;
}

/**
 * One step of a batch run, in the mode its job gives it (see inputs.ts):
 * validates the inputs (failing at once, naming what is wrong), then runs
 * the mode. Whatever goes wrong later is handed on to the next job and ends
 * in the publish job's report — Blocked, with the reason — never in a failed
 * step: the app reads the report instead of retrying a failed run blind. The
 * publish step fails only when the report cannot reach GitHub.
 */
export async function runAction(options: RunnerOptions = {}): Promise<RunnerResult> {
  const read = readInputs();
  const run = readRunContext(process.env);
  if (!read.ok || !run.ok) {
    const problems = [...(read.ok ? [] : read.problems), ...(run.ok ? [] : run.problems)];
    for (const problem of problems) core.error(problem, { title: "parallel-coordinator" });
    return { exitCode: 1, problems };
  }
  const inputs = read.inputs;
  const context = run.context;
  core.info(
    `parallel-coordinator ${inputs.mode}: issue #${inputs.issue}, batch ${inputs.batch} (${inputs.key}), base ${inputs.base}.`,
  );
  switch (inputs.mode) {
    case "agent":
      await runAgentMode(inputs, context, options);
      return { exitCode: 0 };
    case "verify":
      return { exitCode: 0, digest: await runVerifyMode(inputs, context, options) };
    case "acceptance":
      await runAcceptanceMode(inputs, context, options);
      return { exitCode: 0 };
    case "publish": {
      const published = await runPublishMode(inputs, context, options);
      return { exitCode: published.delivery === undefined ? 1 : 0, ...published };
    }
  }
}
