import type { GraphAlert } from "../graph/project-graph.js";
import { col, fromSql, select, unionAll, withCtes, type Cte, type Query, type Select } from "./sql-node.js";
import type { SqlContext } from "./sql-context.js";

/** Upstream's messages, and ours for the alert type it lacks. */
export const ALERT_MESSAGES = {
  above: "Value above threshold",
  below: "Value below threshold",
  ci: "Significant difference between branches",
  history: "Significant difference to historical data",
  change: "Change point detected",
} as const;

/** What one alert contributes: helper CTEs and the rows (series points) with `hit` and `message`. */
interface Condition {
  readonly ctes: readonly Cte[];
  /** Rows `h.*` of the history plus `hit` (BOOLEAN), `message` and `since` (the first changed point). */
  readonly rows: Select;
  /** Restricts the evaluated points to today's. */
  readonly today: string;
}

const dims = (ctx: SqlContext) => ctx.graph.population.dimensions.map((dim) => ctx.d.ident(dim.name));

/** A series: one line of a chart (branch, dimension values, metric, statistic, parameter; BigQuery cannot partition by a FLOAT64). */
const seriesKeys = (ctx: SqlContext, alias: string) =>
  [
    `${alias}.branch`,
    ...dims(ctx).map((d) => `${alias}.${d}`),
    `${alias}.metric`,
    `${alias}.statistic`,
    ctx.d.fn.cast(`${alias}.parameter`, "string"),
  ].join(", ");

/** The x-axis column the series are ordered by. */
const xColumn = (ctx: SqlContext, alias: string) => (ctx.graph.xaxis === "build_id" ? `${alias}.build_id` : `${alias}.submission_date`);

/** Today's points: upstream reads the view's rows of the day (in build-id mode, the latest partition). */
const ofToday = (ctx: SqlContext, alias: string) => `${alias}.submission_date = ${ctx.d.date(ctx.date)}`;

/** Restricts history rows `h` to an alert's probes, statistics and parameters. */
function alertFilter(ctx: SqlContext, alert: GraphAlert, alias = "h"): string[] {
  const { d } = ctx;
  const where = [`${alias}.metric IN (${alert.probes.map(d.string).join(", ")})`];
  if (alert.statistics?.length) where.push(`${alias}.statistic IN (${alert.statistics.map(d.string).join(", ")})`);
  if (alert.parameters?.length)
    where.push(`${alias}.parameter IN (${alert.parameters.map((p) => d.fn.cast(String(p), "float")).join(", ")})`);
  return where;
}

const float = (ctx: SqlContext, value: number | undefined) => ctx.d.fn.cast(value === undefined ? "NULL" : String(value), "float");

/**
 * The history a condition reads: the last `points` points of each series, found through a bounded look
 * back (twice as many days plus a week, for days without data), so an alert costs the same on day 300
 * as on day 3. Day-based `threshold` and `ci_overlap` read exactly their last `for` days.
 */
function historyWhere(ctx: SqlContext, alert: GraphAlert, points: number): string[] {
  const { d } = ctx;
  const n = alert.for ?? 1;
  const today = d.date(ctx.date);
  const exact = alert.type === "threshold" || alert.type === "ci_overlap";
  if (ctx.graph.xaxis === "submission_date") {
    const days = exact ? n - 1 : 2 * points + 7;
    return [days === 0 ? `h.submission_date = ${today}` : `h.submission_date BETWEEN ${d.fn.dateSubDays(today, days)} AND ${today}`];
  }
  return [`h.submission_date <= ${today}`, `${d.fn.parseBuildDate("h.build_id")} >= ${d.fn.dateSubDays(today, 2 * points + 7)}`];
}

/**
 * `threshold`: the interval lies entirely above `max` or below `min` (the point when there is no
 * interval). Thresholds keep their fractions; with parameters, `min`/`max` hold one value for all or one
 * per parameter, and both bounds match on the parameter.
 */
