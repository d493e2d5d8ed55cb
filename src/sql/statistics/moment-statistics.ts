import type { GraphStatistic } from "../../graph/project-graph.js";
import { col, fromSql, select, type Cte } from "../sql-node.js";
import { floatValue, longRowColumns, standardErrorOfMean } from "./long-row-columns.js";
import type { StatisticBuilder, StatisticInput } from "./statistic-builder.js";
import { atLeast } from "./sql-math.js";

/** Statistics computed from a probe's moments. */
export const MOMENT_STATISTICS: ReadonlySet<string> = new Set(["count", "sum", "mean"]);

/** Count, sum and sum of squares of each probe per group, in one pass: columns `n_<probe>`, `s_<probe>`, `ss_<probe>`. */
function momentsQuery(input: Pick<StatisticInput, "ctx" | "source" | "keys">, probes: readonly string[]) {
  const columns = probes.flatMap((probe) => {
    const v = floatValue(input, probe);
    return [col(`COUNT(${v})`, `n_${probe}`), col(`SUM(${v})`, `s_${probe}`), col(`SUM(${v} * ${v})`, `ss_${probe}`)];
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
    columns: [...input.keys.map((k) => col(k)), column("n"), column("s"), column("ss")],
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
