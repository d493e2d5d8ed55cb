import { chartSpec } from "./chart-spec.js";
import { CLIENT_SCRIPT } from "./client-script.js";
import { BRANCH_COLOURS, dashboardTiles, summaries } from "./dashboard-tiles.js";
import { nonNegativeSummaries } from "./natural-bounds.js";
import { titleCase } from "./title-case.js";
import { escapeHtml, inlineScript, page, scriptJson } from "./html.js";
import { supportOf, type ComparisonRow } from "./band-rows.js";
import type { ProjectGraph } from "../graph/project-graph.js";
import type { ProjectResults, StatRow } from "./report-data.js";
import { xValue } from "./x-value.js";

/** The chart libraries' browser builds, inlined into every project page so it opens offline. */
export interface ChartLibraries {
  readonly vega: string;
  readonly vegaLite: string;
  readonly vegaEmbed: string;
}

/** What a project page draws: the results, and the comparisons of each branch with the reference branch. */
export interface SiteResults extends ProjectResults {
  readonly comparisons?: readonly ComparisonRow[];
}

/** The HTML id of a tile's element. */
export const tileId = (index: number) => `tile-${index}`;

/**
 * The data a project page embeds: tiles with their vega-lite specs, the rows in a compact
 * column/array form with their x value, the alerts, and the filters' options and defaults.
 *
 * @example pageData(results).tiles.length // number of charts
 */
export function pageData(results: SiteResults) {
  const { graph } = results;
  const dims = graph.population.dimensions.map((d) => d.name);
  const tiles = dashboardTiles(graph).map((tile, i) => ({ ...tile, id: tileId(i), note: tileNote(graph, tile) }));
  const columns = [
    "x",
    "branch",
    "metric",
    "statistic",
    "parameter",
    "point",
    "lower",
    "upper",
    "clients",
    "too_few_clients",
    "comparison",
    ...dims,
  ];
  const row = (r: StatRow, comparison: string | null) => {
    const { clients, tooFewClients } = supportOf(r);
    return [
      xValue(graph.xaxis, r),
      r.branch,
      r.metric,
      r.statistic,
      r.parameter,
      r.point,
      r.lower,
      r.upper,
      clients,
      tooFewClients,
      comparison,
      ...dims.map((d) => r.dims[d] ?? null),
    ];
  };
  const comparisons = results.comparisons ?? [];
  const rows = [...results.rows.map((r) => row(r, null)), ...comparisons.map((c) => row(c, c.comparison))];
  const percentiles = [
    ...new Set(results.rows.filter((r) => r.statistic === "percentile" && r.parameter !== null).map((r) => r.parameter as number)),
  ].sort((a, b) => a - b);
  const days = results.rows.map((r) => xValue(graph.xaxis, r).slice(0, 10)).sort();
  return {
    slug: graph.slug,
    xaxis: graph.xaxis,
    branches: graph.population.branches,
    dimensions: results.dimensions,
    groupBy: graph.population.groupByDimension ?? null,
    compact: graph.compactVisualization,
    summaries: summaries(graph),
    labels: Object.fromEntries(graph.probes.map((p) => [p.name, p.friendlyName ?? titleCase(p.name)])),
    descriptions: Object.fromEntries(graph.probes.map((p) => [p.name, p.description ?? ""])),
    nonNegative: nonNegativeSummaries(graph, results.rows),
    colours: BRANCH_COLOURS,
    tiles,
    specs: Object.fromEntries(tiles.map((t) => [t.id, chartSpec(t, graph, results.dimensions)])),
    notes: Object.fromEntries(
      summaries(graph).map((s) => [`${s.metric}|${s.statistic}`, tileNote(graph, { metrics: [s.metric], statistic: s.statistic })]),
    ),
    comparisons: [...new Set(comparisons.map((c) => c.comparison))].sort(),
    referenceBranch: graph.referenceBranch,
    columns,
    rows,
    alerts: results.alerts.map((a) => ({ ...a.dims, ...a, x: xValue(graph.xaxis, a) })),
    percentiles,
    defaultPercentile: percentiles.includes(50) ? 50 : (percentiles[0] ?? 50),
    minDay: days[0] ?? "",
    maxDay: days.at(-1) ?? "",
  };
}

