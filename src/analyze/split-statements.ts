import { tokenizeBigQuery } from "../sql/translate/tokenize-bigquery.js";

/**
 * The statements of a script, split at the `;` between them (never one inside a string, identifier
 * or comment), each trimmed and without its `;`.
 *
 * @example splitStatements("CREATE TABLE t (x STRING); SELECT ';' FROM t;") // ["CREATE TABLE t (x STRING)", "SELECT ';' FROM t"]
 */
export function splitStatements(script: string): readonly string[] {
  const statements: string[] = [];
  let current = "";
  for (const token of tokenizeBigQuery(script, "generated SQL")) {
    if (token.kind === "punct" && token.text === ";") {
      if (current.trim()) statements.push(current.trim());
      current = "";
    } else current += token.text;
  }
  if (current.trim()) statements.push(current.trim());
  return statements;
}
