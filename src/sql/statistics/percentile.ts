import type { GraphStatistic } from "../../graph/project-graph.js";
import { col, fromSql, select, unionAll, type Cte } from "../sql-node.js";
import { floatValue, longRowColumns } from "./long-row-columns.js";
import type { StatisticBuilder, StatisticInput, StatisticSql } from "./statistic-builder.js";
import { normalTail } from "../../stats/tail-probability.js";

type Percentile = Extract<GraphStatistic, { name: "percentile" }>;

/** Tolerance for comparing a cumulative share of floats with a probability. */
const EPSILON = "1e-9";

/** `p ∓ z·√(p(1−p)/n)`: the probabilities whose quantiles bound the interval of quantile `p`. */
const shifted = (input: StatisticInput, p: number, sign: "-" | "+", n: string) =>
  `${p} ${sign} ${input.ctx.z} * SQRT(${p * (1 - p)} / ${n})`;

const cteName = (input: StatisticInput, suffix: string) => `${input.probe.name}_percentile_${suffix}`;

/** SQL for Camp and Paulson's z-score of P(B <= j), B ~ Binomial(n, p), 0 < j < n - 1 (`binomialCdfZ` in src/stats is its reference). */
function binomialCdfZSql(j: string, n: string, p: number): string {
  const c = `POWER((${n} - ${j}) * ${p} / ((${j} + 1) * ${1 - p}), 1.0 / 3)`;
  return `((1 - 1.0 / (9 * (${j} + 1))) - (1 - 1.0 / (9 * (${n} - ${j}))) * ${c}) / SQRT(1.0 / (9 * (${j} + 1)) + ${c} * ${c} / (9 * (${n} - ${j})))`;
}

/**
 * Whether order statistic `rank` (1..n) may bound the interval of quantile `p`: for the lower bound,
 * P(B <= rank - 1) <= tail; for the upper, P(B <= rank - 1) >= 1 - tail (B ~ Binomial(n, p), the
 * number of values below the true quantile). Exact at the first and last rank, whose test decides
 * whether a bound exists at all, and at the second and second-to-last; Camp-Paulson between (within
 * one rank of exact in 99% of (n, p), then one rank wider).
 */
function rankBounds(rank: string, n: string, p: number, z: number, side: "lower" | "upper"): string {
  const tail = normalTail(z);
  // P(B <= 0), P(B <= 1), P(B <= n - 2), P(B <= n - 1) in closed form: small groups are exact
  const exact: readonly (readonly [string, string])[] = [
    ["1", `POWER(${1 - p}, ${n})`],
    ["2", `POWER(${1 - p}, ${n}) + ${n} * ${p} * POWER(${1 - p}, ${n} - 1)`],
    [n, `1 - POWER(${p}, ${n})`],
    [`${n} - 1`, `1 - POWER(${p}, ${n}) - ${n} * POWER(${p}, ${n} - 1) * ${1 - p}`],
  ];
  const [op, level, zOp] = side === "lower" ? ["<=", String(tail), `<= ${-z}`] : [">=", String(1 - tail), `>= ${z}`];
  const cases = exact.map(([r, cdf]) => `WHEN ${rank} = ${r} THEN ${cdf} ${op} ${level}`).join(" ");
  return `CASE ${cases} ELSE ${binomialCdfZSql(`(${rank} - 1)`, n, p)} ${zOp} END`;
}

/**
 * Scalars: order statistics of the clients' values; the point is rank ⌈p·n⌉ (upstream's), the
 * interval the binomial order-statistic interval: the largest rank l with P(B < l) <= α/2 and the
 * smallest u with P(B < u) >= 1 − α/2. When no rank qualifies (the interval would leave the data:
 * p99 needs 367 clients at 95%), that bound is NULL and the row says too_few_clients: never a clamp.
 */
function scalarPercentile(statistic: Percentile, input: StatisticInput): StatisticSql {
  const { d, z } = input.ctx;
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
  const tail = normalTail(z);
  const rows = statistic.percentiles.map((percent) => {
    const p = percent / 100;
    return select({
      columns: longRowColumns(input, "percentile", {
        parameter: String(percent),
        order: percent,
        point: `MIN(CASE WHEN value_rank >= CEIL(${p} * n - ${EPSILON}) THEN value END)`,
        lower: `MAX(CASE WHEN ${rankBounds("value_rank", "n", p, z, "lower")} THEN value END)`,
        upper: `MIN(CASE WHEN ${rankBounds("value_rank", "n", p, z, "upper")} THEN value END)`,
        clients: "MAX(n)",
        // rank 1 (n) qualifies exactly when some rank does: the CDF grows with the rank
        tooFewClients: `POWER(${1 - p}, MAX(n)) > ${tail} OR POWER(${p}, MAX(n)) > ${tail}`,
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
  const first = (q: string, value: string) => `MIN(CASE WHEN weight > 0 AND cdf >= ${q} - ${EPSILON} THEN ${value} END)`;
  const rows = statistic.percentiles.map((percent) => {
    const p = percent / 100;
    return select({
      columns: longRowColumns(input, "percentile", {
        parameter: String(percent),
        order: percent,
        point: first(String(p), "(bucket + next_bucket) / 2"),
        // a probability outside (0, 1) leaves the data: no bound rather than the edge bucket's
        lower: `CASE WHEN ${shifted(input, p, "-", "MAX(n)")} > 0 THEN ${first(shifted(input, p, "-", "n"), "bucket")} END`,
        upper: `CASE WHEN ${shifted(input, p, "+", "MAX(n)")} < 1 THEN ${first(shifted(input, p, "+", "n"), "next_bucket")} END`,
        clients: "ROUND(MAX(n))",
        tooFewClients: `NOT (${shifted(input, p, "-", "MAX(n)")} > 0 AND ${shifted(input, p, "+", "MAX(n)")} < 1)`,
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
