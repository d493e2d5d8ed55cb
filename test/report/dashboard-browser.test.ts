import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDbEngine } from "../../src/engines/duckdb/duckdb-engine.js";
import type { ProjectGraph } from "../../src/graph/project-graph.js";
import { dashboardTiles } from "../../src/report/dashboard-tiles.js";
import { writeSite } from "../../src/report/write-site.js";
import { ROOT } from "../helpers/cli.js";
import { demoGraphs, graphOf } from "./demo-graphs.js";
import { fixtureClients, LINUX_ALERT_MESSAGE, REGRESSION_MESSAGE, TOO_FEW_DAY, writeFixtureResults } from "./fixture-warehouse.js";

/** Chromium as playwright's variable names it, else Debian's or another distribution's on the PATH. */
function findChromium(): string | undefined {
  const given = process.env["PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH"];
  if (given) return given;
  const dirs = (process.env["PATH"] ?? "").split(delimiter).filter(Boolean);
  for (const name of ["chromium", "chromium-browser", "google-chrome"])
    for (const d of dirs) if (existsSync(join(d, name))) return join(d, name);
  return undefined;
}
const CHROMIUM = findChromium();
/** Screenshots of what a person sees on first load (the viewport, never resized), kept as CI artifacts. */
const ARTIFACTS = join(ROOT, "test-artifacts", "dashboard");
const VIEWPORT = { width: 1360, height: 900 };

let dir: string;
let graphs: Record<string, ProjectGraph>;
let index: string;
let compactPage: string;
let compactByOsPage: string;
let browser: Browser;
let page: Page;
const problems: string[] = [];

/** What the page's globals look like to code run in it (the repo's TypeScript has no DOM types). */
interface Rect {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}
interface El {
  readonly textContent: string | null;
  readonly id: string;
  getBoundingClientRect(): Rect;
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): Iterable<El>;
}
interface PlottedRow {
  readonly x: string;
  readonly clients: number | null;
  readonly note: string;
  readonly series: string;
  readonly point: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
}
interface PageGlobals {
  readonly opmon: {
    readonly ready: Promise<boolean>;
    readonly rendered?: Promise<boolean>;
    readonly plotted: Record<string, PlottedRow[]>;
    readonly alerts: Record<string, { series: string }[]>;
  };
  readonly document: El;
}

/** What one chart shows as drawn: legend and y-axis labels with where they sit, and the chart's box. */
interface DrawnChart {
  readonly id: string;
  readonly svg: Rect | null;
  readonly legend: readonly { readonly text: string; readonly box: Rect }[];
  readonly yLabels: readonly { readonly text: string; readonly box: Rect }[];
  readonly plotted: readonly PlottedRow[];
}

/** Waits until every chart is drawn for the current filters (old pages only had `ready`). */
const settled = () =>
  page.evaluate(async () => {
    const g = globalThis as unknown as PageGlobals;
    await g.opmon.ready;
    await g.opmon.rendered;
  });

async function open(file: string): Promise<void> {
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(() => (globalThis as unknown as Partial<PageGlobals>).opmon?.ready);
  await settled();
}

/** Every chart of the page as drawn. */
const drawnCharts = () =>
  page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    const box = (e: El): Rect => {
      const r = e.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
    };
    const texts = (root: El | null, selector: string) =>
      root ? [...root.querySelectorAll(selector)].map((t) => ({ text: t.textContent ?? "", box: box(t) })) : [];
    return [...g.document.querySelectorAll(".tile")].map((tile): DrawnChart => {
      const svg = tile.querySelector(".chart svg");
      return {
        id: tile.id,
        svg: svg ? box(svg) : null,
        legend: texts(svg, ".role-legend-label text"),
        yLabels: texts(svg?.querySelector('[aria-label^="Y-axis"]') ?? null, ".role-axis-label text"),
        plotted: g.opmon.plotted[tile.id] ?? [],
      };
    });
  });

const SI: Record<string, number> = { µ: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, "%": 0.01 };
/** A y-axis label read back as a number (`1.4M` → 1400000, `−5` → -5, `+20%` → 0.2). */
function labelValue(text: string): number {
  const m = /^([−+-]?[\d.]+)([µmkMG%]?)$/.exec(text.replaceAll(",", ""));
  if (!m) throw new Error(`y-axis label "${text}" is not a number`);
  return Number((m[1] ?? "").replace("−", "-")) * (SI[m[2] ?? ""] ?? 1);
}

