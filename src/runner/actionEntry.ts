/**
 * The action's entry (`dist/index.js` is this file bundled): runs one batch
 * and sets the step's exit code. A cancelled job stops the agent's process
 * group too.
 */
import * as core from "@actions/core";
import { runAction } from "./main.js";
import { stopAll } from "./shell.js";

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    stopAll("SIGKILL");
    process.exit(1);
  });
}

try {
  const result = await runAction();
  process.exitCode = result.exitCode;
} catch (error) {
  core.error(error instanceof Error ? (error.stack ?? error.message) : String(error), {
    title: "parallel-coordinator",
  });
  process.exitCode = 1;
}
