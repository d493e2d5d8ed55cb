// The statistics half of the whole-day floor: what an engineer would write by hand for
// `tab-unloading-rollout`'s statistics, with the same intervals as opmon's (the bench's test compares
// the numbers), so the floor prices the same work: one aggregation of the per-client rows for the
// scalars, and the histogram percentile's passes (merge, quantile, per-client CDF at the quantile,
// interval) over integer bucket keys, written in long format with no pivot.
import { gammaQuantileSql } from "../../src/stats/gamma-quantile.js";
import { tQuantileSql } from "../../src/stats/t-quantile.js";
import { orderStatisticMinimum } from "../../src/stats/order-statistic-minimum.js";
import { MINIMUM_CLIENTS } from "../../src/sql/statistics/hall-interval.js";

/** 95% intervals, the project's level. */
const Q = 0.975;
const EPS = "1e-9";
const PERCENTILES = [50, 95];
const SCALARS: readonly (readonly [metric: string, statistics: readonly ("mean" | "sum")[]])[] = [
  ["active_hours", ["mean"]],
  ["content_crashes", ["sum"]],
  ["main_crashes", ["sum"]],
  ["shutdown_hangs", ["sum", "mean"]],
];

/**
 * Macros the floor's statistics call (installed once, outside the timed work): Student's t and the
 * clamp of a share. Each takes plain columns: the interval arithmetic itself is spelled once per layer
 * of {@link floorStatisticsSql}, since a macro nested in a macro is copied into its caller's expression.
 *
 * @example for (const sql of floorMacros()) await engine.execute(sql);
 */
export function floorMacros(): string[] {
  return [
    `CREATE OR REPLACE TEMP MACRO floor_t(df) AS ${tQuantileSql(Q, "df")}`,
    `CREATE OR REPLACE TEMP MACRO floor_clamp01(x) AS CASE WHEN x < 0 THEN 0 WHEN x > 1 THEN 1 ELSE x END`,
  ];
}

/**
 * The mean and sum rows, one layer of arithmetic over the one before: from the moments per metric to
 * Hall's skewness-corrected interval, with kurtosis-reduced degrees of freedom (of the mean, n times it for the sum) and Garwood's
 * scaled-Poisson one (of the sum given the clients' spread for the mean, of a compound Poisson sum
 * for the sum), the lower bound the smaller and at least 0, the upper the larger, for values never below 0;
 * event counts take the scaled-Poisson interval alone, with Jeffreys' lower bound.
 */
