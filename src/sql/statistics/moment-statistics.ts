import type { GraphStatistic } from "../../graph/project-graph.js";
import { col, fromSql, select, type Cte } from "../sql-node.js";
import { floatValue, longRowColumns, standardErrorOfMean } from "./long-row-columns.js";
import type { StatisticBuilder, StatisticInput } from "./statistic-builder.js";
import { atLeast, cubeRoot } from "./sql-math.js";
import { normalTail } from "../../stats/tail-probability.js";
import { tQuantileSql } from "../../stats/t-quantile.js";
import { scaledPoissonIntervalSql } from "../../stats/gamma-quantile.js";

/** The sample variance of the values (n ≥ 2), from the moments; never below 0. */
const sampleVariance = `(CASE WHEN n > 1 THEN ${atLeast("(ss - s * s / n) / (n - 1)", "0")} END)`;

/** Statistics computed from a probe's moments. */
export const MOMENT_STATISTICS: ReadonlySet<string> = new Set(["count", "sum", "mean"]);

/** A probe whose moments a query needs; `countOnly` when its only moment statistic is `count`. */
export interface MomentProbe {
  readonly name: string;
  readonly countOnly: boolean;
}

/** The moments `count` reads: `n` alone, from the value as it is. */
const COUNT_MOMENTS = ["n"] as const;
const ALL_MOMENTS = ["n", "s", "ss", "s3", "lo", "fr"] as const;

/**
 * Count, sum, sums of squares and cubes, minimum and number of non-integer values of each probe per
 * group, in one pass: `n_<probe>`, `s_<probe>`, `ss_<probe>`, `s3_<probe>`, `lo_<probe>`, `fr_<probe>`
 * (the last tells event counts from measurements). A count-only probe gets `n_<probe>` alone,
 * counted on the value as it is: a BOOL or STRING probe has a count, and BigQuery has no cast from BOOL
 * to FLOAT64.
 */
function momentsQuery(input: Pick<StatisticInput, "ctx" | "source" | "keys">, probes: readonly MomentProbe[]) {
  const columns = probes.flatMap(({ name: probe, countOnly }) => {
    if (countOnly) return [col(`COUNT(${input.source}.${input.ctx.d.ident(probe)})`, `n_${probe}`)];
    const v = floatValue(input, probe);
    return [
      col(`COUNT(${v})`, `n_${probe}`),
      col(`SUM(${v})`, `s_${probe}`),
      col(`SUM(${v} * ${v})`, `ss_${probe}`),
      col(`SUM(${v} * ${v} * ${v})`, `s3_${probe}`),
      col(`MIN(${v})`, `lo_${probe}`),
      col(`SUM(CASE WHEN ${v} <> ROUND(${v}) THEN 1 ELSE 0 END)`, `fr_${probe}`),
    ];
  });
  return select({ columns: [...input.keys.map((k) => col(k)), ...columns], from: fromSql(input.source), groupBy: input.keys });
}

/**
 * The moments of several probes as one CTE, so every moment statistic of a query reads one pass
 * over the day's rows (pass its name as {@link StatisticInput.moments}).
 *
 * @example withCtes([source, momentsCte("moments", input, [{ name: "active_hours", countOnly: false }])], body)
 */
export const momentsCte = (name: string, input: Pick<StatisticInput, "ctx" | "source" | "keys">, probes: readonly MomentProbe[]): Cte => ({
  name,
  query: momentsQuery(input, probes),
});

/** One probe's moments as `n`, `s`, `ss`, `s3`, `lo`, `fr` (`n` alone for `count`): from the shared CTE, or computed for this statistic alone. */
function moments(input: StatisticInput, countOnly = false) {
  const probe = input.probe.name;
  const column = (m: string) => col(input.ctx.d.ident(`${m}_${probe}`), m);
  return select({
    columns: [...input.keys.map((k) => col(k)), ...(countOnly ? COUNT_MOMENTS : ALL_MOMENTS).map(column)],
    from: input.moments
      ? fromSql(input.moments)
      : { kind: "query", query: momentsQuery(input, [{ name: probe, countOnly }]), alias: "probe_moments" },
  });
}

/** The confidence level of the context's z. */
const levelOf = (input: StatisticInput) => 1 - 2 * normalTail(input.ctx.z);

/**
 * `count`: clients with a value, of any type (BOOL and STRING too). The clients of a day are a Poisson count, so the interval is
 * Garwood's exact Poisson one (gamma quantiles, Wilson-Hilferty): never below 0, and [0, 3.69] at 95%
 * for a group nobody reported in.
 *
 * @example count({ name: "count" }, input).rows
 */
export const count: StatisticBuilder<Extract<GraphStatistic, { name: "count" | "sum" | "mean" }>> = (_s, input) => {
  const { lower, upper } = scaledPoissonIntervalSql("n", "n", levelOf(input));
  return {
    ctes: [],
    rows: select({
      columns: longRowColumns(input, "count", { point: "n", lower, upper, clients: "n", tooFewClients: "FALSE" }),
      from: { kind: "query", query: moments(input, true), alias: "moments" },
    }),
  };
};

/** The smaller (`smaller`) or larger of two columns; NULL when either is. */
const pick = (a: string, b: string, smaller: boolean) =>
  `CASE WHEN ${a} IS NULL OR ${b} IS NULL THEN NULL WHEN ${a} ${smaller ? "<=" : ">="} ${b} THEN ${a} ELSE ${b} END`;

