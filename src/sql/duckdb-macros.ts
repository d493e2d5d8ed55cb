/**
 * DuckDB macros standing in for the BigQuery UDFs config SQL calls. DuckDB resolves three-part
 * function names once a catalog is attached and a schema created, so `mozfun.hist.extract(x)` runs
 * unchanged. Maps are stored as BigQuery stores them: arrays of `{key, value}` structs; histograms
 * are JSON strings, as in the telemetry tables.
 */
const MACROS: readonly (readonly [name: string, params: string, body: string])[] = [
  [
    "mozfun.hist.extract",
    "h",
    `CASE WHEN h IS NULL THEN NULL ELSE struct_pack(
    bucket_count := CAST(json_extract(h, '$.bucket_count') AS BIGINT),
    histogram_type := CAST(json_extract(h, '$.histogram_type') AS BIGINT),
    "sum" := CAST(json_extract(h, '$.sum') AS BIGINT),
    "range" := CAST(json_extract(h, '$.range') AS BIGINT[]),
    "values" := list_sort(list_transform(
      map_entries(CAST(json_extract(h, '$.values') AS MAP(VARCHAR, BIGINT))),
      lambda e: struct_pack("key" := CAST(e.key AS BIGINT), "value" := e.value)))) END`,
  ],
  ["mozfun.hist.threshold_count", "h, threshold", `list_sum(list_transform(list_filter(h.values, lambda e: e.key >= threshold), lambda e: e.value))`],
  ["mozfun.map.get_key", "m, k", `(list_filter(m, lambda e: e.key = k))[1].value`],
  ["udf.get_key", "m, k", `(list_filter(m, lambda e: e.key = k))[1].value`],
  ["mozfun.map.extract_keyed_scalar_sum", "m", `list_sum(list_transform(m, lambda e: e.value))`],
  ["udf.keyed_histogram_get_sum", "m, k", `(list_filter(m, lambda e: e.key = k))[1].value.sum`],
  ["mozfun.bits28.days_since_seen", "bits", `CASE WHEN bits IS NULL OR bits = 0 THEN NULL ELSE CAST(floor(log(2, bits & -bits)) AS BIGINT) END`],
];

/** The UDFs the macro pack defines, lower-case dotted names (the translator checks calls against it). */
export const MACRO_FUNCTIONS: ReadonlySet<string> = new Set(MACROS.map(([name]) => name));

/**
 * The statements that install the macro pack in a DuckDB database, in order (catalogs, schemas,
 * macros). Safe to run again: everything is `IF NOT EXISTS` or `OR REPLACE`.
 *
 * @example for (const sql of duckdbMacroStatements()) await connection.run(sql);
 */
export function duckdbMacroStatements(): readonly string[] {
  const catalogs = new Set<string>();
  const schemas = new Set<string>();
  for (const [name] of MACROS) {
    // an attached in-memory catalog keeps the macros out of the warehouse file
    const parts = name.split(".");
    catalogs.add(parts[0] ?? "");
    if (parts.length === 3) schemas.add(parts.slice(0, 2).join("."));
  }
  return [
    ...[...catalogs].map((c) => `ATTACH IF NOT EXISTS ':memory:' AS ${c}`),
    ...[...schemas].map((s) => `CREATE SCHEMA IF NOT EXISTS ${s}`),
    ...MACROS.map(([name, params, body]) => `CREATE OR REPLACE MACRO ${name}(${params}) AS ${body}`),
  ];
}
