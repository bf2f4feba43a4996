import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The OpenAPI description is large: read it once per worker, not per test file.
    pool: "forks",
    testTimeout: 20_000,
    // Every test that did not run is named after the run: no suite skips silently.
    reporters: ["default", "./test/helpers/skipped.ts"],
  },
});
