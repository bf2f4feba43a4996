import { createHmac, timingSafeEqual } from "node:crypto";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { migrated } from "./migrations.js";
import { StateSchema, stateVersion, type State } from "./stateSchema.js";

const prefix = "<!-- parallel-coordinator:state ";
const suffix = " -->";
const pattern = /<!-- parallel-coordinator:state (v\d+) ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+) -->/g;

/**
 * The signing key, derived from the app's secret so that nobody else — not a
 * person with write access who edits the app's comment — can make a state the
 * app will trust.
 */
export function stateKey(secret: string): Buffer {
  return createHmac("sha256", secret).update("parallel-coordinator state").digest();
}

/**
 * The state as a hidden, signed block: its version, compressed JSON in
 * base64url (which cannot contain `-->` or anything Markdown reads), then its
 * HMAC. Every version keeps this form — `v<n>`, deflated JSON whose `version`
 * is n, the HMAC of the payload — so that an older app can tell a newer state
 * from a damaged one, and leave it alone.
 */
export function encodeState(state: State, key: Buffer): string {
  const payload = deflateRawSync(Buffer.from(JSON.stringify(state)), { level: 9 }).toString("base64url");
  return `${prefix}v${state.version} ${payload}.${sign(payload, key)}${suffix}`;
}

/**
 * A state of the app's own, intact, that this version cannot take: written by
 * a newer version (`version` above `stateVersion`), or by an older one that
 * can no longer be brought up to this one (`reason` says why).
 */
export interface Unreadable {
  version: number;
  /** The issue it names, when it names one as this version does. */
  issue?: number;
  reason?: string;
}

export type Decoded = { ok: true; state: State } | { ok: false; reason: string; unreadable?: Unreadable };

/**
 * The last state block in a comment body, verified, brought up to the
 * version this app writes and validated; never throws.
 */
export function decodeState(body: string | null | undefined, key: Buffer): Decoded {
  const blocks = [...(body ?? "").matchAll(pattern)];
  const block = blocks[blocks.length - 1];
  if (block === undefined) return { ok: false, reason: "no state block" };
  const [, header, payload, signature] = block as unknown as [string, string, string, string];
  const expected = Buffer.from(sign(payload, key));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return { ok: false, reason: "the state's signature does not match: it was changed by someone other than the app" };
  }
  let value: unknown;
  try {
    value = JSON.parse(inflateRawSync(Buffer.from(payload, "base64url")).toString("utf8"));
  } catch (error) {
    return { ok: false, reason: `the state cannot be read: ${(error as Error).message}` };
  }
  // The header is not signed: the version read is the one inside the payload.
  const { version, issue } = (value ?? {}) as { version?: unknown; issue?: unknown };
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1 || header !== `v${version}`) {
    return { ok: false, reason: `the state's version (${String(version)}) is not the block's (${header})` };
  }
  const named = typeof issue === "number" ? { issue } : {};
  if (version > stateVersion) {
    return {
      ok: false,
      unreadable: { version, ...named },
      reason: `the state was written by a newer version of the app (state v${version}; this one reads up to v${stateVersion})`,
    };
  }
  const current = migrated(value, version);
  if (!current.ok)
    return { ok: false, unreadable: { version, ...named, reason: current.reason }, reason: current.reason };
  const parsed = StateSchema.safeParse(current.value);
  return parsed.success
    ? { ok: true, state: parsed.data }
    : { ok: false, reason: `the state is not valid: ${parsed.error.issues[0]?.message ?? ""}` };
}

/**
 * The signature of a body's last state block, not verified: a fingerprint of
 * the state it holds, to tell whether the dashboard is still the one the app
 * last wrote.
 */
export function fingerprintOf(body: string): string | undefined {
  const blocks = [...body.matchAll(pattern)];
  return blocks[blocks.length - 1]?.[3];
}

function sign(payload: string, key: Buffer): string {
  return createHmac("sha256", key).update(payload).digest("base64url");
}
