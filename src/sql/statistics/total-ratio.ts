import type { GraphStatistic } from "../../graph/project-graph.js";
import { col, fromSql, select } from "../sql-node.js";
import { floatValue, longRowColumns } from "./long-row-columns.js";
import type { StatisticBuilder } from "./statistic-builder.js";
import { atLeast } from "./sql-math.js";

/**
 * `total_ratio`: Σx / Σy over the clients having either value (a missing one counts 0), with a
 * delta-method interval; a zero denominator gives NULL, not an error.
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
    ],
    from: fromSql(input.source),
    where: [`${input.source}.${d.ident(input.probe.name)} IS NOT NULL OR ${input.source}.${d.ident(statistic.denominator)} IS NOT NULL`],
    groupBy: input.keys,
  });
  const ratio = d.fn.safeDivide("sx", "sy");
  // var(R) ≈ (var x − 2R cov(x, y) + R² var y) / (n ȳ²), sample (co)variances
  const variance = `(sxx - sx * sx / n - 2 * ${ratio} * (sxy - sx * sy / n) + ${ratio} * ${ratio} * (syy - sy * sy / n)) / (n - 1)`;
  const se = `CASE WHEN n > 1 AND sy != 0 THEN SQRT(${atLeast(variance, "0")} / n) / ABS(sy / n) END`;
  return {
    ctes: [],
    rows: select({
      columns: longRowColumns(input, "total_ratio", {
        parameter: statistic.denominator,
        point: ratio,
        lower: `${ratio} - ${z} * ${se}`,
        upper: `${ratio} + ${z} * ${se}`,
        clients: "n",
        tooFewClients: "NOT (n > 1 AND sy != 0)",
      }),
      from: { kind: "query", query: sums, alias: "sums" },
    }),
  };
};
