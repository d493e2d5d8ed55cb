export type {
  AlertOptions,
  AlertType,
  Alert,
  AlertSeverity,
  AvgDiffAlertOptions,
  BranchDifferenceAlertOptions,
  BranchDifferenceDirection,
  ChangePointAlertOptions,
  CiOverlapAlertOptions,
  ThresholdAlertOptions,
} from "./alert.js";
export { AVG_DIFF_DEFAULTS, BRANCH_DIFFERENCE_DEFAULTS, CHANGE_POINT_DEFAULTS, PERFHERDER_DEFAULTS } from "./alert.js";
export type { Described, PassThrough, TomlLayout, TomlValue } from "./common.js";
export {
  defineDataSource,
  type DataSource,
  type DataSourceOptions,
  type DataSourceSpec,
  type ExperimentsColumnType,
} from "./data-source.js";
export { defineDefaults, type Defaults } from "./defaults.js";
export { defineFunctions, type FunctionDefinition, type Functions } from "./functions.js";
export { defineDimension, type Dimension, type DimensionOptions, type DimensionSpec } from "./dimension.js";
export { ENTITY, isEntity, type EntityKind } from "./entity.js";
export { definePlatform, extendPlatform, type AnyPlatform, type AppIds, type Platform, type PlatformOptions } from "./platform.js";
export { defineProbe, type Probe, type ProbeOptions, type ProbeSpec } from "./probe.js";
export {
  defineProject,
  type Body,
  type Channel,
  type MetricGroup,
  type Population,
  type Project,
  type ProjectOptions,
  type StatisticsMap,
  type XAxis,
} from "./project.js";
export {
  DEFAULT_PERCENTILES,
  STATISTICS_BY_TYPE,
  type HistogramStatistics,
  type PercentileParams,
  type ProbeType,
  type ScalarStatistics,
  type StatisticName,
  type Statistics,
  type StatisticsFor,
} from "./statistic.js";
