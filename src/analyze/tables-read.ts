import type { ProjectGraph } from "../graph/project-graph.js";
import { tablesNamed } from "./prepare-duckdb.js";

/**
 * The tables the data sources of some projects read, canonical `project.dataset.table`, sorted:
 * what `opmon schemas pull` fetches and the analysis needs a schema for.
 *
 * @example tablesRead([graph]) // ["mozdata.telemetry.main", "moz-fx-data-shared-prod.telemetry.events"]
 */
export function tablesRead(graphs: readonly ProjectGraph[]): readonly string[] {
  const tables = new Set<string>();
  for (const graph of graphs) for (const ds of Object.values(graph.dataSources)) for (const name of tablesNamed(`SELECT 1 FROM ${ds.from}`)) tables.add(name);
  return [...tables].sort();
}