/**
 * What a tile's band is, said under its title: the interval's level, the gaps, and for a mean of a
 * probe from another data source than the population's (crash pings), who the mean is over.
 */
function tileNote(graph: ProjectGraph, tile: { readonly metrics: readonly string[]; readonly statistic: string }): string {
  const level = Math.round((graph.confidenceLevel ?? 0.95) * 1000) / 10;
  const parts = [`${tile.statistic}; band: ${level}% confidence interval, a gap where too few clients support one`];
  if (tile.statistic === "mean") {
    for (const name of tile.metrics) {
      const probe = graph.probes.find((p) => p.name === name);
      if (!probe || probe.dataSource === graph.population.dataSource) continue;
      const source = graph.dataSources[probe.dataSource];
      parts.push(
        `${tile.metrics.length > 1 ? `${name}: ` : ""}mean over clients with a ${source?.friendlyName ?? probe.dataSource} row only, not every client (the tooltip gives how many)`,
      );
    }
  }
  return parts.join(". ");
}

const option = (value: string | number, selected: boolean) =>
  `<option value="${escapeHtml(String(value))}"${selected ? " selected" : ""}>${escapeHtml(String(value))}</option>`;

function filters(data: ReturnType<typeof pageData>, results: SiteResults): string {
  const parts: string[] = [];
  if (data.compact) {
    const metrics = [...new Set(data.summaries.map((s) => s.metric))];
    parts.push(`<label>Metric<select id="pick-metric">${metrics.map((m, i) => option(m, i === 0)).join("")}</select></label>`);
    parts.push(`<label>Statistic<select id="pick-statistic"></select></label>`);
  }
  for (const d of results.dimensions) {
    if (d.name === data.groupBy) {
      const boxes = d.options.map(
        (o) => `<label><input type="checkbox" data-group-by value="${escapeHtml(o)}" checked> ${escapeHtml(o)}</label>`,
      );
      parts.push(
        `<fieldset id="filter-${escapeHtml(d.name)}"><legend>${escapeHtml(d.title)} (one line each)</legend>${boxes.join("")}</fieldset>`,
      );
    } else {
      // values by index (any string can be a value); -1 draws every value, a line each
      const options = d.options.map((o, i) => `<option value="${i}"${o === d.default ? " selected" : ""}>${escapeHtml(o)}</option>`);
      parts.push(
        `<label>${escapeHtml(d.title)}<select id="filter-${escapeHtml(d.name)}"><option value="-1">All values (a line each)</option>${options.join("")}</select></label>`,
      );
    }
  }
  if (data.comparisons.length > 0) {
    const label = (c: string) => `${c === "relative_difference" ? "Relative difference" : titleCase(c)} from ${data.referenceBranch}`;
    parts.push(
      `<label>Show<select id="filter-compare"><option value="" selected>Each branch's values</option>${data.comparisons.map((c) => `<option value="${escapeHtml(c)}">${escapeHtml(label(c))}</option>`).join("")}</select></label>`,
    );
  }
  if (data.percentiles.length > 0) {
    parts.push(
      `<label>Percentile<select id="filter-percentile">${data.percentiles.map((p) => option(p, p === data.defaultPercentile)).join("")}</select></label>`,
    );
  }
  // days come from the warehouse's rows: escaped like any other value read back
  const [min, max] = [escapeHtml(data.minDay), escapeHtml(data.maxDay)];
  const bounds = `min="${min}" max="${max}"`;
  parts.push(
    `<label>${data.xaxis === "build_id" ? "Builds from" : "From"}<input type="date" id="filter-from" value="${min}" ${bounds}></label>`,
  );
  parts.push(`<label>to<input type="date" id="filter-to" value="${max}" ${bounds}></label>`);
  return `<form class="filters" onsubmit="return false">${parts.join("\n")}</form>`;
}

