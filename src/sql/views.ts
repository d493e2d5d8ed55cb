import { col, fromSql, select, unionAll, withCtes, type Query } from "./sql-node.js";
import type { SqlContext } from "./sql-context.js";
import { statisticsKeyNames, summaryColumns } from "./statistics-query.js";

/**
 * In build-id mode, the rows a view shows: each build as computed in the partition a full window
 * after its build date, or from the most recent partition for builds younger than that.
 */
function buildWindowed(ctx: SqlContext, table: readonly string[]): Query {
  const { d } = ctx;
  const t = d.table(table);
  return withCtes(
    [{ name: "latest", query: select({ columns: [col("MAX(submission_date)", "most_recent")], from: fromSql(t) }) }],
    select({
      columns: [col("source.*"), col("latest.most_recent")],
      from: fromSql(t, "source"),
      joins: [{ type: "CROSS", item: fromSql("latest") }],
      where: [
        `${d.fn.parseBuildDate("source.build_id")} = ${d.fn.dateSubDays("source.submission_date", ctx.buildIdWindowDays)} OR source.submission_date = latest.most_recent`,
      ],
    }),
  );
}

/**
 * The `<slug>` view over the metrics table (build-id projects: each build's full-window rows).
 *
 * @example printQuery(metricsView(ctx, tables.metrics), ctx.d)
 */
export const metricsView = (ctx: SqlContext, table: readonly string[]): Query =>
  ctx.graph.xaxis === "build_id" ? buildWindowed(ctx, table) : select({ columns: [col("*")], from: fromSql(ctx.d.table(table)) });

/**
 * The `<slug>_statistics` view: long format, one row per (group, metric, statistic, parameter) with
 * `point`, `lower`, `upper`; `parameter` as a float; what dashboards read.
 */
export function statisticsView(ctx: SqlContext, table: readonly string[]): Query {
  const { d } = ctx;
  const stats = ctx.graph.xaxis === "build_id" ? buildWindowed(ctx, table) : select({ columns: [col("*")], from: fromSql(d.table(table)) });
  const keys = statisticsKeyNames(ctx).filter((k) => k !== "submission_date");
  const blocks = summaryColumns(ctx).map(({ column }) =>
    select({
      columns: [
        col("stats.submission_date", "submission_date"),
        col(d.fn.toTimestamp("stats.submission_date"), "submission_timestamp"),
        ...keys.map((k) => col(`stats.${d.ident(k)}`, k)),
        col("statistic.metric", "metric"),
        col("statistic.statistic", "statistic"),
        col("statistic.point", "point"),
        col("statistic.lower", "lower"),
        col("statistic.upper", "upper"),
        col(d.fn.safeCast("statistic.parameter", "float"), "parameter"),
      ],
      from: fromSql("stats"),
      joins: [{ type: "CROSS", item: fromSql(d.fn.unnest(`stats.${d.ident(column)}`, "statistic")) }],
    }),
  );
  return withCtes([{ name: "stats", query: stats }], unionAll(blocks));
}

/** The `<slug>_alerts` view: the alerts table as is. */
export const alertsView = (ctx: SqlContext, table: readonly string[]): Query => select({ columns: [col("*")], from: fromSql(ctx.d.table(table)) });
