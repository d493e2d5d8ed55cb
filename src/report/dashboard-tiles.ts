import type { ProjectGraph } from "../graph/project-graph.js";
import { titleCase } from "./title-case.js";

/** One chart of a project's dashboard. */
export interface Tile {
  /** `GC Ms`, `Crashes` (a metric group), `GC Ms - By os` (group-by-dimension), `Metric` (compact): lookml-generator's titles. */
  readonly title: string;
  /** What the site shows as the chart's title: the probe's or metric group's friendly name, else {@link title}. */
  readonly label: string;
  /** The probe's or metric group's description, shown under the title. */
  readonly description?: string;
  /** Unique within the dashboard: `<title>_<statistic>`. */
  readonly name: string;
  /** The metrics drawn: one, or a metric group's members (one line per metric). */
  readonly metrics: readonly string[];
  readonly statistic: string;
  /** The metric group the tile shows, if any. */
  readonly group?: string;
  /** The dimension whose values get a line each (the project's `group_by_dimension`). */
  readonly byDimension?: string;
}

/**
 * The tiles of a project's dashboard, in the order of its summaries (probe × statistic), with
 * lookml-generator's rules: metrics of a metric group share one tile per statistic; with
 * `group_by_dimension` every tile is a "By <dimension>" tile; compact projects get one "Metric" tile
 * (the first summary, switched with metric and statistic pickers).
 *
 * @example dashboardTiles(graph).map((t) => t.name) // ["GC Ms_percentile", "Crashes_sum", ...]
 */
export function dashboardTiles(graph: ProjectGraph): readonly Tile[] {
  const by = graph.population.groupByDimension;
  const all = summaries(graph);
  if (graph.compactVisualization) {
    const first = all[0];
    // the group-by dimension still gets a line per value, as in lookml-generator's compact dashboards
    return first
      ? [
          {
            title: "Metric",
            label: "Metric",
            name: `Metric_${first.statistic}`,
            metrics: [first.metric],
            statistic: first.statistic,
            ...(by ? { byDimension: by } : {}),
          },
        ]
      : [];
  }
  const tiles: Tile[] = [];
  const seen = new Set<string>();
  for (const { metric, statistic } of all) {
    const group = graph.metricGroups.find((g) => g.probes.includes(metric));
    const key = group ? `group:${group.name}:${statistic}` : `metric:${metric}:${statistic}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const metrics = group ? group.probes.filter((m) => all.some((s) => s.metric === m && s.statistic === statistic)) : [metric];
    const base = titleCase(group ? group.name : metric);
    const title = by ? `${base} - By ${by}` : base;
    const named = group ?? graph.probes.find((p) => p.name === metric);
    const friendly = named?.friendlyName ?? base;
    tiles.push({
      title,
      label: by ? `${friendly} by ${dimensionLabel(graph, by)}` : friendly,
      ...(named?.description ? { description: named.description } : {}),
      name: `${title}_${statistic}`,
      metrics,
      statistic,
      ...(group ? { group: group.name } : {}),
      ...(by ? { byDimension: by } : {}),
    });
  }
  return tiles;
}

/** A dimension's friendly name for "by ...", its first letter lowered unless a capital follows ("CPU cores"). */
const dimensionLabel = (graph: ProjectGraph, name: string): string => {
  const friendly = graph.population.dimensions.find((d) => d.name === name)?.friendlyName ?? titleCase(name);
  return /^[A-Z][a-z]/.test(friendly) ? friendly.charAt(0).toLowerCase() + friendly.slice(1) : friendly;
};

/**
 * Every (metric, statistic) a project summarises, in declaration order.
 *
 * @example summaries(graph) // [{ metric: "gc_ms", statistic: "percentile" }, ...]
 */
export const summaries = (graph: ProjectGraph): readonly { readonly metric: string; readonly statistic: string }[] =>
  graph.probes.flatMap((probe) => probe.statistics.map((s) => ({ metric: probe.name, statistic: s.name })));

/** Upstream's series colours, given to branches in order. */
export const BRANCH_COLOURS: readonly string[] = [
  "#3FE1B0",
  "#0060E0",
  "#9059FF",
  "#B933E1",
  "#FF2A8A",
  "#FF505F",
  "#FF7139",
  "#FFA537",
  "#005E5D",
  "#073072",
  "#7F165B",
  "#A7341F",
];
