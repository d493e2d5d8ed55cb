import type { ProjectGraph } from "../graph/project-graph.js";
import type { StatRow } from "./report-data.js";

/**
 * The summaries (`metric|statistic`) that cannot be negative, whose interval bands the charts draw from
 * 0 at most (the stored bounds are left as they are): every `count`; every statistic of a histogram
 * (bucket values are not negative); and a scalar's statistics when none of its stored points is
 * negative (crash counts, hours, milliseconds), since a probe's SQL can return signed values and only
 * its data says otherwise.
 *
 * @example nonNegativeSummaries(graph, rows) // ["gc_ms|percentile", "main_crashes|sum", "main_crashes|mean"]
 */
export function nonNegativeSummaries(graph: ProjectGraph, rows: readonly StatRow[]): readonly string[] {
  const signed = new Set(rows.filter((r) => r.point !== null && r.point < 0).map((r) => r.metric));
  return graph.probes.flatMap((probe) =>
    probe.statistics
      .filter((s) => s.name === "count" || probe.type === "histogram" || !signed.has(probe.name))
      .map((s) => `${probe.name}|${s.name}`),
  );
}
