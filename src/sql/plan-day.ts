import type { ProjectGraph } from "../graph/project-graph.js";
import { alertsQuery } from "./alerts-query.js";
import { metadataStatements } from "./metadata-queries.js";
import { metricsKeyColumns, metricsQuery, populationCarrier } from "./metrics-query.js";
import { populationCtes } from "./population-query.js";
import { formatSql, printQuery } from "./print-sql.js";
import { projectTables } from "./project-tables.js";
import { col, fromSql, select, unionAll, withCtes, type Query } from "./sql-node.js";
import { sqlContext, type SqlContext, type SqlOptions } from "./sql-context.js";
import { statisticsKeyNames, statisticsQuery, summaryColumns } from "./statistics-query.js";
import { alertsView, comparisonsQuery, comparisonsView, metricsView, statisticsRows, statisticsView } from "./views.js";

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
    /** Partitions older than this many days expire (upstream's metrics tables: 775). */
    readonly partitionExpirationDays?: number;
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

/** Days a partition of the per-client metrics table is kept, as upstream's (`TABLE_EXPIRATION_MS`). */
export const METRICS_PARTITION_EXPIRATION_DAYS = 775;

function partitionWrite(ctx: SqlContext, name: string, table: readonly string[], query: Query, expirationDays?: number): PlannedQuery {
  const selectSql = printQuery(query, ctx.d);
  const statements = ctx.d.writePartition({ table, date: ctx.date, select: selectSql });
  const select = formatSql([selectSql], ctx.d, ctx.pretty);
  return {
    name,
    destination: {
      table: ctx.d.table(table),
      parts: table,
      date: ctx.date,
      select,
      ...(expirationDays ? { partitionExpirationDays: expirationDays } : {}),
    },
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

/**
 * A query staged in a scratch table, for parts of a split query: a table that expires (BigQuery) or
 * lives as long as the session (DuckDB), so a run that dies before dropping it leaves nothing behind.
 */
function stage(ctx: SqlContext, name: string, table: readonly string[], query: Query): PlannedQuery {
  return { name, sql: formatSql(ctx.d.createScratch(table, printQuery(query, ctx.d)), ctx.d, ctx.pretty) };
}

/** The metrics queries: one partition write, or parts staged in tables and joined when there are many probes. */
function metricsQueries(ctx: SqlContext): readonly PlannedQuery[] {
  const tables = projectTables(ctx);
  const parts = chunks(ctx.graph.probes, ctx.maxProbesPerQuery);
  const expiry = METRICS_PARTITION_EXPIRATION_DAYS;
  if (parts.length <= 1) {
    const carrier = populationCarrier(ctx, ctx.graph.probes);
    const query = metricsQuery(ctx, ctx.graph.probes, populationCtes(ctx, carrier !== undefined), carrier ? { carrier } : {});
    return [partitionWrite(ctx, "metrics", tables.metrics, query, expiry)];
  }
  const population = populationCtes(ctx);
  const { d } = ctx;
  const staged = parts.map((probes, i) =>
    stage(ctx, `metrics_part_${i}`, tables.metricsPart(i), metricsQuery(ctx, probes, population, { pingDays: true })),
  );
  const keys = metricsKeyColumns(ctx).map(d.ident);
  // build-id parts keep each row's ping day to join on; the partition is stamped with the run's day
  const first =
    ctx.graph.xaxis === "build_id" ? [col(d.date(ctx.date), "submission_date"), col(d.fn.starExcept("_0", ["submission_date"]))] : [col("_0.*")];
  const joined = select({
    columns: [...first, ...parts.slice(1).map((_, i) => col(d.fn.starExcept(`_${i + 1}`, keys)))],
    from: fromSql(d.table(tables.metricsPart(0)), "_0"),
    joins: parts.slice(1).map((_, i) => ({
      type: "INNER" as const,
      item: fromSql(d.table(tables.metricsPart(i + 1)), `_${i + 1}`),
      on: keys.map((k) => `_0.${k} IS NOT DISTINCT FROM _${i + 1}.${k}`),
    })),
  });
  return [...staged, partitionWrite(ctx, "metrics", tables.metrics, joined, expiry), dropParts(ctx, "metrics", tables.metricsPart, parts.length)];
}

/** Drops the `count` staged part tables of a split query once their join is written. */
const dropParts = (ctx: SqlContext, name: string, part: (i: number) => readonly string[], count: number): PlannedQuery => ({
  name: `${name}_parts_cleanup`,
  sql: formatSql(
    Array.from({ length: count }, (_, i) => `DROP TABLE IF EXISTS ${ctx.d.table(part(i))}`),
    ctx.d,
    ctx.pretty,
  ),
});

/**
 * The statistics queries: one partition write, or, above `maxProbesPerStatisticsQuery` probes, parts
 * of that many probes staged in tables, then joined on the group columns. The engine then holds one
 * part's operators at a time instead of thousands, and each part pivots only its own long rows.
 */
function statisticsQueries(ctx: SqlContext): readonly PlannedQuery[] {
  const tables = projectTables(ctx);
  const withStatistics = ctx.graph.probes.filter((p) => summaryColumns(ctx, [p]).length > 0);
  const parts = chunks(withStatistics, ctx.maxProbesPerStatisticsQuery);
  if (parts.length <= 1) return [partitionWrite(ctx, "statistics", tables.statistics, statisticsQuery(ctx, tables.metrics))];
  const { d } = ctx;
  const staged = parts.map((probes, i) =>
    stage(ctx, `statistics_part_${i}`, tables.statisticsPart(i), statisticsQuery(ctx, tables.metrics, probes)),
  );
  const keys = statisticsKeyNames(ctx).map(d.ident);
  // a group missing from one part (no rows for its statistics) still has the others': every part's groups, once
  const groups = select({
    distinct: true,
    columns: keys.map((k) => col(k)),
    from: {
      kind: "query",
      query: unionAll(parts.map((_, i) => select({ columns: keys.map((k) => col(k)), from: fromSql(d.table(tables.statisticsPart(i))) }))),
      alias: "parts",
    },
  });
  const joined = withCtes(
    [{ name: "statistics_groups", query: groups }],
    select({
      columns: [...keys.map((k) => col(`statistics_groups.${k}`, k)), ...parts.map((_, i) => col(d.fn.starExcept(`_${i}`, keys)))],
      from: fromSql("statistics_groups"),
      joins: parts.map((_, i) => ({
        type: "LEFT" as const,
        item: fromSql(d.table(tables.statisticsPart(i)), `_${i}`),
        on: keys.map((k) => `statistics_groups.${k} IS NOT DISTINCT FROM _${i}.${k}`),
      })),
    }),
  );
  return [
    ...staged,
    partitionWrite(ctx, "statistics", tables.statistics, joined),
    dropParts(ctx, "statistics", tables.statisticsPart, parts.length),
  ];
}

/**
 * Every query of one project for one day, in run order: metrics (partition of `<slug>_v1`), metrics
 * view, statistics (partition of `<slug>_statistics_v2`), statistics view, comparisons (partition of
 * `<slug>_comparisons_v1`) and their view when there are branches to compare, alerts and alerts view when
 * the project has alerts, then the `projects_v1` metadata and `projects` view.
 *
 * @example for (const q of planDay(graph, "2026-10-02", { dialect: "duckdb" })) await connection.run(q.sql);
 */
export function planDay(graph: ProjectGraph, date: string, options: SqlOptions = {}): readonly PlannedQuery[] {
  const ctx = sqlContext(graph, date, options);
  checkTableWidth(ctx);
  const tables = projectTables(ctx);
  const queries: PlannedQuery[] = [
    ...metricsQueries(ctx),
    view(ctx, "metrics_view", tables.metricsView, metricsView(ctx, tables.metrics)),
    ...statisticsQueries(ctx),
    view(ctx, "statistics_view", tables.statisticsView, statisticsView(ctx, tables.statistics)),
  ];
  // a single branch has nothing to compare with: no comparisons table to write every day
  if (graph.population.branches.length > 1 || graph.alerts.some((a) => a.type === "branch_difference")) {
    queries.push(
      partitionWrite(ctx, "comparisons", tables.comparisons, comparisonsQuery(ctx, tables.statistics)),
      view(ctx, "comparisons_view", tables.comparisonsView, comparisonsView(ctx, tables.comparisons)),
    );
  }
  if (graph.alerts.length > 0) {
    // the tables, not the views: a build-id day reads its own partition, whatever ran after it
    const sources = { statistics: statisticsRows(ctx, ctx.d.table(tables.statistics)), comparisons: tables.comparisons };
    queries.push(partitionWrite(ctx, "alerts", tables.alerts, alertsQuery(ctx, sources)));
    queries.push(view(ctx, "alerts_view", tables.alertsView, alertsView(ctx, tables.alerts)));
  }
  queries.push(metadataQuery(ctx, [graph]));
  return Object.freeze(queries.map((q) => Object.freeze(q)));
}

/** The error refusing a project whose tables are wider than the engine writes. */
export class TooManyColumnsError extends Error {
  override readonly name = "TooManyColumnsError";
}

/**
 * Refuses a project whose metrics or statistics table would have more columns than the engine
 * writes, before any query runs: past it a run would exhaust memory (DuckDB) or fail late (BigQuery).
 *
 * @example checkTableWidth(sqlContext(graph, "2026-11-27", { dialect: "duckdb" })) // throws above 300 columns
 */
export function checkTableWidth(ctx: SqlContext): void {
  const { limit, why } = ctx.maxTableColumns;
  const statistics = summaryColumns(ctx).length;
  const probes = ctx.graph.probes.length;
  if (Math.max(statistics, probes) <= limit) return;
  throw new TooManyColumnsError(
    `project ${ctx.graph.slug} is too big for the ${ctx.d.name} engine: its ${probes} probes make ${statistics} statistics columns, ` +
      `above the limit of ${limit} columns per table (${why}); split its probes over several projects`,
  );
}

/**
 * The `projects_v1` rows of every project of a run, written once (as upstream): one transaction per
 * run, never several racing on the table. Undefined without projects.
 *
 * @example const metadata = planMetadata(graphs, "2026-11-27", { dialect: "bigquery" });
 */
export function planMetadata(graphs: readonly ProjectGraph[], date: string, options: SqlOptions = {}): PlannedQuery | undefined {
  const [first] = graphs;
  return first ? Object.freeze(metadataQuery(sqlContext(first, date, options), graphs)) : undefined;
}

/** The metadata statements as one planned query (create and alter kept as written: formatters cannot parse them). */
function metadataQuery(ctx: SqlContext, graphs: readonly ProjectGraph[]): PlannedQuery {
  const tables = projectTables(ctx);
  const m = metadataStatements(graphs, ctx.d, tables.projects, tables.projectsView);
  return {
    name: "projects",
    sql: formatSql(
      [
        ...schemaFor(ctx, tables.projects),
        { raw: m.create },
        ...m.alter.map((raw) => ({ raw })),
        ...m.write,
        ...schemaFor(ctx, tables.projectsView),
        m.view,
      ],
      ctx.d,
      ctx.pretty,
    ),
  };
}
