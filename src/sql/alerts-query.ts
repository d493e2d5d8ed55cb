import { AVG_DIFF_DEFAULTS, BRANCH_DIFFERENCE_DEFAULTS, CHANGE_POINT_DEFAULTS, PERFHERDER_DEFAULTS } from "../dsl/alert.js";
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
  branch: "Significant difference to the reference branch",
} as const;

/** What one alert contributes: helper CTEs and the rows (series points) with `hit` and `message`. */
interface Condition {
  readonly ctes: readonly Cte[];
  /** Rows `h.*` of the history plus `hit` (BOOLEAN), `message` and `since` (the first changed point). */
  readonly rows: Select;
  /** Restricts the evaluated points to today's (the evaluated days'). */
  readonly today: string;
  /** The day a row is evaluated on (when several days are evaluated at once). */
  readonly day: string;
}

const dims = (ctx: AlertContext) => ctx.graph.population.dimensions.map((dim) => ctx.d.ident(dim.name));

/** A series: one line of a chart (branch, dimension values, metric, statistic, parameter; BigQuery cannot partition by a FLOAT64). */
const seriesKeys = (ctx: AlertContext, alias: string) =>
  [
    `${alias}.branch`,
    ...dims(ctx).map((d) => `${alias}.${d}`),
    `${alias}.metric`,
    `${alias}.statistic`,
    ctx.d.fn.cast(`${alias}.parameter`, "string"),
  ].join(", ");

/** The x-axis column the series are ordered by. */
const xColumn = (ctx: AlertContext, alias: string) => (ctx.graph.xaxis === "build_id" ? `${alias}.build_id` : `${alias}.submission_date`);

/** The context of one alerts query: `extraDays` are evaluated before `ctx.date` in it (0: only that day, as a run does). */
type AlertContext = SqlContext & { readonly extraDays: number };

/** `day` is an evaluated day: today, or one of the `extraDays` before it. */
const evaluated = (ctx: AlertContext, day: string) =>
  ctx.extraDays === 0
    ? `${day} = ${ctx.d.date(ctx.date)}`
    : `${day} BETWEEN ${ctx.d.fn.dateSubDays(ctx.d.date(ctx.date), ctx.extraDays)} AND ${ctx.d.date(ctx.date)}`;

/** Today's points: upstream reads the view's rows of the day (in build-id mode, the latest partition). */
const ofToday = (ctx: AlertContext, alias: string) => evaluated(ctx, `${alias}.submission_date`);

/** Restricts history rows `h` to an alert's probes, statistics and parameters. */
function alertFilter(ctx: AlertContext, alert: GraphAlert, alias = "h"): string[] {
  const { d } = ctx;
  const where = [`${alias}.metric IN (${alert.probes.map(d.string).join(", ")})`];
  if (alert.statistics?.length) where.push(`${alias}.statistic IN (${alert.statistics.map(d.string).join(", ")})`);
  if (alert.parameters?.length)
    where.push(`${alias}.parameter IN (${alert.parameters.map((p) => d.fn.cast(String(p), "float")).join(", ")})`);
  return where;
}

const float = (ctx: AlertContext, value: number | undefined) => ctx.d.fn.cast(value === undefined ? "NULL" : String(value), "float");

/**
 * The history a condition reads: the last `points` points of each series, found through a bounded look
 * back (twice as many days plus a week, for days without data), so an alert costs the same on day 300
 * as on day 3. Day-based `threshold` and `ci_overlap` read exactly their last `for` days.
 */
function historyWhere(ctx: AlertContext, alert: GraphAlert, points: number): string[] {
  const { d } = ctx;
  const n = alert.for ?? 1;
  const today = d.date(ctx.date);
  const exact = alert.type === "threshold" || alert.type === "ci_overlap";
  if (ctx.graph.xaxis === "submission_date") {
    const days = (exact ? n - 1 : 2 * points + 7) + ctx.extraDays;
    return [days === 0 ? `h.submission_date = ${today}` : `h.submission_date BETWEEN ${d.fn.dateSubDays(today, days)} AND ${today}`];
  }
  // every build of the day's window, and as many before the window's oldest as the points need
  return [`${d.fn.parseBuildDate("h.build_id")} >= ${d.fn.dateSubDays(today, ctx.buildIdWindowDays + 2 * points + 7)}`];
}

