/**
 * `npm start` as a maintainer runs it the first time: the real server entry
 * (src/server/serverEntry.ts) as its own process, without credentials, serving
 * Probot's setup page; and with credentials half set, refusing to start.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, generateKeyPairSync } from "node:crypto";
import { copyFileSync, mkdtempSync } from "node:fs";
import { createServer as createHttpServer, type ServerResponse } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const entry = join(root, "src/server/serverEntry.ts");
const tsx = import.meta.resolve("tsx/esm");
const credentials = [
  "APP_ID",
  "PRIVATE_KEY",
  "PRIVATE_KEY_PATH",
  "WEBHOOK_SECRET",
  "WEBHOOK_PROXY_URL",
  "NODE_ENV",
  "REDIS_URL",
];
const started: ChildProcess[] = [];

afterEach(() => {
  for (const child of started.splice(0)) child.kill();
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The server entry with the given environment (none of this one's credentials),
 * in a folder holding only what `npm start` reads there (app.yml,
 * package.json): a developer's own .env in the clone stays out of it.
 */
function start(env: Record<string, string>): {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
} {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !credentials.includes(name)));
  const cwd = mkdtempSync(join(tmpdir(), "pc-start-"));
  for (const file of ["app.yml", "package.json"]) copyFileSync(join(root, file), join(cwd, file));
  // No smee.io channel: this machine has no network, and the test is about the manifest.
  const child = spawn(process.execPath, ["--import", tsx, entry], {
    cwd,
    env: { ...base, NO_SMEE_SETUP: "true", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.push(child);
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exit };
}

/** A stand-in for a smee.io channel: an event stream that sends each message to every client that connects. */
async function eventStream(messages: readonly object[]): Promise<{ url: string; close: () => void }> {
  const streams: ServerResponse[] = [];
  const server = createHttpServer((_request, response) => {
    streams.push(response);
    response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    for (const message of messages) response.write(`data: ${JSON.stringify(message)}\n\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/channel`,
    close: () => {
      for (const stream of streams) stream.end();
      server.close();
    },
  };
}

async function setupPage(port: number): Promise<{ status: number; html: string }> {
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/probot`);
      return { status: response.status, html: await response.text() };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** The manifest the setup page posts to GitHub, from its hidden field. */
function manifestOf(html: string): Record<string, unknown> {
  const value = /name="manifest"[^>]*value='([^']*)'/.exec(html)?.[1];
  if (value === undefined) throw new Error(`no manifest in the setup page:\n${html.slice(0, 500)}`);
  const text = value
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
  return JSON.parse(text) as Record<string, unknown>;
}

describe("npm start", () => {
  it("without credentials serves Probot's setup page with the app's manifest: its events, permissions, and the server's own webhook URL", async () => {
    const port = await freePort();
    start({ PORT: String(port), HOST: "127.0.0.1" });
    const page = await setupPage(port);
    expect(page.status).toBe(200);
    const manifest = manifestOf(page.html);
    expect(manifest).toMatchObject({
      name: "parallel-coordinator",
      public: false,
      default_events: ["issues", "workflow_run", "issue_comment", "check_run"],
      default_permissions: {
        issues: "write",
        pull_requests: "write",
        contents: "write",
        actions: "write",
        checks: "write",
        metadata: "read",
      },
      redirect_url: `http://127.0.0.1:${port}/probot/setup`,
      // The server's root, where it takes deliveries too: no placeholder.
      hook_attributes: { url: `http://127.0.0.1:${port}/` },
    });
    expect(String(manifest.description)).toContain("AI coding agents");
  });

  it("registers the webhook proxy's URL when WEBHOOK_PROXY_URL is set", async () => {
    const proxy = await eventStream([]);
    try {
      const port = await freePort();
      start({ PORT: String(port), HOST: "127.0.0.1", WEBHOOK_PROXY_URL: proxy.url });
      const manifest = manifestOf((await setupPage(port)).html);
      expect(manifest).toMatchObject({ hook_attributes: { url: proxy.url } });
    } finally {
      proxy.close();
    }
  });

  // Each kind of bad credentials is in test/server/credentials.test.ts; these run the real entry.
  it.each([
    [
      "APP_ID alone",
      { APP_ID: "12345" },
      "PRIVATE_KEY (or PRIVATE_KEY_PATH) and WEBHOOK_SECRET are not set (APP_ID is).",
    ],
    [
      "a PRIVATE_KEY that is no PEM",
      { APP_ID: "12345", PRIVATE_KEY: "x", WEBHOOK_SECRET: "s" },
      'the private key cannot be read: The contents of "env.PRIVATE_KEY" could not be validated',
    ],
    [
      "a webhook proxy that cannot be reached",
      { WEBHOOK_PROXY_URL: "http://127.0.0.1:9/channel" },
      "the webhook proxy WEBHOOK_PROXY_URL=http://127.0.0.1:9/channel cannot be reached",
    ],
  ] as const)(
    "with %s, refuses to start with one line that names what is wrong, and exits 1",
    async (_label, env, missing) => {
      const server = start({ PORT: String(await freePort()), HOST: "127.0.0.1", ...env });
      expect(await server.exit).toBe(1);
      // The one line; the webhook proxy's client also logs its failed connection.
      const lines = server
        .output()
        .trimEnd()
        .split("\n")
        .filter((line) => !line.includes("Error in connection"));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^parallel-coordinator cannot start: /);
      expect(lines[0]).toContain(missing);
    },
  );

  it("with credentials and WEBHOOK_PROXY_URL, takes deliveries through the webhook proxy (smee-client, installed by npm ci)", async () => {
    // A stand-in for smee.io: an event stream that sends one signed delivery, as smee.io relays GitHub's.
    const body = { zen: "Design for failure.", hook_id: 1 };
    const secret = "proxy-test-secret";
    const signature = `sha256=${createHmac("sha256", secret).update(JSON.stringify(body)).digest("hex")}`;
    const proxy = await eventStream([
      { "x-github-event": "ping", "x-github-delivery": "proxy-1", "x-hub-signature-256": signature, body },
    ]);
    const key = generateKeyPairSync("rsa", { modulusLength: 2048 })
      .privateKey.export({ type: "pkcs1", format: "pem" })
      .toString();
    try {
      const server = start({
        PORT: String(await freePort()),
        HOST: "127.0.0.1",
        APP_ID: "1",
        PRIVATE_KEY: key,
        WEBHOOK_SECRET: secret,
        WEBHOOK_PROXY_URL: proxy.url,
        LOG_LEVEL: "info",
      });
      // smee-client logs each delivery it forwarded with the server's answer: the app took it, signature checked.
      while (!/POST http:\/\/127\.0\.0\.1:\d+\/api\/github\/webhooks - 200/.test(server.output()))
        await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      proxy.close();
    }
  });
});
