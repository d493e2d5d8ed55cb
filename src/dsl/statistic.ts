/** The kinds of value a probe yields per client: one number, or telemetry histograms. */
export type ProbeType = "scalar" | "histogram";

/** Every statistic opmon computes. */
export type StatisticName = "count" | "sum" | "mean" | "total_ratio" | "percentile";

/** Parameters of a statistic that takes none. */
export type NoParams = { readonly [key: string]: never };

/** Parameters of `percentile`. */
export interface PercentileParams {
  /**
   * Percentiles to report, each in (0, 100). Defaults to 50, 90 and 99.
   * @example percentiles: [25, 50, 75, 95]
   */
  readonly percentiles?: readonly number[];
  /**
   * Leave clients without a value out instead of counting them at zero.
   * @example removeNulls: true
   */
  readonly removeNulls?: boolean;
}

/** Parameters of `total_ratio`: the sum of this probe over the sum of another. */
export interface TotalRatioParams<N extends string = string> {
  /**
   * The probe whose total is the denominator.
   * @example denominatorMetric: "active_hours"
   */
  readonly denominatorMetric: N;
}

/** Statistics that apply to a scalar probe, keyed by name. */
export interface ScalarStatistics<N extends string = string> {
  /** Clients with a value. @example count: {} */
  readonly count?: NoParams;
  /** Total over clients. @example sum: {} */
  readonly sum?: NoParams;
  /** Mean over clients. @example mean: {} */
  readonly mean?: NoParams;
  /** Σ probe / Σ denominator. @example total_ratio: { denominatorMetric: "active_hours" } */
  readonly total_ratio?: TotalRatioParams<N>;
  /** Quantiles of the per-client values. @example percentile: { percentiles: [50, 95] } */
  readonly percentile?: PercentileParams;
}

/** Statistics that apply to a histogram probe, keyed by name. */
export interface HistogramStatistics {
  /** Percentiles of the client-normalised merged histogram. @example percentile: {} */
  readonly percentile?: PercentileParams;
}

/** At least one key of `T` must be present. */
type AtLeastOne<T> = { [K in keyof T]-?: Required<Pick<T, K>> & Partial<T> }[keyof T];

/**
 * The statistics valid for a probe of type `T` (at least one); `N` names the probes a ratio may divide by.
 * @example const stats: StatisticsFor<"histogram"> = { percentile: { percentiles: [50, 95] } };
 */
export type StatisticsFor<T extends ProbeType, N extends string = string> = T extends "histogram"
  ? AtLeastOne<HistogramStatistics>
  : AtLeastOne<ScalarStatistics<N>>;

/** Statistics of any probe type, as stored in frozen data. */
export type Statistics = ScalarStatistics | HistogramStatistics;

/** Which statistics each probe type accepts; the run-time mirror of {@link StatisticsFor}. */
export const STATISTICS_BY_TYPE: { readonly [T in ProbeType]: readonly StatisticName[] } = {
  scalar: ["count", "sum", "mean", "total_ratio", "percentile"],
  histogram: ["percentile"],
};

/** Percentiles reported when `percentile` sets none. */
export const DEFAULT_PERCENTILES: readonly number[] = [50, 90, 99];
