// The bench's warehouses: synthetic telemetry of a number of clients over some days, generated into
// a DuckDB file; big ones are generated once and copied from a cache between bench runs.
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { syntheticTelemetrySql } from "../../src/demo/synthetic-telemetry.js";
import { DuckDbEngine } from "../../src/engines/duckdb/duckdb-engine.js";
import { log, timed } from "./measure.js";

/** The bench's day: the last day of every warehouse. */
export const BENCH_DAY = "2026-11-27";

/** The first day of `days` days ending on the bench day. */
export const firstDay = (days: number): string => new Date(Date.parse(BENCH_DAY) - (days - 1) * 86_400_000).toISOString().slice(0, 10);

/** What to generate, and where. */
export interface WarehouseSpec {
  readonly name: string;
  readonly clients: number;
  readonly days: number;
  /** The folder of the bench's working files. */
  readonly dir: string;
  /** A folder keeping the generated file between bench runs (under the gitignored `.opmon/`); none: generate every time. */
  readonly cache?: string;
}

/**
 * A closed warehouse file holding `clients` clients' telemetry over `days` days ending on the bench
 * day, at `<dir>/<name>.duckdb`; from the cache when it holds the same data (the file name says the
 * clients, days and generator seed), else generated (and cached when asked).
 *
 * @example const path = await benchWarehouse({ name: "M", clients: 40_000, days: 2, dir });
 */
export async function benchWarehouse(spec: WarehouseSpec): Promise<string> {
  const path = join(spec.dir, `${spec.name}.duckdb`);
  const cached = spec.cache && join(spec.cache, `telemetry-${spec.clients}-clients-${spec.days}-days-to-${BENCH_DAY}.duckdb`);
  if (cached && existsSync(cached)) {
    copyFileSync(cached, path);
    log(`  ${spec.name}: ${spec.clients} clients over ${spec.days} day(s), from the cache ${relative(process.cwd(), cached)}`);
    return path;
  }
  const engine = await DuckDbEngine.open(path);
  try {
    const seconds = await timed(async () => {
      for (const sql of syntheticTelemetrySql({ clients: spec.clients, startDate: firstDay(spec.days), endDate: BENCH_DAY }))
        await engine.execute(sql, "bench_data");
      await engine.execute("CHECKPOINT");
    });
    const [count] = await engine.query("SELECT count(*) AS n FROM telemetry.main");
    log(`  ${spec.name}: ${String(count?.["n"])} pings from ${spec.clients} clients over ${spec.days} day(s), generated in ${seconds.toFixed(1)} s`);
  } finally {
    await engine.close();
  }
  if (cached) {
    mkdirSync(dirname(cached), { recursive: true });
    // a copy under a temporary name first: an interrupted bench leaves no half file in the cache
    copyFileSync(path, `${cached}.partial`);
    renameSync(`${cached}.partial`, cached);
  }
  rmSync(`${path}.tmp`, { recursive: true, force: true });
  return path;
}
