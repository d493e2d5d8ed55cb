import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { BaseSequencer, type TestSpecification } from "vitest/node";
import { defineConfig } from "vitest/config";

const ROOT = fileURLToPath(new URL(".", import.meta.url));

/**
 * The slowest files, slowest first, as a clean clone's run on two cores timed them. Two workers take
 * files in order, so starting the longest first keeps one worker from running a long file alone at the
 * end. Vitest orders by its own timings once it has some (after a first run); a fresh clone has none.
 */
const SLOWEST = [
  "test/reliability/killed-runs.test.ts",
  "test/alerts/demo-alerts.test.ts",
  "test/analyze/corpus-runs.test.ts",
  "test/reliability/duckdb-faults.test.ts",
  "test/alerts/sinks.test.ts",
  "test/run/nightly-run.test.ts",
  "test/package/pack-install.test.ts",
  "test/report/dashboard-browser.test.ts",
  "test/reliability/many-probes.test.ts",
  "test/analyze/real-schemas.test.ts",
  "test/reliability/hostile-configs.test.ts",
  "test/config/outside-repo.test.ts",
  "test/sql/golden.test.ts",
  "test/stats/coverage.test.ts",
  "test/toml/corpus-round-trip.test.ts",
  "test/run/shared-sources.test.ts",
];

/** Vitest's order (failed, then longest, by its cache) where it has timings; {@link SLOWEST} first where it has none. */
class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const ordered = await super.sort(files);
    const timed = files.some((f) => this.ctx.cache.getFileTestResults(`${f.project.name}:${relative(ROOT, f.moduleId)}`));
    if (timed) return ordered;
    const rank = (f: TestSpecification) => {
      const i = SLOWEST.indexOf(relative(ROOT, f.moduleId).split("\\").join("/"));
      return i < 0 ? SLOWEST.length : i;
    };
    return [...ordered].sort((a, b) => rank(a) - rank(b));
  }
}

/**
 * Files that replace a module (`vi.mock`) for the modules they import: each needs a module registry of
 * its own, so they are found by what they contain, never by a list a new file could be missing from.
 * Every other file shares its worker's modules with the files before it.
 */
const MOCKING_MODULES = readdirSync(join(ROOT, "test"), { recursive: true, encoding: "utf8" })
  .filter((f) => f.endsWith(".test.ts") && readFileSync(join(ROOT, "test", f), "utf8").includes("vi.mock("))
  .map((f) => `test/${f.split("\\").join("/")}`);

export default defineConfig({
  // config modules under test import "opmon": the source, as tsconfig.json's paths say, never a stale dist/
  resolve: { alias: [{ find: /^opmon$/, replacement: fileURLToPath(new URL("./src/index.ts", import.meta.url)) }] },
  test: {
    // some CLI tests start node processes (test/helpers/cli.ts); the package test runs npm pack and npm install
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // vitest's default is one worker per core but one: on two cores that is a single file at a time, while
    // most files wait on DuckDB, child processes or Chromium; two workers keep both cores busy
    maxWorkers: 2,
    sequence: { sequencer: SlowestFirst },
    // importing opmon's sources afresh for each of 73 files cost a fifth of the run on two cores (6.0 min
    // shared against 7.6 isolated): files restore what they change (spies, process.env, the cwd)
    projects: [
      { extends: true, test: { name: "shared", include: ["test/**/*.test.ts"], exclude: MOCKING_MODULES, isolate: false } },
      { extends: true, test: { name: "isolated", include: MOCKING_MODULES } },
    ],
    // no retry: a test that fails once is a bug to fix, not to hide
  },
});
