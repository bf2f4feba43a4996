#!/usr/bin/env node
// Runs the CLI built into lib/. In a clone (src/ beside it), a lib/ older than
// the sources is first rebuilt with esbuild (a dev dependency, there): never a
// stale build, and fast again from the next run on. An installed package has
// no src/ and runs its lib/ as it is.
import { existsSync } from "node:fs";

if (existsSync(new URL("../src/", import.meta.url))) {
  const { buildLib, libIsStale } = await import("../scripts/build.js");
  if (libIsStale()) await buildLib();
}
await import("../lib/cli/run.js");
