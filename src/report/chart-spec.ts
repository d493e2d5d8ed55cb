import type { ProjectGraph } from "../graph/project-graph.js";
import { BRANCH_COLOURS, type Tile } from "./dashboard-tiles.js";
import type { DimensionOptions } from "./report-data.js";

/** A vega-lite specification as plain JSON (what vega-embed and `vega-lite`'s `compile` take). */
export type VegaLiteSpec = { readonly [key: string]: unknown };

/** The colour of alert markers. */
export const ALERT_COLOUR = "#d70022";

/**
 * The series a tile draws, in a fixed order so each keeps its colour whatever the filters. A series
 * name joins, with " · ", the metric (metric-group tiles), the branch (when the project has more
 * than one) and the dimension value (group-by tiles); a plain tile's series is its branch.
 *
 * @example seriesDomain(tile, graph, dims) // ["control", "treatment"]
 */
export function seriesDomain(tile: Tile, graph: ProjectGraph, dimensions: readonly DimensionOptions[]): readonly string[] {
  const branches = graph.population.branches;
  const metrics = tile.group ? tile.metrics : [null];
  const values = tile.byDimension ? (dimensions.find((d) => d.name === tile.byDimension)?.options ?? []) : [null];
  const showBranch = branches.length > 1 || (!tile.group && !tile.byDimension);
  return metrics.flatMap((m) =>
    branches.flatMap((b) => values.map((v) => [m, showBranch ? b : null, v].filter((part): part is string => part !== null).join(" · "))),
  );
}

/**
 * The vega-lite chart of one tile: per series a line of `point` over an interval band
 * (`lower`..`upper`), x by date or build, and red markers where alerts fired. Data comes by name
 * (`rows`: `{ x, series, point, lower, upper, clients, note }`; `alerts`: `{ x, message, series }`): the page
 * inlines it as `datasets` with the colours of the series shown, and Node renders the same spec to SVG.
 *
 * @example new vega.View(vega.parse(vegaLite.compile(chartSpec(tile, graph, dims)).spec)).data("rows", rows)
 */
export function chartSpec(tile: Tile, graph: ProjectGraph, dimensions: readonly DimensionOptions[]): VegaLiteSpec {
  const domain = seriesDomain(tile, graph, dimensions);
  const range = domain.map((_, i) => BRANCH_COLOURS[i % BRANCH_COLOURS.length] ?? "#000");
  const byBuild = graph.xaxis === "build_id";
  const x = {
    field: "x",
    type: "temporal",
    title: byBuild ? "build" : "submission date",
    scale: { type: "utc" },
    axis: { format: byBuild ? "%Y-%m-%d" : "%b %d", labelAngle: 0, tickCount: 6 },
  };
  const colour = { field: "series", type: "nominal", title: null, scale: { domain, range }, legend: { orient: "bottom", columns: 3 } };
  const tooltip = [
    {
      field: "x",
      type: "temporal",
      title: byBuild ? "build" : "date",
      timeUnit: byBuild ? "utcyearmonthdatehoursminutes" : "utcyearmonthdate",
    },
    { field: "series", title: "series" },
    { field: "point", title: tile.statistic, format: ",.4~g" },
    { field: "lower", title: "lower", format: ",.4~g" },
    { field: "upper", title: "upper", format: ",.4~g" },
    { field: "clients", title: "clients", format: "," },
    { field: "note", title: "note" },
  ];
  // a missing bound (too few clients) leaves a gap in the band, not a band joined across it
  const invalid = "break-paths-show-domains";
  return {
    width: "container",
    height: 220,
    autosize: { type: "fit-x", contains: "padding" },
    data: { name: "rows" },
    config: {
      view: { stroke: null },
      legend: { symbolType: "stroke", symbolStrokeWidth: 3, symbolOpacity: 1, labelLimit: 220 },
      axis: { grid: true, gridColor: "#eceff3", labelColor: "#4a5361", titleColor: "#4a5361" },
      // SI prefixes keep large values (memory in KB) inside the axis: 1.5M, not 1,500,000 cut off
      axisY: { format: "~s" },
    },
    layer: [
      {
        mark: { type: "area", opacity: 0.16, invalid },
        encoding: { x, y: { field: "lower", type: "quantitative" }, y2: { field: "upper" }, color: colour },
      },
      {
        mark: { type: "line", point: { size: 18 }, strokeWidth: 2, invalid },
        encoding: { x, y: { field: "point", type: "quantitative", title: tile.statistic, scale: { zero: false } }, color: colour, tooltip },
      },
      {
        data: { name: "alerts" },
        mark: { type: "rule", color: ALERT_COLOUR, strokeDash: [4, 3], strokeWidth: 1.5 },
        encoding: {
          x,
          tooltip: [
            { field: "message", title: "alert" },
            { field: "series", title: "series" },
          ],
        },
      },
      {
        data: { name: "alerts" },
        mark: { type: "point", shape: "triangle-down", filled: true, size: 90, color: ALERT_COLOUR, opacity: 1 },
        encoding: {
          x,
          y: { value: 0 },
          tooltip: [
            { field: "message", title: "alert" },
            { field: "series", title: "series" },
          ],
        },
      },
    ],
  };
}
