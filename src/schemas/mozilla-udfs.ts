/** A Mozilla UDF's signature: what BigQuery knows of it without its body. */
export interface UdfSignature {
  /** Its names as SQL calls it: `mozfun.hist.extract`, `moz-fx-data-shared-prod.udf.get_key`, `udf.get_key`. */
  readonly names: readonly string[];
  /** Argument types in BigQuery SQL, `ANY TYPE` for a templated one. */
  readonly args: readonly { readonly name: string; readonly type: string }[];
  /** The return type, or null when it follows the arguments (the value type of a key/value map). */
  readonly returns: string | null;
}

/**
 * The signatures of the Mozilla UDFs that OpMon configs and OpMon's own SQL call (`mozfun.*`, `udf.*`,
 * `udf_js.*`), from mozilla/bigquery-etl (MPL-2.0; names and types only, see
 * test/fixtures/schemas/PROVENANCE.md).
 *
 * @example MOZILLA_UDFS.find((u) => u.names.includes("mozfun.hist.extract"))?.args[0]?.type // "STRING"
 */
export const MOZILLA_UDFS: readonly UdfSignature[] = [
  { names: ["moz-fx-data-shared-prod.udf.extract_histogram_sum", "udf.extract_histogram_sum"], args: [{ name: "input", type: "STRING" }], returns: "INT64" },
  { names: ["moz-fx-data-shared-prod.udf.get_key", "udf.get_key"], args: [{ name: "map", type: "ANY TYPE" }, { name: "k", type: "ANY TYPE" }], returns: null },
  { names: ["moz-fx-data-shared-prod.udf.keyed_histogram_get_sum", "udf.keyed_histogram_get_sum"], args: [{ name: "keyed_histogram", type: "ANY TYPE" }, { name: "target_key", type: "STRING" }], returns: "INT64" },
  { names: ["moz-fx-data-shared-prod.udf_js.bootstrap_percentile_ci", "udf_js.bootstrap_percentile_ci"], args: [{ name: "percentiles", type: "ARRAY<INT64>" }, { name: "histogram", type: "STRUCT<values ARRAY<STRUCT<key FLOAT64, value FLOAT64>>>" }, { name: "metric", type: "STRING" }], returns: "ARRAY<STRUCT<metric STRING, statistic STRING, point FLOAT64, lower FLOAT64, upper FLOAT64, parameter STRING>>" },
  { names: ["mozfun.bits28.days_since_seen"], args: [{ name: "bits", type: "INT64" }], returns: "INT64" },
  { names: ["mozfun.glam.histogram_bucket_from_value"], args: [{ name: "buckets", type: "ARRAY<STRING>" }, { name: "val", type: "FLOAT64" }], returns: "FLOAT64" },
  { names: ["mozfun.glam.histogram_generate_scalar_buckets"], args: [{ name: "min_bucket", type: "FLOAT64" }, { name: "max_bucket", type: "FLOAT64" }, { name: "num_buckets", type: "INT64" }], returns: "ARRAY<FLOAT64>" },
  { names: ["mozfun.hist.extract"], args: [{ name: "input", type: "STRING" }], returns: "STRUCT<bucket_count INT64, histogram_type INT64, sum INT64, `range` ARRAY<INT64>, values ARRAY<STRUCT<key INT64, value INT64>>>" },
  { names: ["mozfun.hist.threshold_count"], args: [{ name: "histogram", type: "STRING" }, { name: "threshold", type: "INT64" }], returns: "INT64" },
  { names: ["mozfun.map.extract_keyed_scalar_sum"], args: [{ name: "keyed_scalar", type: "ARRAY<STRUCT<key STRING, value INT64>>" }], returns: "INT64" },
  { names: ["mozfun.map.get_key"], args: [{ name: "map", type: "ANY TYPE" }, { name: "k", type: "ANY TYPE" }], returns: null },
  { names: ["mozfun.norm.fenix_build_to_datetime"], args: [{ name: "app_build", type: "STRING" }], returns: "DATETIME" },
  { names: ["mozfun.norm.os"], args: [{ name: "os", type: "STRING" }], returns: "STRING" },
  { names: ["mozfun.norm.windows_version_info"], args: [{ name: "os", type: "STRING" }, { name: "os_version", type: "STRING" }, { name: "windows_build_number", type: "INT64" }], returns: "STRING" },
];
