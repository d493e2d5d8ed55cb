import type { ProjectGraph } from "../../graph/project-graph.js";
import { BRANCH_COLOURS, dashboardTiles, type Tile } from "../dashboard-tiles.js";
import type { DimensionOptions } from "../report-data.js";
import { titleCase } from "../title-case.js";
import { GENERATED_HEADER, lookmlNames, type LookmlOptions } from "./lookml-names.js";
import { yamlSingleQuoted as quoted, yamlString } from "./lookml-quote.js";

/** The `filters:` value for a tile's metrics: one name, or Looker's list syntax for a group. */
const metricFilter = (metrics: readonly string[]) =>
  quoted(metrics.length === 1 ? (metrics[0] ?? "") : metrics.map((m) => `"${m}"`).join(", "));

const list = (items: readonly string[], indent: string) => `[\n${items.map((i) => `${indent}  ${i}`).join(",\n")}\n${indent}]`;

function element(
  tile: Tile,
  index: number,
  graph: ProjectGraph,
  dims: readonly DimensionOptions[],
  o: ReturnType<typeof lookmlNames>,
): string {
  const e = o.explore;
  const f = (field: string) => `${e}.${field}`;
  const percentile = tile.statistic === "percentile";
  const compact = graph.compactVisualization;
  const pivots = [f("branch"), ...(tile.group ? [f("metric")] : []), ...(tile.byDimension ? [f(tile.byDimension)] : [])];
  const listen = [
    `Date: ${f(o.xaxis)}`,
    ...(percentile ? [`Percentile: ${f("parameter")}`] : []),
    ...dims.map((d) => `${yamlString(d.title)}: ${f(d.name)}`),
    ...(compact ? [`Metric: ${f("metric")}`, `Statistic: ${f("statistic")}`] : []),
  ];
  const lines = [
    `  - title: ${yamlString(tile.title)}`,
    `    name: ${yamlString(tile.name)}`,
    ...(compact ? [] : ["    note_state: expanded", "    note_display: above", `    note_text: ${yamlString(titleCase(tile.statistic))}`]),
    `    explore: ${yamlString(e)}`,
    `    type: ${percentile ? '"ci-line-chart"' : "looker_line"}`,
    `    fields: ${list([f(o.xaxis), f("branch"), ...(percentile ? [f("upper"), f("lower")] : []), f("point")], "    ")}`,
    `    pivots: ${list(pivots, "    ")}`,
    ...(compact
      ? []
      : ["    filters:", `      ${f("metric")}: ${metricFilter(tile.metrics)}`, `      ${f("statistic")}: ${tile.statistic}`]),
    `    row: ${Math.floor(index / 2) * 10}`,
    `    col: ${index % 2 === 0 ? 0 : 12}`,
    "    width: 12",
    "    height: 8",
    `    field_x: ${f(o.xaxis)}`,
    `    field_y: ${f("point")}`,
    "    log_scale: false",
    `    ci_lower: ${f("lower")}`,
    `    ci_upper: ${f("upper")}`,
    "    show_grid: true",
    "    listen:",
    ...listen.map((l) => `      ${l}`),
    ...graph.population.branches.map((b, i) => `    ${yamlString(b)}: "${BRANCH_COLOURS[i % BRANCH_COLOURS.length] ?? ""}"`),
    "    defaults_version: 0",
  ];
  return lines.join("\n");
}

function alertsElement(graph: ProjectGraph, row: number, o: ReturnType<typeof lookmlNames>): string {
  const a = (field: string) => `${o.alertsExplore}.${field}`;
  const x = graph.xaxis === "build_id" ? "build_id" : "submission_date";
  const fields = [
    x,
    ...graph.population.dimensions.map((d) => d.name),
    "metric",
    "statistic",
    "parameter",
    "message",
    "branch",
    "errors",
  ].map(a);
  return [
    "  - title: Alerts",
    "    name: Alerts",
    `    model: ${o.model}`,
    `    explore: ${yamlString(o.alertsExplore)}`,
    "    type: looker_grid",
    `    fields: ${list(fields, "    ")}`,
    `    sorts: [${a("submission_date")} desc]`,
    "    limit: 500",
    "    show_view_names: false",
    "    show_row_numbers: true",
    "    truncate_text: true",
    "    size_to_fit: true",
    "    table_theme: white",
    "    header_text_alignment: left",
    "    header_font_size: 12",
    "    rows_font_size: 12",
    "    defaults_version: 1",
    "    listen:",
    `      Date: ${a(graph.xaxis === "build_id" ? "build_id_date" : "submission_date")}`,
    `    row: ${row}`,
    "    col: 0",
    "    width: 24",
    "    height: 6",
  ].join("\n");
}

