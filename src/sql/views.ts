import { col, fromSql, select, withCtes, type Query } from "./sql-node.js";
import type { SqlContext } from "./sql-context.js";
import { statisticsKeyNames, summaryColumns } from "./statistics-query.js";
import { atLeast } from "./statistics/sql-math.js";

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

/** The rows a view shows of a per-day table: all of them, or each build's full-window rows. */
const shown = metricsView;

/** Comparison kinds of the `<slug>_comparisons` rows. */
export const COMPARISONS = ["difference", "relative_difference"] as const;

/**
 * MOVER (Newcombe; Donner and Zou) intervals of a branch's value `v` against the reference's `ref`,
 * recovered from each side's own interval, so asymmetric percentile intervals stay asymmetric.
 * Relative differences need the reference interval strictly above 0 (else NULL: the ratio is unbounded).
 * The expressions read the branch's row as `v` and the reference's as `ref`. A NULL bound on either
 * side gives NULL bounds in every engine (no GREATEST: DuckDB's skips NULL, BigQuery's returns it).
 *
 * @example comparisonValues("difference").lower // "v.point - ref.point - SQRT(...)"
 */
export function comparisonValues(kind: (typeof COMPARISONS)[number]): {
  readonly point: string;
  readonly lower: string;
  readonly upper: string;
} {
  const [p1, l1, u1, p2, l2, u2] = ["v.point", "v.lower", "v.upper", "ref.point", "ref.lower", "ref.upper"];
  if (kind === "difference") {
    return {
      point: `${p1} - ${p2}`,
      lower: `${p1} - ${p2} - SQRT(POWER(${p1} - ${l1}, 2) + POWER(${u2} - ${p2}, 2))`,
      upper: `${p1} - ${p2} + SQRT(POWER(${u1} - ${p1}, 2) + POWER(${p2} - ${l2}, 2))`,
    };
  }
  const valid = `${l2} > 0`;
  const product = `${p1} * ${p2}`;
  const root = (a: string, b: string) =>
    `SQRT(${atLeast(`POWER(${product}, 2) - ${a} * ${b} * (2 * ${p1} - ${a}) * (2 * ${p2} - ${b})`, "0")})`;
  return {
    point: `${p1} / NULLIF(${p2}, 0) - 1`,
    lower: `CASE WHEN ${valid} THEN (${product} - ${root(l1, u2)}) / NULLIF(${u2} * (2 * ${p2} - ${u2}), 0) - 1 END`,
    upper: `CASE WHEN ${valid} THEN (${product} + ${root(u1, l2)}) / NULLIF(${l2} * (2 * ${p2} - ${l2}), 0) - 1 END`,
  };
}

/**
 * A branch's own values in long format, one row per (group, metric, statistic, parameter), read from
 * the wide statistics table or CTE `source` (`where` filters its rows, named `stats`, before the
 * unnest): upstream's view columns (`parameter` as a float), then `clients` and `too_few_clients`.
 * Every summary column's array is unnested in one pass over the rows, in the select list on DuckDB:
 * a pass per column took DuckDB a pipeline each, and a correlated UNNEST in FROM a join (the
 * comparisons step at 40,000 clients 18-23 -> 13-15 -> 8-9 ms).
 *
 * @example printQuery(statisticsRows(ctx, ctx.d.table(tables.statistics)), ctx.d)
 */
export function statisticsRows(ctx: SqlContext, source: string, where: readonly string[] = []): Query {
  const { d } = ctx;
  const keys = statisticsKeyNames(ctx).filter((k) => k !== "submission_date");
  const summaries = summaryColumns(ctx).map(({ column }) => `stats.${d.ident(column)}`);
  const rows = d.fn.unnestSelect(source === "stats" ? source : `${source} AS stats`, "stats", d.fn.concatArrays(summaries), "statistic", where.join(" AND "));
  return select({
    columns: [
      col("unnested.submission_date", "submission_date"),
      col(d.fn.toTimestamp("unnested.submission_date"), "submission_timestamp"),
      ...keys.map((k) => col(`unnested.${d.ident(k)}`, k)),
      col("unnested.statistic.metric", "metric"),
      col("unnested.statistic.statistic", "statistic"),
      col("unnested.statistic.point", "point"),
      col("unnested.statistic.lower", "lower"),
      col("unnested.statistic.upper", "upper"),
      col(d.fn.safeCast("unnested.statistic.parameter", "float"), "parameter"),
      col("unnested.statistic.clients", "clients"),
      col("unnested.statistic.too_few_clients", "too_few_clients"),
    ],
    from: fromSql(`(${rows})`, "unnested"),
  });
}

