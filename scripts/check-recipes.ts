// Checks templates/RECIPES.md against the real agent CLIs: for each recipe
// that installs its CLI from npm, installs that pinned version into a
// temporary prefix under the Node major the recipe sets up, and runs the
// `--help` of the CLI and of each subcommand the recipe's `agent:` uses. Also
// checks that README.md's recipe lines and the agent workflow template agree
// with RECIPES.md. Needs the npm registry, so it is not part of `npm test`.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import {
  checkUse,
  parseHelp,
  readmeProblems,
  readRecipes,
  recipeProblems,
  shellCommands,
  templateProblems,
} from "./recipes.js";
import type { Help, Recipe } from "./recipes.js";

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), "utf8");
const recipes = readRecipes(read("templates/RECIPES.md"));
const problems = [
  ...recipes.flatMap(recipeProblems),
  ...readmeProblems(read("README.md"), recipes),
  ...templateProblems(read("templates/parallel-coordinator-agent.yml"), recipes),
];

const work = mkdtempSync(join(tmpdir(), "check-recipes-"));
// The CLIs read and write their settings under HOME: an empty one, so that
// neither this machine's settings nor a login change what --help says.
const home = join(work, "home");
mkdirSync(home);

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(
  file: string,
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; cwd?: string; timeoutMs: number },
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    // No stdin: some CLIs append what they read there to the prompt.
    const child = spawn(file, args, {
      env: options.env,
      cwd: options.cwd ?? work,
      stdio: ["ignore", "pipe", "pipe"],
      timeout: options.timeoutMs,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const pathWith = (dir: string | undefined) =>
  dir === undefined ? process.env.PATH : [dir, process.env.PATH ?? ""].join(delimiter);

async function npm(args: readonly string[], nodeBin?: string): Promise<Ran> {
  // npm's own `#!/usr/bin/env node` then runs under the recipe's Node, and so do install scripts.
  const ran = await run("npm", ["--no-audit", "--no-fund", ...args], {
    env: { ...process.env, PATH: pathWith(nodeBin) },
    timeoutMs: 300_000,
  });
  if (ran.code !== 0)
    throw new Error(`npm ${args.join(" ")} failed:\n${ran.stderr.trim().split("\n").slice(-15).join("\n")}`);
  return ran;
}

/** The bin folder of the newest Node of a major, from the registry's `node-<platform>-<arch>` package. */
const nodes = new Map<string, Promise<{ bin: string; version: string }>>();
function nodeOf(major: string): Promise<{ bin: string; version: string }> {
  let node = nodes.get(major);
  if (node === undefined) {
    node = (async () => {
      const name = `node-${process.platform}-${process.arch}`;
      const prefix = join(work, `node-${major}`);
      await npm(["install", "--prefix", prefix, `${name}@${major}`]);
      const bin = join(prefix, "node_modules", name, "bin");
      const version = (await run(join(bin, "node"), ["--version"], { env: {}, timeoutMs: 30_000 })).stdout.trim();
      return { bin, version };
    })();
    nodes.set(major, node);
  }
  return node;
}

async function check(recipe: Recipe & { npm: NonNullable<Recipe["npm"]>; nodeVersion: string }): Promise<string> {
  const pkg = recipe.npm.name;
  const version = recipe.npm.version || "latest";
  const node = await nodeOf(recipe.nodeVersion);
  const latest = (await npm(["view", pkg, "version"], node.bin)).stdout.trim();
  const prefix = join(work, pkg.replace(/[@/]/g, "_"));
  // --engine-strict: the install fails, as a warning would not, when the CLI or a dependency needs another Node.
  await npm(["install", "--prefix", prefix, "--engine-strict", `${pkg}@${version}`], node.bin);
  const manifest = JSON.parse(readFileSync(join(prefix, "node_modules", pkg, "package.json"), "utf8")) as {
    bin?: string | Record<string, string>;
  };
  const bins = typeof manifest.bin === "string" ? [pkg.replace(/^@[^/]+\//, "")] : Object.keys(manifest.bin ?? {});
  const env = {
    PATH: pathWith(node.bin),
    HOME: home,
    LANG: "C.UTF-8",
    CI: "true",
    // A --help has no business calling home: no telemetry, no update checks.
    DISABLE_AUTOUPDATER: "1",
    DISABLE_TELEMETRY: "1",
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
    GEMINI_TELEMETRY_ENABLED: "false",
    NO_UPDATE_NOTIFIER: "1",
  };
  const helps = new Map<string, Promise<Help>>();
  const uses: string[] = [];
  for (const words of shellCommands(recipe.agent).filter((command) => bins.includes(command[0]!))) {
    const bin = words[0]!;
    const helpFor = (path: string[]) => {
      const key = [bin, ...path].join(" ");
      let help = helps.get(key);
      if (help === undefined) {
        help = run(join(prefix, "node_modules", ".bin", bin), [...path, "--help"], { env, timeoutMs: 60_000 }).then(
          (ran) => {
            if (ran.code !== 0) throw new Error(`\`${key} --help\` exited with ${ran.code}:\n${ran.stderr.trim()}`);
            return parseHelp(ran.stdout || ran.stderr, bin);
          },
        );
        helps.set(key, help);
      }
      return help;
    };
    const checked = await checkUse(words, helpFor);
    problems.push(...checked.problems.map((problem) => `${recipe.name}: ${problem}`));
    uses.push([bin, ...checked.use.path, ...checked.use.options].join(" "));
  }
  if (uses.length === 0)
    problems.push(`${recipe.name}: \`agent:\` runs none of ${pkg}'s commands (${bins.join(", ")})`);
  return `${pkg}@${version}${latest === version ? " (latest)" : ` (latest: ${latest})`} under Node ${node.version}: ${uses.join("; ")}`;
}

try {
  for (const recipe of recipes) {
    if (recipe.unverified !== undefined) {
      console.log(`- ${recipe.name}: not checked. ${recipe.unverified}`);
    } else if (recipe.npm === undefined) {
      console.log(`- ${recipe.name}: installs no CLI, nothing to check`);
    } else if (recipe.nodeVersion !== undefined && /^\d+$/.test(recipe.nodeVersion)) {
      const before = problems.length;
      try {
        const summary = await check({ ...recipe, npm: recipe.npm, nodeVersion: recipe.nodeVersion });
        console.log(`${problems.length === before ? "✓" : "✗"} ${recipe.name}: ${summary}`);
      } catch (error) {
        problems.push(`${recipe.name}: ${error instanceof Error ? error.message : String(error)}`);
        console.log(`✗ ${recipe.name}: could not be checked`);
      }
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (problems.length > 0) {
  console.error(
    `\n${problems.length} problem${problems.length === 1 ? "" : "s"}:\n${problems.map((problem) => `  ${problem}`).join("\n")}`,
  );
  process.exit(1);
}
console.log("\nEvery checked recipe uses only subcommands, options and choices its CLI's --help lists.");
