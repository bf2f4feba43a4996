/**
 * The states kept as fixtures (test/fixtures/states/): comment bodies holding
 * a signed state, as a released version of the app wrote them, made by
 * scripts/state-fixtures.ts with this secret. `v<version>-<moment>.txt`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { stateKey } from "../../src/state/codec.js";

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
    .map((name) => ({ name, version: Number(/^v(\d+)/.exec(name)![1]), body: readFileSync(new URL(name, FIXTURES), "utf8") }));
}