/**
 * The `<slug>_statistics` view: long format, row for row upstream's (one row per group, metric,
 * statistic and parameter with `point`, `lower`, `upper`; `parameter` as a float), what Looker sums.
 * `clients` and `too_few_clients` come last. Comparisons to the reference branch live in
 * `<slug>_comparisons`, so a SUM over this view's rows is a branch's own value.
 *
 * @example printQuery(statisticsView(ctx, tables.statistics), ctx.d)
 */
export function statisticsView(ctx: SqlContext, table: readonly string[]): Query {
  return withCtes([{ name: "stats", query: shown(ctx, table) }], statisticsRows(ctx, "stats"));
}

/**
 * The day's partition of `<slug>_comparisons_v1`: every other branch against the reference branch in
 * the same group, metric, statistic and parameter of the day's statistics (`difference`: branch −
 * reference, `relative_difference`: branch / reference − 1), each with an interval at the project's
 * confidence level. `clients` is the smaller branch's (the side that limits the interval),
 * `too_few_clients` TRUE when either side's is.
 *
 * @example printQuery(comparisonsQuery(ctx, tables.statistics), ctx.d)
 */
export function comparisonsQuery(ctx: SqlContext, statisticsTable: readonly string[]): Query {
  const { d } = ctx;
  const keys = statisticsKeyNames(ctx).filter((k) => k !== "submission_date");
  const same = [...keys.filter((k) => k !== "branch"), "metric", "statistic", "parameter"].map(
    (k) => `v.${d.ident(k)} IS NOT DISTINCT FROM ref.${d.ident(k)}`,
  );
  // a comparison is as well supported as its smaller side; NULL when either side's count is (old rows)
  const smallerClients =
    "CASE WHEN v.clients IS NULL OR ref.clients IS NULL THEN NULL WHEN v.clients <= ref.clients THEN v.clients ELSE ref.clients END";
  // one join of each branch to the reference, each kind of comparison a row of it: a join per kind
  // took DuckDB a plan each (the step at 40,000 clients 14 -> 9 ms)
  const values = COMPARISONS.map((kind) => ({ kind: d.string(kind), ...comparisonValues(kind) }));
  const byKind = (part: "point" | "lower" | "upper") =>
    `CASE comparison ${values.map((v) => `WHEN ${v.kind} THEN ${v[part]}`).join(" ")} END`;
  const comparisons = select({
    columns: [
      col("v.submission_date", "submission_date"),
      ...keys.map((k) => col(`v.${d.ident(k)}`, k)),
      col("ref.branch", "reference_branch"),
      col("v.metric", "metric"),
      col("v.statistic", "statistic"),
      col("v.parameter", "parameter"),
      col("comparison", "comparison"),
      col(byKind("point"), "point"),
      col(byKind("lower"), "lower"),
      col(byKind("upper"), "upper"),
      col(smallerClients, "clients"),
      col("v.too_few_clients OR ref.too_few_clients", "too_few_clients"),
    ],
    from: fromSql("own", "v"),
    joins: [
      {
        type: "INNER",
        item: fromSql("own", "ref"),
        on: [`ref.branch = ${d.string(ctx.graph.referenceBranch)}`, `v.branch != ref.branch`, ...same],
      },
      { type: "CROSS", item: fromSql(d.fn.unnest(`[${values.map((v) => v.kind).join(", ")}]`, "comparison")) },
    ],
  });
  const own = statisticsRows(ctx, d.table(statisticsTable), [`stats.submission_date = ${d.date(ctx.date)}`]);
  return withCtes([{ name: "own", query: own }], comparisons);
}

/**
 * The `<slug>_comparisons` view over `<slug>_comparisons_v1` (build-id projects: each build's
 * full-window rows, as the statistics view).
 *
 * @example printQuery(comparisonsView(ctx, tables.comparisons), ctx.d)
 */
export const comparisonsView = (ctx: SqlContext, table: readonly string[]): Query => shown(ctx, table);

/** The `<slug>_alerts` view: the alerts table as is. */
export const alertsView = (ctx: SqlContext, table: readonly string[]): Query =>
  select({ columns: [col("*")], from: fromSql(ctx.d.table(table)) });
