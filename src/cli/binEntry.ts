import { createInterface } from "node:readline/promises";
import { main } from "./commandLine.js";

/** A question on the terminal, answered yes only by `y` or `yes`. */
async function ask(question: string): Promise<boolean> {
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await terminal.question(question)).trim());
  } finally {
    terminal.close();
  }
}

process.exitCode = await main(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  ...(process.stdout.isTTY ? { columns: process.stdout.columns } : {}),
  // Nothing is asked when standard input is not a terminal (a pipe, CI).
  ...(process.stdin.isTTY ? { ask } : {}),
});
