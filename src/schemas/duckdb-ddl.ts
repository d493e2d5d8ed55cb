import type { TableSchema } from "./bigquery-schema.js";
import { fieldType, type SqlType } from "./sql-type.js";

const DUCKDB_SCALARS: Readonly<Record<string, string>> = {
  STRING: "VARCHAR",
  BYTES: "BLOB",
  INT64: "BIGINT",
  FLOAT64: "DOUBLE",
  NUMERIC: "DECIMAL(38, 9)",
  // DuckDB's widest decimal; BIGNUMERIC's 76 digits do not fit
  BIGNUMERIC: "DOUBLE",
  BOOL: "BOOLEAN",
  TIMESTAMP: "TIMESTAMPTZ",
  DATE: "DATE",
  TIME: "TIME",
  DATETIME: "TIMESTAMP",
  JSON: "JSON",
  GEOGRAPHY: "VARCHAR",
  INTERVAL: "INTERVAL",
};

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * A BigQuery type in DuckDB: STRUCT as STRUCT, ARRAY (a REPEATED field) as a list, INT64 as BIGINT,
 * NUMERIC as DECIMAL(38, 9), TIMESTAMP as TIMESTAMPTZ, DATETIME as TIMESTAMP.
 *
 * @example duckDbType(parseSqlType("ARRAY<STRUCT<key STRING, value INT64>>")) // 'STRUCT("key" VARCHAR, "value" BIGINT)[]'
 */
export function duckDbType(type: SqlType): string {
  switch (type.kind) {
    case "scalar":
      return DUCKDB_SCALARS[type.name] ?? "VARCHAR";
    case "array":
      return `${duckDbType(type.element)}[]`;
    case "struct":
      return `STRUCT(${type.fields.map((f) => `${quote(f.name)} ${duckDbType(f.type)}`).join(", ")})`;
    default:
      return type satisfies never;
  }
}

/**
 * The statements creating an empty DuckDB table shaped like a BigQuery table, under its BigQuery name
 * (`project.dataset.table`: the project is an attached catalog, the dataset a schema).
 *
 * @example duckDbCreateTable(schema) // ['CREATE SCHEMA IF NOT EXISTS "mozdata"."telemetry"', 'CREATE TABLE IF NOT EXISTS "mozdata"."telemetry"."main" (...)']
 */
export function duckDbCreateTable(schema: TableSchema): readonly string[] {
  const [project = "", dataset = "", table = ""] = schema.name.split(".");
  const columns = schema.fields.map((f) => `${quote(f.name)} ${duckDbType(fieldType(f))}`);
  return [
    `CREATE SCHEMA IF NOT EXISTS ${quote(project)}.${quote(dataset)}`,
    `CREATE TABLE IF NOT EXISTS ${[project, dataset, table].map(quote).join(".")} (${columns.join(", ")})`,
  ];
}
