import type { GraphStatistic } from "../../graph/project-graph.js";
import { col, fromSql, select, unionAll, type Cte, type Query } from "../sql-node.js";
import { floatValue, longRowColumns, standardErrorOfMean } from "./long-row-columns.js";
import type { StatisticBuilder, StatisticInput, StatisticSql } from "./statistic-builder.js";
import { atLeast } from "./sql-math.js";
import { normalTail } from "../../stats/tail-probability.js";
import { dispersionSql, scaledPoissonIntervalSql } from "../../stats/gamma-quantile.js";
import { hallBounds, hallStepColumns, hallTermColumns, MINIMUM_CLIENTS } from "./hall-interval.js";

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
const ALL_MOMENTS = ["n", "s", "ss", "s3", "s4", "lo", "fr"] as const;

/**
 * Count, sum, sums of squares, cubes and fourth powers, minimum and number of non-integer values of
 * each probe per group, in one pass: `n_<probe>`, `s_<probe>`, `ss_<probe>`, `s3_<probe>`,
 * `s4_<probe>`, `lo_<probe>`, `fr_<probe>`
 * (the last tells event counts from measurements). A count-only probe gets `n_<probe>` alone,
 * counted on the value as it is: a BOOL or STRING probe has a count, and BigQuery has no cast from BOOL
 * to FLOAT64.
 */
function momentsQuery(input: Pick<StatisticInput, "ctx" | "source" | "from" | "keys">, probes: readonly MomentProbe[]) {
  const columns = probes.flatMap(({ name: probe, countOnly }) => {
    if (countOnly) return [col(`COUNT(${input.source}.${input.ctx.d.ident(probe)})`, `n_${probe}`)];
    const v = floatValue(input, probe);
    return [
      col(`COUNT(${v})`, `n_${probe}`),
      col(`SUM(${v})`, `s_${probe}`),
      col(`SUM(${v} * ${v})`, `ss_${probe}`),
      col(`SUM(${v} * ${v} * ${v})`, `s3_${probe}`),
      col(`SUM(${v} * ${v} * ${v} * ${v})`, `s4_${probe}`),
      col(`MIN(${v})`, `lo_${probe}`),
      col(`SUM(CASE WHEN ${v} <> ROUND(${v}) THEN 1 ELSE 0 END)`, `fr_${probe}`),
    ];
  });
  return select({ columns: [...input.keys.map((k) => col(k)), ...columns], from: input.from, groupBy: input.keys });
}

/**
 * The moments of several probes as one CTE, so every moment statistic of a query reads one pass
 * over the day's rows; {@link momentsLongCte} turns it into the rows a batch reads.
 *
 * @example withCtes([source, momentsCte("moments", input, [{ name: "active_hours", countOnly: false }])], body)
 */
export const momentsCte = (
  name: string,
  input: Pick<StatisticInput, "ctx" | "source" | "from" | "keys">,
  probes: readonly MomentProbe[],
): Cte => ({
  name,
  query: momentsQuery(input, probes),
});

/**
 * The moments of {@link momentsCte} as long rows: the group columns, `metric` (the probe's name), then
 * `n`, `s`, `ss`, `s3`, `s4`, `lo`, `fr` (NULL but `n` for a count-only probe). What a statistic
 * computed for several probes at once reads ({@link StatisticInput.batch}).
 *
 * @example momentsLongCte("moments_long", "moments", input, [{ name: "active_hours", countOnly: false }])
 */
export const momentsLongCte = (
  name: string,
  wide: string,
  input: Pick<StatisticInput, "ctx" | "keys">,
  probes: readonly MomentProbe[],
): Cte => {
  const { d } = input.ctx;
  const moment = (m: string, probe: string, countOnly: boolean) =>
    m === "n" || !countOnly ? d.ident(`${m}_${probe}`) : d.fn.cast("NULL", m === "fr" ? "int" : "float");
  return {
    name,
    query: unionAll(
      probes.map(({ name: probe, countOnly }) =>
        select({
          columns: [
            ...input.keys.map((k) => col(k)),
            col(d.string(probe), "metric"),
            ...ALL_MOMENTS.map((m) => col(moment(m, probe, countOnly), m)),
          ],
          from: fromSql(wide),
        }),
      ),
    ),
  };
};

/** The columns each layer of a statistic's query carries to the next: the group's, and `metric` in a batch. */
const carried = (input: StatisticInput) => [...input.keys, ...(input.batch ? ["metric"] : [])].map((k) => col(k));

/** In a batch, the metric's name is the `metric` column of each row. */
const batchMetric = (input: StatisticInput) => (input.batch ? { metric: "metric" } : {});

/**
 * One probe's moments as `n`, `s`, `ss`, `s3`, `s4`, `lo`, `fr` (`n` alone for `count`), computed
 * for this statistic alone; in a batch, every batched probe's, from the long CTE.
 */
