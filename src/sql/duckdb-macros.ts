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
  [
    "mozfun.hist.threshold_count",
    "h, threshold",
    `list_sum(list_transform(list_filter(h.values, lambda e: e.key >= threshold), lambda e: e.value))`,
  ],
  ["mozfun.map.get_key", "m, k", `(list_filter(m, lambda e: e.key = k))[1].value`],
  ["udf.get_key", "m, k", `(list_filter(m, lambda e: e.key = k))[1].value`],
  ["mozfun.map.extract_keyed_scalar_sum", "m", `list_sum(list_transform(m, lambda e: e.value))`],
  // keyed histograms hold each key's histogram as a JSON string, as the telemetry tables store them
  ["udf.keyed_histogram_get_sum", "m, k", `CAST(json_extract((list_filter(m, lambda e: e.key = k))[1].value, '$.sum') AS BIGINT)`],
  // Fenix build ids: 8 digits yDDDHHmm (years since 2018, day of year, hour, minute), or 10 digits
  // whose low 20 bits, less the last 3, count hours since 2014-12-28
  [
    "mozfun.norm.fenix_build_to_datetime",
    "b",
    `CASE
    WHEN length(b) = 8 AND substr(b, 5, 2) < '24' AND substr(b, 7, 2) < '60' THEN
      make_timestamp(2018 + TRY_CAST(substr(b, 1, 1) AS BIGINT), 1, 1, TRY_CAST(substr(b, 5, 2) AS BIGINT), TRY_CAST(substr(b, 7, 2) AS BIGINT), 0)
        + to_days(CAST(TRY_CAST(substr(b, 2, 3) AS BIGINT) - 1 AS INTEGER))
    WHEN length(b) = 10 THEN TIMESTAMP '2014-12-28 00:00:00' + to_hours((TRY_CAST(b AS BIGINT) & 1048575) >> 3)
    END`,
  ],
  // the five major platforms, else Other
  [
    "mozfun.norm.os",
    "os",
    `CASE
    WHEN os LIKE 'Windows%' OR os LIKE 'WINNT%' THEN 'Windows'
    WHEN os LIKE 'Darwin%' THEN 'Mac'
    WHEN os LIKE '%Linux%' OR os LIKE '%BSD%' OR os LIKE '%SunOS%' OR os LIKE '%Solaris%' THEN 'Linux'
    WHEN os LIKE 'iOS%' OR os LIKE '%iPhone%' THEN 'iOS'
    WHEN os LIKE 'Android%' THEN 'Android'
    ELSE 'Other' END`,
  ],
  // the marketing name of a Windows release from the kernel version (and the build, for 10 against 11)
  [
    "mozfun.norm.windows_version_info",
    "os, os_version, windows_build_number",
    `CASE
    WHEN os = 'Windows_95' THEN 'Windows 95'
    WHEN os = 'Windows_98' THEN 'Windows 98'
    WHEN os <> 'Windows_NT' THEN NULL
    WHEN os_version = '4.0' THEN 'Windows NT 4.0'
    WHEN os_version = '5.0' THEN 'Windows 2000'
    WHEN os_version IN ('5.1', '5.2') THEN 'Windows XP'
    WHEN os_version = '6.0' THEN 'Windows Vista'
    WHEN os_version = '6.1' THEN 'Windows 7'
    WHEN os_version = '6.2' THEN 'Windows 8'
    WHEN os_version = '6.3' THEN 'Windows 8.1'
    WHEN os_version = '10.0' AND windows_build_number >= 22000 THEN 'Windows 11'
    WHEN os_version = '10.0' THEN 'Windows 10'
    END`,
  ],
  [
    "mozfun.bits28.days_since_seen",
    "bits",
    `CASE WHEN bits IS NULL OR bits = 0 THEN NULL ELSE CAST(floor(log(2, bits & -bits)) AS BIGINT) END`,
  ],
];

/** The UDFs the macro pack defines, lower-case dotted names (the translator checks calls against it). */
export const MACRO_FUNCTIONS: ReadonlySet<string> = new Set(MACROS.map(([name]) => name));

/** The in-memory catalog DuckDB SQL writes scratch tables to (shared passes, parts of split queries). */
export const SCRATCH_CATALOG = "opmon_scratch";

/**
 * The statements that install the macro pack in a DuckDB database, in order (catalogs, schemas,
 * macros), and attach the scratch catalog. Safe to run again: everything is `IF NOT EXISTS` or `OR REPLACE`.
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
    ...[...catalogs, SCRATCH_CATALOG].map((c) => `ATTACH IF NOT EXISTS ':memory:' AS ${c}`),
    ...[...schemas].map((s) => `CREATE SCHEMA IF NOT EXISTS ${s}`),
    ...MACROS.map(([name, params, body]) => `CREATE OR REPLACE MACRO ${name}(${params}) AS ${body}`),
  ];
}
