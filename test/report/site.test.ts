import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as vega from "vega";
import * as vegaLite from "vega-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDbEngine } from "../../src/engines/duckdb/duckdb-engine.js";
import type { ProjectGraph } from "../../src/graph/project-graph.js";
import { chartSpec } from "../../src/report/chart-spec.js";
import { dashboardTiles } from "../../src/report/dashboard-tiles.js";
import { escapeHtml, scriptJson } from "../../src/report/html.js";
import { nonNegativeSummaries } from "../../src/report/natural-bounds.js";
import { pageData } from "../../src/report/project-page.js";
import { writeSite, type SiteWritten } from "../../src/report/write-site.js";
import { xValue } from "../../src/report/x-value.js";
import { demoGraphs, graphOf } from "./demo-graphs.js";
import { FIXTURE_DAYS, REGRESSION_MESSAGE, writeFixtureResults } from "./fixture-warehouse.js";

let graphs: Record<string, ProjectGraph>;
let dir: string;
let site: SiteWritten;

beforeAll(async () => {
  graphs = await demoGraphs();
  dir = mkdtempSync(join(tmpdir(), "opmon-report-"));
  const engine = await DuckDbEngine.open(join(dir, "warehouse.duckdb"));
  try {
    // the rollout is left without results: its page must say so rather than break the site
    for (const slug of ["gc-tuning-experiment", "desktop-nightly-health"]) await writeFixtureResults(engine, graphOf(graphs, slug), dir);
    site = await writeSite((sql) => engine.query(sql), Object.values(graphs), {
      out: join(dir, "site"),
      queries: { "gc-tuning-experiment": { statistics: 'SELECT 1 AS "<tricky>"' } },
    });
  } finally {
    await engine.close();
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function svgOf(spec: Record<string, unknown>, rows: unknown[], alerts: unknown[] = []): Promise<string> {
  const compiled = vegaLite.compile({ ...spec, width: 480 } as vegaLite.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  view.data("rows", rows).data("alerts", alerts);
  return view.toSVG();
}

describe("chart specs", () => {
  it("render to SVG in Node: one line per branch, a band, and alert markers", async () => {
    const graph = graphOf(graphs, "gc-tuning-experiment");
    const tile = dashboardTiles(graph)[0];
    if (!tile) throw new Error("no tiles");
    const rows = ["control", "treatment"].flatMap((series, b) =>
      [1, 2, 3].map((d) => ({ x: `2026-10-0${d}T00:00:00Z`, series, point: 10 + d + b, lower: 9 + d + b, upper: 11 + d + b })),
    );
    const svg = await svgOf(chartSpec(tile, graph, []), rows, [
      { x: "2026-10-02T00:00:00Z", message: REGRESSION_MESSAGE, series: "treatment" },
    ]);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/class="mark-line/g)?.length).toBe(2);
    expect(svg).toContain("#3FE1B0");
    expect(svg).toContain("#0060E0");
    expect(svg).toContain("#d70022");
    const empty = await svgOf(chartSpec(tile, graph, []), []);
    expect(empty).not.toContain("#d70022");
  });

  it("title charts with the configs' friendly names and descriptions; LookML keeps lookml-generator's titles", () => {
    const gc = dashboardTiles(graphOf(graphs, "gc-tuning-experiment")).find((t) => t.metrics[0] === "gc_ms");
    expect(gc).toMatchObject({ title: "GC Ms", label: "GC time", description: "Milliseconds spent in one garbage collection." });
    const nightly = dashboardTiles(graphOf(graphs, "desktop-nightly-health"));
    expect(nightly.find((t) => t.group === "crashes")).toMatchObject({
      title: "Crashes - By os",
      label: "Crashes by operating system",
      description: "Crashes per process type",
    });
    // compact projects keep the group-by dimension: a line per value, as lookml-generator's compact dashboards
    const compact = dashboardTiles({ ...graphOf(graphs, "desktop-nightly-health"), compactVisualization: true });
    expect(compact).toEqual([expect.objectContaining({ title: "Metric", byDimension: "os" })]);
  });

  it("draws bands from 0 at most where a statistic cannot be negative: counts, histograms, scalars never below 0", () => {
    const graph = graphOf(graphs, "gc-tuning-experiment");
    const row = (metric: string, point: number) => ({
      submission_date: "2026-10-02",
      build_id: null,
      dims: {},
      branch: "control",
      metric,
      statistic: "mean",
      parameter: null,
      point,
      lower: point - 1,
      upper: point + 1,
    });
    const bounded = nonNegativeSummaries(graph, [row("main_crashes", 0.2), row("memory_total", 3)]);
    expect(bounded).toEqual(
      expect.arrayContaining(["gc_ms|percentile", "memory_total|percentile", "main_crashes|sum", "main_crashes|mean"]),
    );
    // a scalar whose stored points go below 0 is signed: its band is drawn as stored
    const signed = nonNegativeSummaries(graph, [row("main_crashes", -3)]);
    expect(signed).toContain("gc_ms|percentile");
    expect(signed.filter((k) => k.startsWith("main_crashes|"))).toEqual([]);
  });

  it("puts builds on the x-axis by the time their id encodes", () => {
    expect(xValue("build_id", { submission_date: "2026-10-20", build_id: "20261014093000" })).toBe("2026-10-14T09:30:00Z");
    expect(xValue("submission_date", { submission_date: "2026-10-20", build_id: null })).toBe("2026-10-20T00:00:00Z");
  });
});

describe("the static site", () => {
  it("indexes every project with its latest day and open alerts", () => {
    const index = readFileSync(site.index, "utf8");
    expect(index.match(/<tr data-slug=/g)?.length).toBe(Object.keys(graphs).length);
    const gc = index.split('<tr data-slug="gc-tuning-experiment">')[1]?.split("</tr>")[0] ?? "";
    expect(gc).toContain('href="gc_tuning_experiment.html"');
    expect(gc).toContain("control, treatment");
    expect(gc).toContain("2026-10-15");
    expect(gc).toContain('<span class="count open">1</span>');
    const rollout = index.split('<tr data-slug="tab-unloading-rollout">')[1]?.split("</tr>")[0] ?? "";
    expect(rollout).toContain("no results");
  });

  it("writes self-contained project pages: libraries and data inlined, nothing fetched", () => {
    const html = readFileSync(join(dir, "site", "gc_tuning_experiment.html"), "utf8");
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href="http/);
    expect(html).toContain("vegaEmbed");
    expect(html.match(/class="tile"/g)?.length).toBe(dashboardTiles(graphOf(graphs, "gc-tuning-experiment")).length);
    expect(html).toMatch(/<option value="-1">All values \(a line each\)<\/option><option value="0" selected>Windows<\/option>/);
    expect(html).toMatch(/<option value="50" selected>/);
    expect(html).toContain(REGRESSION_MESSAGE);
    expect(html).toContain("&lt;tricky&gt;");
  });

  it("defaults each dimension to its most common value and offers the percentiles found", () => {
    const results = site.projects.find((p) => p.graph.slug === "gc-tuning-experiment");
    if (!results) throw new Error("no results");
    expect(results.dimensions).toEqual([{ name: "os", title: "OS", default: "Windows", options: ["Windows", "Linux", "Mac"] }]);
    const data = pageData(results);
    expect(data.percentiles).toEqual([25, 50, 75, 95]);
    expect(data.defaultPercentile).toBe(50);
    expect(data.maxDay).toBe("2026-10-15");
    // each branch's own rows, then treatment's difference and relative difference from control
    expect(results.comparisons?.length).toBe(results.rows.length);
    expect(data.rows.length).toBe(results.rows.length * 2);
    expect(new Set(data.rows.map((r) => r[0])).size).toBe(FIXTURE_DAYS);
  });

  it("draws group-by tiles and metric groups for the build-id project", () => {
    const results = site.projects.find((p) => p.graph.slug === "desktop-nightly-health");
    if (!results) throw new Error("no results");
    const data = pageData(results);
    expect(data.tiles.every((t) => t.title.endsWith(" - By os"))).toBe(true);
    expect(data.tiles.find((t) => t.group === "crashes")?.metrics).toEqual(["main_crashes", "content_crashes", "gpu_crashes"]);
    expect(data.rows[0]?.[0]).toMatch(/T09:30:00Z$/);
    const html = readFileSync(join(dir, "site", "desktop_nightly_health.html"), "utf8");
    expect(html.match(/data-group-by value=/g)?.length).toBe(3);
  });

  it("escapes what it embeds", () => {
    expect(escapeHtml(`<a href="x">'`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;");
    expect(scriptJson({ a: "</script><script>" })).not.toContain("</script");
  });
});
