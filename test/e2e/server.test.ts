/**
 * The app behind a real HTTP server, as GitHub reaches it: signed webhook
 * deliveries over HTTP to Probot's middleware on 127.0.0.1, GitHub's API
 * answered by the fake GitHub (nock). The app answers the delivery first and
 * finishes the step after (`wait` off, as `npm start` runs it).
 */
import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeMiddleware } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useGitHubApi } from "../helpers/github.js";
import { bareProbot, stateSecret, webhookSecret } from "../integration/app.js";
import { FakeGitHub } from "../integration/fakeGitHub.js";
import { labeled, stateOf, statuses } from "../integration/feature.js";
import { createApp } from "../../src/index.js";

useGitHubApi();

let server: Server;
let url: string;

beforeAll(async () => {
  const middleware = await createNodeMiddleware(createApp({ stateSecret }), { probot: bareProbot(), webhooksPath: "/api/github/webhooks" });
  server = createServer((request, response) => {
    void middleware(request, response, () => {
      response.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((error) => (error === undefined ? resolve() : reject(error))));
});

function sign(body: string, secret = webhookSecret): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

async function post(event: string, body: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-github-event": event, "x-github-delivery": `e2e-${Math.random()}`, ...headers },
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
    const github = new FakeGitHub();
    const body = JSON.stringify(labeled());
    const answer = await post("issues", body, { "x-hub-signature-256": sign(body) });
    expect(answer.status).toBe(200);
    await until(() => github.dashboard() !== undefined, "the dashboard");
    const state = stateOf(github);
    expect(state.status).toBe("running");
    expect(statuses(state)).toEqual({ api: "dispatched", styles: "dispatched", ui: "pending" });
    expect(github.dispatches.map((dispatch) => dispatch.inputs.key)).toEqual(["pc-1-api-1", "pc-1-styles-1"]);
    expect(github.dashboard()).toContain("## Parallel coordination: Notifications");
    github.close();
  });

  it("a delivery without a signature, or signed with another secret, is refused and costs no GitHub request", async () => {
    const github = new FakeGitHub();
    const body = JSON.stringify(labeled());
    const unsigned = await post("issues", body, {});
    expect([400, 401]).toContain(unsigned.status);
    const forged = await post("issues", body, { "x-hub-signature-256": sign(body, "not-the-secret") });
    expect([400, 401]).toContain(forged.status);
    const tampered = await post("issues", body.replace("Notification API", "Notification APIs"), { "x-hub-signature-256": sign(body) });
    expect([400, 401]).toContain(tampered.status);
    // Give a wrongly accepted delivery the time to act before checking that nothing did.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(github.log).toEqual([]);
    expect(github.tokens).toBe(0);
    github.close();
  });
});
