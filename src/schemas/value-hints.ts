/** Words between a name and the string it is compared with (`os IN ('a', 'b')`, `get_key(m, 'k')`). */
const SKIPPED = new Set(["=", "<>", "!=", ",", "(", ")", "IN", "NOT", "LIKE", "ILIKE"]);
/** Words that are never the name a string belongs to. */
const KEYWORDS = new Set(["THEN", "ELSE", "WHEN", "AS", "SELECT", "AND", "OR", "IS", "CASE", "END", "FROM", "WHERE", "BY", "ON", "LAMBDA"]);

/** Whether the token at `at` is in an `IN (1, 2)` list. */
function inList(tokens: readonly string[], at: number): boolean {
  let j = at - 1;
  while (j >= 0 && (tokens[j] === "," || /^\d/.test(tokens[j] ?? ""))) j--;
  return tokens[j] === "(" && tokens[j - 1]?.toUpperCase() === "IN";
}

/**
 * The string literals a DuckDB query compares with each name: `normalized_os = 'Windows'`, `sample_id = 52`,
 * `channel IN ('beta', 'release')`, `get_key(payload.keyed_histograms.crashes, 'gpu')` (the map's
 * name), `e.key = 'slug'`. Synthetic rows draw from them, so the rows a query looks for exist.
 * Names are lower-cased, the last part of a dotted path; LIKE patterns lose their wildcards.
 *
 * @example valueHints("SELECT 1 FROM t WHERE os IN ('Linux', 'Darwin')").get("os") // ["Linux", "Darwin"]
 */
export function valueHints(sql: string): ReadonlyMap<string, readonly string[]> {
  const tokens = sql.match(/'(?:[^']|'')*'|"(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|<>|!=|\S/g) ?? [];
  const hints = new Map<string, Set<string>>();
  tokens.forEach((token, at) => {
    // a number only where it is compared with (`sample_id = 52`), never an argument or a term
    const number = /^\d/.test(token) && (tokens[at - 1] === "=" || inList(tokens, at));
    if (!token.startsWith("'") && !number) return;
    let j = at - 1;
    while (j >= 0 && (SKIPPED.has((tokens[j] ?? "").toUpperCase()) || /^['\d]/.test(tokens[j] ?? ""))) j--;
    const before = tokens[j] ?? "";
    if (!/^[A-Za-z_"]/.test(before) || KEYWORDS.has(before.toUpperCase())) return;
    const name = before.replace(/^"|"$/g, "").replaceAll('""', '"').toLowerCase();
    const value = number ? token : token.slice(1, -1).replaceAll("''", "'").replace(/^%|%$/g, "");
    if (!hints.has(name)) hints.set(name, new Set());
    hints.get(name)?.add(value);
  });
  return new Map([...hints].map(([name, values]) => [name, [...values]]));
}
