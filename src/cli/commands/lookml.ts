import type { CAC } from "cac";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { DEFAULT_WAREHOUSE } from "../../engines/duckdb/default-warehouse.js";
import type { DuckDbEngine } from "../../engines/duckdb/duckdb-engine.js";
import type { ProjectGraph } from "../../graph/project-graph.js";
import type { DimensionOptions } from "../../report/report-data.js";
import { err, out } from "../output.js";
import { configDirOption, type ConfigDirOptions } from "./config-dir-option.js";
import { openWarehouse, validGraphs } from "./dashboard.js";

/** The folder `opmon lookml` writes by default. */
export const DEFAULT_LOOKML = ".opmon/lookml";

/** Each dimension's filter options as lookml-generator reads them (top ten by count); none without results. */
async function dimensionsOf(engine: DuckDbEngine | undefined, graph: ProjectGraph): Promise<DimensionOptions[]> {
  const { dimensionOptionsSql, fromCounts } = await import("../../report/dimension-options.js");
  const dims: DimensionOptions[] = [];
  for (const { name } of graph.population.dimensions) {
    let counts: Record<string, unknown>[] = [];
    if (engine) {
      try {
        counts = await engine.query(dimensionOptionsSql(`operational_monitoring.${graph.tableSlug}_statistics`, name));
      } catch {
        // a project that never ran has no statistics view; its filters get no default
        counts = [];
      }
    }
    dims.push(
      fromCounts(
        name,
        counts.map((c) => ({ option: c["option"], count: c["count"] })),
      ),
    );
  }
  return dims;
}

/**
 * `opmon lookml`: views, explores and dashboards for Looker, per active project, as
 * lookml-generator writes them. Dimension filter defaults come from the warehouse when there is one.
 */
export function registerLookml(cli: CAC): void {
  configDirOption(cli.command("lookml", "Write Looker views, explores and dashboards for every active project"))
    .option("--out <dir>", "Folder to write the LookML to", { default: DEFAULT_LOOKML })
    .option("--warehouse <path>", "DuckDB warehouse whose results give the dimension filters' defaults", { default: DEFAULT_WAREHOUSE })
    .option("--bigquery-project <id>", "BigQuery project holding the operational_monitoring dataset", {
      default: "moz-fx-data-shared-prod",
    })
    .example("opmon lookml --out looker-hub")
    .action(async (options: ConfigDirOptions & { out: string | number; warehouse: string | number; bigqueryProject: string | number }) => {
      const today = new Date().toISOString().slice(0, 10);
      // as upstream: a dashboard disappears on its project's end date
      const graphs = (await validGraphs(options.configDir)).filter((g) => !g.skip && (g.endDate === undefined || g.endDate > today));
      const warehouse = String(options.warehouse);
      const engine = existsSync(warehouse) ? await openWarehouse(warehouse) : undefined;
      if (!engine) err(`no warehouse at ${warehouse}: dimension filters get no default value`);
      const root = resolve(String(options.out));
      // the LookML writer loads with this command, not with every start of the CLI
      const { lookmlFiles } = await import("../../report/lookml/lookml-files.js");
      let written = 0;
      try {
        for (const graph of graphs) {
          const files = lookmlFiles(graph, await dimensionsOf(engine, graph), { project: String(options.bigqueryProject) });
          for (const [path, text] of Object.entries(files)) {
            mkdirSync(dirname(join(root, path)), { recursive: true });
            writeFileSync(join(root, path), text);
            written++;
          }
        }
      } finally {
        await engine?.close();
      }
      out(`${root} (${written} files for ${graphs.length} project${graphs.length === 1 ? "" : "s"})`);
      return 0;
    });
}