function scalarRows(): string {
  const long = SCALARS.flatMap(([m, statistics]) =>
    statistics.map(
      (st) =>
        `SELECT os, cores, branch, '${m}' AS metric, '${st}' AS statistic, n_${m} AS n, s_${m} AS s, ss_${m} AS ss, s3_${m} AS s3, s4_${m} AS s4, lo_${m} AS lo, fr_${m} AS fr FROM moments`,
    ),
  ).join(" UNION ALL ");
  const m2 = "((ss - s * s / n) / n)";
  // kurtosis m4/m2²: heavy tails take fewer degrees of freedom, ⌊n/(κ − 1)⌋ (at least 1), than n − 1
  const kurtosis = `(s4 / n - 4 * (s / n) * s3 / n + 6 * POWER(s / n, 2) * ss / n - 3 * POWER(s / n, 4)) / (${m2} * ${m2})`;
  const spread = `SELECT *, s / n AS mean,
      CASE WHEN n > 2 AND ${m2} > 0 THEN (s3 / n - 3 * (s / n) * ss / n + 2 * POWER(s / n, 3)) / POWER(${m2}, 1.5) * SQRT(n * (n - 1)) / (n - 2) ELSE 0 END AS skew,
      CASE WHEN n > 1 THEN greatest((ss - s * s / n) / (n - 1), 0) END AS variance,
      floor_t(CASE WHEN NOT ${m2} > 0 OR (${kurtosis} - 1) * (n - 1) <= n THEN n - 1 WHEN ${kurtosis} - 1 >= n THEN 1 ELSE floor(n / (${kurtosis} - 1)) END) AS t
    FROM (${long})`;
  // event counts: whole values, none below 0, no more spread than about a Poisson count's
  const counted = `SELECT *, coalesce(lo >= 0 AND fr = 0 AND variance <= 2 * s / n, false) AS is_count FROM (${spread})`;
  // Hall: mean − g⁻¹(y)·se, g⁻¹(y) = ((1 + 3a(y − b))^(1/3) − 1)/a with a = γ/(3√n), b = γ/(6√n), y = ±t
  const inverse = (y: string) => `CASE WHEN a = 0 THEN ${y} - b ELSE (SIGN(1 + 3 * a * (${y} - b)) * POWER(ABS(1 + 3 * a * (${y} - b)), 1.0 / 3) - 1) / a END`;
  const hall = `SELECT *, skew / (3 * SQRT(n)) AS a, skew / (6 * SQRT(n)) AS b, SQRT(variance / n) AS se,
      CASE statistic WHEN 'mean' THEN 1 ELSE n END AS scale, CASE statistic WHEN 'mean' THEN n ELSE 1 END AS per,
      CASE statistic WHEN 'mean' THEN n * variance ELSE ss END AS total_variance
    FROM (${counted})`;
  const phi = `SELECT *, scale * (mean - (${inverse("t")}) * se) AS hall_lower, scale * (mean - (${inverse("-t")}) * se) AS hall_upper,
      CASE WHEN s > 0 AND total_variance > 0 THEN total_variance / s ELSE 1 END AS phi
    FROM (${hall})`;
  const poisson = `SELECT *, phi * (${gammaQuantileSql(1 - Q, "(s / phi)")}) / per AS poisson_lower,
      phi * (${gammaQuantileSql(1 - Q, "(s / phi + 0.5)")}) / per AS jeffreys_lower,
      phi * (${gammaQuantileSql(Q, "(s / phi + 1)")}) / per AS poisson_upper
    FROM (${phi})`;
  // measured values need MINIMUM_CLIENTS clients for an interval, event counts 2
  return `SELECT os, cores, branch, metric, statistic, NULL AS parameter, CASE statistic WHEN 'mean' THEN mean ELSE s END AS point,
    CASE WHEN n < CASE WHEN is_count THEN 2 ELSE ${MINIMUM_CLIENTS} END THEN NULL WHEN is_count THEN jeffreys_lower WHEN lo >= 0 THEN CASE WHEN hall_lower IS NULL OR poisson_lower IS NULL THEN NULL ELSE greatest(least(hall_lower, poisson_lower), 0) END ELSE hall_lower END AS lower,
    CASE WHEN n < CASE WHEN is_count THEN 2 ELSE ${MINIMUM_CLIENTS} END THEN NULL WHEN is_count THEN poisson_upper WHEN lo >= 0 THEN CASE WHEN hall_upper IS NULL OR poisson_upper IS NULL THEN NULL ELSE greatest(hall_upper, poisson_upper) END ELSE hall_upper END AS upper,
    n AS clients
  FROM (${poisson})`;
}

/**
 * The SELECT of the day's statistics of `tab-unloading-rollout` from its per-client table `clients`
 * (the floor's: os, cores, branch, client_id, the probes): long rows of os, cores, branch, metric,
 * statistic, parameter, point, lower, upper, clients.
 *
 * @example await engine.execute(`CREATE TABLE bench.floor_statistics AS ${floorStatisticsSql("bench.floor_clients")}`);
 */
