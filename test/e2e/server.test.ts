/**
 * The app behind a real HTTP server, as GitHub reaches it: signed webhook
 * deliveries over HTTP to Probot's middleware on 127.0.0.1, GitHub's API
 * answered by the fake GitHub. The app answers the delivery first and
 * finishes the step after (`wait` off, as `npm start` runs it).
 */
import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Probot, createNodeMiddleware } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { useGitHubApi } from "../helpers/github.js";
import { stateSecret, webhookSecret } from "../integration/appHarness.js";
import { useWorlds, type World } from "../integration/world.js";
import { at, feature, stateOf, statuses } from "../integration/feature.js";
import { createApp } from "../../src/probotApp.js";

// No request leaves for the network but to the local server: the app's Octokit talks to the fake GitHub only.
useGitHubApi();
useWorlds();

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0))
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error === undefined ? resolve() : reject(error))),
    );
});

/** The app behind Probot's middleware on a local port, its requests answered by `world`; the URL of its webhook path. */
async function serve(world: World): Promise<string> {
  const middleware = await createNodeMiddleware(createApp({ stateSecret }), {
    probot: new Probot(world.probotOptions()),
    webhooksPath: "/api/github/webhooks",
  });
  const server = createServer((request, response) => {
    void middleware(request, response, () => {
      response.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
}

function sign(body: string, secret = webhookSecret): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

async function post(
  url: string,
  event: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": `e2e-${Math.random()}`,
      ...headers,
    },
    body,
  });
  return { status: response.status, text: await response.text() };
}

async function until(condition: () => boolean, what: string, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("the app behind Probot's HTTP server", () => {
  it("a signed issues.labeled delivery is accepted, and the coordination starts: branches, dispatches, the dashboard", async () => {
    const world = feature();
    const url = await serve(world);
    const body = JSON.stringify(world.labeled(at(0)).payload);
    const answer = await post(url, "issues", body, { "x-hub-signature-256": sign(body) });
    expect(answer.status).toBe(200);
    await until(() => world.dashboard() !== undefined, "the dashboard");
    const state = stateOf(world);
    expect(state.status).toBe("running");
    expect(statuses(state)).toEqual({ api: "dispatched", styles: "dispatched", ui: "pending" });
    expect(world.dispatches().map((run) => run.inputs.key)).toEqual(["pc-1-api-1", "pc-1-styles-1"]);
    expect(world.dashboard()!.body).toContain("## Parallel coordination: Notifications");
  });

  it("a delivery without a signature, or signed with another secret, is refused and costs no GitHub request", async () => {
    const world = feature();
    const url = await serve(world);
    const body = JSON.stringify(world.labeled(at(0)).payload);
    const unsigned = await post(url, "issues", body, {});
    expect([400, 401]).toContain(unsigned.status);
    const forged = await post(url, "issues", body, { "x-hub-signature-256": sign(body, "not-the-secret") });
    expect([400, 401]).toContain(forged.status);
    const tampered = await post(url, "issues", body.replace("Notification API", "Notification APIs"), {
      "x-hub-signature-256": sign(body),
    });
    expect([400, 401]).toContain(tampered.status);
    // Give a wrongly accepted delivery the time to act before checking that nothing did.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(world.github.calls).toEqual([]);
    expect(world.tokens()).toBe(0);
  });
});