/**
 * In build-id mode, the rows as they stood on the day: every build of the day's own partition (its
 * whole window), and each older build as frozen a full window after its build date. Later partitions
 * are never read, so a rerun of a past day gives the rows its first run gave.
 */
function asOfDay(ctx: AlertContext): string[] {
  if (ctx.graph.xaxis !== "build_id") return [];
  const { d } = ctx;
  const today = d.date(ctx.date);
  return [
    `submission_date = ${today} OR (submission_date < ${today} AND ${d.fn.parseBuildDate("build_id")} = ${d.fn.dateSubDays("submission_date", ctx.buildIdWindowDays)})`,
  ];
}

/**
 * `threshold`: the interval lies entirely above `max` or below `min` (the point when there is no
 * interval). Thresholds keep their fractions; with parameters, `min`/`max` hold one value for all or one
 * per parameter, and both bounds match on the parameter.
 */
function threshold(ctx: AlertContext, alert: GraphAlert, index: number): Condition {
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
    day: "h.submission_date",
  };
}

/** `ci_overlap`: a branch's interval misses the reference branch's, same group, metric, statistic and parameter. */
function ciOverlap(ctx: AlertContext, alert: GraphAlert): Condition {
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
    day: "h.submission_date",
  };
}

/** Window frame over the series of history rows `h`. */
const over = (ctx: AlertContext, frame: string) =>
  `OVER (PARTITION BY ${seriesKeys(ctx, "h")} ORDER BY ${xColumn(ctx, "h")} ROWS BETWEEN ${frame})`;

/**
 * Each history row of an alert with `jump`: its distance from the series' previous point. The noise
 * terms read a series' day-to-day noise off these: σ ≈ √π/2 · mean |jump| for Gaussian noise (the mean
 * absolute successive difference). Unlike a standard deviation it barely moves when the level steps
 * (one jump among many), and unlike a median it runs over a moving window in BigQuery too.
 */
function withJumps(ctx: AlertContext, alert: GraphAlert, points: number): Query {
  return select({
    columns: [col("h.*"), col(`ABS(h.point - LAG(h.point) OVER (PARTITION BY ${seriesKeys(ctx, "h")} ORDER BY ${xColumn(ctx, "h")}))`, "jump")],
    from: fromSql("history", "h"),
    where: [...alertFilter(ctx, alert), ...historyWhere(ctx, alert, points)],
  });
}

/** σ of Gaussian noise per unit of mean absolute successive difference: √π / 2. */
const JUMP_TO_SIGMA = 0.886227;

/**
 * `avg_diff`: the mean of the last `windowSize` points differs from the mean of the `windowSize` points
 * before them by more than `maxRelativeChange` of the earlier mean. Both windows must be full (no
 * overlap, unlike upstream). Ours: the difference must also exceed `noiseThreshold` standard errors of
 * the difference of two window means, σ·√(2/w), σ read off the jumps inside the two windows (not the one
 * between them, which holds the change); a window of 1 point has no jump inside, so no noise test.
 * Build-id projects evaluate the build of the day, as upstream.
 */
