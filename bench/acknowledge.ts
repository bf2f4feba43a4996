/**
 * Many features labelled in the same second, in one installation: how long
 * until each issue shows its dashboard. Probot's throttling is on, as
 * `npm start` runs it: an installation's writes a second apart, its new
 * comments within GitHub's limit on content creation (github/calls/contentLimit.ts),
 * so the dashboards queue behind each other — and the starts' branch and
 * dispatch writes behind every dashboard (handlers/acknowledgements.ts).
 * Wall-clock seconds on the in-memory GitHub.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { Probot } from "probot";
import { FakeGitHub } from "../src/fakeGitHub/fakeGitHub.js";
import { dashboardMarker } from "../src/github/stores/markers.js";
import { createApp } from "../src/probotApp.js";
import { probotOptions } from "../src/sim/probotOptions.js";
import { agentWorkflow } from "../src/sim/run.js";

const breakdown = readFileSync(new URL("../examples/webhook-dedup-pipeline.md", import.meta.url), "utf8");

export async function benchAcknowledge(features = 50): Promise<string[]> {
  const keys = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  const github = new FakeGitHub({
    appId: 1,
    publicKey: keys.publicKey,
    installationId: 2,
    clock: () => "2026-01-05T09:00:00Z",
  });
  const repo = github.createRepo({
    owner: "acme",
    name: "shop",
    files: { "README.md": "# shop\n", ".github/workflows/parallel-coordinator-agent.yml": agentWorkflow() },
    collaborators: { maintainer: "write" },
  });
  const issues = Array.from({ length: features }, (_, index) =>
    github.createIssue(repo, { title: `Feature ${index + 1}`, body: breakdown, user: "maintainer" }),
  );

  // When each issue got its first comment from the app, in ms after the labels, and whether it was the dashboard.
  let labelled = 0;
  const shown = new Map<string, { ms: number; dashboard: boolean }>();
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const response = await github.fetch(input, init);
    const url = String(input instanceof Request ? input.url : input);
    if (init?.method === "POST" && /\/issues\/\d+\/comments$/.test(url) && response.ok && !shown.has(url)) {
      shown.set(url, {
        ms: performance.now() - labelled,
        dashboard: String(init.body ?? "").includes(dashboardMarker),
      });
    }
    return response;
  };
  const probot = new Probot(
    probotOptions(fetch, {
      appId: 1,
      privateKey: keys.privateKey,
      secret: randomBytes(16).toString("hex"),
      logLevel: "fatal",
      throttle: true,
    }),
  );
  // As `npm start` runs it: each delivery answered first, its step run after.
  await probot.load(createApp({ stateSecret: randomBytes(32).toString("hex") }));

  const deliveries: Parameters<Probot["receive"]>[0][] = [];
  github.onWebhook = (delivery) => {
    if (delivery.name === "issues" && delivery.payload.action === "labeled")
      deliveries.push(delivery as unknown as Parameters<Probot["receive"]>[0]);
  };
  for (const issue of issues) github.addLabel(repo, issue, "parallel-coordinator", "maintainer");
  labelled = performance.now();
  await Promise.all(deliveries.map((delivery) => probot.receive(delivery)));
  for (let waited = 0; shown.size < features && waited < 600_000; waited += 200)
    await new Promise((resolve) => setTimeout(resolve, 200));

  const times = [...shown.values()]
    .filter((first) => first.dashboard)
    .map((first) => first.ms)
    .sort((a, b) => a - b);
  const other = [...shown.values()].filter((first) => !first.dashboard).length;
  const seconds = (ms: number | undefined) => (ms === undefined ? "-" : `${(ms / 1000).toFixed(1)} s`);
  return [
    `Time to first dashboard, ${features} features labelled at once in one installation (Probot's throttling on; wall clock):`,
    `  first issue ${seconds(times[0])}, median ${seconds(times[Math.floor(times.length / 2)])}, last ${seconds(times.at(-1))}; ${times.length} of ${features} shown${other === 0 ? "" : `, ${other} answered with another comment first`}${shown.size < features ? `, ${features - shown.size} with nothing after 10 min` : ""}`,
  ];
}
