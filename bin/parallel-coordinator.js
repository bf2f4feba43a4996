#!/usr/bin/env node
// Runs the CLI from the sources in a clone (through tsx, so no build is needed
// and never a stale one), from the compiled lib/ in an installed package.
import { existsSync } from "node:fs";

const source = new URL("../src/cli/run.ts", import.meta.url);
if (existsSync(source)) {
  const { register } = await import("tsx/esm/api");
  register();
  await import(source.href);
} else {
  await import(new URL("../lib/cli/run.js", import.meta.url).href);
}
