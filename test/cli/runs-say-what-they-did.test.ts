import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { syntheticTelemetrySql } from "../../src/demo/synthetic-telemetry.js";
import { DuckDbEngine } from "../../src/engines/duckdb/duckdb-engine.js";
import { cli, scratchConfigDir } from "../helpers/cli.js";

// a warehouse whose telemetry ends on 2026-11-27, and a config whose rollout has a type error that
// tsx would load and run without a word: the two things a nightly run must not stay quiet about
const dir = mkdtempSync(join(tmpdir(), "opmon-runs-say-"));
const warehouse = join(dir, "warehouse.duckdb");
const config = scratchConfigDir();
afterAll(() => [dir, config].forEach((d) => rmSync(d, { recursive: true, force: true })));
afterEach(() => void vi.useRealTimers());

/** Runs `opmon ARGS` in-process as if today were `today` (UTC): "yesterday" is the day before it. */
async function on(today: string, args: readonly string[]) {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(`${today}T06:00:00Z`));
  return cli([...args, "--warehouse", warehouse, "--no-experimenter"]);
}

/** The tables in the warehouse's output datasets. */
async function outputTables(): Promise<string[]> {
  const engine = await DuckDbEngine.open(warehouse);
  try {
    const rows = await engine.query(
      "SELECT table_schema || '.' || table_name AS t FROM information_schema.tables WHERE table_schema LIKE 'operational_monitoring%' ORDER BY 1",
    );
    return rows.map((r) => String(r["t"]));
  } finally {
    await engine.close();
  }
}

beforeAll(async () => {
  const engine = await DuckDbEngine.open(warehouse);
  try {
    for (const sql of syntheticTelemetrySql({ clients: 60, startDate: "2026-11-26", endDate: "2026-11-27", seed: 3 })) await engine.execute(sql, "seed");
  } finally {
    await engine.close();
  }
  appendFileSync(join(config, "projects/tab-unloading-rollout.ts"), '\nexport const unloadAfterMinutes: number = "ten";\n');
}, 120_000);

describe("opmon plan and run say what they did", () => {
  it("plan on a project never run says its statistics are not estimated because it has not run yet", async () => {
    const r = await on("2026-11-28", ["plan", "--date", "2026-11-27", "--slug", "desktop-nightly-health"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/desktop-nightly-health\s+statistics\s+not estimated: not run yet \(reads tables its first run writes\)/);
    expect(r.stdout).not.toMatch(/does not exist|Catalog Error/);
  });

  it("run without --date, when the warehouse has nothing for yesterday, names the last day with data and writes nothing", async () => {
    const r = await on("2026-12-01", ["run", "--no-type-check"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      "opmon: no data for 2026-11-30 (yesterday, the default --date) in data source main; the last day with data is 2026-11-27: opmon run --date 2026-11-27",
    );
    expect(await outputTables()).toEqual([]);
  });

  it("run without --date and nothing in the month before yesterday asks for --date", async () => {
    const r = await on("2027-02-01", ["run", "--no-type-check"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no data for 2027-01-31 (yesterday, the default --date) nor the 31 days before in data source main: give --date");
    expect(await outputTables()).toEqual([]);
  });

  it("run refuses the project that fails to type-check, naming the error, and runs the others on yesterday's data", async () => {
    const r = await on("2026-11-28", ["run", "--config-dir", config]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /failed\s+tab-unloading-rollout\s.*projects\/tab-unloading-rollout\.ts:\d+:\d+ error: TS2322: Type 'string' is not assignable to type 'number'/,
    );
    expect(r.stdout).toMatch(/succeeded\s+desktop-nightly-health\s+2026-11-27\s+\d+ rows/);
    expect(r.stdout).toMatch(/succeeded\s+gc-tuning-experiment\s+2026-11-27\s+\d+ rows/);
    expect(r.stdout).toContain("2 succeeded, 1 failed, 0 skipped");
    expect(await outputTables()).not.toContain("operational_monitoring_derived.tab_unloading_rollout_v1");
  });

  it("run --no-type-check runs the same module, which loads", async () => {
    const r = await on("2026-11-28", ["run", "--config-dir", config, "--slug", "tab-unloading-rollout", "--no-type-check"]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/succeeded\s+tab-unloading-rollout\s+2026-11-27\s+[1-9]\d* rows/);
  });

  it("backfill refuses the project that fails to type-check, naming the error", async () => {
    const r = await on("2026-11-28", ["backfill", "--config-dir", config, "--slug", "tab-unloading-rollout", "--start-date", "2026-11-26", "--end-date", "2026-11-27"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^opmon: project "tab-unloading-rollout" cannot run: projects\/tab-unloading-rollout\.ts:\d+:\d+ error: TS2322: Type 'string' is not assignable to type 'number'/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("a day given with --date that the sources have no rows for runs, and the summary warns of every empty project", async () => {
    const r = await on("2026-11-28", ["run", "--date", "2026-11-20", "--no-type-check"]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    for (const slug of ["desktop-nightly-health", "gc-tuning-experiment", "tab-unloading-rollout"]) {
      expect(r.stdout).toMatch(new RegExp(`succeeded\\s+${slug}\\s+2026-11-20\\s+0 rows`));
      expect(r.stdout).toContain(`warning: ${slug} wrote no rows for 2026-11-20: its sources had no data there (is that day loaded?)`);
    }
  });
});
