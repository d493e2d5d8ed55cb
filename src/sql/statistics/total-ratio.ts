import type { GraphStatistic } from "../../graph/project-graph.js";
import { col, fromSql, select } from "../sql-node.js";
import { floatValue, longRowColumns } from "./long-row-columns.js";
import type { StatisticBuilder } from "./statistic-builder.js";
import { atLeast } from "./sql-math.js";
import { normalTail } from "../../stats/tail-probability.js";
import { tQuantileSql } from "../../stats/t-quantile.js";
import { scaledPoissonIntervalSql } from "../../stats/gamma-quantile.js";

/**
 * `total_ratio`: Σx / Σy over the clients having either value (a missing one counts 0); a zero
 * denominator gives NULL, not an error. The interval is the delta method's standard error with a t
 * quantile (n − 1 df), on the log scale where the ratio is above 0 and no numerator is negative (so a
 * right-skewed ratio gets a longer upper side), hulled with the scaled-Poisson interval of Σx given the
 * denominators (variance Σ(x − R·y)²) over Σy, which holds rare events and an all-zero numerator
 * ([0, 3.69/Σy] at 95%); its lower bound is then at least 0. A numerator of event counts (integers
 * not below 0, residual dispersion at most 2) takes that Poisson interval alone, with Jeffreys' lower
 * bound, as `sum` and `mean` do. Negative numerators keep the symmetric t interval.
 *
 * @example totalRatio({ name: "total_ratio", denominator: "active_hours" }, input)
 */
export const totalRatio: StatisticBuilder<Extract<GraphStatistic, { name: "total_ratio" }>> = (statistic, input) => {
  const { d, graph, z } = input.ctx;
  if (!graph.probes.some((p) => p.name === statistic.denominator)) {
    throw new Error(
      `probe ${input.probe.name}: total_ratio denominator "${statistic.denominator}" is not a probe of project ${graph.slug}`,
    );
  }
  const x = `COALESCE(${floatValue(input, input.probe.name)}, 0)`;
  const y = `COALESCE(${floatValue(input, statistic.denominator)}, 0)`;
  const sums = select({
    columns: [
      ...input.keys.map((k) => col(k)),
      col("COUNT(*)", "n"),
      col(`SUM(${x})`, "sx"),
      col(`SUM(${y})`, "sy"),
      col(`SUM(${x} * ${x})`, "sxx"),
      col(`SUM(${y} * ${y})`, "syy"),
      col(`SUM(${x} * ${y})`, "sxy"),
      col(`MIN(${x})`, "lo"),
      col(`SUM(CASE WHEN ${x} <> ROUND(${x}) THEN 1 ELSE 0 END)`, "fr"),
    ],
    from: fromSql(input.source),
    where: [`${input.source}.${d.ident(input.probe.name)} IS NOT NULL OR ${input.source}.${d.ident(statistic.denominator)} IS NOT NULL`],
    groupBy: input.keys,
  });
  const ratio = d.fn.safeDivide("sx", "sy");
  // Σ(x − R·y)²: the numerator's spread around the ratio line
  const residual = `${atLeast(`sxx - 2 * ${ratio} * sxy + ${ratio} * ${ratio} * syy`, "0")}`;
  // var(R) ≈ (var x − 2R cov(x, y) + R² var y) / (n ȳ²), sample (co)variances
  const variance = `(sxx - sx * sx / n - 2 * ${ratio} * (sxy - sx * sy / n) + ${ratio} * ${ratio} * (syy - sy * sy / n)) / (n - 1)`;
  const se = `CASE WHEN n > 1 AND sy != 0 THEN SQRT(${atLeast(variance, "0")} / n) / ABS(sy / n) END`;
  const level = 1 - 2 * normalTail(z);
  const poisson = scaledPoissonIntervalSql("sx", residual, level);
  const counts = scaledPoissonIntervalSql("sx", residual, level, 0.5);
  const terms = select({
    columns: [
      ...input.keys.map((k) => col(k)),
      col("n"),
      col("sy"),
      col("lo"),
      col(ratio, "r"),
      col(se, "se"),
      col(`CASE WHEN n > 1 THEN ${tQuantileSql(1 - normalTail(z), "(n - 1)")} END`, "t"),
      col(`CASE WHEN sy > 0 THEN (${poisson.lower}) / sy END`, "poisson_lower"),
      col(`CASE WHEN sy > 0 THEN (${poisson.upper}) / sy END`, "poisson_upper"),
      col(`lo >= 0 AND fr = 0 AND ${residual} <= 2 * sx`, "is_count"),
      col(`CASE WHEN sy > 0 THEN (${counts.lower}) / sy END`, "count_lower"),
      col(`CASE WHEN sy > 0 THEN (${counts.upper}) / sy END`, "count_upper"),
    ],
    from: { kind: "query", query: sums, alias: "sums" },
  });
  const skewable = "lo >= 0 AND sy > 0";
  const logBound = (sign: string) => `CASE WHEN r > 0 THEN r * EXP(${sign}t * se / r) END`;
  // the log-scale bound, or the Poisson one where it is further out or the ratio is 0
  const hull = (sign: string, further: string) =>
    `CASE WHEN ${logBound(sign)} IS NULL OR poisson_${sign === "-" ? "lower" : "upper"} ${further} ${logBound(sign)} THEN poisson_${sign === "-" ? "lower" : "upper"} ELSE ${logBound(sign)} END`;
  const tooFew = "NOT (n > 1 AND sy != 0)";
  return {
    ctes: [],
    rows: select({
      columns: longRowColumns(input, "total_ratio", {
        parameter: statistic.denominator,
        point: "r",
        lower: `CASE WHEN ${tooFew} THEN NULL WHEN ${skewable} AND is_count THEN count_lower WHEN ${skewable} THEN ${atLeast(hull("-", "<"), "0")} ELSE r - t * se END`,
        upper: `CASE WHEN ${tooFew} THEN NULL WHEN ${skewable} AND is_count THEN count_upper WHEN ${skewable} THEN ${hull("", ">")} ELSE r + t * se END`,
        clients: "n",
        tooFewClients: tooFew,
      }),
      from: { kind: "query", query: terms, alias: "terms" },
    }),
  };
};
