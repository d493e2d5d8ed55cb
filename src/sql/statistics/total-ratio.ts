import type { GraphStatistic } from "../../graph/project-graph.js";
import { col, fromSql, select, unionAll } from "../sql-node.js";
import { floatValue, longRowColumns } from "./long-row-columns.js";
import type { StatisticBuilder, StatisticInput, StatisticSql } from "./statistic-builder.js";
import { atLeast } from "./sql-math.js";
import { normalTail } from "../../stats/tail-probability.js";
import { dispersionSql, scaledPoissonIntervalSql } from "../../stats/gamma-quantile.js";
import { hallBounds, hallStepColumns, hallTermColumns, MINIMUM_CLIENTS } from "./hall-interval.js";

/**
 * `total_ratio`: Σx / Σy over the clients having either value (a missing one counts 0); a zero
 * denominator gives NULL, not an error. R̂ − R is the mean of the residuals x − R·y over ȳ, so the
 * interval is Hall's skewness-corrected one for that mean (the residuals e = x − R̂·y: their
 * variance, skewness and kurtosis, computed from e itself after a window pass, not from raw power
 * sums that cancel), over ȳ: a right-skewed numerator gets the longer upper side. Where no numerator
 * is negative and Σy > 0 it is hulled with the scaled-Poisson interval of Σx given the denominators
 * (variance Σe²) over Σy, which holds rare events and an all-zero numerator ([0, 3.69/Σy] at 95%);
 * its lower bound is then at least 0. A numerator of event counts (integers not below 0, residual
 * dispersion at most 2) takes that Poisson interval alone, with Jeffreys' lower bound, as `sum` and
 * `mean` do. Measured values need {@link MINIMUM_CLIENTS} clients, event counts 2.
 *
 * @example totalRatio({ name: "total_ratio", denominator: "active_hours" }, input)
 */
export const totalRatio: StatisticBuilder<Extract<GraphStatistic, { name: "total_ratio" }>> = (statistic, input) =>
  totalRatios([{ probe: input.probe.name, denominator: statistic.denominator }], input);

/**
 * The total_ratio rows of several (probe, denominator) pairs from one query: every pair's per-client
 * values as long rows (`metric`, `parameter` naming the pair), then one expression for all of them,
 * so a project's SQL holds the interval once rather than once per pair. {@link totalRatio} is a batch of one.
 *
 * @example totalRatios([{ probe: "crashes", denominator: "active_hours" }, { probe: "hangs", denominator: "active_hours" }], input)
 */
