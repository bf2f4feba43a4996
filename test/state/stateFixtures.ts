/**
 * The states kept as fixtures (test/fixtures/states/): comment bodies holding
 * a signed state, as a released version of the app wrote them, made by
 * scripts/state-fixtures.ts with this secret. `v<version>-<moment>.txt`.
 */
import { createHmac } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { deflateRawSync } from "node:zlib";
import { stateKey } from "../../src/state/codec.js";
import type { State } from "../../src/state/stateSchema.js";

export const FIXTURE_SECRET = "state fixtures";
export const fixtureKey = stateKey(FIXTURE_SECRET);
export const FIXTURES = new URL("../fixtures/states/", import.meta.url);

export interface StateFixture {
  name: string;
  /** The state version that wrote it. */
  version: number;
  body: string;
}

export function stateFixtures(): StateFixture[] {
  return readdirSync(FIXTURES)
    .filter((name) => /^v\d+-.+\.txt$/.test(name))
    .sort()
    .map((name) => ({
      name,
      version: Number(/^v(\d+)/.exec(name)![1]),
      body: readFileSync(new URL(name, FIXTURES), "utf8"),
    }));
}

/**
 * A state block as an app of `value.version` writes it, signed with `key`: the
 * format every version keeps (see src/state/codec.ts), for states this version
 * does not write itself.
 */
export function stateBlock(value: { version: number; [field: string]: unknown }, key: Buffer): string {
  const payload = deflateRawSync(Buffer.from(JSON.stringify(value))).toString("base64url");
  return `<!-- parallel-coordinator:state v${value.version} ${payload}.${createHmac("sha256", key).update(payload).digest("base64url")} -->`;
}

/** `state` as version 1 kept it: the issue body it was planned from instead of the plan. */
export function asVersion1(state: State, body: string): { version: 1; [field: string]: unknown } {
  const { plan: _plan, config, ...rest } = state;
  return { ...rest, version: 1, source: { body, config, force: false } };
}

/** `body` with its last state block replaced by `block`. */
export function withBlock(body: string, block: string): string {
  const start = body.lastIndexOf("<!-- parallel-coordinator:state ");
  return `${body.slice(0, start)}${block}${body.slice(body.indexOf(" -->", start) + 4)}`;
}
