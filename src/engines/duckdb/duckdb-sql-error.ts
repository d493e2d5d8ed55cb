/** DuckDB's type names, which follow `AS` inside a CAST and are no column's name. */
const TYPES = new Set(["BIGINT", "INTEGER", "INT", "SMALLINT", "TINYINT", "HUGEINT", "DOUBLE", "FLOAT", "REAL", "DECIMAL", "VARCHAR", "TEXT", "BOOLEAN", "BOOL", "DATE", "TIMESTAMP", "TIMESTAMPTZ", "BLOB", "JSON", "UBIGINT", "UINTEGER"]);

/** The position in `sql` that DuckDB's `LINE n: ...excerpt...` and caret line point at. */
function caretPosition(sql: string, message: string): number | undefined {
  const at = /\nLINE (\d+): (.*)\n( *)\^/.exec(message);
  if (!at) return undefined;
  const prefix = `LINE ${at[1]}: `.length;
  let shown = at[2] ?? "";
  let offset = (at[3] ?? "").length - prefix;
  if (shown.startsWith("...")) {
    shown = shown.slice(3);
    offset -= 3;
  }
  if (shown.endsWith("...")) shown = shown.slice(0, -3);
  const line = sql.split("\n")[Number(at[1]) - 1] ?? "";
  const start = line.indexOf(shown);
  if (start < 0 || offset < 0) return undefined;
  return sql.split("\n").slice(0, Number(at[1]) - 1).reduce((n, l) => n + l.length + 1, 0) + start + offset;
}

/**
 * The output column whose expression holds `position`: the first `AS name` after it outside the
 * parentheses it is in (a CAST's `AS type` is skipped).
 */
function columnAt(sql: string, position: number): { name: string; expression: string } | undefined {
  let depth = 0;
  let low = 0;
  const alias = /\s+AS\s+("(?:[^"]|"")+"|[A-Za-z_]\w*)/y;
  for (let i = position; i < sql.length; i++) {
    const c = sql[i];
    if (c === "(") depth++;
    else if (c === ")") low = Math.min(low, --depth);
    else if (c === "," && depth <= low) return undefined;
    alias.lastIndex = i;
    const m = depth <= 0 ? alias.exec(sql) : null;
    if (m && !TYPES.has((m[1] ?? "").toUpperCase())) {
      const name = (m[1] ?? "").replace(/^"|"$/g, "").replaceAll('""', '"');
      // the expression starts after the comma or SELECT before it at the alias's depth
      let start = position;
      for (let d = 0; start > 0; start--) {
        const b = sql[start - 1];
        if (b === ")") d++;
        else if (b === "(" && d-- === depth) break;
        else if (d === depth && (b === "," || /\bSELECT\s*$/i.test(sql.slice(Math.max(0, start - 8), start)))) break;
      }
      return { name, expression: sql.slice(start, i).trim() };
    }
  }
  return undefined;
}

/**
 * A DuckDB error at run time as one line that names the output column (a probe, a dimension) whose
 * expression failed and that expression, rather than DuckDB's message with its excerpt and caret.
 * `column` is set when it was found.
 *
 * @example duckDbSqlError(error, "SELECT SUM(CAST(s AS BIGINT)) AS gc_ms FROM t").message // "Conversion Error: ... (in gc_ms: SUM(CAST(s AS BIGINT)))"
 */
export function duckDbSqlError(error: unknown, sql: string): Error & { column?: string } {
  const raw = error instanceof Error ? error.message : String(error);
  const first = raw.split("\n")[0] ?? raw;
  const position = caretPosition(sql, raw);
  const column = position === undefined ? undefined : columnAt(sql, position);
  const expression = column && column.expression.length > 120 ? `${column.expression.slice(0, 117)}...` : column?.expression;
  const mapped = Object.assign(new Error(column ? `${first} (in ${column.name}: ${expression})` : first, { cause: error }), column ? { column: column.name } : {});
  return mapped;
}
