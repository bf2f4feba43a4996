// `npm start`: the Probot server with the app, after a check of its credentials.
import { readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { getPrivateKey } from "@probot/get-private-key";
import app from "../probotApp.js";
import { withContentLimit } from "../github/calls/contentLimit.js";
import { serverApp } from "./app.js";
import { credentialsOf, probotEnvironment } from "./credentials.js";

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

/** What went wrong, in a line: the webhook proxy's connection fails with an event, not an Error. */
function startFailure(error: unknown, proxy: string | undefined): string {
  const message =
    error instanceof Error ? error.message : String((error as { message?: unknown } | null)?.message ?? error);
  if (proxy !== undefined && proxy !== "" && !(error instanceof Error)) {
    return `the webhook proxy WEBHOOK_PROXY_URL=${proxy} cannot be reached (${message}). Check the channel's URL (a new one: https://smee.io/new), or unset WEBHOOK_PROXY_URL where GitHub reaches the server itself.`;
  }
  return message;
}

const env = environment();

const credentials = credentialsOf(env, () => getPrivateKey({ env }));
if (credentials.mode === "refuse") {
  process.stderr.write(`parallel-coordinator cannot start: ${credentials.reason}\n`);
  process.exit(1);
}

// Probot is installed with the development dependencies (npm ci), not bundled: its setup page reads its own files.
const probot = await import("probot").catch(() => undefined);
if (probot === undefined) {
  process.stderr.write(
    "parallel-coordinator cannot start: Probot is not installed. Run `npm ci` in the clone (with its development dependencies: not under NODE_ENV=production).\n",
  );
  process.exit(1);
}
// Without credentials, Probot serves its setup page, which registers the app from app.yml.
try {
  await probot.run(serverApp(app), {
    env: probotEnvironment(env),
    // Probot's throttling, but with GitHub's documented limit on content creation rather than a comment each 3 s.
    Octokit: withContentLimit(probot.ProbotOctokit),
  });
} catch (error) {
  process.stderr.write(`parallel-coordinator cannot start: ${startFailure(error, env.WEBHOOK_PROXY_URL)}\n`);
  process.exit(1);
}
