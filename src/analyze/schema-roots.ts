import { join } from "node:path";
import { SchemaCatalog } from "../schemas/schema-catalog.js";

/**
 * The schema catalog of a config directory: `--schemas` folders first, then the repository's own
 * `schemas/`, then the `.opmon/schemas/` cache.
 *
 * @example configSchemas("monitoring").roots // ["monitoring/schemas", "monitoring/.opmon/schemas"]
 */
export const configSchemas = (configDir: string, extra: readonly string[] = []): SchemaCatalog =>
  new SchemaCatalog([...extra, join(configDir, "schemas"), schemaCache(configDir)]);

/**
 * Where `opmon schemas pull` caches the schemas it fetches from BigQuery.
 *
 * @example schemaCache("monitoring") // "monitoring/.opmon/schemas"
 */
export const schemaCache = (configDir: string): string => join(configDir, ".opmon", "schemas");
