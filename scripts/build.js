// Builds lib/ with esbuild: the CLI (lib/cli/run.js), the app (lib/index.js,
// the package's main), the server `npm start` runs (lib/server/main.js) and
// the worker the app plans in (lib/handlers/planWorker.js),
// every dependency bundled in but Probot's server (see probotServerOutside).
//
// Bundled, so that the package needs no dependency at run time: an installed
// package then never meets a dependency's `engines` (probot's @octokit/request
// wants content-type 3, which wants Node 22, and `overrides` do not reach a
// consumer), and the versions it runs are the ones package-lock.json holds.
// Split, so that `plan` loads only the planner: the simulator and Probot sit in
// a chunk of their own, imported when `simulate` runs.
//
// Plain JavaScript, so that bin/parallel-coordinator.js can rebuild a stale
// lib/ in a clone without tsx.
//
//   npm run build   (also `prepack`, and `npm start` when lib/ is stale; the bin rebuilds a stale lib/ itself)
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath, URL } from "node:url";

export const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));

/** The file whose age is the build's: written last. */
const STAMP = join("lib", "index.js");

/** What a build is made of: a change to any of these makes lib/ stale. */
const INPUTS = ["src", "package.json", "package-lock.json", join("scripts", "build.js")];

/** True when lib/ is missing or older than any of its inputs. */
export function libIsStale(root = ROOT) {
  const stamp = join(root, STAMP);
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  const newer = (path) => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat === undefined) return false;
    if (!stat.isDirectory()) return stat.mtimeMs > built;
    return readdirSync(path).some((name) => newer(join(path, name)));
  };
  return INPUTS.some((input) => newer(join(root, input)));
}

/** Builds lib/ from the sources; returns the files written, relative to the root. */
export async function buildLib(root = ROOT) {
  const { build } = await import("esbuild");
  const outdir = join(root, "lib");
  const result = await build({
    absWorkingDir: root,
    // Every file two folders below the root, as the sources are: code that finds
    // templates/ by `new URL("../../templates/…", import.meta.url)` finds it here too.
    // The planning worker is an entry of its own: the app starts it by its path (src/handlers/planInWorker.ts).
    entryPoints: {
      "cli/run": "src/cli/binEntry.ts",
      "app/index": "src/probotApp.ts",
      "server/main": "src/server/serverEntry.ts",
      "handlers/planWorker": "src/handlers/planWorker.ts",
    },
    chunkNames: "chunks/[name]-[hash]",
    outdir,
    bundle: true,
    splitting: true,
    platform: "node",
    format: "esm",
    target: "node20.19",
    // Not minified: the app's stack traces stay readable, and minifying saves no time in loading.
    write: false,
    charset: "utf8",
    legalComments: "eof",
    logLevel: "warning",
    plugins: [zodEnglishOnly, probotServerOutside(root)],
    // Bundled CommonJS modules may `require` Node's own modules.
    banner: {
      js: `import { createRequire as __pcCreateRequire } from "node:module";\nconst require = __pcCreateRequire(import.meta.url);`,
    },
  });
  const files = [
    ...result.outputFiles.map((file) => ({ path: file.path, contents: file.contents })),
    {
      path: join(root, STAMP),
      contents: `// The package's main, the app: built into lib/app/, beside the other entries.\nexport * from "./app/index.js";\nexport { default } from "./app/index.js";\n`,
    },
  ];
  // Chunks before the files that import them, the stamp last; each file replaced
  // whole (write, then rename), so that a CLI started meanwhile loads one build.
  files.sort((a, b) => rank(root, a.path) - rank(root, b.path));
  for (const file of files) {
    await mkdir(dirname(file.path), { recursive: true });
    const temporary = `${file.path}.${process.pid}.tmp`;
    await writeFile(temporary, file.contents);
    await rename(temporary, file.path);
  }
  removeOthers(outdir, new Set(files.map((file) => file.path)));
  return files.map((file) => relative(root, file.path));
}

/**
 * zod exports every language's error messages in its namespace (`z.locales`),
 * a quarter of what `plan` loads; the app and the CLI use only English ones,
 * which zod sets up by itself. Where zod's files name the list, the bundle
 * gets English alone.
 */
export const zodEnglishOnly = {
  name: "zod-english-only",
  setup(build) {
    // The module's path is relative to the root: the bundle names it in a comment, and must not name the clone's folder.
    const root = build.initialOptions.absWorkingDir ?? process.cwd();
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)
        ? { path: relative(root, join(dirname(args.importer), "..", "locales", "en.js")), namespace: "zod-english" }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "zod-english" }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(resolve(root, args.path))};`,
      resolveDir: root,
    }));
  },
};

/**
 * The server (src/server/) imports Probot from node_modules, as it is: its
 * setup page reads files that lie beside Probot's own code. `npm start` runs
 * in a clone, where Probot is installed. The simulator's Probot, which serves
 * nothing, is bundled, so that an installed package simulates with no
 * dependency.
 */
function probotServerOutside(root) {
  const server = join(root, "src", "server");
  return {
    name: "probot-server-outside",
    setup(build) {
      build.onResolve({ filter: /^probot$/ }, (args) =>
        args.importer.startsWith(server) ? { path: "probot", external: true } : undefined,
      );
    },
  };
}

function rank(root, path) {
  const name = relative(root, path);
  return name === STAMP ? 2 : name.startsWith(join("lib", "chunks")) ? 0 : 1;
}

/** Removes what an earlier build left in lib/ (old chunks, compiled files); another build's files in flight stay. */
function removeOthers(dir, keep) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      removeOthers(path, keep);
      if (readdirSync(path).length === 0) rmSync(path, { recursive: true, force: true });
    } else if (!keep.has(path) && !entry.name.endsWith(".tmp")) {
      rmSync(path, { force: true });
    }
  }
}

// `--if-stale` (npm start): build only when lib/ is missing or older than the sources.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!process.argv.includes("--if-stale") || libIsStale()) {
    const files = await buildLib();
    process.stdout.write(`wrote ${files.length} files to lib/\n`);
  }
}