export function totalRatios(pairs: readonly { readonly probe: string; readonly denominator: string }[], input: StatisticInput): StatisticSql {
  const { d, graph, z } = input.ctx;
  for (const { probe, denominator } of pairs) {
    if (!graph.probes.some((p) => p.name === denominator)) {
      throw new Error(`probe ${probe}: total_ratio denominator "${denominator}" is not a probe of project ${graph.slug}`);
    }
  }
  const pair = ["metric", "parameter"];
  const carried = [...input.keys, ...pair].map((k) => col(k));
  const values = unionAll(
    pairs.map(({ probe, denominator }) =>
      select({
        columns: [
          ...input.keys.map((k) => col(k)),
          col(d.string(probe), "metric"),
          col(d.string(denominator), "parameter"),
          col(`COALESCE(${floatValue(input, probe)}, 0)`, "ratio_x"),
          col(`COALESCE(${floatValue(input, denominator)}, 0)`, "ratio_y"),
        ],
        from: input.from,
        where: [`${input.source}.${d.ident(probe)} IS NOT NULL OR ${input.source}.${d.ident(denominator)} IS NOT NULL`],
      }),
    ),
  );
  const group = `PARTITION BY ${[...input.keys, ...pair].join(", ")}`;
  // each client's values beside its group's ratio, so the residuals' moments need no cancelling sums
  const ratios = select({
    columns: [...carried, col("ratio_x"), col("ratio_y"), col(d.fn.safeDivide(`SUM(ratio_x) OVER (${group})`, `SUM(ratio_y) OVER (${group})`), "ratio_r")],
    from: { kind: "query", query: values, alias: "ratio_values" },
  });
  const e = "(ratio_x - ratio_r * ratio_y)";
  const sums = select({
    columns: [
      ...carried,
      col("COUNT(*)", "n"),
      col("SUM(ratio_x)", "sx"),
      col("SUM(ratio_y)", "sy"),
      col("MIN(ratio_r)", "r"),
      col(`SUM(${e} * ${e})`, "e2"),
      col(`SUM(${e} * ${e} * ${e})`, "e3"),
      col(`SUM(${e} * ${e} * ${e} * ${e})`, "e4"),
      col("MIN(ratio_x)", "lo"),
      col("SUM(CASE WHEN ratio_x <> ROUND(ratio_x) THEN 1 ELSE 0 END)", "fr"),
    ],
    from: { kind: "query", query: ratios, alias: "pairs" },
    groupBy: [...input.keys, ...pair],
  });
  const terms = select({
    columns: [
      ...["n", "sx", "sy", "r", "lo"].map((c) => col(c)),
      ...carried,
      // Σe = 0: the residuals' variance is Σe²/(n − 1), and R̂'s standard error that over n, over ȳ
      col(`CASE WHEN n > 1 AND sy != 0 THEN SQRT(e2 / (n - 1) / n) / ABS(sy / n) END`, "se"),
      ...hallTermColumns("n", "(e2 / n)", "(e3 / n)", "(e4 / n)"),
      col(`lo >= 0 AND fr = 0 AND e2 <= 2 * sx`, "is_count"),
      col(dispersionSql("sx", "e2"), "phi"),
    ],
    from: { kind: "query", query: sums, alias: "sums" },
  });
  const steps = select({ columns: [col("*"), ...hallStepColumns(1 - normalTail(z))], from: { kind: "query", query: terms, alias: "terms" } });
  const level = 1 - 2 * normalTail(z);
  const hall = hallBounds("r", "se");
  const poisson = scaledPoissonIntervalSql("sx", "phi", level);
  const jeffreys = scaledPoissonIntervalSql("sx", "phi", level, 0.5);
  const bounds = select({
    columns: [
      ...carried,
      ...["n", "sy", "r", "lo", "is_count"].map((c) => col(c)),
      col(hall.lower, "hall_lower"),
      col(hall.upper, "hall_upper"),
      col(`CASE WHEN sy > 0 THEN (${poisson.lower}) / sy END`, "poisson_lower"),
      col(`CASE WHEN sy > 0 THEN (${poisson.upper}) / sy END`, "poisson_upper"),
      col(`CASE WHEN sy > 0 THEN (${jeffreys.lower}) / sy END`, "count_lower"),
    ],
    from: { kind: "query", query: steps, alias: "steps" },
  });
  const skewable = "lo >= 0 AND sy > 0";
  // the further out of Hall's bound and the Poisson one (the Poisson one alone where Hall's is NULL)
  const hull = (side: "lower" | "upper") =>
    `CASE WHEN hall_${side} IS NULL OR poisson_${side} ${side === "lower" ? "<" : ">"} hall_${side} THEN poisson_${side} ELSE hall_${side} END`;
  const tooFew = `NOT (sy != 0 AND n >= CASE WHEN is_count THEN 2 ELSE ${MINIMUM_CLIENTS} END)`;
  return {
    ctes: [],
    rows: select({
      columns: longRowColumns(input, "total_ratio", {
        metric: "metric",
        parameter: { sql: "parameter" },
        point: "r",
        lower: `CASE WHEN ${tooFew} THEN NULL WHEN ${skewable} AND is_count THEN count_lower WHEN ${skewable} THEN ${atLeast(hull("lower"), "0")} ELSE hall_lower END`,
        upper: `CASE WHEN ${tooFew} THEN NULL WHEN ${skewable} AND is_count THEN poisson_upper WHEN ${skewable} THEN ${hull("upper")} ELSE hall_upper END`,
        clients: "n",
        tooFewClients: `COALESCE(${tooFew}, TRUE)`,
      }),
      from: { kind: "query", query: bounds, alias: "bounds" },
    }),
  };
}
