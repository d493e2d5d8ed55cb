import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { duckdbMacroStatements } from "../../src/sql/duckdb-macros.js";

/** One main ping of the fixture. */
export interface MainPing {
  readonly day: string;
  /** NULL: a ping without a client id. */
  readonly client: string | null;
  readonly branch?: string;
  readonly os?: string;
  readonly arch?: string;
  readonly cores?: number;
  readonly build?: string;
  readonly channel?: string;
  readonly pref?: boolean;
  readonly activeTicks?: number;
  readonly firstPaint?: number;
  readonly hangs?: number;
  /** Histograms by probe name, as bucket → count. */
  readonly histograms?: Readonly<Record<string, Readonly<Record<number, number>>>>;
}

/** One crash ping of the fixture. */
export interface CrashPing {
  readonly day: string;
  /** NULL: a ping without a client id. */
  readonly client: string | null;
  readonly processType: string | null;
  readonly os?: string;
  readonly build?: string;
}

const HISTOGRAMS = ["gc_ms", "gc_slice_during_idle", "cycle_collector", "memory_total", "content_process_count", "input_event_response_ms"];

const sqlString = (s: string | undefined | null) => (s === undefined || s === null ? "NULL" : `'${s.replaceAll("'", "''")}'`);
const sqlNumber = (n: number | undefined) => (n === undefined ? "NULL" : String(n));
const histogramJson = (h: Readonly<Record<number, number>> | undefined) =>
  h === undefined ? "NULL" : sqlString(JSON.stringify({ bucket_count: 10, histogram_type: 0, sum: 0, range: [1, 1000], values: h }));

/**
 * An in-memory DuckDB holding `mozdata.telemetry.main` and `mozdata.telemetry.crash` under their
 * BigQuery names, shaped like the demo definitions (structs, histogram JSON strings), with the
 * macro pack installed.
 */
export async function fixtureWarehouse(main: readonly MainPing[], crashes: readonly CrashPing[] = []): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  for (const sql of duckdbMacroStatements()) await connection.run(sql);
  await connection.run("ATTACH ':memory:' AS mozdata");
  await connection.run("CREATE SCHEMA mozdata.telemetry");
  await connection.run(`CREATE TABLE mozdata.telemetry.main (
    submission_timestamp TIMESTAMP, client_id VARCHAR, normalized_channel VARCHAR,
    application STRUCT(build_id VARCHAR),
    environment STRUCT(
      system STRUCT(os STRUCT(name VARCHAR), cpu STRUCT(cores BIGINT)),
      build STRUCT(architecture VARCHAR),
      experiments STRUCT("key" VARCHAR, "value" STRUCT(branch VARCHAR))[],
      settings STRUCT(user_prefs STRUCT(browser_tabs_unload_on_low_memory VARCHAR))),
    payload STRUCT(
      histograms STRUCT(${HISTOGRAMS.map((h) => `${h} VARCHAR`).join(", ")}),
      processes STRUCT(parent STRUCT(scalars STRUCT(browser_engagement_active_ticks BIGINT, timestamps_first_paint BIGINT, shutdown_hang_count BIGINT)))))`);
  await connection.run(`CREATE TABLE mozdata.telemetry.crash (
    submission_timestamp TIMESTAMP, client_id VARCHAR, application STRUCT(build_id VARCHAR),
    environment STRUCT(system STRUCT(os STRUCT(name VARCHAR))), payload STRUCT(process_type VARCHAR))`);
  for (const p of main) {
    const experiments = p.branch === undefined ? "[]" : `[{'key': 'gc-tuning-experiment', 'value': {'branch': ${sqlString(p.branch)}}}]`;
    const pref = p.pref === undefined ? "NULL" : sqlString(String(p.pref));
    await connection.run(`INSERT INTO mozdata.telemetry.main VALUES (
      TIMESTAMP '${p.day} 12:00:00', ${sqlString(p.client)}, ${sqlString(p.channel ?? "release")},
      {'build_id': ${sqlString(p.build ?? "20261001093000")}},
      {'system': {'os': {'name': ${sqlString(p.os ?? "Linux")}}, 'cpu': {'cores': ${sqlNumber(p.cores ?? 4)}}},
       'build': {'architecture': ${sqlString(p.arch ?? "x86-64")}}, 'experiments': ${experiments},
       'settings': {'user_prefs': {'browser_tabs_unload_on_low_memory': ${pref}}}},
      {'histograms': {${HISTOGRAMS.map((h) => `'${h}': ${histogramJson(p.histograms?.[h])}`).join(", ")}},
       'processes': {'parent': {'scalars': {'browser_engagement_active_ticks': ${sqlNumber(p.activeTicks)},
         'timestamps_first_paint': ${sqlNumber(p.firstPaint)}, 'shutdown_hang_count': ${sqlNumber(p.hangs)}}}}})`);
  }
  for (const c of crashes) {
    await connection.run(`INSERT INTO mozdata.telemetry.crash VALUES (TIMESTAMP '${c.day} 08:00:00', ${sqlString(c.client)}, {'build_id': ${sqlString(c.build ?? "20261001093000")}},
      {'system': {'os': {'name': ${sqlString(c.os ?? "Linux")}}}}, {'process_type': ${sqlString(c.processType)}})`);
  }
  return connection;
}

/** Runs a query and returns its rows as JSON-friendly objects (BIGINTs as strings). */
export async function rows(connection: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowObjectsJson() as Record<string, unknown>[];
}
