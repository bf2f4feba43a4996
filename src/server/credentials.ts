/**
 * What `npm start` can do with the credentials it finds: register a new app
 * through Probot's setup page (none set), run (all set), or stop with one line
 * that names what is missing and where to get it (some set). Probot alone
 * would start half-configured and fail later with a stack trace.
 */
export type Credentials = { mode: "setup" } | { mode: "run" } | { mode: "refuse"; reason: string };

/** Where each credential comes from, for the one line a person reads. */
const whereFrom =
  "The app's settings page on GitHub (Settings → Developer settings → GitHub Apps → your app) shows the App ID, generates a private key and sets the webhook secret; " +
  "put them in .env or the environment. To register a new app instead, unset all three and run npm start: its setup page registers one.";

export function credentialsOf(env: Readonly<Record<string, string | undefined>>, canRead: (path: string) => boolean): Credentials {
  const set = (name: string) => (env[name] ?? "").trim() !== "";
  const keyPath = env.PRIVATE_KEY_PATH;
  const names = {
    APP_ID: set("APP_ID"),
    "PRIVATE_KEY (or PRIVATE_KEY_PATH)": set("PRIVATE_KEY") || set("PRIVATE_KEY_PATH"),
    WEBHOOK_SECRET: set("WEBHOOK_SECRET"),
  };
  const missing = Object.entries(names).filter(([, present]) => !present).map(([name]) => name);
  if (missing.length === 3) {
    // Probot's setup page is off in production: there is nobody at a browser to use it.
    if (env.NODE_ENV === "production") return { mode: "refuse", reason: `APP_ID, PRIVATE_KEY and WEBHOOK_SECRET are not set, and the setup page is off when NODE_ENV=production. ${whereFrom}` };
    return { mode: "setup" };
  }
  if (missing.length > 0) {
    const present = Object.entries(names).filter(([, found]) => found).map(([name]) => name);
    return { mode: "refuse", reason: `${list(missing)} ${missing.length === 1 ? "is" : "are"} not set (${list(present)} ${present.length === 1 ? "is" : "are"}). ${whereFrom}` };
  }
  if (!set("PRIVATE_KEY") && keyPath !== undefined && !canRead(keyPath.trim())) {
    return { mode: "refuse", reason: `PRIVATE_KEY_PATH is ${keyPath.trim()}, which cannot be read. Point it at the .pem file the app's settings page generated, or set PRIVATE_KEY to its contents.` };
  }
  return { mode: "run" };
}

function list(names: readonly string[]): string {
  return names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}