const inside = (inner: Rect, outer: Rect) =>
  inner.left >= outer.left - 0.5 && inner.right <= outer.right + 0.5 && inner.top >= outer.top - 0.5 && inner.bottom <= outer.bottom + 0.5;

/**
 * What a person must be able to read on every chart: a legend naming every series drawn (hence every
 * branch), nothing of it outside the chart; y-axis labels fully inside the chart, reading numbers that
 * span the plotted values (the lowest label at or below the data, the highest at or above, not far off).
 */
function expectReadable(chart: DrawnChart, branches: readonly string[]): void {
  const where = `chart ${chart.id}`;
  if (chart.plotted.length === 0) return;
  expect(chart.svg, where).not.toBeNull();
  const svg = chart.svg as Rect;
  const series = [...new Set(chart.plotted.map((r) => r.series))].sort();
  expect(chart.legend.map((l) => l.text).sort(), `${where}: legend`).toEqual(series);
  if (branches.length > 1) for (const b of branches) expect(series.join("|"), `${where}: branch ${b}`).toContain(b);
  for (const l of chart.legend) expect(inside(l.box, svg), `${where}: legend label "${l.text}" is cut off`).toBe(true);
  expect(chart.yLabels.length, `${where}: y-axis labels`).toBeGreaterThan(1);
  for (const l of chart.yLabels) expect(inside(l.box, svg), `${where}: y-axis label "${l.text}" is cut off`).toBe(true);
  const values = chart.yLabels.map((l) => labelValue(l.text));
  const data = chart.plotted.flatMap((r) => [r.point, r.lower, r.upper]).filter((v): v is number => v !== null);
  const [lo, hi] = [Math.min(...data), Math.max(...data)];
  const [first, last] = [Math.min(...values), Math.max(...values)];
  const span = Math.max(hi - lo, Math.abs(hi) * 1e-6);
  expect(first, `${where}: lowest y label ${first} vs data from ${lo}`).toBeLessThanOrEqual(lo + span * 0.35);
  expect(last, `${where}: highest y label ${last} vs data to ${hi}`).toBeGreaterThanOrEqual(hi - span * 0.35);
  expect(last - first, `${where}: y labels ${first}..${last} vs data ${lo}..${hi}`).toBeLessThanOrEqual(span * 3);
}