function tileHtml(tile: ReturnType<typeof pageData>["tiles"][number], compact: boolean): string {
  const note = compact
    ? `<div class="note"></div>`
    : `<div class="note">${escapeHtml(tile.note)}${tile.group ? ` · ${escapeHtml(tile.metrics.join(", "))}` : ""}</div>`;
  return `<div class="tile" id="${tile.id}" data-metrics="${escapeHtml(tile.metrics.join(","))}" data-statistic="${escapeHtml(tile.statistic)}">
<h3><span class="tile-title">${escapeHtml(tile.label)}</span><a class="alert-badge" href="#alerts" hidden></a></h3>
<div class="description">${escapeHtml(tile.description ?? "")}</div>${note}
<div class="chart"></div><div class="empty" hidden>No data for these filters.</div>
</div>`;
}

function alertsTable(results: ProjectResults): string {
  const { graph } = results;
  if (graph.alerts.length === 0 && results.alerts.length === 0) return "";
  const dims = graph.population.dimensions.map((d) => d.name);
  const x = graph.xaxis === "build_id" ? ["build"] : [];
  const head = ["date", ...x, ...dims, "metric", "statistic", "parameter", "branch", "message"];
  const body = results.alerts.slice(0, 500).map((a) => {
    const cells = [
      a.submission_date,
      ...(x.length ? [a.build_id ?? ""] : []),
      ...dims.map((d) => a.dims[d] ?? ""),
      a.metric,
      a.statistic ?? "",
      a.parameter === null ? "" : String(a.parameter),
      a.branch ?? "",
      a.message,
    ];
    return `<tr data-day="${escapeHtml(xValue(graph.xaxis, a).slice(0, 10))}" data-metric="${escapeHtml(a.metric)}">${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`;
  });
  return `<section id="alerts"><h2>Alerts</h2>
<p id="alerts-only" class="muted" hidden>Showing alerts of <span id="alerts-only-metrics"></span> only. <button type="button" id="alerts-show-all">Show all</button></p>
<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>
${body.join("\n")}
</tbody></table><p id="alerts-none" class="muted"${results.alerts.length ? " hidden" : ""}>No alerts in this date range.</p></section>`;
}

function sqlSection(results: ProjectResults): string {
  const queries = Object.entries(results.queries ?? {});
  const body = queries.length
    ? queries.map(([name, sql]) => `<details><summary>${escapeHtml(name)}</summary><pre>${escapeHtml(sql)}</pre></details>`).join("\n")
    : `<p class="muted">This site was written without the run's SQL. <code>opmon sql ${escapeHtml(results.graph.slug)} --date YYYY-MM-DD</code> prints it.</p>`;
  return `<section id="sql"><h2>Generated SQL</h2>\n${body}</section>`;
}

/**
 * A project's page: header with its metadata, filters, one tile per chart, the alerts table and the
 * generated SQL; the chart libraries and the data inlined, so the file opens from disk with no
 * network.
 *
 * @example writeFileSync("gc.html", projectPage(results, libraries));
 */
export function projectPage(results: SiteResults, libraries: ChartLibraries): string {
  const { graph } = results;
  const data = pageData(results);
  const dates = `${graph.startDate ?? "?"} – ${graph.endDate ?? "open"}`;
  const meta = [
    graph.platform.name,
    `x-axis: ${graph.xaxis === "build_id" ? "build" : "submission date"}`,
    dates,
    `branches: ${graph.population.branches.join(", ")}`,
  ];
  const body = `<header><nav><a href="index.html">← All projects</a><a href="#alerts">Alerts</a><a href="#sql">SQL</a></nav>
<h1>${escapeHtml(graph.name)}</h1><div class="meta">${meta.map(escapeHtml).join(" · ")}</div>
${graph.description ? `<p class="muted">${escapeHtml(graph.description)}</p>` : ""}</header>
<main>
${results.missing ? `<p class="muted">No results yet: ${escapeHtml(results.missing)}</p>` : ""}
${filters(data, results)}
<div class="grid">
${data.tiles.map((t) => tileHtml(t, data.compact)).join("\n")}
</div>
${alertsTable(results)}
${sqlSection(results)}
</main>
<script type="application/json" id="opmon-data">${scriptJson(data)}</script>
<script>${inlineScript(libraries.vega)}</script>
<script>${inlineScript(libraries.vegaLite)}</script>
<script>${inlineScript(libraries.vegaEmbed)}</script>
<script>${inlineScript(CLIENT_SCRIPT)}</script>`;
  return page(`${graph.name} · opmon`, body);
}
