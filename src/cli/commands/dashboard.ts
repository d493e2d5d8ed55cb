import type { CAC } from "cac";
import { existsSync } from "node:fs";
import type { DuckDbEngine } from "../../engines/duckdb/duckdb-engine.js";
import type { ProjectGraph } from "../../graph/project-graph.js";
import { firstLine } from "../../util/first-line.js";
import { out, printIssues, UserError } from "../output.js";
import { bigquery as bigqueryDialect } from "../../sql/dialects/bigquery.js";
import { configDirOption, type ConfigDirOptions } from "./config-dir-option.js";
import { bigQueryProject, engineName, engineOptions, openEngine, type EngineOptions } from "./engine-options.js";

/** The folder `opmon dashboard` writes by default. */
export const DEFAULT_SITE = ".opmon/site";

/** The valid projects of a config directory; their problems are printed, and none at all is an error. */
export async function validGraphs(configDir: string): Promise<readonly ProjectGraph[]> {
  const { resolveConfigDir } = await import("../../graph/resolve-config-dir.js");
  const { projects, issues } = await resolveConfigDir(configDir);
  const graphs = projects.flatMap((p) => (p.graph ? [p.graph] : []));
  printIssues(issues.filter((i) => i.severity === "error"));
  if (graphs.length === 0) throw new UserError(`no valid project in ${configDir} (see opmon validate)`);
  return graphs;
}

/** Opens an existing warehouse; a missing one is a user error, not a new empty file. */
export async function openWarehouse(path: string): Promise<DuckDbEngine> {
  if (!existsSync(path)) throw new UserError(`no warehouse at ${path}: run "opmon demo" or "opmon run --date YYYY-MM-DD" first`);
  const { DuckDbEngine } = await import("../../engines/duckdb/duckdb-engine.js");
  const { WarehouseBusyError } = await import("../../engines/duckdb/warehouse-lock.js");
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
      const { SiteFolderError, writeSite } = await import("../../report/write-site.js");
      const { BigQueryNotFoundError } = await import("../../engines/bigquery/bigquery-errors.js");
      const graphs = await validGraphs(options.configDir);
      const bigquery = engineName(options) === "bigquery";
      const project = bigquery ? bigQueryProject(options) : "";
      const engine = bigquery ? await openEngine(options) : await openWarehouse(String(options.warehouse));
      try {
        const site = await writeSite((sql) => engine.query(sql), graphs, {
          out: String(options.out),
          // on DuckDB every read error is a project without results; on BigQuery only a missing view is
          ...(bigquery ? { viewName: bigQueryViewName(project), isMissing: (e: unknown) => e instanceof BigQueryNotFoundError } : {}),
          generatedAt: new Date().toISOString().slice(0, 16).replace("T", " "),
        }).catch((error: unknown) => {
          if (error instanceof SiteFolderError) throw new UserError(error.message);
          if (!bigquery) throw error;
          throw new UserError(`cannot read results from BigQuery, so ${String(options.out)} was left as it was: ${firstLine(error)}`);
        });
        const empty = site.projects.filter((p) => p.missing !== undefined).map((p) => p.graph.slug);
        if (empty.length) process.stderr.write(`no results yet for ${empty.join(", ")}\n`);
        out(site.index);
      } finally {
        await engine.close();
      }
      return 0;
    });
}