function threshold(ctx: SqlContext, alert: GraphAlert, index: number): Condition {
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
  const above = "COALESCE(h.lower, h.point) > t.max_value";
  const below = "COALESCE(h.upper, h.point) < t.min_value";
  return {
    ctes: [{ name, query: unionAll(rows) }],
    rows: select({
      columns: [
        col("h.*"),
        col(`COALESCE(${above} OR ${below}, FALSE)`, "hit"),
        col(`CASE WHEN ${above} THEN ${d.string(ALERT_MESSAGES.above)} ELSE ${d.string(ALERT_MESSAGES.below)} END`, "message"),
        col(d.fn.cast("NULL", "string"), "since"),
      ],
      from: fromSql("history", "h"),
      joins: [
        { type: "INNER", item: fromSql(name, "t"), on: ["h.metric = t.metric", "(t.parameter IS NULL OR h.parameter = t.parameter)"] },
      ],
      where: [...alertFilter(ctx, alert), ...historyWhere(ctx, alert, alert.for ?? 1)],
    }),
    today: ofToday(ctx, "h"),
  };
}

/** `ci_overlap`: a branch's interval misses the reference branch's, same group, metric, statistic and parameter. */
function ciOverlap(ctx: SqlContext, alert: GraphAlert): Condition {
  const { d } = ctx;
  const same = [
    "submission_date",
    "build_id",
    ...ctx.graph.population.dimensions.map((dim) => dim.name),
    "metric",
    "statistic",
    "parameter",
  ].map((k) => `h.${d.ident(k)} IS NOT DISTINCT FROM ref.${d.ident(k)}`);
  return {
    ctes: [],
    rows: select({
      columns: [
        col("h.*"),
        col("COALESCE(h.upper < ref.lower OR h.lower > ref.upper, FALSE)", "hit"),
        col(d.string(ALERT_MESSAGES.ci), "message"),
        col(d.fn.cast("NULL", "string"), "since"),
      ],
      from: fromSql("history", "h"),
      joins: [
        {
          type: "INNER",
          item: fromSql("history", "ref"),
          on: [`ref.branch = ${d.string(ctx.graph.referenceBranch)}`, "h.branch != ref.branch", ...same],
        },
      ],
      where: [...alertFilter(ctx, alert), ...historyWhere(ctx, alert, alert.for ?? 1)],
    }),
    today: ofToday(ctx, "h"),
  };
}

/** Window frame over the series of history rows `h`. */
const over = (ctx: SqlContext, frame: string) =>
  `OVER (PARTITION BY ${seriesKeys(ctx, "h")} ORDER BY ${xColumn(ctx, "h")} ROWS BETWEEN ${frame})`;

/**
 * `avg_diff`: the mean of the last `windowSize` points differs from the mean of the `windowSize` points
 * before them by more than `maxRelativeChange` of the earlier mean. Both windows must be full (no
 * overlap, unlike upstream). Build-id projects evaluate the build of the day, as upstream.
 */
function avgDiff(ctx: SqlContext, alert: GraphAlert, index: number): Condition {
  const { d } = ctx;
  const w = alert.windowSize ?? 1;
  const previous = `${2 * w - 1} PRECEDING AND ${w} PRECEDING`;
  const name = `windows_${index}`;
  const windows = select({
    columns: [
      col("h.*"),
      col(`AVG(h.point) ${over(ctx, `${w - 1} PRECEDING AND CURRENT ROW`)}`, "current_mean"),
      col(`AVG(h.point) ${over(ctx, previous)}`, "previous_mean"),
      col(`COUNT(h.point) ${over(ctx, previous)}`, "previous_count"),
    ],
    from: fromSql("history", "h"),
    where: [...alertFilter(ctx, alert), ...historyWhere(ctx, alert, 2 * w + (alert.for ?? 1) - 1)],
  });
  const today = ctx.graph.xaxis === "build_id" ? `${d.fn.parseBuildDate("h.build_id")} = ${d.date(ctx.date)}` : ofToday(ctx, "h");
  return {
    ctes: [{ name, query: windows }],
    rows: select({
      columns: [
        col("h.*"),
        col(
          `COALESCE(h.previous_count = ${w} AND ABS(h.current_mean - h.previous_mean) > ${alert.maxRelativeChange ?? 0} * ABS(h.previous_mean), FALSE)`,
          "hit",
        ),
        col(d.string(ALERT_MESSAGES.history), "message"),
        col(d.fn.cast("NULL", "string"), "since"),
      ],
      from: fromSql(name, "h"),
    }),
    today,
  };
}

