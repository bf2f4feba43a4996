/**
 * The action's entry (`dist/index.js` is this file bundled): runs one batch
 * and sets the step's exit code. A cancelled job stops the agent's process
 * group too.
 */
import { runAction } from "./main.js";
import { stopAll } from "./shell.js";

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    stopAll("SIGKILL");
    process.exit(1);
  });
}

try {
  const result = await runAction({ env: process.env });
  process.exitCode = result.exitCode;
} catch (error) {
  process.stdout.write(`::error title=parallel-coordinator::${String(error instanceof Error ? (error.stack ?? error.message) : error).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A")}\n`);
  process.exitCode = 1;
}