function avgDiff(ctx: AlertContext, alert: GraphAlert, index: number): Condition {
  const { d } = ctx;
  const w = alert.windowSize ?? 1;
  const k = alert.noiseThreshold ?? AVG_DIFF_DEFAULTS.noiseThreshold;
  const previous = `${2 * w - 1} PRECEDING AND ${w} PRECEDING`;
  const name = `windows_${index}`;
  const noisy = k > 0 && w >= 2;
  const noise = noisy
    ? [
        col(`SUM(h.jump) ${over(ctx, `${2 * w - 2} PRECEDING AND ${w} PRECEDING`)}`, "previous_jumps"),
        col(`COUNT(h.jump) ${over(ctx, `${2 * w - 2} PRECEDING AND ${w} PRECEDING`)}`, "previous_jump_count"),
        col(`SUM(h.jump) ${over(ctx, `${w - 2} PRECEDING AND CURRENT ROW`)}`, "current_jumps"),
      ]
    : [];
  const windows = select({
    columns: [
      col("h.*"),
      col(`AVG(h.point) ${over(ctx, `${w - 1} PRECEDING AND CURRENT ROW`)}`, "current_mean"),
      col(`AVG(h.point) ${over(ctx, previous)}`, "previous_mean"),
      col(`COUNT(h.point) ${over(ctx, previous)}`, "previous_count"),
      ...noise,
    ],
    from: noisy ? { kind: "query", query: withJumps(ctx, alert, 2 * w + (alert.for ?? 1) - 1), alias: "h" } : fromSql("history", "h"),
    where: noisy ? [] : [...alertFilter(ctx, alert), ...historyWhere(ctx, alert, 2 * w + (alert.for ?? 1) - 1)],
  });
  const change = "ABS(h.current_mean - h.previous_mean)";
  // 2(w − 1) jumps: every one inside both full windows
  const sigma = `${JUMP_TO_SIGMA} * (h.previous_jumps + h.current_jumps) / ${2 * (w - 1)}`;
  const hit = [
    `h.previous_count = ${w}`,
    `${change} > ${alert.maxRelativeChange ?? 0} * ABS(h.previous_mean)`,
    ...(noisy ? [`h.previous_jump_count = ${w - 1}`, `${change} > ${k} * ${sigma} * ${Math.sqrt(2 / w)}`] : []),
  ].join(" AND ");
  const day = ctx.graph.xaxis === "build_id" ? d.fn.parseBuildDate("h.build_id") : "h.submission_date";
  return {
    ctes: [{ name, query: windows }],
    rows: select({
      columns: [
        col("h.*"),
        col(`COALESCE(${hit}, FALSE)`, "hit"),
        col(d.string(ALERT_MESSAGES.history), "message"),
        col(d.fn.cast("NULL", "string"), "since"),
      ],
      from: fromSql(name, "h"),
    }),
    today: evaluated(ctx, day),
    day,
  };
}

/**
 * `change_point`: at each point, the back window (the points before) against the fore window (the
 * point and those after). By default the means must differ by more than `noiseThreshold` standard
 * errors, σ·√(1/back + 1/fore), σ read off the jumps inside each window (not the one between them);
 * with `tThreshold`, Perfherder's test instead: Welch's t above it. Either way the means differ by at
 * least `minRelativeChange`, and the statistic is at least its neighbours' (so the change is put at its
 * first point); the noise test also stays quiet while an earlier point of the back window is above the
 * threshold (a step is reported once, not again as the fore window slides past it). A point is judged once, when the point after its fore window arrives (then its
 * neighbour's statistic is known too); `since` names it. With `for` = N the fore window is N − 1 points longer.
 */