/**
 * `change_point` (Perfherder's detector): at each point, Welch's t between the back window (the points
 * before) and the fore window (the point and those after); a hit where t exceeds `tThreshold`, the means
 * differ by at least `minRelativeChange`, and t is at least its neighbours' (so the change is put at its
 * first point). A point is judged once, when the point after its fore window arrives (then its
 * neighbour's t is known too); `since` names it. With `for` = N the fore window is N − 1 points longer.
 */
function changePoint(ctx: SqlContext, alert: GraphAlert, index: number): Condition {
  const { d } = ctx;
  const back = alert.backWindow ?? 12;
  const fore = (alert.foreWindow ?? 12) + (alert.for ?? 1) - 1;
  const backFrame = `${back} PRECEDING AND 1 PRECEDING`;
  const foreFrame = `CURRENT ROW AND ${fore - 1} FOLLOWING`;
  const name = `change_${index}`;
  const windows = select({
    columns: [
      col("h.*"),
      col(`AVG(h.point) ${over(ctx, backFrame)}`, "back_mean"),
      col(`VAR_SAMP(h.point) ${over(ctx, backFrame)}`, "back_var"),
      col(`COUNT(h.point) ${over(ctx, backFrame)}`, "back_n"),
      col(`AVG(h.point) ${over(ctx, foreFrame)}`, "fore_mean"),
      col(`VAR_SAMP(h.point) ${over(ctx, foreFrame)}`, "fore_var"),
      col(`COUNT(h.point) ${over(ctx, foreFrame)}`, "fore_n"),
      // the point that completes the confirmation: the one after the fore window, so t's peak is known
      col(`LEAD(${xColumn(ctx, "h")}, ${fore}) OVER (PARTITION BY ${seriesKeys(ctx, "h")} ORDER BY ${xColumn(ctx, "h")})`, "confirmed_by"),
    ],
    from: fromSql("history", "h"),
    where: [...alertFilter(ctx, alert), ...historyWhere(ctx, alert, back + fore + 2)],
  });
  const tName = `${name}_t`;
  const t = select({
    columns: [
      col("w.*"),
      // only where both windows are full, so a half-filled neighbour never outranks a full one; safe
      // divisions because BigQuery may evaluate a CASE branch it does not take
      col(
        `CASE WHEN w.back_n = ${back} AND w.fore_n = ${fore} THEN ${d.fn.safeDivide("ABS(w.fore_mean - w.back_mean)", `SQRT(${d.fn.safeDivide("w.back_var", "w.back_n")} + ${d.fn.safeDivide("w.fore_var", "w.fore_n")})`)} END`,
        "t",
      ),
    ],
    from: fromSql(name, "w"),
  });
  const neighbours = `PARTITION BY ${seriesKeys(ctx, "c")} ORDER BY ${xColumn(ctx, "c")}`;
  const peakName = `${name}_peak`;
  const peak = select({
    columns: [col("c.*"), col(`LAG(c.t) OVER (${neighbours})`, "t_before"), col(`LEAD(c.t) OVER (${neighbours})`, "t_after")],
    from: fromSql(tName, "c"),
  });
  const hit = [
    `h.back_n = ${back}`,
    `h.fore_n = ${fore}`,
    `h.t > ${alert.tThreshold ?? 7}`,
    `ABS(h.fore_mean - h.back_mean) >= ${alert.minRelativeChange ?? 0.02} * ABS(h.back_mean)`,
    "h.t >= COALESCE(h.t_before, 0)",
    "h.t >= COALESCE(h.t_after, 0)",
  ].join(" AND ");
  const x = d.fn.cast(xColumn(ctx, "h"), "string");
  return {
    ctes: [
      { name, query: windows },
      { name: tName, query: t },
      { name: peakName, query: peak },
    ],
    rows: select({
      columns: [
        col("h.*"),
        col(`COALESCE(${hit}, FALSE)`, "hit"),
        col(
          `CONCAT(${d.string(`${ALERT_MESSAGES.change}: `)}, CASE WHEN h.fore_mean > h.back_mean THEN 'up' ELSE 'down' END, ' since ', ${x})`,
          "message",
        ),
        col(x, "since"),
      ],
      from: fromSql(peakName, "h"),
    }),
    // judged once, when the point confirming it is today's (build-id projects: today's build, as avg_diff)
    today:
      ctx.graph.xaxis === "build_id"
        ? `${d.fn.parseBuildDate("h.confirmed_by")} = ${d.date(ctx.date)}`
        : `h.confirmed_by = ${d.date(ctx.date)}`,
  };
}

