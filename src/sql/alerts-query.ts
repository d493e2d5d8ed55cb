import type { GraphAlert } from "../graph/project-graph.js";
import { col, fromSql, select, unionAll, withCtes, type Cte, type Query, type Select } from "./sql-node.js";
import type { SqlContext } from "./sql-context.js";
import { statisticsKeyNames } from "./statistics-query.js";

const MESSAGES = {
  above: "Value above threshold",
  below: "Value below threshold",
  ci: "Significant difference between branches",
  history: "Significant difference to historical data",
} as const;

/** The output columns every alert type gives, from the measured row aliased `v`. */
function alertColumns(ctx: SqlContext, alert: GraphAlert, message: string) {
  const { d } = ctx;
  const dims = ctx.graph.population.dimensions.map((dim) => dim.name);
  return [
    col(d.date(ctx.date), "submission_date"),
    col("v.build_id", "build_id"),
    ...dims.map((dim) => col(d.fn.safeCast(`v.${d.ident(dim)}`, "string"), dim)),
    col("v.metric", "metric"),
    col("v.statistic", "statistic"),
    col("v.branch", "branch"),
    col("v.parameter", "parameter"),
    col(message, "message"),
    col(d.string(alert.name), "alert"),
  ];
}

/** Restricts measured rows `v` to an alert's probes, statistics and parameters. */
function alertFilter(ctx: SqlContext, alert: GraphAlert): string[] {
  const { d } = ctx;
  const where = [`v.metric IN (${alert.probes.map(d.string).join(", ")})`];
  if (alert.statistics?.length) where.push(`v.statistic IN (${alert.statistics.map(d.string).join(", ")})`);
  if (alert.parameters?.length) where.push(`v.parameter IN (${alert.parameters.map((p) => d.fn.cast(String(p), "float")).join(", ")})`);
  return where;
}

const float = (ctx: SqlContext, value: number | undefined) => ctx.d.fn.cast(value === undefined ? "NULL" : String(value), "float");

/**
 * `threshold`: the interval lies entirely above `max` or below `min` (the point when there is no
 * interval). Thresholds keep their fractions; with parameters, `min`/`max` hold one value for all
 * or one per parameter, and both bounds match on the parameter.
 */
function threshold(ctx: SqlContext, alert: GraphAlert, index: number): { ctes: Cte[]; query: Select } {
  const { d } = ctx;
  const parameters = alert.parameters?.length ? alert.parameters : [undefined];
  const bound = (list: readonly number[] | undefined, i: number) => (list?.length === 1 ? list[0] : list?.[i]);
  const rows = alert.probes.flatMap((probe) =>
    parameters.map((parameter, i) =>
      select({
        columns: [
          col(d.string(probe), "metric"),
          col(float(ctx, parameter), "parameter"),
          col(float(ctx, bound(alert.max, i)), "max_value"),
          col(float(ctx, bound(alert.min, i)), "min_value"),
        ],
      }),
    ),
  );
  const name = `thresholds_${index}`;
  const above = "COALESCE(v.lower, v.point) > t.max_value";
  const below = "COALESCE(v.upper, v.point) < t.min_value";
  const query = select({
    columns: alertColumns(ctx, alert, `CASE WHEN ${above} THEN ${d.string(MESSAGES.above)} ELSE ${d.string(MESSAGES.below)} END`),
    from: fromSql("measured_values", "v"),
    joins: [{ type: "INNER", item: fromSql(name, "t"), on: ["v.metric = t.metric", "(t.parameter IS NULL OR v.parameter = t.parameter)"] }],
    where: [...alertFilter(ctx, alert), `${above} OR ${below}`],
  });
  return { ctes: [{ name, query: unionAll(rows) }], query };
}

