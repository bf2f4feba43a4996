import { generateKeyPairSync } from "node:crypto";
import examples from "@octokit/webhooks-examples";
import { Probot, ProbotOctokit } from "probot";
import { createApp } from "../../src/index.js";

/** A throwaway private key: Probot signs its app JWT with it; nock answers the token request. */
export const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
export const stateSecret = "test-secret";

/** The real app in a real Probot, with Octokit's throttling and retries off so that tests are quick. */
export function testProbot(): Probot {
  const probot = new Probot({
    appId: 123,
    privateKey,
    secret: "webhook-secret",
    logLevel: "fatal",
    Octokit: ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }),
  });
  probot.load(createApp({ stateSecret, wait: true }));
  return probot;
}

type Example = { action?: string } & Record<string, unknown>;

// Payloads are deep JSON that tests reshape freely; their shape is GitHub's, checked by the app's own types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** A payload from @octokit/webhooks-examples, with the app's installation and the given changes. */
export function payload<T = Record<string, unknown>>(event: string, action: string, change: (value: Json) => void = () => {}): T {
  const group = (examples as unknown as Array<{ name: string; examples: Example[] }>).find((entry) => entry.name === event);
  const found = group?.examples.find((example) => example.action === action);
  if (found === undefined) throw new Error(`no example of ${event}.${action}`);
  const value: Json = structuredClone(found);
  value.installation = { id: 2, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMg==" };
  change(value);
  return value as T;
}
