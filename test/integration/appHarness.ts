import { generateKeyPairSync } from "node:crypto";
import examples from "@octokit/webhooks-examples";
import { Probot, ProbotOctokit } from "probot";
import { createApp } from "../../src/probotApp.js";

/** A throwaway private key: Probot signs its app JWT with it; the fake GitHub (or nock) answers the token request. */
export const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 })
  .privateKey.export({ type: "pkcs1", format: "pem" })
  .toString();
export const stateSecret = "test-secret";

export const webhookSecret = "webhook-secret";

/**
 * Probot's Octokit with throttling and retries off, so that tests are quick. A
 * function, not an object: Probot passes its own `throttle` options to every
 * instance, and an object default's `throttle: { enabled: false }` would be
 * replaced by them (writes 1–3 s apart).
 */
const QuickOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { ...(options.throttle as Record<string, unknown> | undefined), enabled: false },
}));

/**
 * The real app in a real Probot for app 123 (the test key and webhook secret),
 * waiting for each step before answering a delivery: for the tests that answer
 * its requests one by one with nock. The others give it the fake GitHub (./world.ts).
 */
export function testProbot(): Probot {
  const probot = new Probot({
    appId: 123,
    privateKey,
    secret: webhookSecret,
    logLevel: "fatal",
    Octokit: QuickOctokit,
  });
  probot.load(createApp({ stateSecret, wait: true }));
  return probot;
}

type Example = { action?: string } & Record<string, unknown>;

// Payloads are deep JSON that tests reshape freely; their shape is GitHub's, checked by the app's own types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** A payload from @octokit/webhooks-examples, with the app's installation and the given changes. */
export function payload<T = Record<string, unknown>>(
  event: string,
  action: string,
  change: (value: Json) => void = () => {},
): T {
  const group = (examples as unknown as Array<{ name: string; examples: Example[] }>).find(
    (entry) => entry.name === event,
  );
  const found = group?.examples.find((example) => example.action === action);
  if (found === undefined) throw new Error(`no example of ${event}.${action}`);
  const value: Json = structuredClone(found);
  value.installation = { id: 2, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMg==" };
  change(value);
  return value as T;
}