const CONDITIONS: { readonly [T in GraphAlert["type"]]: (ctx: SqlContext, alert: GraphAlert, index: number) => Condition } = {
  threshold,
  ci_overlap: ciOverlap,
  avg_diff: avgDiff,
  change_point: changePoint,
};

/**
 * The day's alerts of a project, read from its statistics view (a branch's own values, not the
 * comparison rows): one SELECT per alert, unioned. Columns: submission_date, build_id, dimensions,
 * metric, statistic, branch, parameter, message (upstream's), then our additions: `alert` (its name),
 * `severity`, and `since` (the first build or day of a change point). With `for` = N an alert fires only
 * when its condition also held on the N − 1 points before today's in the same series.
 *
 * @example printQuery(alertsQuery(ctx, tables.statisticsView), ctx.d)
 */
export function alertsQuery(ctx: SqlContext, statisticsView: readonly string[]): Query {
  const { d } = ctx;
  if (ctx.graph.alerts.length === 0) throw new Error(`project ${ctx.graph.slug} has no alerts`);
  const ctes: Cte[] = [
    { name: "history", query: select({ columns: [col("*")], from: fromSql(d.table(statisticsView)), where: ["comparison IS NULL"] }) },
  ];
  const queries = ctx.graph.alerts.map((alert, i) => {
    const condition = CONDITIONS[alert.type](ctx, alert, i);
    // change_point spends `for` on a longer fore window instead
    const n = alert.type === "change_point" ? 1 : (alert.for ?? 1);
    const name = `alert_${i}`;
    ctes.push(...condition.ctes, {
      name,
      query: select({
        columns: [col("h.*"), col(`SUM(CASE WHEN h.hit THEN 1 ELSE 0 END) ${over(ctx, `${n - 1} PRECEDING AND CURRENT ROW`)}`, "hits")],
        from: { kind: "query", query: condition.rows, alias: "h" },
      }),
    });
    return select({
      columns: [
        col(d.date(ctx.date), "submission_date"),
        col("h.build_id", "build_id"),
        ...ctx.graph.population.dimensions.map((dim) => col(d.fn.safeCast(`h.${d.ident(dim.name)}`, "string"), dim.name)),
        col("h.metric", "metric"),
        col("h.statistic", "statistic"),
        col("h.branch", "branch"),
        col("h.parameter", "parameter"),
        col("h.message", "message"),
        col(d.string(alert.name), "alert"),
        col(d.string(alert.severity ?? "warning"), "severity"),
        col("h.since", "since"),
      ],
      from: fromSql(name, "h"),
      where: [condition.today, "h.hit", `h.hits = ${n}`],
    });
  });
  return withCtes(ctes, unionAll(queries));
}
