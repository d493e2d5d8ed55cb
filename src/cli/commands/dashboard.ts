import type { CAC } from "cac";
import { existsSync } from "node:fs";
import { BigQueryNotFoundError } from "../../engines/bigquery/bigquery-engine.js";
import { DuckDbEngine } from "../../engines/duckdb/duckdb-engine.js";
import type { Engine } from "../../engines/engine.js";
import { WarehouseBusyError } from "../../engines/duckdb/warehouse-lock.js";
import type { ProjectGraph } from "../../graph/project-graph.js";
import { resolveConfigDir } from "../../graph/resolve-config-dir.js";
import { writeSite, type QueryRows } from "../../report/write-site.js";
import { firstLine } from "../../config/load-config-dir.js";
import { out, printIssues, UserError } from "../output.js";
import { bigquery as bigqueryDialect } from "../../sql/dialects/bigquery.js";
import { configDirOption, type ConfigDirOptions } from "./config-dir-option.js";
import { bigQueryProject, engineName, engineOptions, openEngine, type EngineOptions } from "./engine-options.js";

/** The folder `opmon dashboard` writes by default. */
export const DEFAULT_SITE = ".opmon/site";

/** The valid projects of a config directory; their problems are printed, and none at all is an error. */
export async function validGraphs(configDir: string): Promise<readonly ProjectGraph[]> {
  const { projects, issues } = await resolveConfigDir(configDir);
  const graphs = projects.flatMap((p) => (p.graph ? [p.graph] : []));
  printIssues(issues.filter((i) => i.severity === "error"));
  if (graphs.length === 0) throw new UserError(`no valid project in ${configDir} (see opmon validate)`);
  return graphs;
}

/** Opens an existing warehouse; a missing one is a user error, not a new empty file. */
export async function openWarehouse(path: string): Promise<DuckDbEngine> {
  if (!existsSync(path)) throw new UserError(`no warehouse at ${path}: run "opmon demo" or "opmon run --date YYYY-MM-DD" first`);
  try {
    return await DuckDbEngine.open(path);
  } catch (error) {
    if (error instanceof WarehouseBusyError) throw new UserError(error.message);
    throw error;
  }
}

/**
 * How the site names a results view on BigQuery: `project.dataset.view`, quoted.
 *
 * @example bigQueryViewName("my-project")("operational_monitoring", "gc_statistics") // "`my-project.operational_monitoring.gc_statistics`"
 */
export const bigQueryViewName = (project: string) => (dataset: string, view: string) => bigqueryDialect.table([project, dataset, view]);

/**
 * Reads results for the site, telling "no results yet" from "cannot read them". A view that does not
 * exist (`isMissing`) is passed on as an error, which the site shows as "no results yet"; any other
 * failure (an outage, a rejected login, a deadline) stops the site before it writes a page, so a
 * working site is never replaced by pages of error messages.
 *
 * @example const { query, failed } = guardedReads(engine, (e) => e instanceof BigQueryNotFoundError);
 */
export function guardedReads(engine: Pick<Engine, "query">, isMissing: (error: unknown) => boolean) {
  let stop: (error: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => (stop = reject));
  // not awaited until the race below; this keeps an early failure from counting as unhandled
  failed.catch(() => {});
  const query: QueryRows = async (sql) => {
    try {
      return await engine.query(sql);
    } catch (error) {
      if (isMissing(error)) throw error;
      stop(error);
      // writeSite turns every read error into a "no results" page: it must not see this one, so the read
      // never settles and the race in the caller ends the command instead
      return new Promise<never>(() => {});
    }
  };
  return { query, failed };
}

/** Options of `opmon dashboard`. */
interface DashboardOptions extends ConfigDirOptions, EngineOptions {
  readonly out: string | number;
}

/**
 * `opmon dashboard`: the static site (index and one page per project) from the warehouse's results,
 * on DuckDB (the warehouse file) or BigQuery (the views of `--project-id`); prints the path of its index.
 */
export function registerDashboard(cli: CAC): void {
  engineOptions(configDirOption(cli.command("dashboard", "Write the static dashboard site from the warehouse's results")))
    .option("--out <dir>", "Folder to write the site to", { default: DEFAULT_SITE })
    .example("opmon dashboard --out site && open site/index.html")
    .example("opmon dashboard --engine bigquery --project-id my-project --out site")
    .action(async (options: DashboardOptions) => {
      const graphs = await validGraphs(options.configDir);
      const bigquery = engineName(options) === "bigquery";
      const project = bigquery ? bigQueryProject(options) : "";
      const engine = bigquery ? await openEngine(options) : await openWarehouse(String(options.warehouse));
      // on DuckDB every read error is a project without results, as before
      const reads = bigquery ? guardedReads(engine, (e) => e instanceof BigQueryNotFoundError) : undefined;
      try {
        const writing = writeSite(reads?.query ?? ((sql) => engine.query(sql)), graphs, {
          out: String(options.out),
          ...(bigquery ? { viewName: bigQueryViewName(project) } : {}),
          generatedAt: new Date().toISOString().slice(0, 16).replace("T", " "),
        });
        const outage = reads?.failed.catch((error: unknown) => {
          throw new UserError(`cannot read results from BigQuery, so ${String(options.out)} was left as it was: ${firstLine(error)}`);
        });
        const site = await (outage ? Promise.race([writing, outage]) : writing);
        const empty = site.projects.filter((p) => p.missing !== undefined).map((p) => p.graph.slug);
        if (empty.length) process.stderr.write(`no results yet for ${empty.join(", ")}\n`);
        out(site.index);
      } finally {
        await engine.close();
      }
      return 0;
    });
}
