import type { GraphProbe, GraphStatistic } from "../../graph/project-graph.js";
import { count, mean, sum } from "./moment-statistics.js";
import { percentile } from "./percentile.js";
import type { StatisticBuilder, StatisticInput, StatisticSql } from "./statistic-builder.js";
import { totalRatio } from "./total-ratio.js";

type Name = GraphStatistic["name"];

/** One builder per statistic name: a total record, so a statistic without SQL is a tsc error. */
const BUILDERS: { readonly [N in Name]: StatisticBuilder<Extract<GraphStatistic, { name: N }>> } = {
  count,
  sum,
  mean,
  total_ratio: totalRatio,
  percentile,
};

/** Statistics that only apply to scalar probes. */
const SCALAR_ONLY: ReadonlySet<Name> = new Set(["count", "sum", "mean", "total_ratio"]);

/**
 * Throws when the statistic does not apply to the probe (a sum of histograms).
 *
 * @example assertApplies({ name: "mean" }, probe)
 */
export function assertApplies(statistic: GraphStatistic, probe: GraphProbe): void {
  if (probe.type === "histogram" && SCALAR_ONLY.has(statistic.name)) {
    throw new Error(`probe ${probe.name}: statistic ${statistic.name} does not apply to histograms`);
  }
}

/**
 * The SQL of one statistic of one probe.
 *
 * @example buildStatistic({ name: "mean" }, input).rows
 */
export function buildStatistic(statistic: GraphStatistic, input: StatisticInput): StatisticSql {
  assertApplies(statistic, input.probe);
  const builder = BUILDERS[statistic.name] as StatisticBuilder;
  return builder(statistic, input);
}
