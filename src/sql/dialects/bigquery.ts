import { checkDate, isBareIdentifier } from "./bare-identifier.js";
import type { Dialect, PartitionWrite, SqlFunctions, SqlType, TypeSpec } from "./dialect.js";

const SCALAR_TYPES: Record<SqlType, string> = {
  string: "STRING",
  float: "FLOAT64",
  int: "INT64",
  bool: "BOOL",
  date: "DATE",
  timestamp: "TIMESTAMP",
};

/** Backslash escapes for the characters a GoogleSQL quoted string or identifier cannot hold raw. */
function escapeBackslashed(value: string, quote: "'" | "`"): string {
  let out = "";
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === "\\" || ch === quote) out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code === 0) throw new Error("SQL text may not contain a NUL character");
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out;
}

const quoteIdent = (name: string) => {
  if (name === "") throw new Error("an identifier may not be empty");
  return `\`${escapeBackslashed(name, "`")}\``;
};

function typeName(type: TypeSpec): string {
  if (typeof type === "string") return SCALAR_TYPES[type];
  switch (type.kind) {
    case "array":
      return `ARRAY<${typeName(type.of)}>`;
    case "struct":
      return `STRUCT<${type.fields.map(([name, t]) => `${ident(name)} ${typeName(t)}`).join(", ")}>`;
    default:
      return type satisfies never;
  }
}

const ident = (name: string) => (isBareIdentifier(name) ? name : quoteIdent(name));

const fn: SqlFunctions = {
  toDate: (x) => `DATE(${x})`,
  toTimestamp: (x) => `TIMESTAMP(${x})`,
  dateSubDays: (date, days) => `DATE_SUB(${date}, INTERVAL ${days} DAY)`,
  parseBuildDate: (b) => `SAFE.PARSE_DATE('%Y%m%d', CAST(${b} AS STRING))`,
  cast: (x, type) => `CAST(${x} AS ${typeName(type)})`,
  safeCast: (x, type) => `SAFE_CAST(${x} AS ${typeName(type)})`,
  experimentBranch: (experiments, slug) => `mozfun.map.get_key(${experiments}, ${slug}).branch`,
  struct: (fields) => `STRUCT(${fields.map(([name, value]) => `${value} AS ${ident(name)}`).join(", ")})`,
  array: (items, type) => (items.length ? `[${items.join(", ")}]` : `CAST([] AS ${typeName({ kind: "array", of: type })})`),
  arrayAgg: (value, orderBy) => `ARRAY_AGG(${value} ORDER BY ${orderBy})`,
  // ANY_VALUE skips NULLs
  anyValueWhere: (value, condition) => `ANY_VALUE(IF(${condition}, ${value}, NULL))`,
  starExcept: (alias, columns) => `${alias}.* EXCEPT (${columns.join(", ")})`,
  unnest: (array, alias) => `UNNEST(${array}) AS ${alias}`,
  safeDivide: (a, b) => `SAFE_DIVIDE(${a}, ${b})`,
  // ARRAY_CONCAT is NULL when any array is
  concatArrays: (arrays) => `ARRAY_CONCAT(${arrays.map((a) => `IFNULL(${a}, [])`).join(", ")})`,
  flattenField: (array, field) => `ARRAY(SELECT inner_item FROM UNNEST(${array}) AS item, UNNEST(item.${ident(field)}) AS inner_item)`,
  unnestSelect: (source, name, array, alias, where) =>
    `SELECT ${name}.*, ${ident(alias)} FROM ${source} CROSS JOIN UNNEST(${array}) AS ${ident(alias)}${where ? ` WHERE ${where}` : ""}`,
  sumField: (array, field) => `(SELECT SUM(item.${ident(field)}) FROM UNNEST(${array}) AS item)`,
};

/**
 * GoogleSQL as BigQuery runs it: backtick identifiers and backslash escapes; partition writes are
 * query jobs with a `table$YYYYMMDD` destination, so the statement is the SELECT itself.
 *
 * @example bigquery.string("it's") // 'it\'s'
 */
export const bigquery: Dialect = Object.freeze({
  name: "bigquery",
  formatterLanguage: "bigquery",
  ident,
  quoteIdent,
  tablesHaveProject: true,
  countsSpamInPass: false,
  maxTableColumns: { limit: 10_000, why: "BigQuery tables have at most 10,000 columns" },
  table: (parts: readonly string[]) => quoteIdent(parts.join(".")),
  string: (value: string) => `'${escapeBackslashed(value, "'")}'`,
  date: (date: string) => `DATE '${checkDate(date)}'`,
  typeName,
  fn,
  commit: "COMMIT TRANSACTION",
  writePartition: (write: PartitionWrite) => [write.select],
  configSql: (sql: string) => sql,
  scratchTable: (dataset: readonly string[], name: string, _readers: "day" | "run") => [...dataset, name],
  // expires a day later, so a run that dies before dropping it leaves nothing behind for long
  createScratch: (table: readonly string[], select: string) => [
    `CREATE OR REPLACE TABLE ${quoteIdent(table.join("."))} OPTIONS (expiration_timestamp = TIMESTAMP_ADD(CURRENT_TIMESTAMP(), INTERVAL 1 DAY)) AS ${select}`,
  ],
});
