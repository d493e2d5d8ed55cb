/** Words both engines reserve (or parse specially), so a column named like one must be quoted. */
const RESERVED = new Set(
  (
    "all and any array as asc assert_rows_modified at between by case cast collate contains create cross cube " +
    "current default define desc distinct else end enum escape except exclude exists extract false fetch filter " +
    "following for from full group grouping groups hash having if ignore in inner intersect interval into is join " +
    "lambda lateral left like limit lookup merge natural new no not null nulls of on or order outer over partition " +
    "pivot preceding proto qualify range recursive respect right rollup rows select set some struct tablesample " +
    "then to treat true unbounded union unnest unpivot using when where window with within"
  ).split(" "),
);

/**
 * Whether `name` can be written unquoted in both dialects: a plain word that is not reserved.
 *
 * @example isBareIdentifier("gc_ms") // true
 * @example isBareIdentifier("order") // false
 */
export function isBareIdentifier(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !RESERVED.has(name.toLowerCase());
}

/** Throws unless `date` is a real calendar date written `YYYY-MM-DD`. */
export function checkDate(date: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const parsed = match ? new Date(`${date}T00:00:00Z`) : undefined;
  if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date) {
    throw new Error(`"${date}" is not a date in YYYY-MM-DD form`);
  }
  return date;
}
