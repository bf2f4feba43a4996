import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { credentialsOf, probotEnvironment } from "../../src/server/credentials.js";

const pem = generateKeyPairSync("rsa", { modulusLength: 2048 })
  .privateKey.export({ type: "pkcs1", format: "pem" })
  .toString();
const notAKey = "-----BEGIN RSA PRIVATE KEY-----\nbm90IGEga2V5\n-----END RSA PRIVATE KEY-----\n";
const key = (value: string | null) => () => value;
const unreadable = (message: string) => () => {
  throw new Error(`[@probot/get-private-key] ${message}`);
};

describe("the credentials npm start finds", () => {
  it("none at all: Probot's setup page, except in production", () => {
    expect(credentialsOf({}, key(null))).toEqual({ mode: "setup" });
    expect(credentialsOf({ NODE_ENV: "production" }, key(null))).toMatchObject({
      mode: "refuse",
      reason: expect.stringContaining("the setup page is off when NODE_ENV=production"),
    });
  });

  it("all three, sound: the app runs", () => {
    expect(credentialsOf({ APP_ID: "12345", WEBHOOK_SECRET: "s" }, key(pem))).toEqual({ mode: "run" });
  });

  it.each([
    [
      "APP_ID alone",
      { APP_ID: "12345" },
      key(null),
      "PRIVATE_KEY (or PRIVATE_KEY_PATH) and WEBHOOK_SECRET are not set (APP_ID is).",
    ],
    [
      "no WEBHOOK_SECRET",
      { APP_ID: "12345" },
      key(pem),
      "WEBHOOK_SECRET is not set (APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH) are).",
    ],
    [
      "a secret alone",
      { WEBHOOK_SECRET: " s " },
      key(null),
      "APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH) are not set (WEBHOOK_SECRET is).",
    ],
    [
      "a key file that is not there",
      { APP_ID: "1", WEBHOOK_SECRET: "s" },
      unreadable('Private key does not exists at path: "/nowhere/key.pem".'),
      'the private key cannot be read: Private key does not exists at path: "/nowhere/key.pem".',
    ],
    [
      "a key that is no PEM",
      { APP_ID: "1", WEBHOOK_SECRET: "s" },
      key(notAKey),
      "the private key (PRIVATE_KEY or PRIVATE_KEY_PATH) is not a PEM private key",
    ],
    [
      "an APP_ID that is a name",
      { APP_ID: "my-app", WEBHOOK_SECRET: "s" },
      key(pem),
      'APP_ID is "my-app", not an App ID',
    ],
  ])("%s: one line that names what is wrong and where to get it", (_label, env, privateKey, says) => {
    const credentials = credentialsOf(env, privateKey);
    expect(credentials.mode).toBe("refuse");
    const reason = credentials.mode === "refuse" ? credentials.reason : "";
    expect(reason).toContain(says);
    expect(reason).toContain("The app's settings page on GitHub");
    expect(reason).not.toContain("\n");
  });
});

describe("probotEnvironment", () => {
  it("gives Probot everything but REDIS_URL: its throttling of GitHub requests stays in each replica, off the Redis whose loss would fail every call", () => {
    const env = { APP_ID: "1", WEBHOOK_SECRET: "s", REDIS_URL: "redis://redis:6379", PORT: "3000" };
    expect(probotEnvironment(env)).toEqual({ APP_ID: "1", WEBHOOK_SECRET: "s", PORT: "3000" });
    expect(env.REDIS_URL).toBe("redis://redis:6379");
  });
});
