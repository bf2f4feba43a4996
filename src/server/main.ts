// `npm start`: the Probot server with the app, after a check of its credentials.
import { accessSync, constants, readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import app from "../index.js";
import { serverApp } from "./app.js";
import { credentialsOf } from "./credentials.js";

/** The environment as Probot will see it: `.env` in the working folder over the process's own. */
function environment(): Record<string, string | undefined> {
  let file = "";
  try {
    file = readFileSync(".env", "utf8");
  } catch {
    // No .env: the process's environment alone.
  }
  return { ...process.env, ...parseEnv(file) };
}

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

const credentials = credentialsOf(environment(), readable);
if (credentials.mode === "refuse") {
  process.stderr.write(`parallel-coordinator cannot start: ${credentials.reason}\n`);
  process.exit(1);
}

// Probot is installed with the development dependencies (npm ci), not bundled: its setup page reads its own files.
const probot = await import("probot").catch(() => undefined);
if (probot === undefined) {
  process.stderr.write("parallel-coordinator cannot start: Probot is not installed. Run `npm ci` in the clone (with its development dependencies: not under NODE_ENV=production).\n");
  process.exit(1);
}
// Without credentials, Probot serves its setup page, which registers the app from app.yml.
await probot.run(serverApp(app));
