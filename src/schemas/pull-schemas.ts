import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { readSchemaFile } from "./bigquery-schema.js";
import { pool } from "../util/pool.js";
import { canonicalTableName } from "./schema-catalog.js";

/** Reads a table's schema fields from BigQuery (`tables.get`); rejects when it cannot. */
export type FetchSchema = (project: string, dataset: string, table: string) => Promise<readonly unknown[]>;

/** What `pullSchemas` did: the files written, and the tables it could not fetch, with why. */
export interface SchemaPull {
  readonly cached: readonly { readonly table: string; readonly file: string }[];
  readonly missing: readonly { readonly table: string; readonly reason: string }[];
}

/** Tables fetched at once: a few requests in flight, well under BigQuery's API rate limits. */
const CONCURRENT_FETCHES = 8;

/**
 * Fetches the schema of each table (canonical `project.dataset.table`, as the SQL names it: a
 * `mozdata` view is fetched as the view) and caches it as `<root>/<project>/<dataset>/<table>.json`,
 * the `bq show --schema` format `SchemaCatalog` reads. A file is replaced only by a schema it can read.
 *
 * @example await pullSchemas(["mozdata.telemetry.main"], ".opmon/schemas", (p, d, t) => engine.tableSchema(p, d, t))
 */
export async function pullSchemas(tables: readonly string[], root: string, fetchSchema: FetchSchema): Promise<SchemaPull> {
  const names = [...new Set(tables.map((t) => canonicalTableName([t]) ?? t))].sort();
  const pulled = await pool(names, CONCURRENT_FETCHES, async (table) => {
    const [project = "", dataset = "", name = ""] = table.split(".");
    if (!project || !dataset || !name) return { table, reason: "not a project.dataset.table name" };
    let fields: readonly unknown[];
    try {
      fields = await fetchSchema(project, dataset, name);
    } catch (error) {
      return { table, reason: error instanceof Error ? error.message : String(error) };
    }
    const file = join(root, project, dataset, `${name}.json`);
    mkdirSync(dirname(file), { recursive: true });
    const partial = `${file}.partial`;
    writeFileSync(partial, `${JSON.stringify(fields, null, 2)}\n`);
    try {
      readSchemaFile(partial);
    } catch (error) {
      rmSync(partial, { force: true });
      return { table, reason: `BigQuery sent a schema opmon cannot read (${error instanceof Error ? error.message : String(error)})` };
    }
    renameSync(partial, file);
    return { table, file };
  });
  return {
    cached: pulled.flatMap((p) => ("file" in p ? [{ table: p.table, file: p.file }] : [])),
    missing: pulled.flatMap((p) => ("reason" in p ? [{ table: p.table, reason: p.reason }] : [])),
  };
}