function fieldFilter(name: string, field: string, o: ReturnType<typeof lookmlNames>, rest: readonly string[], listensTo = "[]"): string {
  return [
    `  - name: ${name}`,
    `    title: ${name}`,
    "    type: field_filter",
    ...rest,
    `    model: ${o.model}`,
    `    explore: ${yamlString(o.explore)}`,
    `    listens_to_filters: ${listensTo}`,
    `    field: ${o.explore}.${field}`,
  ].join("\n");
}

function dimensionFilter(d: DimensionOptions, groupBy: boolean): string {
  const options = groupBy ? [...d.options].sort() : d.options;
  return [
    `  - title: ${yamlString(d.title)}`,
    `    name: ${yamlString(d.title)}`,
    "    type: string_filter",
    `    default_value: ${quoted(groupBy ? options.join(",") : (d.default ?? ""))}`,
    `    allow_multiple_values: ${groupBy}`,
    "    required: true",
    "    ui_config:",
    `      type: ${groupBy ? "advanced" : "dropdown_menu"}`,
    "      display: inline",
    "      options:",
    ...options.map((option) => `      - ${quoted(option)}`),
  ].join("\n");
}

/**
 * A project's dashboard in LookML, equivalent to lookml-generator's operational monitoring output:
 * two columns of 12×8 tiles (`ci-line-chart` with the interval for percentiles, `looker_line` for the
 * rest), one line per branch in upstream's colours; `Date`, `Percentile` (default 50) and one filter
 * per dimension (default: its most common value; multi-select for the group-by dimension); compact
 * projects get `Metric` and `Statistic` pickers; projects with alerts get the alerts grid below.
 *
 * @example lookmlDashboard(graph, dimensionOptions(rows, ["os"]))
 */
export function lookmlDashboard(graph: ProjectGraph, dimensions: readonly DimensionOptions[], options: LookmlOptions = {}): string {
  const o = lookmlNames(graph, options);
  const tiles = dashboardTiles(graph);
  const dims = graph.population.dimensions.map(
    (d) => dimensions.find((x) => x.name === d.name) ?? { name: d.name, title: titleCase(d.name), default: null, options: [] },
  );
  const elements = tiles.map((tile, i) => element(tile, i, graph, dims, o));
  if (graph.alerts.length > 0) elements.push(alertsElement(graph, Math.ceil(tiles.length / 2) * 10, o));
  const first = tiles[0];
  const filters = [
    fieldFilter("Date", o.xaxis, o, [
      "    allow_multiple_values: true",
      "    required: false",
      "    ui_config:",
      "      type: advanced",
      "      display: popover",
    ]),
    fieldFilter("Percentile", "parameter", o, [
      "    default_value: '50'",
      "    allow_multiple_values: false",
      "    required: true",
      "    ui_config:",
      "      type: advanced",
      "      display: popover",
    ]),
    ...(graph.compactVisualization && first
      ? [
          fieldFilter("Metric", "metric", o, pickerFilter(first.metrics[0] ?? "")),
          fieldFilter("Statistic", "statistic", o, pickerFilter(first.statistic), "[Metric]"),
        ]
      : []),
    ...dims.map((d) => dimensionFilter(d, d.name === graph.population.groupByDimension)),
  ];
  // titleCase keeps letters and digits only, but an empty or "Yes" title would not read back as text
  const title = yamlString(titleCase(graph.name));
  return `${GENERATED_HEADER}\n- dashboard: ${yamlString(o.explore)}\n  title: ${title}\n  layout: newspaper\n  preferred_viewer: dashboards-next\n\n  elements:\n${elements.join("\n")}\n\n  filters:\n${filters.join("\n")}\n`;
}

const pickerFilter = (value: string) => [
  `    default_value: ${quoted(value)}`,
  "    allow_multiple_values: false",
  "    required: true",
  "    ui_config:",
  "      type: dropdown_menu",
  "      display: popover",
];