beforeAll(async () => {
  if (!CHROMIUM || !existsSync(CHROMIUM)) {
    throw new Error(
      `the dashboard browser test needs Chromium${CHROMIUM ? ` (PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH=${CHROMIUM} does not exist)` : ""}: apt-get install chromium, or set PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH`,
    );
  }
  graphs = await demoGraphs();
  dir = mkdtempSync(join(tmpdir(), "opmon-browser-"));
  const engine = await DuckDbEngine.open(join(dir, "warehouse.duckdb"));
  try {
    for (const slug of ["gc-tuning-experiment", "desktop-nightly-health"]) await writeFixtureResults(engine, graphOf(graphs, slug), dir);
    index = (await writeSite((sql) => engine.query(sql), Object.values(graphs), { out: join(dir, "site") })).index;
    const compact = { ...graphOf(graphs, "gc-tuning-experiment"), compactVisualization: true };
    compactPage = (await writeSite((sql) => engine.query(sql), [compact], { out: join(dir, "compact") })).pages[0] ?? "";
    const compactByOs = { ...graphOf(graphs, "desktop-nightly-health"), compactVisualization: true };
    compactByOsPage = (await writeSite((sql) => engine.query(sql), [compactByOs], { out: join(dir, "compact-by-os") })).pages[0] ?? "";
  } finally {
    await engine.close();
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = await browser.newPage({ viewport: VIEWPORT });
  page.on("console", (m) => void (m.type() === "error" && problems.push(`console: ${m.text()}`)));
  page.on("pageerror", (e) => void problems.push(`page error: ${e.message}`));
  page.on("request", (r) => void (r.url().startsWith("file:") || problems.push(`network request: ${r.url()}`)));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const tileOf = async (metric: string) => (await page.locator(`.tile[data-metrics="${metric}"]`).first().getAttribute("id")) ?? "";

/** What a tile plots now, and its drawn SVG. */
const tileState = (id: string) =>
  page.evaluate((tile) => {
    const g = globalThis as unknown as PageGlobals;
    return {
      data: JSON.stringify(g.opmon.plotted[tile]),
      svg: g.document.querySelector(`#${tile} .chart svg`)?.querySelector("g")?.textContent ?? "",
    };
  }, id);

describe("the dashboard in headless Chromium, as a person sees it on first load (1360x900, never resized)", () => {
  it("opens the index from disk and follows a project link", async () => {
    await page.goto(pathToFileURL(index).href);
    await page.screenshot({ path: join(ARTIFACTS, "index.png") });
    expect(await page.locator("#projects tbody tr").count()).toBe(3);
    await page.click('a[href="gc_tuning_experiment.html"]');
    await page.waitForFunction(() => (globalThis as unknown as Partial<PageGlobals>).opmon?.ready);
    await settled();
    const expected = dashboardTiles(graphOf(graphs, "gc-tuning-experiment")).length;
    expect(await page.locator(".tile .chart svg").count()).toBe(expected);
    // the rollout has no results in this warehouse: its page says so
    await open(join(dir, "site", "tab_unloading_rollout.html"));
    await page.screenshot({ path: join(ARTIFACTS, "tab-unloading-rollout.png") });
    expect(await page.locator("main").innerText()).toContain("No results yet");
  });

  for (const [slug, file] of [
    ["gc-tuning-experiment", "gc_tuning_experiment.html"],
    ["desktop-nightly-health", "desktop_nightly_health.html"],
  ] as const) {
    it(`${slug}: every chart shows its whole legend and readable y-axis labels on first load`, async () => {
      await open(join(dir, "site", file));
      await page.screenshot({ path: join(ARTIFACTS, `${slug}.png`) });
      const charts = await drawnCharts();
      expect(charts.length).toBeGreaterThan(0);
      for (const chart of charts) expectReadable(chart, graphOf(graphs, slug).population.branches);
    });
  }

  it("titles charts with the probes' friendly names and descriptions", async () => {
    await open(join(dir, "site", "gc_tuning_experiment.html"));
    const gc = await tileOf("gc_ms");
    expect(await page.locator(`#${gc} .tile-title`).innerText()).toBe("GC time");
    expect(await page.locator(`#${gc} .description`).innerText()).toBe("Milliseconds spent in one garbage collection.");
  });

  it("redraws when the dimension or the percentile filter changes, and stays readable", async () => {
    await open(join(dir, "site", "gc_tuning_experiment.html"));
    const gc = await tileOf("gc_ms");
    const windows = await tileState(gc);
    expect(JSON.parse(windows.data).length).toBeGreaterThan(0);
    await page.selectOption("#filter-os", { label: "Linux" });
    await settled();
    const linux = await tileState(gc);
    expect(linux.data).not.toBe(windows.data);
    expect(linux.svg).not.toBe(windows.svg);
    await page.selectOption("#filter-percentile", "95");
    await settled();
    const p95 = await tileState(gc);
    expect(p95.data).not.toBe(linux.data);
    expect(p95.svg).not.toBe(linux.svg);
    for (const chart of await drawnCharts()) expectReadable(chart, ["control", "treatment"]);
    await page.selectOption("#filter-os", { label: "Windows" });
    await page.selectOption("#filter-percentile", "50");
    await settled();
    expect((await tileState(gc)).data).toBe(windows.data);
  });

  it("shows alerts whatever the filters: a badge counting every alert of the chart's metric, linked to the alerts table", async () => {
    await open(join(dir, "site", "gc_tuning_experiment.html"));
    const gc = await tileOf("gc_ms");
    const row = page.locator("#alerts tbody tr", { hasText: REGRESSION_MESSAGE });
    expect(await row.count()).toBe(1);
    expect(await row.innerText()).toMatch(/gc_ms\s+percentile\s+50\s+treatment/);
    // the Linux alert is not under the default filter (Windows), yet the badge counts it
    const badge = page.locator(`#${gc} .alert-badge`);
    expect(await badge.innerText()).toContain("2 alerts");
    expect(await page.locator(`#${await tileOf("memory_total")} .alert-badge`).isVisible()).toBe(false);
    await badge.click();
    const shown = page.locator("#alerts tbody tr:not([hidden])");
    expect(await shown.count()).toBe(2);
    expect((await shown.allInnerTexts()).every((t) => t.includes("gc_ms"))).toBe(true);
    // every value at once: both alerts are marked, on a line per OS value
    await page.selectOption("#filter-os", { label: "All values (a line each)" });
    await settled();
    const alerts = await page.evaluate((tile) => (globalThis as unknown as PageGlobals).opmon.alerts[tile] ?? [], gc);
    expect(alerts.map((a) => a.series).sort()).toEqual(["treatment · Linux", "treatment · Windows"]);
    const chart = (await drawnCharts()).find((c) => c.id === gc);
    if (!chart) throw new Error("no gc_ms chart");
    expect(new Set(chart.plotted.map((r) => r.series))).toEqual(
      new Set(["control", "treatment"].flatMap((b) => ["Windows", "Linux", "Mac"].map((os) => `${b} · ${os}`))),
    );
    expectReadable(chart, ["control", "treatment"]);
    expect(await page.locator("body").innerText()).toContain(LINUX_ALERT_MESSAGE);
  });

  it("says what a band is: its level, clients in the tooltip, a gap where too few clients, crash means over crash pings", async () => {
    await open(join(dir, "site", "gc_tuning_experiment.html"));
    const gc = await tileOf("gc_ms");
    expect(await page.locator(`#${gc} .note`).innerText()).toContain("95% confidence interval");
    const crashMean = (await page.locator('.tile[data-metrics="main_crashes"][data-statistic="mean"]').getAttribute("id")) ?? "";
    expect(await page.locator(`#${crashMean} .note`).innerText()).toContain("mean over clients with a Crash ping row only");
    await page.selectOption("#filter-os", { label: "Mac" });
    await settled();
    const chart = (await drawnCharts()).find((c) => c.id === gc);
    if (!chart) throw new Error("no gc_ms chart");
    const day = `2026-10-0${1 + TOO_FEW_DAY}T00:00:00Z`;
    expect(chart.plotted.find((r) => r.x === day)).toMatchObject({ lower: null, upper: null, note: "too few clients for an interval" });
    expect(chart.plotted.find((r) => r.x !== day)?.clients).toBeGreaterThanOrEqual(fixtureClients(1));
    // the band of each branch breaks at that day instead of joining across it: two pieces per path
    const bands = await page.evaluate(
      (tile) =>
        [...(globalThis as unknown as PageGlobals).document.querySelectorAll(`#${tile} .mark-area path`)].map((p) =>
          (p as unknown as { getAttribute(a: string): string }).getAttribute("d"),
        ),
      gc,
    );
    expect(bands.length).toBe(2);
    for (const d of bands) expect(d.match(/M/g)?.length, d).toBe(2);
    // crash counts cannot be negative: the band stops at 0 and the tooltip keeps the stored bound
    const crashes = (await drawnCharts()).find((c) => c.id === crashMean);
    expect(crashes?.plotted.length).toBeGreaterThan(0);
    for (const r of crashes?.plotted ?? []) if (r.lower !== null) expect(r.lower).toBe(0);
    expect(crashes?.plotted[0]?.note).toMatch(/lower bound drawn at 0 \(stored -[\d.]+\)/);
  });

  it("draws each branch's relative difference from the reference with its interval", async () => {
    await open(join(dir, "site", "gc_tuning_experiment.html"));
    const gc = await tileOf("gc_ms");
    await page.selectOption("#filter-compare", "relative_difference");
    await settled();
    const charts = await drawnCharts();
    for (const chart of charts) expectReadable(chart, []);
    const chart = charts.find((c) => c.id === gc);
    if (!chart) throw new Error("no gc_ms chart");
    expect(new Set(chart.plotted.map((r) => r.series))).toEqual(new Set(["treatment"]));
    // Windows regresses by 40% from day 10: the chart reads it as +40%, inside its interval
    const last = chart.plotted.at(-1);
    const wobble = (1 + 0.01 * Math.sin(14 + "treatment".length)) / (1 + 0.01 * Math.sin(14 + "control".length));
    expect(last?.point).toBeCloseTo(1.4 * wobble - 1, 9);
    expect(last?.lower).toBeCloseTo(1.4 * wobble - 1 - 0.03, 9);
    expect(chart.yLabels.some((l) => l.text.endsWith("%"))).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, "gc-tuning-experiment-relative-difference.png") });
  });

  it("hides data outside the date range", async () => {
    await open(join(dir, "site", "gc_tuning_experiment.html"));
    const gc = await tileOf("gc_ms");
    const all = JSON.parse((await tileState(gc)).data) as unknown[];
    await page.fill("#filter-from", "2026-10-10");
    await page.dispatchEvent("#filter-from", "change");
    await settled();
    const later = JSON.parse((await tileState(gc)).data) as unknown[];
    expect(later.length).toBeLessThan(all.length);
  });

  it("compact mode: one chart switched by metric and statistic pickers", async () => {
    await open(compactPage);
    await page.screenshot({ path: join(ARTIFACTS, "compact.png") });
    expect(await page.locator(".tile .chart svg").count()).toBe(1);
    expectReadable((await drawnCharts())[0] as DrawnChart, ["control", "treatment"]);
    const first = await tileState("tile-0");
    await page.selectOption("#pick-metric", "main_crashes");
    await settled();
    expect(await page.locator("#pick-statistic option").allInnerTexts()).toEqual(["sum", "mean"]);
    const crashes = await tileState("tile-0");
    expect(crashes.data).not.toBe(first.data);
    // the statistic stays when the new metric has it too
    expect(await page.locator("#tile-0 .tile-title").innerText()).toBe("Main process crashes · mean");
    await page.selectOption("#pick-statistic", "sum");
    await settled();
    expect((await tileState("tile-0")).data).not.toBe(crashes.data);
    expect(await page.locator("#tile-0 .tile-title").innerText()).toBe("Main process crashes · sum");
    expectReadable((await drawnCharts())[0] as DrawnChart, ["control", "treatment"]);
  });

  it("compact mode with a group-by dimension: one line per value, each toggled by its checkbox", async () => {
    await open(compactByOsPage);
    await page.screenshot({ path: join(ARTIFACTS, "compact-by-os.png") });
    const seriesPerDay = async () => {
      const [chart] = await drawnCharts();
      if (!chart) throw new Error("no chart");
      expectReadable(chart, []);
      const byX = new Map<string, string[]>();
      for (const r of chart.plotted) byX.set(`${r.x}|${r.series}`, [...(byX.get(`${r.x}|${r.series}`) ?? []), r.series]);
      // no saw-tooth: a series has one point per x
      expect(Math.max(...[...byX.values()].map((v) => v.length))).toBe(1);
      return { series: [...new Set(chart.plotted.map((r) => r.series))].sort(), legend: chart.legend.map((l) => l.text).sort() };
    };
    const all = await seriesPerDay();
    expect(all.series).toEqual(["Linux", "Mac", "Windows"]);
    expect(all.legend).toEqual(all.series);
    await page.uncheck('input[data-group-by][value="Linux"]');
    await settled();
    const without = await seriesPerDay();
    expect(without.series).toEqual(["Mac", "Windows"]);
    expect(without.legend).toEqual(["Mac", "Windows"]);
  });

  it("stays readable when the window is resized", async () => {
    await open(join(dir, "site", "gc_tuning_experiment.html"));
    const fits = () => {
      const g = globalThis as unknown as PageGlobals;
      return [...g.document.querySelectorAll(".tile .chart")].every((chart) => {
        const svg = chart.querySelector("svg")?.getBoundingClientRect();
        const box = chart.getBoundingClientRect();
        return svg !== undefined && Math.abs(svg.right - svg.left - (box.right - box.left)) < 2;
      });
    };
    expect(await page.evaluate(fits)).toBe(true);
    // one column instead of two: vega-embed redraws each "container"-wide chart to its new width
    await page.setViewportSize({ width: 900, height: 900 });
    await page.waitForFunction(fits);
    for (const chart of await drawnCharts()) expectReadable(chart, ["control", "treatment"]);
    await page.setViewportSize(VIEWPORT);
  });

  it("has no console errors or network requests", () => {
    expect(problems).toEqual([]);
  });
});
