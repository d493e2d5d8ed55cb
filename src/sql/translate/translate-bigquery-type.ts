import { significant, type SqlNode } from "./sql-tree.js";
import { UntranslatableSqlError } from "./untranslatable-sql-error.js";

const SCALARS: Readonly<Record<string, string>> = {
  INT64: "BIGINT", INT: "BIGINT", INTEGER: "BIGINT", SMALLINT: "BIGINT", BIGINT: "BIGINT", TINYINT: "BIGINT", BYTEINT: "BIGINT",
  FLOAT64: "DOUBLE", FLOAT: "DOUBLE", NUMERIC: "DECIMAL(38, 9)", DECIMAL: "DECIMAL(38, 9)", BIGNUMERIC: "DOUBLE",
  BIGDECIMAL: "DOUBLE", STRING: "VARCHAR", BOOL: "BOOLEAN", BOOLEAN: "BOOLEAN", BYTES: "BLOB", DATE: "DATE",
  DATETIME: "TIMESTAMP", TIMESTAMP: "TIMESTAMP", TIME: "TIME", JSON: "JSON", INTERVAL: "INTERVAL",
};

/** Reads one type from flat tokens (`ARRAY<STRUCT<a INT64>>`), returning it in DuckDB spelling. */
function readType(words: readonly string[], at: number, origin: string): [string, number] {
  const word = (words[at] ?? "").toUpperCase();
  if (word === "ARRAY") {
    if (words[at + 1] !== "<") throw new UntranslatableSqlError("ARRAY without an element type", origin);
    const [inner, next] = readType(words, at + 2, origin);
    if (words[next] !== ">") throw new UntranslatableSqlError("an unclosed ARRAY<...> type", origin);
    return [`${inner}[]`, next + 1];
  }
  if (word === "STRUCT") {
    if (words[at + 1] !== "<") throw new UntranslatableSqlError("STRUCT without field types", origin);
    const fields: string[] = [];
    let i = at + 2;
    while (words[i] !== ">") {
      const name = words[i] ?? "";
      const [type, next] = readType(words, i + 1, origin);
      fields.push(`${name} ${type}`);
      i = words[next] === "," ? next + 1 : next;
      if (i >= words.length) throw new UntranslatableSqlError("an unclosed STRUCT<...> type", origin);
    }
    return [`STRUCT(${fields.join(", ")})`, i + 1];
  }
  const scalar = SCALARS[word];
  if (!scalar) throw new UntranslatableSqlError(`the type ${words[at] ?? "(none)"}`, origin);
  // parameterised types such as STRING(10) or NUMERIC(10, 2) keep only the base type
  if (words[at + 1] === "(") {
    const close = words.indexOf(")", at + 1);
    return [scalar, close + 1];
  }
  return [scalar, at + 1];
}

/**
 * A BigQuery type (as the nodes after `AS` in a cast) in DuckDB spelling.
 *
 * @example translateBigQueryType(nodesOf("ARRAY<INT64>"), "probe x") // "BIGINT[]"
 */
export function translateBigQueryType(nodes: readonly SqlNode[], origin: string): string {
  const words: string[] = [];
  const flatten = (list: readonly SqlNode[]) => {
    for (const node of significant(list)) {
      if (node.kind === "token") words.push(node.token.text);
      else {
        words.push(node.open);
        flatten(node.children);
        words.push(node.open === "(" ? ")" : "]");
      }
    }
  };
  flatten(nodes);
  const [type, end] = readType(words, 0, origin);
  if (end !== words.length) throw new UntranslatableSqlError(`the type ${words.join(" ")}`, origin);
  return type;
}
