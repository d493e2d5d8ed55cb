import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // the CLI tests start node processes and the init test runs npm install
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // no retry: a test that fails once is a bug to fix, not to hide
  },
});
