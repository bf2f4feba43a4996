import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The OpenAPI description is large: read it once per worker, not per test file.
    pool: "forks",
    testTimeout: 20_000,
  },
});
