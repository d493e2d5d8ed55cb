import { format } from "sql-formatter";
import type { Dialect } from "./dialects/dialect.js";
import type { FromItem, Query } from "./sql-node.js";

function printFrom(item: FromItem, d: Dialect): string {
  switch (item.kind) {
    case "sql":
      return item.alias === undefined ? item.sql : `${item.sql} AS ${d.ident(item.alias)}`;
    case "query":
      return `(${printQuery(item.query, d)}) AS ${d.ident(item.alias)}`;
    default:
      return item satisfies never;
  }
}

/**
 * Prints a query node as one line of SQL; {@link formatSql} lays it out.
 *
 * @example printQuery(select({ columns: [col("1", "one")] }), duckdb) // "SELECT 1 AS one"
 */
export function printQuery(query: Query, d: Dialect): string {
  switch (query.kind) {
    case "select": {
      const parts = [
        `SELECT ${query.distinct ? "DISTINCT " : ""}${query.columns.map((c) => (c.alias === undefined ? c.expr : `${c.expr} AS ${d.ident(c.alias)}`)).join(", ")}`,
      ];
      if (query.from) parts.push(`FROM ${printFrom(query.from, d)}`);
      for (const join of query.joins ?? []) {
        const on = join.type === "CROSS" ? "" : ` ON ${join.on?.length ? join.on.join(" AND ") : "TRUE"}`;
        parts.push(`${join.type} JOIN ${printFrom(join.item, d)}${on}`);
      }
      // a condition holding OR is parenthesised so AND binds as written
      if (query.where?.length)
        parts.push(
          `WHERE ${query.where.map((w) => (query.where && query.where.length > 1 && /\bOR\b/i.test(w) ? `(${w})` : w)).join(" AND ")}`,
        );
      if (query.groupBy?.length) parts.push(`GROUP BY ${query.groupBy.join(", ")}`);
      if (query.having?.length) parts.push(`HAVING ${query.having.join(" AND ")}`);
      return parts.join(" ");
    }
    case "union_all":
      return query.queries.map((q) => (q.kind === "select" ? printQuery(q, d) : `(${printQuery(q, d)})`)).join(" UNION ALL ");
    case "with":
      return `WITH ${query.ctes.map((c) => `${d.ident(c.name)} AS (${printQuery(c.query, d)})`).join(", ")} ${printQuery(query.body, d)}`;
    default:
      return query satisfies never;
  }
}

/**
 * Lays SQL out with sql-formatter in the dialect's language: stable output for the same input, so
 * golden files diff line by line. Statements are formatted one at a time; `raw` ones (DDL the
 * formatter cannot parse) are kept as written. With `pretty` false the statements are only joined:
 * SQL that only an engine reads skips the formatter, the costliest part of planning a day.
 *
 * @example formatSql(["SELECT 1"], duckdb) // "SELECT\n  1;"
 */
export function formatSql(statements: readonly (string | { readonly raw: string })[], d: Dialect, pretty = true): string {
  return statements
    .map((s) => (typeof s !== "string" ? s.raw : pretty ? layOut(s, d) : s))
    .map((s) => `${s.trimEnd().replace(/;$/, "")};`)
    .join("\n\n");
}

/**
 * Statements longer than this are kept as printed: sql-formatter lays out about 200 KB a second, so
 * a project of thousands of probes would spend minutes on statements too long to read anyway.
 */
const LAYOUT_LIMIT = 100_000;

/** Formatted SQL, or the SQL as printed when the formatter's grammar does not cover a construct of config SQL. */
function layOut(sql: string, d: Dialect): string {
  if (sql.length > LAYOUT_LIMIT) return sql;
  try {
    return format(sql, { language: d.formatterLanguage, keywordCase: "upper", tabWidth: 2, linesBetweenQueries: 1 });
  } catch {
    return sql;
  }
}
