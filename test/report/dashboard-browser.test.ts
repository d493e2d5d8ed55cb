import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDbEngine } from "../../src/engines/duckdb/duckdb-engine.js";
import { dashboardTiles } from "../../src/report/dashboard-tiles.js";
import { writeSite } from "../../src/report/write-site.js";
import { ROOT } from "../helpers/cli.js";
import { demoGraphs, graphOf } from "./demo-graphs.js";
import { REGRESSION_MESSAGE, writeFixtureResults } from "./fixture-warehouse.js";

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
const SCREENSHOT = join(ROOT, "test-artifacts", "dashboard.png");

let dir: string;
let index: string;
let compactPage: string;
let expectedTiles: number;
let browser: Browser;
let page: Page;
const problems: string[] = [];

/** What the page's globals look like to code run in it (the repo's TypeScript has no DOM types). */
interface PageGlobals {
  readonly opmon: { readonly ready: Promise<boolean>; readonly plotted: Record<string, unknown[]> };
  readonly document: { querySelector(selector: string): { readonly innerHTML: string } | null };
}

beforeAll(async () => {
  if (!CHROMIUM || !existsSync(CHROMIUM)) {
    throw new Error(
      `the dashboard browser test needs Chromium${CHROMIUM ? ` (PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH=${CHROMIUM} does not exist)` : ""}: apt-get install chromium, or set PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH`,
    );
  }
  const graphs = await demoGraphs();
  expectedTiles = dashboardTiles(graphOf(graphs, "gc-tuning-experiment")).length;
  dir = mkdtempSync(join(tmpdir(), "opmon-browser-"));
  const engine = await DuckDbEngine.open(join(dir, "warehouse.duckdb"));
  try {
    for (const slug of ["gc-tuning-experiment", "desktop-nightly-health"]) await writeFixtureResults(engine, graphOf(graphs, slug), dir);
    index = (await writeSite((sql) => engine.query(sql), Object.values(graphs), { out: join(dir, "site") })).index;
    const compact = { ...graphOf(graphs, "gc-tuning-experiment"), compactVisualization: true };
    compactPage = (await writeSite((sql) => engine.query(sql), [compact], { out: join(dir, "compact") })).pages[0] ?? "";
  } finally {
    await engine.close();
  }
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
  page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  page.on("console", (m) => void (m.type() === "error" && problems.push(`console: ${m.text()}`)));
  page.on("pageerror", (e) => void problems.push(`page error: ${e.message}`));
  page.on("request", (r) => void (r.url().startsWith("file:") || problems.push(`network request: ${r.url()}`)));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** What a tile plots now, and its drawn SVG. */
const tileState = (id: string) =>
  page.evaluate((tile) => {
    const g = globalThis as unknown as PageGlobals;
    return { data: JSON.stringify(g.opmon.plotted[tile]), svg: g.document.querySelector(`#${tile} .chart svg`)?.innerHTML ?? "" };
  }, id);

describe("the dashboard in headless Chromium", () => {
  it("opens the index from disk and follows a project link", async () => {
    await page.goto(pathToFileURL(index).href);
    expect(await page.locator("#projects tbody tr").count()).toBe(3);
    await page.click('a[href="gc_tuning_experiment.html"]');
    await page.waitForFunction(() => (globalThis as unknown as Partial<PageGlobals>).opmon?.ready);
    await page.evaluate(() => (globalThis as unknown as PageGlobals).opmon.ready);
    expect(await page.locator(".tile .chart svg").count()).toBe(expectedTiles);
  });

  it("redraws when the dimension or the percentile filter changes", async () => {
    const gc = (await page.locator('.tile[data-metrics="gc_ms"]').getAttribute("id")) ?? "";
    const windows = await tileState(gc);
    expect(JSON.parse(windows.data).length).toBeGreaterThan(0);
    await page.selectOption("#filter-os", "Linux");
    const linux = await tileState(gc);
    expect(linux.data).not.toBe(windows.data);
    expect(linux.svg).not.toBe(windows.svg);
    await page.selectOption("#filter-percentile", "95");
    const p95 = await tileState(gc);
    expect(p95.data).not.toBe(linux.data);
    expect(p95.svg).not.toBe(linux.svg);
    await page.selectOption("#filter-os", "Windows");
    await page.selectOption("#filter-percentile", "50");
    expect((await tileState(gc)).data).toBe(windows.data);
  });

  it("lists the injected regression in the alerts table and marks it on its chart", async () => {
    const row = page.locator("#alerts tbody tr", { hasText: REGRESSION_MESSAGE });
    expect(await row.count()).toBe(1);
    expect(await row.innerText()).toMatch(/gc_ms\s+percentile\s+50\s+treatment/);
    const badge = await page.locator('.tile[data-metrics="gc_ms"] .alert-badge').innerText();
    expect(badge).toContain("1 alert");
  });

  it("hides data outside the date range", async () => {
    const gc = (await page.locator('.tile[data-metrics="gc_ms"]').getAttribute("id")) ?? "";
    const all = JSON.parse((await tileState(gc)).data) as unknown[];
    await page.fill("#filter-from", "2026-10-10");
    await page.dispatchEvent("#filter-from", "change");
    const later = JSON.parse((await tileState(gc)).data) as unknown[];
    expect(later.length).toBeLessThan(all.length);
    await page.fill("#filter-from", "2026-10-02");
    await page.dispatchEvent("#filter-from", "change");
  });

  it("compact mode: one chart switched by metric and statistic pickers", async () => {
    await page.goto(pathToFileURL(compactPage).href);
    await page.evaluate(() => (globalThis as unknown as PageGlobals).opmon.ready);
    expect(await page.locator(".tile .chart svg").count()).toBe(1);
    const first = await tileState("tile-0");
    await page.selectOption("#pick-metric", "main_crashes");
    expect(await page.locator("#pick-statistic option").allInnerTexts()).toEqual(["sum", "mean"]);
    const crashes = await tileState("tile-0");
    expect(crashes.data).not.toBe(first.data);
    // the statistic stays when the new metric has it too
    expect(await page.locator("#tile-0 .tile-title").innerText()).toBe("main_crashes · mean");
    await page.selectOption("#pick-statistic", "sum");
    expect((await tileState("tile-0")).data).not.toBe(crashes.data);
    expect(await page.locator("#tile-0 .tile-title").innerText()).toBe("main_crashes · sum");
  });

  it("has no console errors or network requests, and saves a screenshot", async () => {
    await page.goto(pathToFileURL(join(dir, "site", "gc_tuning_experiment.html")).href);
    await page.evaluate(() => (globalThis as unknown as PageGlobals).opmon.ready);
    mkdirSync(join(ROOT, "test-artifacts"), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await page.goto(pathToFileURL(join(dir, "site", "desktop_nightly_health.html")).href);
    await page.evaluate(() => (globalThis as unknown as PageGlobals).opmon.ready);
    await page.screenshot({ path: join(ROOT, "test-artifacts", "dashboard-build-id.png"), fullPage: true });
    expect(problems).toEqual([]);
  });
});
