import type { GraphStatistic } from "../../graph/project-graph.js";
import { col, fromSql, select, unionAll, type Cte } from "../sql-node.js";
import { floatValue, longRowColumns } from "./long-row-columns.js";
import type { StatisticBuilder, StatisticInput, StatisticSql } from "./statistic-builder.js";

type Percentile = Extract<GraphStatistic, { name: "percentile" }>;

/** Tolerance for comparing a cumulative share of floats with a probability. */
const EPSILON = "1e-9";

/** `p ∓ z·√(p(1−p)/n)`: the probabilities whose quantiles bound the interval of quantile `p`. */
const shifted = (input: StatisticInput, p: number, sign: "-" | "+", n: string) =>
  `${p} ${sign} ${input.ctx.z} * SQRT(${p * (1 - p)} / ${n})`;

const cteName = (input: StatisticInput, suffix: string) => `${input.probe.name}_percentile_${suffix}`;

/** Scalars: order statistics of the clients' values (rank ⌈q·n⌉, clamped to 1..n). */
function scalarPercentile(statistic: Percentile, input: StatisticInput): StatisticSql {
  const { d } = input.ctx;
  const raw = floatValue(input, input.probe.name);
  // upstream counts a client without a value as 0 unless remove_nulls is set
  const v = statistic.removeNulls ? raw : `COALESCE(${raw}, 0)`;
  const ranked: Cte = {
    name: cteName(input, "ranked"),
    query: select({
      columns: [
        ...input.keys.map((k) => col(k)),
        col(v, "value"),
        col(`ROW_NUMBER() OVER (PARTITION BY ${input.keys.join(", ")} ORDER BY ${v})`, "value_rank"),
        col(`COUNT(*) OVER (PARTITION BY ${input.keys.join(", ")})`, "n"),
      ],
      from: fromSql(input.source),
      ...(statistic.removeNulls ? { where: [`${raw} IS NOT NULL`] } : {}),
    }),
  };
  const at = (q: string) => `MIN(CASE WHEN value_rank >= GREATEST(1, LEAST(n, CEIL((${q}) * n - ${EPSILON}))) THEN value END)`;
  const rows = statistic.percentiles.map((percent) => {
    const p = percent / 100;
    return select({
      columns: longRowColumns(input, "percentile", {
        parameter: String(percent),
        order: percent,
        point: at(String(p)),
        lower: at(shifted(input, p, "-", "n")),
        upper: at(shifted(input, p, "+", "n")),
      }),
      from: fromSql(d.ident(ranked.name)),
      groupBy: input.keys,
    });
  });
  return { ctes: [ranked], rows: unionAll(rows) };
}

/**
 * Histograms: each client's histograms summed and normalised to weight 1, merged per group; the
 * quantile is read off the merged distribution, reported as upstream does: point = bucket midpoint,
 * lower = left edge of the bucket at the lower probability, upper = right edge at the upper one.
 * A bucket's weight is its count over the client's total count, so merging is one unnest and one
 * group by (no per-client grouping: summing weights of a client's repeated buckets is the same sum).
 */
function histogramPercentile(statistic: Percentile, input: StatisticInput): StatisticSql {
  const { d } = input.ctx;
  const keys = input.keys;
  // helper columns are prefixed so that no dimension name can clash with them
  const flattened = select({
    columns: [
      ...keys.map((k) => col(k)),
      col(d.fn.flattenField(`${input.source}.${d.ident(input.probe.name)}`, "values"), "opmon_buckets"),
    ],
    from: fromSql(input.source),
  });
  const clients: Cte = {
    name: cteName(input, "clients"),
    query: select({
      columns: [...keys.map((k) => col(k)), col("opmon_buckets"), col(d.fn.sumField("opmon_buckets", "value"), "opmon_total")],
      from: { kind: "query", query: flattened, alias: "flattened" },
    }),
  };
  const merged: Cte = {
    name: cteName(input, "merged"),
    query: select({
      columns: [
        ...keys.map((k) => col(k)),
        col(d.fn.cast("opmon_bucket.key", "float"), "bucket"),
        col(`SUM(${d.fn.safeDivide("opmon_bucket.value", "opmon_total")})`, "weight"),
      ],
      from: fromSql(`(${d.fn.unnestSelect(d.ident(clients.name), "opmon_buckets", "opmon_bucket")})`, "client_buckets"),
      // a bucket without a count is no bucket (it would still shift its neighbours' edges)
      where: ["opmon_total > 0", "opmon_bucket.value IS NOT NULL"],
      // bucket keys are integers: grouping by them is cheaper than by their float (and every engine allows it)
      groupBy: [...keys, "opmon_bucket.key"],
    }),
  };
  const group = `PARTITION BY ${keys.join(", ")}`;
  const cdf: Cte = {
    name: cteName(input, "cdf"),
    query: select({
      columns: [
        ...keys.map((k) => col(k)),
        col("bucket"),
        col("weight"),
        col(
          `SUM(weight) OVER (${group} ORDER BY bucket ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) / SUM(weight) OVER (${group})`,
          "cdf",
        ),
        col(`COALESCE(LEAD(bucket) OVER (${group} ORDER BY bucket), bucket)`, "next_bucket"),
        // each client weighs 1, so the total weight is the number of clients
        col(`SUM(weight) OVER (${group})`, "n"),
      ],
      from: fromSql(d.ident(merged.name)),
    }),
  };
  // empty buckets still give the right edge of their left neighbour, but never hold a quantile
  const first = (q: string, value: string) => `MIN(CASE WHEN weight > 0 AND cdf >= LEAST(${q}, 1) - ${EPSILON} THEN ${value} END)`;
  const rows = statistic.percentiles.map((percent) => {
    const p = percent / 100;
    return select({
      columns: longRowColumns(input, "percentile", {
        parameter: String(percent),
        order: percent,
        point: first(String(p), "(bucket + next_bucket) / 2"),
        lower: first(shifted(input, p, "-", "n"), "bucket"),
        upper: first(shifted(input, p, "+", "n"), "next_bucket"),
      }),
      from: fromSql(d.ident(cdf.name)),
      groupBy: keys,
    });
  });
  return { ctes: [clients, merged, cdf], rows: unionAll(rows) };
}

/**
 * `percentile` (default 50, 90, 99) with a distribution-free order-statistic interval.
 *
 * @example percentile({ name: "percentile", percentiles: [50], removeNulls: false }, input)
 */
export const percentile: StatisticBuilder<Percentile> = (statistic, input) =>
  input.probe.type === "histogram" ? histogramPercentile(statistic, input) : scalarPercentile(statistic, input);
