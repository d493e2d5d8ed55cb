import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, resolve } from "node:path";
import type { ProjectGraph } from "../graph/project-graph.js";
import { dimensionOptions } from "./dimension-options.js";
import { indexPage, projectFile } from "./index-page.js";
import { projectPage, type ChartLibraries, type SiteResults } from "./project-page.js";
import type { ProjectResults } from "./report-data.js";
import { alertRows } from "./result-rows.js";
import { comparisonRows, supportedRows, type ComparisonRow } from "./band-rows.js";

/** Runs a query on the warehouse and returns its rows as plain JSON (what `Engine.query` does). */
export type QueryRows = (sql: string) => Promise<Record<string, unknown>[]>;

/** Options of {@link writeSite}. */
export interface SiteOptions {
  /** The folder to write (created if missing). */
  readonly out: string;
  /** A view's name as the warehouse spells it; default `dataset.view` (DuckDB). */
  readonly viewName?: (dataset: string, view: string) => string;
  /** The dataset of the views; default `operational_monitoring`. */
  readonly dataset?: string;
  /** The run's SQL per project slug, by query name, to show on each page. */
  readonly queries?: { readonly [slug: string]: { readonly [name: string]: string } };
  /** Shown on the index. */
  readonly generatedAt?: string;
  /**
   * Whether a failed read means "no results yet" (the view does not exist): the page says so. Any other
   * failure (an outage, a rejected login) stops the site before a page is written. Default: every failure.
   */
  readonly isMissing?: (error: unknown) => boolean;
}

/** What {@link writeSite} wrote. */
export interface SiteWritten {
  /** The absolute path of `index.html`. */
  readonly index: string;
  readonly pages: readonly string[];
  readonly projects: readonly SiteResults[];
}

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";

function libraries(): ChartLibraries {
  const require = createRequire(import.meta.url);
  // the packages export only their modules; the browser builds sit beside them in build/
  const build = (name: string, file: string) => readFileSync(join(dirname(require.resolve(name)), file), "utf8");
  return {
    vega: build("vega", "vega.min.js"),
    vegaLite: build("vega-lite", "vega-lite.min.js"),
    vegaEmbed: build("vega-embed", "vega-embed.min.js"),
  };
}

async function projectResults(query: QueryRows, graph: ProjectGraph, options: SiteOptions): Promise<SiteResults> {
  const view = (suffix: string) =>
    (options.viewName ?? ((d, v) => `${d}.${v}`))(options.dataset ?? "operational_monitoring", `${graph.tableSlug}${suffix}`);
  const dims = graph.population.dimensions.map((d) => d.name);
  const queries = options.queries?.[graph.slug];
  const base = { graph, ...(queries ? { queries } : {}) };
  let raw;
  try {
    raw = await query(`SELECT * FROM ${view("_statistics")}`);
  } catch (error) {
    if (options.isMissing && !options.isMissing(error)) throw error;
    // a project that never ran has no views yet: its page says so instead of failing the site
    return { ...base, rows: [], comparisons: [], alerts: [], dimensions: dimensionOptions([], dims), missing: firstLine(error) };
  }
  const rows = supportedRows(raw, dims);
  let comparisons: ComparisonRow[] = comparisonRows(raw, dims);
  if (comparisons.length === 0 && graph.population.branches.length > 1) {
    // comparisons in a view of their own; a warehouse written before it has none
    try {
      comparisons = comparisonRows(await query(`SELECT * FROM ${view("_comparisons")}`), dims);
    } catch (error) {
      if (options.isMissing && !options.isMissing(error)) throw error;
    }
  }
  let alerts: ProjectResults["alerts"] = [];
  if (graph.alerts.length > 0) {
    try {
      alerts = alertRows(await query(`SELECT * FROM ${view("_alerts")}`), dims);
    } catch (error) {
      if (options.isMissing && !options.isMissing(error)) throw error;
      alerts = [];
    }
  }
  return { ...base, rows, comparisons, alerts, dimensions: dimensionOptions(rows, dims) };
}

/**
 * Reads each project's statistics and alerts views through `query` and writes the static site:
 * `index.html` and one `<slug>.html` per project, each self-contained (libraries and data inlined).
 * The only module of the report stage that does I/O.
 *
 * @example const { index } = await writeSite((sql) => engine.query(sql), graphs, { out: ".opmon/site" });
 */
export async function writeSite(query: QueryRows, graphs: readonly ProjectGraph[], options: SiteOptions): Promise<SiteWritten> {
  const out = resolve(options.out);
  checkReplaceable(out);
  const projects: SiteResults[] = [];
  for (const graph of graphs) projects.push(await projectResults(query, graph, options));
  const libs = libraries();
  const files = projects.map((p) => ({ name: projectFile(p.graph.tableSlug), text: projectPage(p, libs) }));
  files.push({ name: "index.html", text: indexPage(projects, options.generatedAt) });
  replaceFolder(out, files);
  return { index: join(out, "index.html"), pages: files.slice(0, -1).map((f) => join(out, f.name)), projects };
}

/** The site's folder cannot be used: it is a file, or a folder of other things. */
export class SiteFolderError extends Error {
  override readonly name = "SiteFolderError";
}

/** Marks a folder as a site opmon wrote, which a later site may replace whole. */
const SITE_MARKER = ".opmon-site";

/**
 * Refuses to replace a folder that is not a site: the whole target is replaced, so `--out .` or a
 * folder of someone's files must never be taken for one. A site is empty, marked, or only `.html`
 * files (a site written before the marker).
 */
function checkReplaceable(out: string): void {
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory()) throw new SiteFolderError(`${out} exists and is not a folder; the site needs a folder of its own`);
  const entries = readdirSync(out);
  if (entries.includes(SITE_MARKER) || entries.every((e) => e.endsWith(".html"))) return;
  throw new SiteFolderError(`${out} holds files that are not an opmon site (no ${SITE_MARKER}); choose another --out or empty it`);
}

/**
 * Writes `files` into a new folder beside `out`, then puts it in `out`'s place: a reader (or a run
 * interrupted at any point) sees the old site whole or the new one whole, never a truncated page.
 * An existing site is renamed aside first and removed only once the new one is in place.
 */
function replaceFolder(out: string, files: readonly { readonly name: string; readonly text: string }[]): void {
  mkdirSync(dirname(out), { recursive: true });
  // a sibling: same filesystem, so the renames below are atomic
  const fresh = mkdtempSync(join(dirname(out), `.${basename(out)}.new-`));
  let old: string | undefined;
  try {
    for (const f of files) writeFileSync(join(fresh, f.name), f.text);
    writeFileSync(join(fresh, SITE_MARKER), "written by opmon dashboard; the folder is replaced whole on each write\n");
    if (existsSync(out)) {
      old = join(dirname(out), basename(fresh).replace(".new-", ".old-"));
      renameSync(out, old);
    }
    try {
      renameSync(fresh, out);
    } catch (error) {
      // put the previous site back rather than leave no site at all
      if (old !== undefined) renameSync(old, out);
      old = undefined;
      throw error;
    }
  } finally {
    rmSync(fresh, { recursive: true, force: true });
    if (old !== undefined) rmSync(old, { recursive: true, force: true });
  }
}
