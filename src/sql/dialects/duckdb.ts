import { translateBigQueryToDuckDb } from "../translate/translate-bigquery-to-duckdb.js";
import { checkDate, isBareIdentifier } from "./bare-identifier.js";
import { SCRATCH_CATALOG } from "../duckdb-macros.js";
import type { Dialect, PartitionWrite, SqlFunctions, SqlType, TypeSpec } from "./dialect.js";

const SCALAR_TYPES: Record<SqlType, string> = {
  string: "VARCHAR",
  float: "DOUBLE",
  int: "BIGINT",
  bool: "BOOLEAN",
  date: "DATE",
  timestamp: "TIMESTAMP",
};

function refuseNul(value: string): string {
  if (value.includes("\0")) throw new Error("SQL text may not contain a NUL character");
  return value;
}

/** Standard SQL quoting: the quote doubled, everything else (newlines, backslashes) literal. */
const quoteIdent = (name: string) => {
  if (name === "") throw new Error("an identifier may not be empty");
  return `"${refuseNul(name).replaceAll('"', '""')}"`;
};
const ident = (name: string) => (isBareIdentifier(name) ? name : quoteIdent(name));

function typeName(type: TypeSpec): string {
  if (typeof type === "string") return SCALAR_TYPES[type];
  switch (type.kind) {
    case "array":
      return `${typeName(type.of)}[]`;
    case "struct":
      return `STRUCT(${type.fields.map(([name, t]) => `${ident(name)} ${typeName(t)}`).join(", ")})`;
    default:
      return type satisfies never;
  }
}

const fn: SqlFunctions = {
  toDate: (x) => `CAST(${x} AS DATE)`,
  toTimestamp: (x) => `CAST(${x} AS TIMESTAMP)`,
  // date minus interval is a timestamp in DuckDB, so cast back
  dateSubDays: (date, days) => `CAST(${date} - INTERVAL ${days} DAY AS DATE)`,
  parseBuildDate: (b) => `CAST(TRY_STRPTIME(CAST(${b} AS VARCHAR), '%Y%m%d') AS DATE)`,
  cast: (x, type) => `CAST(${x} AS ${typeName(type)})`,
  safeCast: (x, type) => `TRY_CAST(${x} AS ${typeName(type)})`,
  experimentBranch: (experiments, slug) => `mozfun.map.get_key(${experiments}, ${slug}).branch`,
  struct: (fields) => `struct_pack(${fields.map(([name, value]) => `${ident(name)} := ${value}`).join(", ")})`,
  array: (items, type) => (items.length ? `[${items.join(", ")}]` : `CAST([] AS ${typeName({ kind: "array", of: type })})`),
  arrayAgg: (value, orderBy) => `list(${value} ORDER BY ${orderBy})`,
  anyValueWhere: (value, condition) => `any_value(${value}) FILTER (WHERE ${condition})`,
  starExcept: (alias, columns) => `${alias}.* EXCLUDE (${columns.join(", ")})`,
  unnest: (array, alias) => `UNNEST(${array}) AS ${ident(`${alias}_rows`)}(${ident(alias)})`,
  safeDivide: (a, b) => `(${a}) / NULLIF(${b}, 0)`,
  concatArrays: (arrays) => `flatten([${arrays.join(", ")}])`,
  flattenField: (array, field) => `flatten(list_transform(${array}, lambda item: item.${ident(field)}))`,
  // unnest in the select list: DuckDB plans a correlated UNNEST in FROM as a join, several times slower
  unnestSelect: (source, _name, array, alias, where) => `SELECT *, unnest(${array}) AS ${ident(alias)} FROM ${source}${where ? ` WHERE ${where}` : ""}`,
  sumField: (array, field) => `list_sum(list_transform(${array}, lambda item: item.${ident(field)}))`,
};

/** Stages the day's rows, then swaps them into the table in one transaction. */
function writePartition({ table, date, select }: PartitionWrite): readonly string[] {
  const target = table.map(ident).join(".");
  const staging = ident(`opmon_staging_${table.at(-1) ?? "rows"}`);
  const schema = table.length > 1 ? [`CREATE SCHEMA IF NOT EXISTS ${table.slice(0, -1).map(ident).join(".")}`] : [];
  return [
    ...schema,
    "BEGIN TRANSACTION",
    `CREATE OR REPLACE TEMP TABLE ${staging} AS ${select}`,
    `CREATE TABLE IF NOT EXISTS ${target} AS SELECT * FROM ${staging} LIMIT 0`,
    `DELETE FROM ${target} WHERE submission_date = ${duckdb.date(date)}`,
    `INSERT INTO ${target} BY NAME SELECT * FROM ${staging}`,
    `DROP TABLE ${staging}`,
    "COMMIT",
  ];
}

/**
 * DuckDB SQL: double-quoted identifiers, doubled single quotes in strings; table names have no project
 * (schemas in the warehouse file); config SQL is translated from BigQuery's dialect.
 *
 * @example duckdb.string("it's") // 'it''s'
 */
export const duckdb: Dialect = Object.freeze({
  name: "duckdb",
  formatterLanguage: "duckdb",
  ident,
  quoteIdent,
  tablesHaveProject: false,
  countsSpamInPass: true,
  // measured: writing a day costs about 4 MB of memory per array column whatever the rows (300
  // clients: 300 statistics columns peak at 1.9 GB, 1,500 at 4.9 GB)
  maxTableColumns: { limit: 300, why: "each column of a written table costs DuckDB about 4 MB of memory" },
  table: (parts: readonly string[]) => parts.map(ident).join("."),
  string: (value: string) => `'${refuseNul(value).replaceAll("'", "''")}'`,
  date: (date: string) => `DATE '${checkDate(date)}'`,
  typeName,
  fn,
  commit: "COMMIT",
  writePartition,
  configSql: translateBigQueryToDuckDb,
  // never written to the warehouse file: a temporary table lives with its connection; the in-memory
  // scratch catalog is read by every connection, so the days reading a shared pass may run side by side
  scratchTable: (_dataset: readonly string[], name: string, readers: "day" | "run") =>
    readers === "run" ? [SCRATCH_CATALOG, name] : [name],
  createScratch: (table: readonly string[], select: string) => [
    `CREATE OR REPLACE ${table[0] === SCRATCH_CATALOG ? "" : "TEMP "}TABLE ${table.map(ident).join(".")} AS ${select}`,
  ],
});
