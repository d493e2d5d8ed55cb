import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import type { GraphProbe, GraphStatistic, ProjectGraph } from "../../src/graph/project-graph.js";
import { printQuery } from "../../src/sql/print-sql.js";
import { sqlContext } from "../../src/sql/sql-context.js";
import { col, fromSql, select, withCtes } from "../../src/sql/sql-node.js";
import { buildStatistic } from "../../src/sql/statistics/statistic-builders.js";
import { statisticsQuery, summaryColumns } from "../../src/sql/statistics-query.js";

/** One client of a simulated data set: scalars `x` and `y` (either may be missing) and a histogram `h`. */
export interface SimClient {
  readonly sim: number;
  readonly branch: string;
  readonly client: string;
  readonly x?: number | null;
  readonly y?: number | null;
  /** Bucket → count. */
  readonly h?: ReadonlyMap<number, number>;
}

/** A statistic row as the builders give it, per simulated data set and branch. */
export interface StatRow {
  readonly sim: number;
  readonly branch: string;
  readonly parameter: string | null;
  readonly point: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
}

const PROBES: GraphProbe[] = [
  { name: "x", type: "scalar", dataSource: "main", select: "x", statistics: [] },
  { name: "y", type: "scalar", dataSource: "main", select: "y", statistics: [] },
  { name: "h", type: "histogram", dataSource: "main", select: "h", statistics: [] },
];

/** The smallest graph the builders accept: the three probes above, no dimensions. */
export const harnessGraph = (base: ProjectGraph): ProjectGraph => ({
  ...base,
  probes: PROBES,
  population: { ...base.population, dimensions: [] },
});

/** Deterministic uniform [0, 1) numbers (mulberry32), so a failing seed reproduces. */
export function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An in-memory DuckDB holding `clients` as table `sim_data` (sim, branch, client_id, x, y, h). */
export async function loadClients(clients: readonly SimClient[]): Promise<DuckDBConnection> {
  const connection = await (await DuckDBInstance.create(":memory:")).connect();
  await connection.run("CREATE TABLE raw_scalar (sim INTEGER, branch VARCHAR, client_id VARCHAR, x DOUBLE, y DOUBLE)");
  await connection.run("CREATE TABLE raw_hist (sim INTEGER, branch VARCHAR, client_id VARCHAR, k DOUBLE, v DOUBLE)");
  const scalars = await connection.createAppender("raw_scalar");
  const buckets = await connection.createAppender("raw_hist");
  for (const c of clients) {
    scalars.appendInteger(c.sim);
    scalars.appendVarchar(c.branch);
    scalars.appendVarchar(c.client);
    for (const v of [c.x, c.y]) {
      if (v === undefined || v === null) scalars.appendNull();
      else scalars.appendDouble(v);
    }
    scalars.endRow();
    for (const [k, v] of c.h ?? []) {
      buckets.appendInteger(c.sim);
      buckets.appendVarchar(c.branch);
      buckets.appendVarchar(c.client);
      buckets.appendDouble(k);
      buckets.appendDouble(v);
      buckets.endRow();
    }
  }
  scalars.closeSync();
  buckets.closeSync();
  // the buckets in any order (the statistics group them by key): an ordered list() took 5x as long,
  // most of the evaluation's histogram time
  await connection.run(`CREATE TABLE sim_data AS
    SELECT s.*, hs.h FROM raw_scalar s LEFT JOIN (
      SELECT sim, branch, client_id, [struct_pack("values" := list(struct_pack("key" := k, "value" := v)))] AS h
      FROM raw_hist GROUP BY ALL) hs USING (sim, branch, client_id)`);
  return connection;
}

/** A row read back from DuckDB as a {@link StatRow}. */
const statRow = (r: Record<string, unknown>): StatRow => ({
  sim: Number(r["sim"]),
  branch: String(r["branch"]),
  parameter: r["parameter"] === null ? null : String(r["parameter"]),
  point: r["point"] === null ? null : Number(r["point"]),
  lower: r["lower"] === null ? null : Number(r["lower"]),
  upper: r["upper"] === null ? null : Number(r["upper"]),
});

/**
 * Runs the SQL the statistics builder generates for `statistic` of probe `probe` over `sim_data`,
 * grouped by sim and branch (the sim column stands where the x-axis and dimensions do in a run).
 */
export async function statisticRows(
  connection: DuckDBConnection,
  graph: ProjectGraph,
  probe: "x" | "h",
  statistic: GraphStatistic,
  confidenceLevel = 0.95,
): Promise<StatRow[]> {
  const ctx = sqlContext(graph, "2026-10-05", { dialect: "duckdb", confidenceLevel });
  const keyNames = ["sim", "branch"];
  const built = buildStatistic(statistic, {
    ctx,
    probe: PROBES.find((p) => p.name === probe)!,
    source: "metrics",
    from: fromSql("metrics"),
    keys: keyNames.map((k) => ctx.d.ident(k)),
    keyNames,
  });
  const source = { name: "metrics", query: select({ columns: [col("*")], from: fromSql("sim_data") }) };
  const sql = printQuery(withCtes([source, ...built.ctes], built.rows), ctx.d);
  const reader = await connection.runAndReadAll(
    `SELECT sim, branch, parameter, point, lower, upper FROM (${sql}) ORDER BY sim, branch, parameter_order`,
  );
  return (reader.getRowObjectsJson() as Record<string, unknown>[]).map(statRow);
}

/**
 * Runs the project's statistics query (`statisticsQuery`: every statistic of every probe of `graph`
 * in one query, as a nightly run does) over `sim_data`, the sim standing as the build id, with a
 * second histogram `h2` (h's keys doubled); its wide rows unnested to one per (sim, branch, metric,
 * statistic, parameter).
 */
export async function projectStatisticRows(
  connection: DuckDBConnection,
  graph: ProjectGraph,
): Promise<(StatRow & { readonly metric: string; readonly statistic: string })[]> {
  const ctx = sqlContext(graph, "2026-10-05", { dialect: "duckdb" });
  await connection.run(
    // h2: a second histogram, h with every bucket key doubled
    `CREATE OR REPLACE TABLE sim_metrics AS SELECT DATE '2026-10-05' AS submission_date, CAST(sim AS VARCHAR) AS build_id, * EXCLUDE (sim),
       [struct_pack("values" := list_transform(h[1]."values", b -> struct_pack("key" := b."key" * 2, "value" := b."value")))] AS h2 FROM sim_data`,
  );
  const sql = printQuery(statisticsQuery(ctx, ["sim_metrics"]), ctx.d);
  const columns = summaryColumns(ctx).map((s) => ctx.d.ident(s.column));
  const reader = await connection.runAndReadAll(
    `SELECT CAST(build_id AS INTEGER) AS sim, branch, s.metric, s.statistic, s.parameter, s.point, s.lower, s.upper
     FROM (SELECT build_id, branch, UNNEST(${columns.join(" || ")}) AS s FROM (${sql})) ORDER BY ALL`,
  );
  return (reader.getRowObjectsJson() as Record<string, unknown>[]).map((r) => ({ ...statRow(r), metric: String(r["metric"]), statistic: String(r["statistic"]) }));
}