function changePoint(ctx: AlertContext, alert: GraphAlert, index: number): Condition {
  const { d } = ctx;
  const perfherder = alert.tThreshold !== undefined;
  const defaults = perfherder ? PERFHERDER_DEFAULTS : CHANGE_POINT_DEFAULTS;
  const back = alert.backWindow ?? defaults.backWindow;
  const fore = (alert.foreWindow ?? defaults.foreWindow) + (alert.for ?? 1) - 1;
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
      // the jumps inside each window: the back window's first point's jump reaches before it, today's crosses the change
      ...(perfherder
        ? []
        : [
            col(`SUM(h.jump) ${over(ctx, `${back - 1} PRECEDING AND 1 PRECEDING`)}`, "back_jumps"),
            col(`SUM(h.jump) ${over(ctx, `1 FOLLOWING AND ${fore - 1} FOLLOWING`)}`, "fore_jumps"),
            col(`COUNT(h.jump) ${over(ctx, `${back - 1} PRECEDING AND 1 PRECEDING`)}`, "back_jump_count"),
          ]),
      // the point that completes the confirmation: the one after the fore window, so the statistic's peak is known
      col(`LEAD(${xColumn(ctx, "h")}, ${fore}) OVER (PARTITION BY ${seriesKeys(ctx, "h")} ORDER BY ${xColumn(ctx, "h")})`, "confirmed_by"),
    ],
    from: perfherder ? fromSql("history", "h") : { kind: "query", query: withJumps(ctx, alert, back + fore + 2), alias: "h" },
    where: perfherder ? [...alertFilter(ctx, alert), ...historyWhere(ctx, alert, back + fore + 2)] : [],
  });
  const tName = `${name}_t`;
  const full = `w.back_n = ${back} AND w.fore_n = ${fore}`;
  const change = "ABS(w.fore_mean - w.back_mean)";
  // a jump inside each window: back − 1 and fore − 1 of them; safe divisions because BigQuery may
  // evaluate a CASE branch it does not take
  const sigma = `${JUMP_TO_SIGMA} * (w.back_jumps + w.fore_jumps) / ${back + fore - 2}`;
  const statistic = perfherder
    ? d.fn.safeDivide(change, `SQRT(${d.fn.safeDivide("w.back_var", "w.back_n")} + ${d.fn.safeDivide("w.fore_var", "w.fore_n")})`)
    : d.fn.safeDivide(change, `${sigma} * ${Math.sqrt(1 / back + 1 / fore)}`);
  const t = select({
    columns: [
      col("w.*"),
      // only where both windows are full, so a half-filled neighbour never outranks a full one
      col(`CASE WHEN ${full}${perfherder ? "" : ` AND w.back_jump_count = ${back - 1}`} THEN ${statistic} END`, "t"),
    ],
    from: fromSql(name, "w"),
  });
  const neighbours = `PARTITION BY ${seriesKeys(ctx, "c")} ORDER BY ${xColumn(ctx, "c")}`;
  const peakName = `${name}_peak`;
  const peak = select({
    columns: [
      col("c.*"),
      col(`LAG(c.t) OVER (${neighbours})`, "t_before"),
      col(`LEAD(c.t) OVER (${neighbours})`, "t_after"),
      // the highest statistic in the back window: above the threshold, this point is the tail of a change already reported
      ...(perfherder ? [] : [col(`MAX(c.t) OVER (${neighbours} ROWS BETWEEN ${back} PRECEDING AND 1 PRECEDING)`, "t_earlier")]),
    ],
    from: fromSql(tName, "c"),
  });
  const cut = alert.tThreshold ?? alert.noiseThreshold ?? CHANGE_POINT_DEFAULTS.noiseThreshold;
  const hit = [
    `h.back_n = ${back}`,
    `h.fore_n = ${fore}`,
    `h.t > ${cut}`,
    ...(perfherder ? [] : [`COALESCE(h.t_earlier, 0) <= ${cut}`]),
    `ABS(h.fore_mean - h.back_mean) >= ${alert.minRelativeChange ?? defaults.minRelativeChange} * ABS(h.back_mean)`,
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
    today: evaluated(ctx, ctx.graph.xaxis === "build_id" ? d.fn.parseBuildDate("h.confirmed_by") : "h.confirmed_by"),
    day: ctx.graph.xaxis === "build_id" ? d.fn.parseBuildDate("h.confirmed_by") : "h.confirmed_by",
  };
}

/**
 * P(Z > x) of a standard normal for x ≥ 0, as SQL over the expression `x` (Zelen and Severo's
 * polynomial, Abramowitz and Stegun 26.2.17, absolute error below 7.5e-8): neither engine has an erf.
 */
function normalUpperTail(x: string): string {
  const t = `(1 / (1 + 0.2316419 * ${x}))`;
  const poly = `${t} * (0.31938153 + ${t} * (-0.356563782 + ${t} * (1.781477937 + ${t} * (-1.821255978 + ${t} * 1.330274429))))`;
  return `0.3989422804014327 * EXP(-0.5 * ${x} * ${x}) * ${poly}`;
}

