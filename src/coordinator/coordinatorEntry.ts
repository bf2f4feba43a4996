/**
 * The coordinator action's entry (`coordinator/dist/index.js` is this file
 * bundled): one event of the coordinator workflow, carried out, reported in
 * the job summary, and the step failed when it could not be.
 */
import * as core from "@actions/core";
import { jobFromEnv } from "./coordinatorJob.js";
import { jobLogger } from "./jobLogger.js";
import { runCoordinator } from "./runCoordinator.js";

try {
  const read = jobFromEnv(process.env);
  if (!read.ok) {
    for (const problem of read.problems) core.error(problem, { title: "parallel-coordinator" });
    process.exitCode = 1;
  } else {
    const result = await runCoordinator(read.job, { log: jobLogger() });
    await core.summary.addRaw(result.summary).write();
    if (!result.ok) {
      for (const problem of result.problems) core.error(problem, { title: "parallel-coordinator" });
      process.exitCode = 1;
    }
  }
} catch (error) {
  core.error(error instanceof Error ? (error.stack ?? error.message) : String(error), {
    title: "parallel-coordinator",
  });
  process.exitCode = 1;
}
