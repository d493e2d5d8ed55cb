import type { CAC } from "cac";
import { existsSync } from "node:fs";
import { DEFAULT_WAREHOUSE, DuckDbEngine } from "../../engines/duckdb/duckdb-engine.js";
import { WarehouseBusyError } from "../../engines/duckdb/warehouse-lock.js";
import type { ProjectGraph } from "../../graph/project-graph.js";
import { resolveConfigDir } from "../../graph/resolve-config-dir.js";
import { writeSite } from "../../report/write-site.js";
import { out, printIssues, UserError } from "../output.js";
import { configDirOption, type ConfigDirOptions } from "./config-dir-option.js";

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
 * `opmon dashboard`: the static site (index and one page per project) from the warehouse's results;
 * prints the path of its index.
 */
export function registerDashboard(cli: CAC): void {
  configDirOption(cli.command("dashboard", "Write the static dashboard site from the warehouse's results"))
    .option("--out <dir>", "Folder to write the site to", { default: DEFAULT_SITE })
    .option("--warehouse <path>", "DuckDB warehouse holding the results", { default: DEFAULT_WAREHOUSE })
    .example("opmon dashboard --out site && open site/index.html")
    .action(async (options: ConfigDirOptions & { out: string | number; warehouse: string | number }) => {
      const graphs = await validGraphs(options.configDir);
      const engine = await openWarehouse(String(options.warehouse));
      try {
        const site = await writeSite((sql) => engine.query(sql), graphs, {
          out: String(options.out),
          generatedAt: new Date().toISOString().slice(0, 16).replace("T", " "),
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