/**
 * The comparison rows a `branch_difference` alert tests, each with its inverse-variance weight: a row's
 * standard error is its interval's half toward 0 over z. With dimensions, each (branch, metric,
 * statistic, parameter) also gets a series across dimension values (NULL in every dimension column):
 * their inverse-variance pool, on days with at least two of them. A regression that hits every
 * dimension value shows there √k times sooner than in any one of k values alone; one that hits a single
 * value still has its own series.
 */
function weightedDifferences(ctx: AlertContext, where: readonly string[]): Query {
  const { d } = ctx;
  const half = "CASE WHEN h.point >= 0 THEN h.point - h.lower ELSE h.upper - h.point END";
  const names = ctx.graph.population.dimensions.map((dim) => dim.name);
  const series = ["submission_date", "build_id", "branch", "metric", "statistic", "parameter"];
  const own = select({
    columns: [
      ...series.map((k) => col(`h.${k}`, k)),
      // as strings, so that the rows across dimension values (NULL there) union with any dimension type
      ...names.map((dim) => col(d.fn.cast(`h.${d.ident(dim)}`, "string"), dim)),
      col("h.point", "point"),
      col(`CASE WHEN ${half} > 0 THEN POWER(${ctx.z} / (${half}), 2) END`, "weight"),
    ],
    from: fromSql("comparisons", "h"),
    where,
  });
  if (names.length === 0) return own;
  const across = select({
    columns: [
      ...series.map((k) => col(`o.${k}`, k)),
      ...names.map((dim) => col(d.fn.cast("NULL", "string"), dim)),
      col("SUM(o.weight * o.point) / SUM(o.weight)", "point"),
      col("SUM(o.weight)", "weight"),
    ],
    from: { kind: "query", query: own, alias: "o" },
    groupBy: series.map((k) => `o.${k}`),
    having: ["COUNT(o.weight) >= 2"],
  });
  return unionAll([own, across]);
}

/**
 * `branch_difference`: the `relative_difference` comparison rows of the view (each branch against the
 * reference branch). A row's standard error is its interval's half toward 0 over the confidence
 * level's z (the interval taken as normal on the relative scale, its asymmetry kept on the side that
 * matters for a test against 0); a series is one dimension value's, or the pool across dimension values
 * ({@link weightedDifferences}); the last `windowSize` days of a series are pooled with inverse-variance
 * weights, and the pooled estimate gets a two-sided p-value. On each day, Benjamini-Hochberg across every
 * series the alert watches (branches, dimension values, probes, statistics, parameters) keeps the
 * p-values at or below the largest p(k) ≤ q·k/m; a kept series fires when its estimate lies the
 * `direction` way (regression: worse by the probe's `biggerIsBetter`, either way when the probe does
 * not say) and is at least `minRelativeChange`.
 */