function moments(input: StatisticInput, countOnly = false) {
  const wanted: readonly string[] = countOnly ? COUNT_MOMENTS : ALL_MOMENTS;
  if (input.batch) {
    const { d } = input.ctx;
    return select({
      columns: [...carried(input), ...wanted.map((m) => col(m))],
      from: fromSql(input.batch.source),
      where: [`metric IN (${input.batch.probes.map((p) => d.string(p)).join(", ")})`],
    });
  }
  const probe = input.probe.name;
  const column = (m: string) => col(input.ctx.d.ident(`${m}_${probe}`), m);
  return select({
    columns: [...input.keys.map((k) => col(k)), ...wanted.map(column)],
    from: { kind: "query", query: momentsQuery(input, [{ name: probe, countOnly }]), alias: "probe_moments" },
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
  // a count's dispersion is 1
  const { lower, upper } = scaledPoissonIntervalSql("n", "1", levelOf(input));
  return {
    ctes: [],
    rows: select({
      columns: longRowColumns(input, "count", { ...batchMetric(input), point: "n", lower, upper, clients: "n", tooFewClients: "FALSE" }),
      from: { kind: "query", query: moments(input, true), alias: "moments" },
    }),
  };
};

/** The smaller (`smaller`) or larger of two columns; NULL when either is. */
const pick = (a: string, b: string, smaller: boolean) =>
  `CASE WHEN ${a} IS NULL OR ${b} IS NULL THEN NULL WHEN ${a} ${smaller ? "<=" : ">="} ${b} THEN ${a} ELSE ${b} END`;

/** Which of sum and mean the rows of {@link momentRows} are: one, or either, as each row's `statistic` column says. */
type SumOrMean = "mean" | "sum" | "either";

/** The variance of the total the scaled-Poisson interval of a sum or a mean reads. */
const TOTAL_VARIANCE = {
  // given the clients, the sum's variance is n·s² (the clients' number is ancillary to their mean)
  mean: `n * ${sampleVariance}`,
  // compound Poisson: with the clients' number random too, Var(sum) = E[n]·E[x²], estimated by Σx²
  sum: "ss",
} as const;

/**
 * The rows of a mean or sum, or of both from one expression (`either`: each row's `statistic` column
 * says which). Event counts (integers never below 0,
 * variance at most twice the mean, as a Poisson count's is near its mean) take the scaled-Poisson
 * interval alone, with Jeffreys' lower bound: Hall's t interval is meaningless on a handful of events,
 * and a hull of the two over-covers (99% at three expected events). Other values never below 0
 * (`lo >= 0`) take Hall's interval widened to hold the scaled-Poisson one: the lower bound the
 * smaller of the two and at least 0, the upper the larger. Hall's is the better one where values are
 * plentiful and skewed; the Poisson one where they are mostly 0 (Hall's collapses to [0, 0] on an
 * all-zero group). Negative values keep Hall's alone. Measured values need {@link MINIMUM_CLIENTS}
 * clients, event counts 2. Each layer names the one before's columns, so the SQL spells each
 * expression once.
 */
function momentRows(input: StatisticInput, statistic: SumOrMean, source: Query = moments(input)) {
  const { d } = input.ctx;
  // the sum's SQL or the mean's, or a choice between them by row
  const by = (sum: string, mean: string) =>
    statistic === "either" ? `(CASE WHEN statistic = ${d.string("sum")} THEN ${sum} ELSE ${mean} END)` : statistic === "sum" ? sum : mean;
  const kept = [...carried(input), ...(statistic === "either" ? [col("statistic")] : [])];
  const mean = "(s / n)";
  // central moments from the raw ones (over n)
  const m2 = "((ss - s * s / n) / n)";
  const m3 = `(s3 / n - 3 * ${mean} * ss / n + 2 * POWER(${mean}, 3))`;
  const m4 = `(s4 / n - 4 * ${mean} * s3 / n + 6 * POWER(${mean}, 2) * ss / n - 3 * POWER(${mean}, 4))`;
  const terms = select({
    columns: [
      ...kept,
      ...["n", "s", "lo"].map((m) => col(m)),
      col(`lo >= 0 AND fr = 0 AND ${sampleVariance} <= 2 * s / n`, "is_count"),
      col(standardErrorOfMean("n", "s", "ss"), "se"),
      ...hallTermColumns("n", m2, m3, m4),
      col(dispersionSql("s", by(TOTAL_VARIANCE.sum, TOTAL_VARIANCE.mean)), "phi"),
    ],
    from: { kind: "query", query: source, alias: "moments" },
  });
  const steps = select({
    columns: [col("*"), ...hallStepColumns(1 - normalTail(input.ctx.z))],
    from: { kind: "query", query: terms, alias: "terms" },
  });
  const level = levelOf(input);
  const hall = hallBounds(mean, "se");
  // the sum's Hall bounds are n times the mean's; the mean's Poisson bounds are the sum's over n
  const times = statistic === "mean" ? "" : `${by("n", "1")} * `;
  const over = statistic === "sum" ? "" : ` / ${by("1", "n")}`;
  const poisson = scaledPoissonIntervalSql("s", "phi", level);
  const jeffreys = scaledPoissonIntervalSql("s", "phi", level, 0.5);
  const bounds = select({
    columns: [
      ...kept,
      ...["n", "s", "lo", "is_count"].map((m) => col(m)),
      col(`${times}(${hall.lower})`, "hall_lower"),
      col(`${times}(${hall.upper})`, "hall_upper"),
      col(`(${poisson.lower})${over}`, "poisson_lower"),
      col(`(${poisson.upper})${over}`, "poisson_upper"),
      col(`(${jeffreys.lower})${over}`, "count_lower"),
    ],
    from: { kind: "query", query: steps, alias: "steps" },
  });
  const tooFew = `n < CASE WHEN is_count THEN 2 ELSE ${MINIMUM_CLIENTS} END`;
  const lower = `CASE WHEN ${tooFew} THEN NULL WHEN is_count THEN count_lower WHEN lo >= 0 THEN ${atLeast(pick("hall_lower", "poisson_lower", true), "0")} ELSE hall_lower END`;
  const upper = `CASE WHEN ${tooFew} THEN NULL WHEN is_count THEN poisson_upper WHEN lo >= 0 THEN ${pick("hall_upper", "poisson_upper", false)} ELSE hall_upper END`;
  return select({
    columns: longRowColumns(input, statistic === "either" ? "mean" : statistic, {
      ...batchMetric(input),
      ...(statistic === "either" ? { statistic: "statistic" } : {}),
      point: by("s", "s / n"),
      lower,
      upper,
      clients: "n",
      tooFewClients: `COALESCE(${tooFew}, TRUE)`,
    }),
    from: { kind: "query", query: bounds, alias: "bounds" },
  });
}

/**
 * The sums and means of a batch's probes (`pairs`, read from its long moments) in one expression:
 * each pair a row with its `statistic`, so the interval arithmetic is spelled once for all of them,
 * not once for the sums and once more for the means.
 *
 * @example sumsAndMeans([{ probe: "crashes", statistic: "sum" }, { probe: "hangs", statistic: "mean" }], input).rows
 */
export function sumsAndMeans(
  pairs: readonly { readonly probe: string; readonly statistic: "sum" | "mean" }[],
  input: StatisticInput & { readonly batch: NonNullable<StatisticInput["batch"]> },
): StatisticSql {
  const kinds = (["sum", "mean"] as const).filter((k) => pairs.some((p) => p.statistic === k));
  // one kind alone needs no choice by row: the batch's probes are all of it
  const [kind] = kinds;
  if (kinds.length === 1 && kind) return { ctes: [], rows: momentRows(input, kind) };
  const { d } = input.ctx;
  const { source } = input.batch;
  const rows = kinds.map((kind) =>
    select({
      columns: [...carried(input), col(d.string(kind), "statistic"), ...ALL_MOMENTS.map((m) => col(m))],
      from: fromSql(source),
      where: [
        `metric IN (${pairs
          .filter((p) => p.statistic === kind)
          .map((p) => d.string(p.probe))
          .join(", ")})`,
      ],
    }),
  );
  return { ctes: [], rows: momentRows(input, "either", unionAll(rows)) };
}

/**
 * `mean`: the mean of the clients' values; Hall's skewness-corrected t interval (fewer degrees of
 * freedom for heavy tails) widened to hold the scaled-Poisson interval of the sum given the clients,
 * over n; event counts take that scaled-Poisson interval alone, with Jeffreys' lower bound. NULL
 * bounds and too_few_clients below {@link MINIMUM_CLIENTS} clients (event counts: below 2).
 *
 * @example mean({ name: "mean" }, input).rows
 */
export const mean: StatisticBuilder<Extract<GraphStatistic, { name: "count" | "sum" | "mean" }>> = (_s, input) => ({
  ctes: [],
  rows: momentRows(input, "mean"),
});

/**
 * `sum`: the sum of the clients' values; n times the mean's Hall interval, widened to hold the
 * scaled-Poisson interval of a compound Poisson sum; event counts take that interval alone, with
 * Jeffreys' lower bound (NULL bounds below {@link MINIMUM_CLIENTS} clients, event counts below 2).
 *
 * @example sum({ name: "sum" }, input).rows
 */
export const sum: StatisticBuilder<Extract<GraphStatistic, { name: "count" | "sum" | "mean" }>> = (_s, input) => ({
  ctes: [],
  rows: momentRows(input, "sum"),
});