/**
 * The rows of a mean or sum. Event counts (integers never below 0, variance at most twice the mean,
 * as a Poisson count's is near its mean) take the scaled-Poisson interval `counts` alone: Hall's
 * t interval is meaningless on a handful of events, and a hull of the two over-covers (99% at three
 * expected events). Other values never below 0 (`lo >= 0`) take Hall's interval widened to hold the
 * scaled-Poisson one `poisson`: the lower bound the smaller of the two and at least 0, the upper the
 * larger. Hall's is the better one where values are plentiful and skewed; the Poisson one where they
 * are mostly 0 (Hall's collapses to [0, 0] on an all-zero group). Negative values keep Hall's alone.
 * The intervals are computed in a subquery first, so the SQL names each once.
 */
function widenedRows(input: StatisticInput, statistic: string, point: string, hall: Bounds, poisson: Bounds, counts: Bounds) {
  const bounds = select({
    columns: [
      ...input.keys.map((k) => col(k)),
      ...["n", "s", "lo"].map((m) => col(m)),
      col(`lo >= 0 AND fr = 0 AND ${sampleVariance} <= 2 * s / n`, "is_count"),
      col(hall.lower, "hall_lower"),
      col(hall.upper, "hall_upper"),
      col(poisson.lower, "poisson_lower"),
      col(poisson.upper, "poisson_upper"),
      col(counts.lower, "count_lower"),
      col(counts.upper, "count_upper"),
    ],
    from: { kind: "query", query: moments(input), alias: "moments" },
  });
  const lower = `CASE WHEN is_count THEN count_lower WHEN lo >= 0 THEN ${atLeast(pick("hall_lower", "poisson_lower", true), "0")} ELSE hall_lower END`;
  const upper = `CASE WHEN is_count THEN count_upper WHEN lo >= 0 THEN ${pick("hall_upper", "poisson_upper", false)} ELSE hall_upper END`;
  return select({
    columns: longRowColumns(input, statistic, { point, lower, upper, clients: "n", tooFewClients: "n < 2" }),
    from: { kind: "query", query: bounds, alias: "bounds" },
  });
}

type Bounds = { readonly lower: string; readonly upper: string };

/**
 * Hall's (1992) skewness-corrected Student interval for a mean, from n, Σx, Σx², Σx³: with T the
 * t statistic and γ the (bias-adjusted) sample skewness, g(T) = T + aT² + a²T³/3 + b (a = γ/(3√n),
 * b = γ/(6√n)) is near N(0, 1) to O(1/n) and monotone, so its interval inverts in closed form. A right
 * skew (timings) stretches the upper bound, where a symmetric interval under-covers. Needs 2 values;
 * the skewness 3.
 */
function hallInterval(input: StatisticInput): { lower: string; upper: string } {
  const q = 1 - normalTail(input.ctx.z);
  const mean = "(s / n)";
  const m2 = `((ss - s * s / n) / n)`;
  const m3 = `(s3 / n - 3 * ${mean} * ss / n + 2 * POWER(${mean}, 3))`;
  const skew = `CASE WHEN n > 2 AND ${m2} > 0 THEN ${m3} / POWER(${m2}, 1.5) * SQRT(n * (n - 1)) / (n - 2) ELSE 0 END`;
  const se = standardErrorOfMean("n", "s", "ss");
  const a = `(${skew}) / (3 * SQRT(n))`;
  const b = `(${skew}) / (6 * SQRT(n))`;
  const t = tQuantileSql(q, "(n - 1)");
  // g⁻¹(y) = ((1 + 3a(y − b))^(1/3) − 1) / a, or y − b without skew
  const inverse = (y: string) => `CASE WHEN ${a} = 0 THEN ${y} - ${b} ELSE (${cubeRoot(`1 + 3 * ${a} * (${y} - ${b})`)} - 1) / (${a}) END`;
  return { lower: `${mean} - (${inverse(`(${t})`)}) * ${se}`, upper: `${mean} - (${inverse(`-(${t})`)}) * ${se}` };
}

/**
 * `mean`: the mean of the clients' values; Hall's skewness-corrected t interval widened to hold the
 * scaled-Poisson interval of the sum given the clients, over n; event counts take that scaled-Poisson
 * interval alone, with Jeffreys' lower bound (NULL bounds and too_few_clients below 2 clients: no
 * spread to measure).
 *
 * @example mean({ name: "mean" }, input).rows
 */
export const mean: StatisticBuilder<Extract<GraphStatistic, { name: "count" | "sum" | "mean" }>> = (_s, input) => {
  // given the clients, the sum's variance is n·s² (the clients' number is ancillary to their mean)
  const perClient = (b: Bounds) => ({ lower: `(${b.lower}) / n`, upper: `(${b.upper}) / n` });
  const total = (lowerShift: number) => scaledPoissonIntervalSql("s", `n * ${sampleVariance}`, levelOf(input), lowerShift);
  return { ctes: [], rows: widenedRows(input, "mean", "s / n", hallInterval(input), perClient(total(0)), perClient(total(0.5))) };
};

/**
 * `sum`: the sum of the clients' values; n times the mean's Hall interval, widened to hold the
 * scaled-Poisson interval of a compound Poisson sum; event counts take that interval alone, with
 * Jeffreys' lower bound (NULL bounds for one client).
 *
 * @example sum({ name: "sum" }, input).rows
 */
export const sum: StatisticBuilder<Extract<GraphStatistic, { name: "count" | "sum" | "mean" }>> = (_s, input) => {
  const hall = hallInterval(input);
  // compound Poisson: with the clients' number random too, Var(sum) = E[n]·E[x²], estimated by Σx²
  const scaled = { lower: `n * (${hall.lower})`, upper: `n * (${hall.upper})` };
  const total = (lowerShift: number) => scaledPoissonIntervalSql("s", "ss", levelOf(input), lowerShift);
  return { ctes: [], rows: widenedRows(input, "sum", "s", scaled, total(0), total(0.5)) };
};