export function floorStatisticsSql(clients: string): string {
  const moments = SCALARS.map(([m]) => {
    const x = `CAST(${m} AS DOUBLE)`;
    return `count(${x}) AS n_${m}, sum(${x}) AS s_${m}, sum(${x} * ${x}) AS ss_${m}, sum(${x} * ${x} * ${x}) AS s3_${m}, sum(${x} * ${x} * ${x} * ${x}) AS s4_${m}, min(${x}) AS lo_${m}, count(*) FILTER (WHERE ${x} <> round(${x})) AS fr_${m}`;
  });
  const holds = (x: string) => `w > 0 AND cdf >= ${x} - ${EPS}`;
  const within = (x: string) => `floor_clamp01((${x} - (cdf - share)) / share)`;
  const valueAt = (x: string) => `min(k + ${within(x)} * (next_k - k)) FILTER (WHERE ${holds(x)})`;
  const percentileRows = PERCENTILES.map((percent, i) => {
    const p = percent / 100;
    const [low, high] = [`${p} - half_${i}`, `${p} + half_${i}`];
    return `SELECT os, cores, branch, 'memory_total' AS metric, 'percentile' AS statistic, '${percent}' AS parameter,
      ${valueAt(String(p))} AS point,
      CASE WHEN enough_${i} AND any_value(${low}) > 0 THEN ${valueAt(low)} END AS lower,
      CASE WHEN enough_${i} AND any_value(${high}) < 1 THEN ${valueAt(high)} END AS upper,
      round(max(n)) AS clients
    FROM cdf JOIN half USING (os, cores, branch) GROUP BY os, cores, branch, enough_${i}`;
  });
  return `WITH moments AS (
  SELECT os, cores, branch, ${moments.join(",\n    ")} FROM ${clients} GROUP BY os, cores, branch
), histograms AS (
  SELECT os, cores, branch, client_id, flatten(list_transform(memory_total, h -> h.values)) AS buckets FROM ${clients}
), client_buckets AS (
  -- each client's histograms normalised to weight 1 (v: a bucket's share over the client's samples)
  SELECT os, cores, branch, client_id, b.key AS k, b.value / total AS w, b.value / (total * total) AS v
  FROM (SELECT *, list_sum(list_transform(buckets, b -> b.value)) AS total, unnest(buckets) AS b FROM histograms)
  WHERE total > 0 AND b.value IS NOT NULL
), merged AS (
  SELECT os, cores, branch, k, sum(w) AS w FROM client_buckets GROUP BY os, cores, branch, k
), cdf AS (
  SELECT *, sum(w) OVER upto / sum(w) OVER grp AS cdf, w / sum(w) OVER grp AS share,
    coalesce(lead(k) OVER upto, k) AS next_k, sum(w) OVER grp AS n
  FROM merged
  WINDOW grp AS (PARTITION BY os, cores, branch),
    upto AS (PARTITION BY os, cores, branch ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
), quantiles AS (
  SELECT os, cores, branch, ${PERCENTILES.map(
    (percent, i) =>
      `min(k) FILTER (WHERE ${holds(String(percent / 100))}) AS q_${i},
    min(${within(String(percent / 100))}) FILTER (WHERE ${holds(String(percent / 100))} AND cdf - share < ${percent / 100} - ${EPS}) AS t_${i}`,
  ).join(",\n    ")}
  FROM cdf GROUP BY os, cores, branch
), per_client AS (
  -- each client's CDF at the quantile, and the variance of where in its bucket its samples fall
  SELECT os, cores, branch, ${PERCENTILES.map(
    (_, i) =>
      `sum(w * CASE WHEN k < q_${i} THEN 1 WHEN k = q_${i} THEN t_${i} ELSE 0 END) AS f_${i},
    sum(CASE WHEN k = q_${i} THEN v * t_${i} * (1 - t_${i}) ELSE 0 END) AS v_${i}`,
  ).join(",\n    ")}
  FROM client_buckets JOIN quantiles USING (os, cores, branch) GROUP BY os, cores, branch, client_id
), half AS (
  -- enough: the clients' samples are worth the independent ones, p(1 − p)/se², that bound the quantile
  SELECT os, cores, branch, ${PERCENTILES.map((percent, i) => {
    const variance = `(sum(f_${i} * f_${i}) - sum(f_${i}) * sum(f_${i}) / count(*)) / (count(*) - 1) / count(*) + sum(v_${i}) / count(*) / count(*)`;
    const p = percent / 100;
    return `CASE WHEN count(*) > 1 THEN floor_t(count(*) - 1) * sqrt(greatest(${variance}, 0)) END AS half_${i},
    coalesce(count(*) <= 1 OR ${p * (1 - p)} / nullif(${variance}, 0) >= ${orderStatisticMinimum(p)}, true) AS enough_${i}`;
  }).join(",\n    ")}
  FROM per_client GROUP BY os, cores, branch
)
${[scalarRows(), ...percentileRows].join("\nUNION ALL\n")}`;
}