function branchDifference(ctx: AlertContext, alert: GraphAlert, index: number): Condition {
  const { d } = ctx;
  const w = alert.windowSize ?? BRANCH_DIFFERENCE_DEFAULTS.windowSize;
  const q = alert.falseDiscoveryRate ?? BRANCH_DIFFERENCE_DEFAULTS.falseDiscoveryRate;
  const least = alert.minRelativeChange ?? BRANCH_DIFFERENCE_DEFAULTS.minRelativeChange;
  const n = alert.for ?? 1;
  const today = d.date(ctx.date);
  // every day of every window of the last `for` days, and no older: ROWS windows cannot reach past a gap
  const span = w + n - 2 + ctx.extraDays;
  const history =
    ctx.graph.xaxis === "submission_date"
      ? [span === 0 ? `h.submission_date = ${today}` : `h.submission_date BETWEEN ${d.fn.dateSubDays(today, span)} AND ${today}`]
      : historyWhere(ctx, alert, w + n - 1);
  const name = `differences_${index}`;
  const weighted = weightedDifferences(ctx, [...alertFilter(ctx, alert), ...history]);
  const frame = `${w - 1} PRECEDING AND CURRENT ROW`;
  const pooled = select({
    columns: [
      col("h.*"),
      col(`SUM(h.weight) ${over(ctx, frame)}`, "weights"),
      col(`SUM(h.weight * h.point) ${over(ctx, frame)}`, "weighted_points"),
      col(`COUNT(h.weight) ${over(ctx, frame)}`, "days"),
    ],
    from: fromSql(name, "h"),
  });
  const z = "ABS(p.weighted_points) / SQRT(p.weights)";
  // a full window only, so that every test of a day weighs the same number of days
  const tested = select({
    columns: [
      col("p.*"),
      col("CASE WHEN p.days = " + String(w) + " THEN p.weighted_points / p.weights END", "estimate"),
      // capped at 30 (the tail polynomial's reach) with a CASE: no LEAST, whose NULL handling differs between engines
      col(`CASE WHEN p.days = ${w} THEN CASE WHEN ${z} > 30 THEN 30 ELSE ${z} END END`, "abs_z"),
    ],
    from: fromSql(`${name}_pooled`, "p"),
  });
  const pValues = select({
    columns: [col("t.*"), col(`2 * ${normalUpperTail("t.abs_z")}`, "p_value")],
    from: fromSql(`${name}_tested`, "t"),
  });
  const ranked = select({
    columns: [
      col("r.*"),
      col("COUNT(r.p_value) OVER (PARTITION BY r.submission_date)", "tests"),
      col("ROW_NUMBER() OVER (PARTITION BY r.submission_date ORDER BY r.p_value ASC NULLS LAST)", "p_rank"),
    ],
    from: fromSql(`${name}_p`, "r"),
  });
  const cutoff = select({
    columns: [
      col("b.*"),
      col(`MAX(CASE WHEN b.p_value <= ${q} * b.p_rank / b.tests THEN b.p_value END) OVER (PARTITION BY b.submission_date)`, "p_cutoff"),
    ],
    from: fromSql(`${name}_ranked`, "b"),
  });
  const probes = ctx.graph.probes.filter((p) => alert.probes.includes(p.name));
  const listed = (better: boolean) => probes.filter((p) => p.biggerIsBetter === better).map((p) => d.string(p.name));
  const [better, worse] = [listed(true), listed(false)];
  // how much worse, in the alert's direction: bigger-is-better probes get worse downwards
  const worseBy =
    (alert.direction ?? BRANCH_DIFFERENCE_DEFAULTS.direction) === "both" || (better.length === 0 && worse.length === 0)
      ? "ABS(h.estimate)"
      : `CASE ${better.length ? `WHEN h.metric IN (${better.join(", ")}) THEN -h.estimate ` : ""}${worse.length ? `WHEN h.metric IN (${worse.join(", ")}) THEN h.estimate ` : ""}ELSE ABS(h.estimate) END`;
  const hit = `h.p_value <= h.p_cutoff AND ${worseBy} >= ${least}`;
  const percent = d.fn.cast("ROUND(100 * h.estimate, 1)", "string");
  return {
    ctes: [
      { name, query: weighted },
      { name: `${name}_pooled`, query: pooled },
      { name: `${name}_tested`, query: tested },
      { name: `${name}_p`, query: pValues },
      { name: `${name}_ranked`, query: ranked },
      { name: `${name}_cutoff`, query: cutoff },
    ],
    rows: select({
      columns: [
        col("h.*"),
        col(`COALESCE(${hit}, FALSE)`, "hit"),
        col(`CONCAT(${d.string(`${ALERT_MESSAGES.branch}: `)}, CASE WHEN h.estimate > 0 THEN '+' ELSE '' END, ${percent}, '%')`, "message"),
        col(d.fn.cast("NULL", "string"), "since"),
      ],
      from: fromSql(`${name}_cutoff`, "h"),
    }),
    today: ofToday(ctx, "h"),
    day: "h.submission_date",
  };
}

const CONDITIONS: { readonly [T in GraphAlert["type"]]: (ctx: AlertContext, alert: GraphAlert, index: number) => Condition } = {
  threshold,
  ci_overlap: ciOverlap,
  avg_diff: avgDiff,
  change_point: changePoint,
  branch_difference: branchDifference,
};

/**
 * Where an alerts query reads, in long format (`<slug>_statistics` columns): a branch's own values and
 * the comparisons to the reference branch (`<slug>_comparisons` columns), each a table or view by name
 * parts, or a query over the tables.
 */
