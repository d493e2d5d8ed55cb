import type { DuckDBConnection } from "@duckdb/node-api";
import type { GraphStatistic, ProjectGraph } from "../../src/graph/project-graph.js";
import { printQuery } from "../../src/sql/print-sql.js";
import { sqlContext } from "../../src/sql/sql-context.js";
import { col, fromSql, select, withCtes } from "../../src/sql/sql-node.js";
import { comparisonValues, COMPARISONS } from "../../src/sql/views.js";
import { buildStatistic } from "../../src/sql/statistics/statistic-builders.js";
import type { StatRow } from "../../test/stats/statistic-harness.js";

/** A statistic row with what the evaluation needs beyond the harness's `StatRow`: flags and clients. */
export interface EvalRow extends StatRow {
  /** The row says it has too few clients for an interval (any column naming `too_few_clients`). */
  readonly tooFewClients: boolean;
  /** The number of clients the row says it used, when it has such a column. */
  readonly clients: number | null;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const OWN = "eval_own";
const CLIENT_COLUMNS = ["clients", "n_clients", "client_count"];

/** Whether a row carries a `too_few_clients` mark, in whatever column the statistics put it. */
function flagged(row: Record<string, unknown>): boolean {
  if (row["too_few_clients"] === true) return true;
  return Object.entries(row).some(
    ([name, value]) =>
      !["metric", "statistic", "parameter", "branch"].includes(name) && JSON.stringify(value ?? "").includes("too_few_clients"),
  );
}

/**
 * Runs the SQL the project's statistics builder generates for `statistic` of `probe` over table
 * `sim_data` (made by the harness's `loadClients`), grouped by sim and branch, and keeps every column
 * (the harness's `statisticRows` keeps only the bounds; this also reads flags and client counts, which
 * the statistics may add).
 *
 * @example const rows = await evalStatisticRows(connection, harnessGraph(base), "x", { name: "mean" });
 */
export async function evalStatisticRows(
  connection: DuckDBConnection,
  graph: ProjectGraph,
  probe: string,
  statistic: GraphStatistic,
  confidenceLevel = 0.95,
): Promise<EvalRow[]> {
  const ctx = sqlContext(graph, "2026-10-05", { dialect: "duckdb", confidenceLevel, pretty: false });
  const keyNames = ["sim", "branch"];
  const graphProbe = graph.probes.find((p) => p.name === probe);
  if (!graphProbe) throw new Error(`the evaluation graph has no probe ${probe}`);
  const built = buildStatistic(statistic, {
    ctx,
    probe: graphProbe,
    source: "metrics",
    from: fromSql("metrics"),
    keys: keyNames.map((k) => ctx.d.ident(k)),
    keyNames,
  });
  const source = { name: "metrics", query: select({ columns: [col("*")], from: fromSql("sim_data") }) };
  const sql = printQuery(withCtes([source, ...built.ctes], built.rows), ctx.d);
  // kept as a table so that evalComparisonRows can compare the branches' rows with the views' SQL
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${OWN} AS ${sql}`);
  // ordered, so that a run reads its rows (and the alert table draws its pool) in the same order every time
  return readRows(connection, `SELECT * FROM ${OWN} ORDER BY sim, branch, parameter_order`);
}

/**
 * The comparison rows the statistics view derives from the rows of the last
 * {@link evalStatisticRows} call on `connection`: branch `treatment` against reference `control`, per
 * sim, with the views' own interval SQL. Rows carry branch `treatment`.
 *
 * @example const rel = await evalComparisonRows(connection, "relative_difference");
 */
export async function evalComparisonRows(connection: DuckDBConnection, kind: (typeof COMPARISONS)[number]): Promise<EvalRow[]> {
  const values = comparisonValues(kind);
  return readRows(
    connection,
    `SELECT v.sim, v.branch, v.parameter, ${values.point} AS point, ${values.lower} AS lower, ${values.upper} AS upper
     FROM ${OWN} v JOIN ${OWN} ref
       ON v.sim = ref.sim AND v.parameter IS NOT DISTINCT FROM ref.parameter AND v.branch = 'treatment' AND ref.branch = 'control'
     ORDER BY v.sim, v.parameter_order`,
  );
}

async function readRows(connection: DuckDBConnection, sql: string): Promise<EvalRow[]> {
  const reader = await connection.runAndReadAll(sql);
  return (reader.getRowObjectsJson() as Record<string, unknown>[]).map((r) => ({
    sim: Number(r["sim"]),
    branch: String(r["branch"]),
    parameter: r["parameter"] === null ? null : String(r["parameter"]),
    point: num(r["point"]),
    lower: num(r["lower"]),
    upper: num(r["upper"]),
    tooFewClients: flagged(r),
    clients: num(CLIENT_COLUMNS.map((c) => r[c]).find((v) => v !== undefined && v !== null)),
  }));
}
