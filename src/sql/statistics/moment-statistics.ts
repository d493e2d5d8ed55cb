import type { GraphStatistic } from "../../graph/project-graph.js";
import { col, fromSql, select } from "../sql-node.js";
import { floatValue, longRowColumns, standardErrorOfMean } from "./long-row-columns.js";
import type { StatisticBuilder, StatisticInput } from "./statistic-builder.js";

/** Count, sum and sum of squares of the probe per group: the mergeable state of the moment statistics. */
function moments(input: StatisticInput) {
  const v = floatValue(input, input.probe.name);
  return select({
    columns: [...input.keys.map((k) => col(k)), col(`COUNT(${v})`, "n"), col(`SUM(${v})`, "s"), col(`SUM(${v} * ${v})`, "ss")],
    from: fromSql(input.source),
    groupBy: input.keys,
  });
}

/** Point ± z·se; `floor` clamps the lower bound where the statistic cannot go below it (a count). */
const fromMoments = (input: StatisticInput, statistic: string, point: string, se: string, floor?: string) => {
  const lower = `${point} - ${input.ctx.z} * ${se}`;
  return select({
    columns: longRowColumns(input, statistic, {
      point,
      lower: floor === undefined ? lower : `GREATEST(${lower}, ${floor})`,
      upper: `${point} + ${input.ctx.z} * ${se}`,
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

/** `mean`: the mean of the clients' values, normal interval x̄ ± z·s/√n (NULL bounds for one client: no spread to measure). */
export const mean: StatisticBuilder<Extract<GraphStatistic, { name: "count" | "sum" | "mean" }>> = (_s, input) => ({
  ctes: [],
  rows: fromMoments(input, "mean", "s / n", standardErrorOfMean("n", "s", "ss")),
});

/** `sum`: the sum of the clients' values, normal interval Σx ± z·√n·s (NULL bounds for one client). */
export const sum: StatisticBuilder<Extract<GraphStatistic, { name: "count" | "sum" | "mean" }>> = (_s, input) => ({
  ctes: [],
  rows: fromMoments(input, "sum", "s", `n * ${standardErrorOfMean("n", "s", "ss")}`),
});
