import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // config modules under test import "opmon": the source, as tsconfig.json's paths say, never a stale dist/
  resolve: { alias: [{ find: /^opmon$/, replacement: fileURLToPath(new URL("./src/index.ts", import.meta.url)) }] },
  test: {
    include: ["test/**/*.test.ts"],
    // some CLI tests start node processes (test/helpers/cli.ts); the package test runs npm pack and npm install
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // vitest's default is one worker per core but one: on two cores that is a single file at a time, while
    // most files wait on DuckDB, child processes or Chromium; two workers keep both cores busy
    maxWorkers: 2,
    // no retry: a test that fails once is a bug to fix, not to hide
  },
});
