import type { BigQueryField } from "./bigquery-schema.js";

/**
 * Identifiers SQL names, lower-cased: a column or field it does not name cannot be resolved by it.
 *
 * @example namedWords("SELECT payload.info FROM t") // Set { "select", "payload", "info", "from", "t" }
 */
export const namedWords = (statement: string) =>
  new Set((statement.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []).map((w) => w.toLowerCase()));

/** Fields UDF bodies read without the statement naming them (key/value maps). */
const ALWAYS_KEPT = new Set(["key", "value"]);

/** Records with more fields than this, nested ones counted, are containers (`payload`, `environment`, `metrics.counter`): cut down to what is named. */
const CONTAINER_FIELDS = 40;

const fieldCount = (fields: readonly BigQueryField[]): number => fields.reduce((n, f) => n + 1 + (f.fields ? fieldCount(f.fields) : 0), 0);

/**
 * A schema cut down to the columns, and fields of large records, that a statement names. Telemetry
 * tables have thousands of nested fields; ZetaSQL repeats a column's whole type wherever the resolved
 * statement mentions it, so the full `payload` of `telemetry.main` makes each answer megabytes. Small
 * records (a histogram, a timing distribution) stay whole: a probe may select one whole.
 *
 * @example pruneFields(schema.fields, namedWords(sql))
 */
export function pruneFields(fields: readonly BigQueryField[], words: ReadonlySet<string>): readonly BigQueryField[] {
  return fields
    .filter((f) => words.has(f.name.toLowerCase()) || ALWAYS_KEPT.has(f.name.toLowerCase()))
    .map((f) => (f.fields && fieldCount(f.fields) > CONTAINER_FIELDS ? { ...f, fields: pruneFields(f.fields, words) } : f))
    // a container none of whose fields is named was named as something else (`string` in `AS STRING`)
    .filter((f) => f.fields === undefined || f.fields.length > 0);
}