export interface AlertSources {
  readonly statistics: readonly string[] | Query;
  readonly comparisons: readonly string[] | Query;
}

/**
 * The day's alerts of a project, read from its statistics (a branch's own values; the comparisons only
 * for `branch_difference`): one SELECT per alert, unioned. Build-id projects evaluate every build of the
 * day's own partition (the whole build window), so a rerun of a past day gives the same rows. With
 * `days` above 1 the query evaluates that many days ending on the context's date at once, each row dated
 * by the day it was evaluated on (what one query per day gives when no series has a gap: backfills, the
 * evaluation; submission-date projects only). Columns: submission_date, build_id, dimensions,
 * metric, statistic, branch, parameter, message (upstream's), then our additions: `alert` (its name),
 * `severity`, and `since` (the first build or day of a change point). With `for` = N an alert fires only
 * when its condition also held on the N − 1 points before today's in the same series.
 *
 * @example printQuery(alertsQuery(ctx, { statistics: statisticsRows(ctx, ...), comparisons: tables.comparisons }), ctx.d)
 * @example printQuery(alertsQuery(ctx, sources, { days: 90 }), ctx.d) // a quarter in one query
 */
export function alertsQuery(ctx: SqlContext, sources: AlertSources, options: { readonly days?: number } = {}): Query {
  if (ctx.graph.alerts.length === 0) throw new Error(`project ${ctx.graph.slug} has no alerts`);
  const days = options.days ?? 1;
  if (!(Number.isInteger(days) && days >= 1)) throw new Error(`days is a whole number of days, at least 1 (got ${days})`);
  if (days > 1 && ctx.graph.xaxis === "build_id")
    throw new Error(`project ${ctx.graph.slug} has build-id alerts, evaluated one day at a time (each day reads its own partition)`);
  return alertsOfDays({ ...ctx, extraDays: days - 1 }, sources);
}

/** All rows of a source, restricted by `where`. */
const rowsOf = (ctx: AlertContext, source: readonly string[] | Query, where: readonly string[]): Query =>
  select({
    columns: [col("*")],
    from: Array.isArray(source) ? fromSql(ctx.d.table(source as readonly string[])) : { kind: "query", query: source as Query, alias: "source" },
    where,
  });

function alertsOfDays(ctx: AlertContext, sources: AlertSources): Query {
  const { d } = ctx;
  const ctes: Cte[] = [{ name: "history", query: rowsOf(ctx, sources.statistics, asOfDay(ctx)) }];
  // only projects with a branch_difference alert read the comparisons (the other types' SQL stays as it was)
  if (ctx.graph.alerts.some((a) => a.type === "branch_difference")) {
    ctes.push({ name: "comparisons", query: rowsOf(ctx, sources.comparisons, ["comparison = 'relative_difference'", ...asOfDay(ctx)]) });
  }
  const queries = ctx.graph.alerts.map((alert, i) => {
    const condition = CONDITIONS[alert.type](ctx, alert, i);
    // change_point spends `for` on a longer fore window instead
    const n = alert.type === "change_point" ? 1 : (alert.for ?? 1);
    const name = `alert_${i}`;
    // a hit alone is an alert when `for` is 1: no window (DuckDB's window operator took 10 ms each on 24 rows)
    const hits = select({
      columns: [col("h.*"), col(`SUM(CASE WHEN h.hit THEN 1 ELSE 0 END) ${over(ctx, `${n - 1} PRECEDING AND CURRENT ROW`)}`, "hits")],
      from: { kind: "query", query: condition.rows, alias: "h" },
    });
    ctes.push(...condition.ctes, { name, query: n === 1 ? condition.rows : hits });
    return select({
      columns: [
        col(ctx.extraDays === 0 ? d.date(ctx.date) : d.fn.toDate(condition.day), "submission_date"),
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
      where: [condition.today, "h.hit", ...(n === 1 ? [] : [`h.hits = ${n}`])],
    });
  });
  return withCtes(ctes, unionAll(queries));
}
