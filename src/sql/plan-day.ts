import type { ProjectGraph } from "../graph/project-graph.js";
import { alertsQuery } from "./alerts-query.js";
import { metadataStatements } from "./metadata-queries.js";
import { metricsKeyColumns, metricsQuery } from "./metrics-query.js";
import { populationCtes } from "./population-query.js";
import { formatSql, printQuery } from "./print-sql.js";
import { projectTables } from "./project-tables.js";
import { col, fromSql, select, type Query } from "./sql-node.js";
import { sqlContext, type SqlContext, type SqlOptions } from "./sql-context.js";
import { statisticsQuery } from "./statistics-query.js";
import { alertsView, metricsView, statisticsView } from "./views.js";

/** One query of a day's run. */
export interface PlannedQuery {
  /** A short name: `metrics`, `metrics_part_0`, `metrics_view`, `statistics`, `alerts`, `projects`, ... */
  readonly name: string;
  /**
   * For a partition write: the table (as printed in the dialect) and the day. BigQuery runs `sql` (a
   * SELECT) as a query job writing `table$YYYYMMDD` with WRITE_TRUNCATE; DuckDB's `sql` does the write.
   */
  readonly destination?: {
    readonly table: string;
    /** The table's name parts (`[project,] dataset, table`), for engines that write it themselves. */
    readonly parts: readonly string[];
    readonly date: string;
    /** The formatted SELECT whose rows become the day's partition. */
    readonly select: string;
  };
  /** The formatted SQL, one or more statements each ending in `;`. */
  readonly sql: string;
}

function chunks<T>(items: readonly T[], size: number): readonly (readonly T[])[] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** In DuckDB a dataset is a schema, created on first use. */
const schemaFor = (ctx: SqlContext, table: readonly string[]) =>
  ctx.d.tablesHaveProject ? [] : [`CREATE SCHEMA IF NOT EXISTS ${table.slice(0, -1).map(ctx.d.ident).join(".")}`];

function partitionWrite(ctx: SqlContext, name: string, table: readonly string[], query: Query): PlannedQuery {
  const selectSql = printQuery(query, ctx.d);
  const statements = ctx.d.writePartition({ table, date: ctx.date, select: selectSql });
  return {
    name,
    destination: { table: ctx.d.table(table), parts: table, date: ctx.date, select: formatSql([selectSql], ctx.d, ctx.pretty) },
    sql: formatSql(statements, ctx.d, ctx.pretty),
  };
}

const view = (ctx: SqlContext, name: string, target: readonly string[], query: Query): PlannedQuery => ({
  name,
  sql: formatSql(
    [...schemaFor(ctx, target), `CREATE OR REPLACE VIEW ${ctx.d.table(target)} AS ${printQuery(query, ctx.d)}`],
    ctx.d,
    ctx.pretty,
  ),
});

/** The metrics queries: one partition write, or parts staged in tables and joined when there are many probes. */
function metricsQueries(ctx: SqlContext): readonly PlannedQuery[] {
  const tables = projectTables(ctx);
  const population = populationCtes(ctx);
  const parts = chunks(ctx.graph.probes, ctx.maxProbesPerQuery);
  if (parts.length <= 1) return [partitionWrite(ctx, "metrics", tables.metrics, metricsQuery(ctx, ctx.graph.probes, population))];
  const { d } = ctx;
  const staged = parts.map((probes, i): PlannedQuery => ({
    name: `metrics_part_${i}`,
    sql: formatSql(
      [
        ...schemaFor(ctx, tables.metricsPart(i)),
        `CREATE OR REPLACE TABLE ${d.table(tables.metricsPart(i))} AS ${printQuery(metricsQuery(ctx, probes, population), d)}`,
      ],
      d,
      ctx.pretty,
    ),
  }));
  const keys = metricsKeyColumns(ctx).map(d.ident);
  const joined = select({
    columns: [col("_0.*"), ...parts.slice(1).map((_, i) => col(d.fn.starExcept(`_${i + 1}`, keys)))],
    from: fromSql(d.table(tables.metricsPart(0)), "_0"),
    joins: parts.slice(1).map((_, i) => ({
      type: "INNER" as const,
      item: fromSql(d.table(tables.metricsPart(i + 1)), `_${i + 1}`),
      on: keys.map((k) => `_0.${k} IS NOT DISTINCT FROM _${i + 1}.${k}`),
    })),
  });
  const cleanup: PlannedQuery = {
    name: "metrics_parts_cleanup",
    sql: formatSql(
      parts.map((_, i) => `DROP TABLE IF EXISTS ${d.table(tables.metricsPart(i))}`),
      d,
      ctx.pretty,
    ),
  };
  return [...staged, partitionWrite(ctx, "metrics", tables.metrics, joined), cleanup];
}

/**
 * Every query of one project for one day, in run order: metrics (partition of `<slug>_v1`), metrics
 * view, statistics (partition of `<slug>_statistics_v2`), statistics view, alerts and alerts view when
 * the project has alerts, then the `projects_v1` metadata and `projects` view.
 *
 * @example for (const q of planDay(graph, "2026-10-02", { dialect: "duckdb" })) await connection.run(q.sql);
 */
export function planDay(graph: ProjectGraph, date: string, options: SqlOptions = {}): readonly PlannedQuery[] {
  const ctx = sqlContext(graph, date, options);
  const tables = projectTables(ctx);
  const queries: PlannedQuery[] = [
    ...metricsQueries(ctx),
    view(ctx, "metrics_view", tables.metricsView, metricsView(ctx, tables.metrics)),
    partitionWrite(ctx, "statistics", tables.statistics, statisticsQuery(ctx, tables.metrics)),
    view(ctx, "statistics_view", tables.statisticsView, statisticsView(ctx, tables.statistics)),
  ];
  if (graph.alerts.length > 0) {
    queries.push(partitionWrite(ctx, "alerts", tables.alerts, alertsQuery(ctx, tables.statisticsView)));
    queries.push(view(ctx, "alerts_view", tables.alertsView, alertsView(ctx, tables.alerts)));
  }
  queries.push(metadataQuery(ctx, [graph]));
  return Object.freeze(queries.map((q) => Object.freeze(q)));
}

/** The metadata statements as one planned query (the create is kept as written: formatters cannot parse it). */
function metadataQuery(ctx: SqlContext, graphs: readonly ProjectGraph[]): PlannedQuery {
  const tables = projectTables(ctx);
  const m = metadataStatements(graphs, ctx.d, tables.projects, tables.projectsView);
  return {
    name: "projects",
    sql: formatSql(
      [...schemaFor(ctx, tables.projects), { raw: m.create }, ...m.write, ...schemaFor(ctx, tables.projectsView), m.view],
      ctx.d,
      ctx.pretty,
    ),
  };
}
