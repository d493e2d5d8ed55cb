import type { ProjectGraph } from "../graph/project-graph.js";
import { projectTables } from "../sql/project-tables.js";
import { sqlContext, type SqlOptions } from "../sql/sql-context.js";
import { alertRecord, bySeverity, type AlertRecord } from "./alert-record.js";

/** What reading alerts needs from an engine. */
export interface AlertSource {
  query(sql: string): Promise<Record<string, unknown>[]>;
}

/** The alerts read, and the projects whose alerts could not be read (with why). */
export interface ReadAlerts {
  readonly alerts: readonly AlertRecord[];
  readonly failures: readonly { readonly slug: string; readonly error: string }[];
}

/**
 * The alerts the run wrote for `dates`, from each project's `<slug>_alerts` view; projects without
 * alerts are not read. A project whose view cannot be read is listed in `failures`, never thrown.
 *
 * @example const { alerts } = await readAlerts(engine, graphs, ["2026-11-27"], { dialect: "duckdb" });
 */
export async function readAlerts(
  engine: AlertSource,
  graphs: readonly ProjectGraph[],
  dates: readonly string[],
  options: SqlOptions,
): Promise<ReadAlerts> {
  const alerts: AlertRecord[] = [];
  const failures: { slug: string; error: string }[] = [];
  if (dates.length === 0) return { alerts, failures };
  for (const graph of graphs.filter((g) => g.alerts.length > 0)) {
    try {
      const ctx = sqlContext(graph, dates[0] ?? "", options);
      const { d } = ctx;
      const view = d.table(projectTables(ctx).alertsView);
      const sql = `SELECT * FROM ${view} WHERE submission_date IN (${dates.map((day) => d.date(day)).join(", ")})`;
      const dimensions = graph.population.dimensions.map((dim) => dim.name);
      for (const row of await engine.query(sql)) alerts.push(alertRecord(graph.slug, row, dimensions));
    } catch (error) {
      failures.push({ slug: graph.slug, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return { alerts: alerts.sort(bySeverity), failures };
}
