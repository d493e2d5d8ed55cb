import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

/** A column of a BigQuery JSON schema (the `bq show --schema` format). */
export interface BigQueryField {
  readonly name: string;
  /** `STRING`, `INT64`, `FLOAT64`, `BOOL`, `RECORD`, ... (legacy names such as `INTEGER` are accepted). */
  readonly type: string;
  readonly mode?: "NULLABLE" | "REQUIRED" | "REPEATED";
  readonly fields?: readonly BigQueryField[];
}

/** A table's schema with where it was found. */
export interface TableSchema {
  /** The canonical name, `project.dataset.table`. */
  readonly name: string;
  readonly fields: readonly BigQueryField[];
  /** The file it was read from. */
  readonly file: string;
}

/** The error for a schema file that is not a BigQuery JSON schema. */
export class SchemaFileError extends Error {
  override readonly name = "SchemaFileError";
}

/** BigQuery's legacy and alias type names, as the standard SQL name. */
const TYPE_ALIASES: Readonly<Record<string, string>> = {
  INTEGER: "INT64",
  INT: "INT64",
  SMALLINT: "INT64",
  BIGINT: "INT64",
  TINYINT: "INT64",
  BYTEINT: "INT64",
  FLOAT: "FLOAT64",
  BOOLEAN: "BOOL",
  STRUCT: "RECORD",
  DECIMAL: "NUMERIC",
  BIGDECIMAL: "BIGNUMERIC",
};

/** The standard SQL name of a schema type (`INTEGER` is `INT64`). */
export const standardType = (type: string): string => TYPE_ALIASES[type.toUpperCase()] ?? type.toUpperCase();

function checkFields(value: unknown, file: string, path: string): readonly BigQueryField[] {
  if (!Array.isArray(value)) throw new SchemaFileError(`${file}: ${path || "the file"} is not an array of fields`);
  return value.map((f: unknown, i) => {
    const at = `${path}[${i}]`;
    if (typeof f !== "object" || f === null) throw new SchemaFileError(`${file}: ${at} is not a field object`);
    const { name, type, mode, fields } = f as Record<string, unknown>;
    if (typeof name !== "string" || typeof type !== "string") throw new SchemaFileError(`${file}: ${at} needs a string name and type`);
    if (mode !== undefined && mode !== "NULLABLE" && mode !== "REQUIRED" && mode !== "REPEATED")
      throw new SchemaFileError(`${file}: ${at}.mode "${String(mode)}" is not NULLABLE, REQUIRED or REPEATED`);
    const std = standardType(type);
    if (std === "RECORD" && fields === undefined) throw new SchemaFileError(`${file}: ${at} (${name}) is a RECORD without fields`);
    return Object.freeze({
      name,
      type: std,
      ...(mode ? { mode } : {}),
      ...(std === "RECORD" ? { fields: checkFields(fields, file, `${at}.fields`) } : {}),
    }) as BigQueryField;
  });
}

/**
 * Reads a BigQuery JSON schema file (`.json`, or gzip-compressed `.json.gz`) and checks its shape.
 *
 * @example const fields = readSchemaFile("schemas/mozdata/telemetry/main.json");
 */
export function readSchemaFile(file: string): readonly BigQueryField[] {
  const bytes = readFileSync(file);
  const text = file.endsWith(".gz") ? gunzipSync(bytes).toString("utf8") : bytes.toString("utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SchemaFileError(`${file}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  // `bq show --format=json` wraps the fields in {schema: {fields}}; `bq show --schema` prints the array
  const fields = (json as { schema?: { fields?: unknown } })?.schema?.fields ?? json;
  return Object.freeze(checkFields(fields, file, ""));
}