/** `ci_overlap`: a branch's interval misses the reference branch's, same group, metric, statistic and parameter. */
function ciOverlap(ctx: SqlContext, alert: GraphAlert): Select {
  const { d } = ctx;
  const same = [
    ...statisticsKeyNames(ctx).filter((k) => k !== "branch" && k !== "submission_date"),
    "metric",
    "statistic",
    "parameter",
  ].map((k) => `v.${d.ident(k)} IS NOT DISTINCT FROM ref.${d.ident(k)}`);
  return select({
    columns: alertColumns(ctx, alert, d.string(MESSAGES.ci)),
    from: fromSql("measured_values", "v"),
    joins: [
      {
        type: "INNER",
        item: fromSql("measured_values", "ref"),
        on: [`ref.branch = ${d.string(ctx.graph.referenceBranch)}`, "v.branch != ref.branch", ...same],
      },
    ],
    where: [...alertFilter(ctx, alert), "v.upper < ref.lower OR v.lower > ref.upper"],
  });
}

/**
 * `avg_diff`: the mean of the last `windowSize` points differs from the mean of the `windowSize`
 * points before them by more than `maxRelativeChange` of the earlier mean. Both windows must be
 * full (no overlap, unlike upstream).
 */
function avgDiff(ctx: SqlContext, alert: GraphAlert, index: number, statisticsView: readonly string[]): { ctes: Cte[]; query: Select } {
  const { d } = ctx;
  const w = alert.windowSize ?? 1;
  const x = ctx.graph.xaxis === "build_id" ? "v.build_id" : "v.submission_date";
  const partition = [
    "v.branch",
    ...ctx.graph.population.dimensions.map((dim) => `v.${d.ident(dim.name)}`),
    "v.metric",
    "v.statistic",
    "v.parameter",
  ];
  const over = (frame: string) => `OVER (PARTITION BY ${partition.join(", ")} ORDER BY ${x} ROWS BETWEEN ${frame})`;
  const previous = `${2 * w - 1} PRECEDING AND ${w} PRECEDING`;
  const name = `history_${index}`;
  const history = select({
    columns: [
      col("v.*"),
      col(`AVG(v.point) ${over(`${w - 1} PRECEDING AND CURRENT ROW`)}`, "current_mean"),
      col(`AVG(v.point) ${over(previous)}`, "previous_mean"),
      col(`COUNT(v.point) ${over(previous)}`, "previous_count"),
    ],
    from: fromSql(d.table(statisticsView), "v"),
    where: [...alertFilter(ctx, alert), "v.comparison IS NULL"],
  });
  const today =
    ctx.graph.xaxis === "build_id"
      ? `${d.fn.parseBuildDate("v.build_id")} = ${d.date(ctx.date)}`
      : `v.submission_date = ${d.date(ctx.date)}`;
  const query = select({
    columns: alertColumns(ctx, alert, d.string(MESSAGES.history)),
    from: fromSql(name, "v"),
    where: [
      today,
      `v.previous_count = ${w}`,
      `ABS(v.current_mean - v.previous_mean) > ${alert.maxRelativeChange ?? 0} * ABS(v.previous_mean)`,
    ],
  });
  return { ctes: [{ name, query: history }], query };
}

/**
 * The day's alerts of a project, read from its statistics view: one SELECT per alert, unioned. Columns:
 * submission_date, build_id, dimensions, metric, statistic, branch, parameter, message, and `alert`
 * (the alert's name, an addition to upstream's schema).
 *
 * @example printQuery(alertsQuery(ctx, tables.statisticsView), ctx.d)
 */
export function alertsQuery(ctx: SqlContext, statisticsView: readonly string[]): Query {
  const { d } = ctx;
  const ctes: Cte[] = [
    {
      name: "measured_values",
      query: select({
        columns: [col("*")],
        from: fromSql(d.table(statisticsView)),
        where: [`submission_date = ${d.date(ctx.date)}`, "comparison IS NULL"],
      }),
    },
  ];
  const queries = ctx.graph.alerts.map((alert, i) => {
    switch (alert.type) {
      case "threshold": {
        const built = threshold(ctx, alert, i);
        ctes.push(...built.ctes);
        return built.query;
      }
      case "ci_overlap":
        return ciOverlap(ctx, alert);
      case "avg_diff": {
        const built = avgDiff(ctx, alert, i, statisticsView);
        ctes.push(...built.ctes);
        return built.query;
      }
      default:
        return alert.type satisfies never;
    }
  });
  if (queries.length === 0) throw new Error(`project ${ctx.graph.slug} has no alerts`);
  return withCtes(ctes, unionAll(queries));
}
