import type { GraphStatistic } from "../../graph/project-graph.js";
import { col, fromSql, select, type Cte } from "../sql-node.js";
import { floatValue, longRowColumns, standardErrorOfMean } from "./long-row-columns.js";
import type { StatisticBuilder, StatisticInput } from "./statistic-builder.js";
import { atLeast, cubeRoot } from "./sql-math.js";
import { normalTail } from "../../stats/tail-probability.js";
import { tQuantileSql } from "../../stats/t-quantile.js";

/** Statistics computed from a probe's moments. */
export const MOMENT_STATISTICS: ReadonlySet<string> = new Set(["count", "sum", "mean"]);

/** Count, sum, sums of squares and cubes of each probe per group, in one pass: `n_<probe>`, `s_<probe>`, `ss_<probe>`, `s3_<probe>`. */
function momentsQuery(input: Pick<StatisticInput, "ctx" | "source" | "keys">, probes: readonly string[]) {
  const columns = probes.flatMap((probe) => {
    const v = floatValue(input, probe);
    return [
      col(`COUNT(${v})`, `n_${probe}`),
      col(`SUM(${v})`, `s_${probe}`),
      col(`SUM(${v} * ${v})`, `ss_${probe}`),
      col(`SUM(${v} * ${v} * ${v})`, `s3_${probe}`),
    ];
  });
  return select({ columns: [...input.keys.map((k) => col(k)), ...columns], from: fromSql(input.source), groupBy: input.keys });
}

/**
 * The moments of several probes as one CTE, so every moment statistic of a query reads one pass
 * over the day's rows (pass its name as {@link StatisticInput.moments}).
 *
 * @example withCtes([source, momentsCte("moments", input, ["active_hours", "main_crashes"])], body)
 */
export const momentsCte = (name: string, input: Pick<StatisticInput, "ctx" | "source" | "keys">, probes: readonly string[]): Cte => ({
  name,
  query: momentsQuery(input, probes),
});

/** One probe's moments as `n`, `s`, `ss`: from the shared CTE, or computed for this statistic alone. */
function moments(input: StatisticInput) {
  const probe = input.probe.name;
  const column = (m: string) => col(input.ctx.d.ident(`${m}_${probe}`), m);
  return select({
    columns: [...input.keys.map((k) => col(k)), column("n"), column("s"), column("ss"), column("s3")],
    from: input.moments ? fromSql(input.moments) : { kind: "query", query: momentsQuery(input, [probe]), alias: "probe_moments" },
  });
}

/** Point ± z·se; `floor` clamps the lower bound where the statistic cannot go below it (a count). */
const fromMoments = (input: StatisticInput, statistic: string, point: string, se: string, floor?: string) => {
  const tooFewClients = statistic === "count" ? "FALSE" : "n < 2";
  const lower = `${point} - ${input.ctx.z} * ${se}`;
  return select({
    columns: longRowColumns(input, statistic, {
      point,
      lower: floor === undefined ? lower : atLeast(lower, floor),
      upper: `${point} + ${input.ctx.z} * ${se}`,
      clients: "n",
      tooFewClients,
    }),
    from: { kind: "query", query: moments(input), alias: "moments" },
  });
};

/**
 * `count`: clients with a value; the interval is Poisson's normal approximation, n ± z·√n, its lower
 * bound clamped at 0 (a count is never negative).
 *
 * @example count({ name: "count" }, input).rows
 */
export const count: StatisticBuilder<Extract<GraphStatistic, { name: "count" | "sum" | "mean" }>> = (_s, input) => ({
  ctes: [],
  rows: fromMoments(input, "count", "n", "SQRT(n)", "0"),
});

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
 * `mean`: the mean of the clients' values; Hall's skewness-corrected t interval (NULL bounds and
 * too_few_clients below 2 clients: no spread to measure).
 *
 * @example mean({ name: "mean" }, input).rows
 */
export const mean: StatisticBuilder<Extract<GraphStatistic, { name: "count" | "sum" | "mean" }>> = (_s, input) => {
  const { lower, upper } = hallInterval(input);
  return {
    ctes: [],
    rows: select({
      columns: longRowColumns(input, "mean", { point: "s / n", lower, upper, clients: "n", tooFewClients: "n < 2" }),
      from: { kind: "query", query: moments(input), alias: "moments" },
    }),
  };
};

/** `sum`: the sum of the clients' values, n times the mean's interval (NULL bounds for one client). */
export const sum: StatisticBuilder<Extract<GraphStatistic, { name: "count" | "sum" | "mean" }>> = (_s, input) => {
  const { lower, upper } = hallInterval(input);
  return {
    ctes: [],
    rows: select({
      columns: longRowColumns(input, "sum", { point: "s", lower: `n * (${lower})`, upper: `n * (${upper})`, clients: "n", tooFewClients: "n < 2" }),
      from: { kind: "query", query: moments(input), alias: "moments" },
    }),
  };
};
