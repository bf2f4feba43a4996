/**
 * Deliveries as GitHub sends them to the server `npm start` runs: Probot's
 * own HTTP server with the app as the server entry loads it. GitHub gives up
 * on a delivery after 10 s and does not send it again, so the answer never
 * waits for GitHub; and an app registered through Probot's setup page gets
 * its deliveries at the server's root.
 */
import { createHmac } from "node:crypto";
import { createServer } from "node:net";
import { Probot, Server } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { useGitHubApi } from "../helpers/github.js";
import { payload, privateKey, stateSecret, webhookSecret } from "../integration/appHarness.js";
import { useWorlds, type World } from "../integration/world.js";
import { at, feature, stateOf } from "../integration/feature.js";
import { createApp } from "../../src/probotApp.js";
import { serverApp } from "../../src/server/app.js";

// No request leaves for the network but to the local server: the app's Octokit talks to the fake GitHub only.
useGitHubApi();
useWorlds();

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
});

/** A port nobody listens on: Probot takes 0 for "no port given" and would use 3000. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function startServer(world: World): Promise<string> {
  const port = await freePort();
  // The steps that fail on purpose log their errors: not for the test's output.
  const log = (await new Probot({ appId: 123, privateKey, logLevel: "fatal" }).ready()).log;
  const server = new Server({
    host: "127.0.0.1",
    port,
    log,
    Probot: Probot.defaults({ ...world.probotOptions(), log }),
  });
  // No retries: a step that fails here stays failed, and leaves nothing behind the test.
  await server.load(serverApp(createApp({ stateSecret, retryDelays: [] })));
  await server.start();
  servers.push(server);
  return `http://127.0.0.1:${port}`;
}

async function deliver(url: string, event: string, value: unknown): Promise<{ status: number; text: string }> {
  const body = JSON.stringify(value);
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": `e2e-${Math.random()}`,
      "x-hub-signature-256": `sha256=${createHmac("sha256", webhookSecret).update(body).digest("hex")}`,
    },
    body,
  });
  return { status: response.status, text: await response.text() };
}

/** Waits for what the test expects next; the test's time limit bounds the wait. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** An agent run of issue #1's batch `api`, dispatched by hand, that ended: GitHub's `workflow_run.completed`. */
function completed(world: World) {
  const inputs = {
    issue: "1",
    batch: "api",
    attempt: "1",
    key: "pc-1-api-1",
    base: "parallel-coordinator/1",
    scope: "{}",
    brief: "",
  };
  const run = world.github.dispatch(world.repo, world.repo.workflows()[0]!, "master", inputs, "maintainer");
  return world.finishRun(run, { at: at(20), noPullRequest: true }).payload;
}
const installed = () =>
  payload("installation", "created", (value) => {
    value.installation = {
      ...value.installation,
      account: { login: "Codertocat" },
      permissions: { contents: "write", issues: "write" },
    };
  });

describe("the server npm start runs", () => {
  it("takes a signed delivery at its root, the webhook URL Probot's setup page registers, and the coordination starts", async () => {
    const world = feature();
    const url = await startServer(world);
    const answer = await deliver(`${url}/`, "issues", world.labeled(at(0)).payload);
    expect(answer).toEqual({ status: 200, text: "ok\n" });
    await until(() => world.dashboard() !== undefined);
    expect(stateOf(world).status).toBe("running");
  });

  it("says at its root that the app runs and where deliveries go", async () => {
    const url = await startServer(feature());
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(
      /^parallel-coordinator \d+\.\d+\.\d+ is running\. GitHub delivers webhooks to this address \(POST \/\) or to \/api\/github\/webhooks\.\n$/,
    );
  });

  it.each([
    ["issues", (world: World) => world.labeled(at(0)).payload],
    ["issue_comment", (world: World) => world.comment("/status", "maintainer", at(1)).payload],
    ["workflow_run", completed],
    ["installation", installed],
  ] as const)("answers a %s delivery at once while GitHub does not answer, and goes on after", async (event, make) => {
    const world = feature();
    const url = await startServer(world);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let asked = false;
    // Every step starts with the installation's token: GitHub holds it until the delivery is answered, then fails.
    world.github.faults.add({
      route: "POST /app/installations/{installation_id}/access_tokens",
      status: 503,
      latency: async () => {
        asked = true;
        await held;
      },
    });
    const answer = await deliver(`${url}/api/github/webhooks`, event, make(world));
    // Not Probot's "202 still processing", which comes only after 9 s of waiting.
    expect(answer).toEqual({ status: 200, text: "ok\n" });
    await until(() => asked);
    release();
    await until(() => world.github.calls.some((call) => call.status === 503));
  });
});
