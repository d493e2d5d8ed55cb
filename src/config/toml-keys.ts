/**
 * The TOML keys opmon gives a typed home, per kind of table, with the DSL field each maps to; and the
 * keys it knows but does not interpret (Jetstream-only), which travel through `extra` with a notice.
 */
export const TOML_KEYS = {
  data_source: {
    from_expression: "from",
    submission_date_column: "submissionDateColumn",
    client_id_column: "clientIdColumn",
    build_id_column: "buildIdColumn",
    default_dataset: "defaultDataset",
    experiments_column_type: "experimentsColumnType",
    friendly_name: "friendlyName",
    description: "description",
  },
  metric: {
    type: "type",
    data_source: "dataSource",
    select_expression: "select",
    statistics: "statistics",
    friendly_name: "friendlyName",
    description: "description",
    category: "category",
    owner: "owner",
    deprecated: "deprecated",
    bigger_is_better: "biggerIsBetter",
    level: "level",
    analysis_bases: "analysisBases",
    depends_on: "dependsOn",
  },
  dimension: {
    data_source: "dataSource",
    select_expression: "select",
    friendly_name: "friendlyName",
    description: "description",
  },
  project: {
    name: "name",
    platform: "platform",
    xaxis: "xaxis",
    start_date: "startDate",
    end_date: "endDate",
    metrics: "probes",
    alerts: "alerts",
    reference_branch: "referenceBranch",
    compact_visualization: "compactVisualization",
    confidence_level: "confidenceLevel",
    skip_default_metrics: "skipDefaultMetrics",
    skip: "skip",
    is_rollout: "isRollout",
    metric_groups: "metricGroups",
    population: "population",
  },
  population: {
    data_source: "dataSource",
    boolean_pref: "booleanPref",
    channel: "channel",
    branches: "branches",
    dimensions: "dimensions",
    monitor_entire_population: "monitorEntirePopulation",
    group_by_dimension: "groupByDimension",
  },
  metric_group: { friendly_name: "friendlyName", description: "description", metrics: "probes" },
  alert: {
    type: "type",
    metrics: "probes",
    parameters: "parameters",
    statistics: "statistics",
    min: "min",
    max: "max",
    window_size: "windowSize",
    max_relative_change: "maxRelativeChange",
    back_window: "backWindow",
    fore_window: "foreWindow",
    t_threshold: "tThreshold",
    noise_threshold: "noiseThreshold",
    min_relative_change: "minRelativeChange",
    direction: "direction",
    false_discovery_rate: "falseDiscoveryRate",
    for: "for",
    severity: "severity",
    friendly_name: "friendlyName",
    description: "description",
  },
  function: { definition: "definition", friendly_name: "friendlyName", description: "description" },
} as const;

/** The kinds of TOML table with typed keys. */
export type TomlTableKind = keyof typeof TOML_KEYS;

/** Keys that other Mozilla tools (Jetstream, metric-hub) read and opmon does not: passed through quietly. */
export const FOREIGN_KEYS: { readonly [K in TomlTableKind | "file"]?: readonly string[] } = {
  file: ["segments", "experiment", "outcomes", "friendly_name", "description"],
  data_source: ["joins", "columns_as_dimensions", "analysis_units", "glean_client_id_column", "legacy_client_id_column", "deprecated"],
};

/** Top-level sections of a config file. `probes` is the seed-era name of `metrics`. */
export const FILE_SECTIONS = ["project", "metrics", "data_sources", "dimensions", "alerts", "parameters", "functions", "probes"] as const;

/** Statistic parameters with a camelCase name in the DSL. */
export const STATISTIC_PARAM_KEYS: { readonly [toml: string]: string } = {
  remove_nulls: "removeNulls",
  denominator_metric: "denominatorMetric",
};

/** The DSL field of a TOML key, if it has one. */
export function dslKey(kind: TomlTableKind, key: string): string | undefined {
  return (TOML_KEYS[kind] as { readonly [k: string]: string })[key];
}

/** The TOML key of a DSL field, if it has one. */
export function tomlKey(kind: TomlTableKind, field: string): string | undefined {
  return Object.entries(TOML_KEYS[kind]).find(([, f]) => f === field)?.[0];
}
