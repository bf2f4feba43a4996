import { createPrivateKey } from "node:crypto";

/**
 * What `npm start` can do with the credentials it finds: register a new app
 * through Probot's setup page (none set), run (all set and sound), or stop with
 * one line that names what is wrong and where to get it right. Probot alone
 * would start half-configured, or fall back to its setup page, and fail later
 * with a stack trace.
 */
export type Credentials = { mode: "setup" } | { mode: "run" } | { mode: "refuse"; reason: string };

/** Where each credential comes from, for the one line a person reads. */
const whereFrom =
  "The app's settings page on GitHub (Settings → Developer settings → GitHub Apps → your app) shows the App ID, generates a private key and sets the webhook secret; " +
  "put them in .env or the environment. To register a new app instead, unset all three and run npm start: its setup page registers one.";

/**
 * `privateKey` finds the key as Probot does (PRIVATE_KEY, PRIVATE_KEY_PATH, or
 * the one .pem file in the working folder): null when there is none, an error
 * when what it found is unusable.
 */
export function credentialsOf(
  env: Readonly<Record<string, string | undefined>>,
  privateKey: () => string | null,
): Credentials {
  const set = (name: string) => (env[name] ?? "").trim() !== "";
  let key: string | null;
  try {
    key = privateKey();
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).replace(/^\[[^\]]+\]\s*/, "");
    return { mode: "refuse", reason: `the private key cannot be read: ${message} ${whereFrom}` };
  }
  const names = {
    APP_ID: set("APP_ID"),
    "PRIVATE_KEY (or PRIVATE_KEY_PATH)": key !== null,
    WEBHOOK_SECRET: set("WEBHOOK_SECRET"),
  };
  const missing = Object.entries(names)
    .filter(([, present]) => !present)
    .map(([name]) => name);
  if (missing.length === 3) {
    // Probot's setup page is off in production: there is nobody at a browser to use it.
    if (env.NODE_ENV === "production")
      return {
        mode: "refuse",
        reason: `APP_ID, PRIVATE_KEY and WEBHOOK_SECRET are not set, and the setup page is off when NODE_ENV=production. ${whereFrom}`,
      };
    return { mode: "setup" };
  }
  if (missing.length > 0) {
    const present = Object.entries(names)
      .filter(([, found]) => found)
      .map(([name]) => name);
    return {
      mode: "refuse",
      reason: `${list(missing)} ${missing.length === 1 ? "is" : "are"} not set (${list(present)} ${present.length === 1 ? "is" : "are"}). ${whereFrom}`,
    };
  }
  const appId = env.APP_ID!.trim();
  if (!/^[1-9]\d*$/.test(appId))
    return {
      mode: "refuse",
      reason: `APP_ID is "${appId}", not an App ID: it is the number on the app's settings page ("App ID"), not its name or client ID. ${whereFrom}`,
    };
  try {
    createPrivateKey(key!);
  } catch {
    return {
      mode: "refuse",
      reason: `the private key (PRIVATE_KEY or PRIVATE_KEY_PATH) is not a PEM private key: generate one on the app's settings page and give its .pem file's contents or path. ${whereFrom}`,
    };
  }
  return { mode: "run" };
}

function list(names: readonly string[]): string {
  return names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/**
 * The environment Probot itself is given: all of it but `REDIS_URL`, which is
 * the app's (its locks, journal and throttle, with a fallback when Redis is
 * gone). Given `REDIS_URL`, Probot would throttle every GitHub request through
 * Redis (Bottleneck's clustering): with Redis down every call fails, and a
 * Redis back empty fails them all (`SETTINGS_KEY_NOT_FOUND`) until a restart.
 * Each replica throttles its own requests instead.
 */
export function probotEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string | undefined> {
  const { REDIS_URL: _app, ...probot } = env;
  return probot;
}
