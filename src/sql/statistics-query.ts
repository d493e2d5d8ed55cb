import type { GraphProbe } from "../graph/project-graph.js";
import { col, fromSql, select, unionAll, withCtes, type Cte, type FromItem, type Query } from "./sql-node.js";
import type { SqlContext } from "./sql-context.js";
import { MOMENT_STATISTICS, momentsCte, momentsLongCte, sumsAndMeans } from "./statistics/moment-statistics.js";
import { assertApplies, buildStatistic } from "./statistics/statistic-builders.js";
import { histogramPercentiles } from "./statistics/percentile.js";
import { totalRatios } from "./statistics/total-ratio.js";

/** The CTE holding the moments every count, sum and mean of the query reads, one column per probe and moment. */
const MOMENTS = "moments";
/** The same moments as one row per group and probe. */
const MOMENTS_LONG = "moments_long";
/** The CTE holding each summary's array per group. */
const SUMMARIES = "statistics_summaries";

/** The columns statistics are grouped by: x-axis, dimensions, branch. */
export const statisticsKeyNames = (ctx: SqlContext): readonly string[] => [
  "submission_date",
  "build_id",
  ...ctx.graph.population.dimensions.map((dim) => dim.name),
  "branch",
];

type Summary = ReturnType<typeof summaryColumns>[number];

/**
 * The batch whose one expression computes a summary with others: counts, and sums with means (from
 * the long moments), every total_ratio, and histogram percentiles with the same list; undefined for
 * one built alone (scalar percentiles).
 */
function batchKey({ probe, statistic }: Summary): string | undefined {
  if (statistic.name === "sum" || statistic.name === "mean") return "sum_mean";
  if (MOMENT_STATISTICS.has(statistic.name) || statistic.name === "total_ratio") return statistic.name;
  if (statistic.name === "percentile" && probe.type === "histogram") return `histogram ${statistic.percentiles.join(",")}`;
  return undefined;
}

/** One statistics-table column per (probe, statistic): `<probe>_<statistic>`, of every probe or of `probes`. */
export const summaryColumns = (ctx: SqlContext, probes: readonly GraphProbe[] = ctx.graph.probes) =>
  probes.flatMap((probe) => probe.statistics.map((statistic) => ({ probe, statistic, column: `${probe.name}_${statistic.name}` })));

/**
 * The day's statistics from the day's partition of the metrics table: every statistic as long rows,
 * then one `ARRAY<STRUCT<metric, statistic, point, lower, upper, parameter, clients, too_few_clients>>`
 * column per summary, as upstream's `<slug>_statistics_v2` with our two fields last. With `probes`, only theirs (a part of a split query).
 *
 * @example printQuery(statisticsQuery(ctx, projectTables(ctx).metrics), ctx.d)
 */
export function statisticsQuery(ctx: SqlContext, metricsTable: readonly string[], probes: readonly GraphProbe[] = ctx.graph.probes): Query {
  const { d } = ctx;
  const keyNames = statisticsKeyNames(ctx);
  const keys = keyNames.map(d.ident);
  const summaries = summaryColumns(ctx, probes);
  if (summaries.length === 0) throw new Error(`project ${ctx.graph.slug} has no probe with a statistic`);
  for (const { statistic, probe } of summaries) assertApplies(statistic, probe);
  // the day's rows as a subquery each reader scans for its own columns: as a CTE read twice, DuckDB
  // materialises every column of every row first (a fifth of the step at 40,000 clients)
  const dayRows = select({ columns: [col("*")], from: fromSql(d.table(metricsTable)), where: [`submission_date = ${d.date(ctx.date)}`] });
  const from: FromItem = { kind: "query", query: dayRows, alias: "metrics" };
  const momentStatistics = summaries.filter((s) => MOMENT_STATISTICS.has(s.statistic.name));
  // a probe counted and nothing else keeps its type (a BOOL or STRING probe has a count, not a sum)
  const momentProbes = [...new Set(momentStatistics.map((s) => s.probe.name))].map((name) => ({
    name,
    countOnly: momentStatistics.every((s) => s.probe.name !== name || s.statistic.name === "count"),
  }));
  const moments = momentProbes.length
    ? [
        momentsCte(MOMENTS, { ctx, source: "metrics", from, keys }, momentProbes),
        momentsLongCte(MOMENTS_LONG, MOMENTS, { ctx, keys }, momentProbes),
      ]
    : [];
  const input = (probe: GraphProbe) => ({ ctx, probe, source: "metrics", from, keys, keyNames });
  // the summaries sharing one expression, by batch (the first stands for them); the others are built one by one
  const batches = new Map<string, { readonly head: Summary; readonly all: Summary[] }>();
  const alone: Summary[] = [];
  for (const summary of summaries) {
    const key = batchKey(summary);
    if (key === undefined) alone.push(summary);
    else if (batches.has(key)) batches.get(key)?.all.push(summary);
    else batches.set(key, { head: summary, all: [summary] });
  }
  const batch = ({ head, all }: { readonly head: Summary; readonly all: readonly Summary[] }) => {
    const names = all.map((s) => s.probe.name);
    const { statistic } = head;
    if (statistic.name === "total_ratio") {
      const pairs = all.flatMap((s) =>
        s.statistic.name === "total_ratio" ? [{ probe: s.probe.name, denominator: s.statistic.denominator }] : [],
      );
      return totalRatios(pairs, input(head.probe));
    }
    if (statistic.name === "percentile") return histogramPercentiles(names, statistic.percentiles, input(head.probe));
    const batched = { ...input(head.probe), batch: { source: MOMENTS_LONG, probes: names } };
    if (statistic.name === "sum" || statistic.name === "mean") {
      const pairs = all.flatMap((s) =>
        s.statistic.name === "sum" || s.statistic.name === "mean" ? [{ probe: s.probe.name, statistic: s.statistic.name }] : [],
      );
      return sumsAndMeans(pairs, batched);
    }
    return buildStatistic(statistic, batched);
  };
  const built = [...[...batches.values()].map(batch), ...alone.map(({ probe, statistic }) => buildStatistic(statistic, input(probe)))];
  const long: Cte = { name: "statistics_long", query: unionAll(built.map((b) => b.rows)) };
  const struct = d.fn.struct([
    ["metric", "metric"],
    ["statistic", "statistic"],
    ["point", "point"],
    ["lower", "lower"],
    ["upper", "upper"],
    ["parameter", "parameter"],
    ["clients", "clients"],
    ["too_few_clients", "too_few_clients"],
  ]);
  // each summary's array first, then one row per group: a group by with an array aggregate per
  // summary column makes DuckDB set up every one of them for each branch of the union (quadratic)
  const arrays: Cte = {
    name: SUMMARIES,
    query: select({
      columns: [...keys.map((k) => col(k)), col("metric"), col("statistic"), col(d.fn.arrayAgg(struct, "parameter_order"), "summary")],
      from: fromSql("statistics_long"),
      groupBy: [...keys, "metric", "statistic"].map((_, i) => String(i + 1)),
    }),
  };
  const body = select({
    columns: [
      ...keys.map((k) => col(k)),
      ...summaries.map(({ probe, statistic, column }) =>
        col(d.fn.anyValueWhere("summary", `metric = ${d.string(probe.name)} AND statistic = ${d.string(statistic.name)}`), column),
      ),
    ],
    from: fromSql(SUMMARIES),
    groupBy: keys.map((_, i) => String(i + 1)),
  });
  return withCtes([...moments, ...built.flatMap((b) => b.ctes), long, arrays], body);
}
