import { existsSync } from "node:fs";
import { join } from "node:path";
import { readSchemaFile, type TableSchema } from "./bigquery-schema.js";

/** The project a two-part `dataset.table` name reads, as in OpMon's configs. */
export const DEFAULT_PROJECT = "moz-fx-data-shared-prod";

/**
 * Projects that hold the same tables: bigquery-etl deploys `mozdata`'s user-facing views from the
 * same definitions as `moz-fx-data-shared-prod`'s, and the legacy project name reads the same tables.
 */
const TWINS: Readonly<Record<string, readonly string[]>> = {
  mozdata: ["moz-fx-data-shared-prod"],
  "moz-fx-data-shared-prod": ["mozdata"],
  "moz-fx-data-derived-datasets": ["moz-fx-data-shared-prod", "mozdata"],
};

/**
 * The canonical `project.dataset.table` of a table name however SQL spells it: backticks around the
 * whole name or a part, two parts (the default project), any case of the project.
 *
 * @example canonicalTableName(["`moz-fx-data-shared-prod`", "telemetry", "main"]) // "moz-fx-data-shared-prod.telemetry.main"
 * @example canonicalTableName(["telemetry.main"]) // "moz-fx-data-shared-prod.telemetry.main"
 */
export function canonicalTableName(parts: readonly string[]): string | undefined {
  const flat = parts.flatMap((p) => p.replaceAll("`", "").split("."));
  if (flat.some((p) => p === "")) return undefined;
  if (flat.length === 2) return [DEFAULT_PROJECT, ...flat].join(".");
  if (flat.length !== 3) return undefined;
  const [project = "", dataset, table] = flat;
  return [project.toLowerCase(), dataset, table].join(".");
}

/**
 * The schemas of the tables configs read, found as `<root>/<project>/<dataset>/<table>.json` (or
 * `.json.gz`) in each root in order, `mozdata` and `moz-fx-data-shared-prod` standing in for each
 * other. Each file is read once.
 *
 * @example const catalog = new SchemaCatalog(["schemas"]); catalog.find("mozdata.telemetry.main")?.fields
 */
export class SchemaCatalog {
  readonly #roots: readonly string[];
  readonly #loaded = new Map<string, TableSchema | undefined>();

  constructor(roots: readonly string[]) {
    this.#roots = roots;
  }

  /** The folders searched, in order. */
  get roots(): readonly string[] {
    return this.#roots;
  }

  /** Whether any of the folders exists (a config repository without schemas has none). */
  get present(): boolean {
    return this.#roots.some((root) => existsSync(root));
  }

  /** The schema of a table (any spelling `canonicalTableName` accepts), or undefined when none is found. */
  find(name: string | readonly string[]): TableSchema | undefined {
    const canonical = canonicalTableName(typeof name === "string" ? [name] : name);
    if (canonical === undefined) return undefined;
    if (this.#loaded.has(canonical)) return this.#loaded.get(canonical);
    const [project = "", dataset = "", table = ""] = canonical.split(".");
    let found: TableSchema | undefined;
    for (const p of [project, ...(TWINS[project] ?? [])]) {
      const file = this.#file(p, dataset, table);
      if (file) {
        found = Object.freeze({ name: canonical, fields: readSchemaFile(file), file });
        break;
      }
    }
    this.#loaded.set(canonical, found);
    return found;
  }

  #file(project: string, dataset: string, table: string): string | undefined {
    for (const root of this.#roots) {
      for (const ext of [".json", ".json.gz"]) {
        const file = join(root, project, dataset, `${table}${ext}`);
        if (existsSync(file)) return file;
      }
    }
    return undefined;
  }
}
