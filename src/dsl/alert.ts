import type { Described } from "./common.js";
import type { Probe } from "./probe.js";
import type { StatisticName } from "./statistic.js";

/** Fields every alert has. `PR` is the platform's probes, `M` the probes the project monitors. */
interface AlertBase<PR, M> extends Described {
  /**
   * The monitored probes this alert watches.
   * @example probes: (p) => [p.gc_ms, p.memory_total]
   */
  readonly probes: (probes: PR) => readonly NoInfer<M>[];
  /**
   * Restricts the alert to these statistic parameters (percentiles). Upstream's `percentiles` key
   * imports here.
   * @example parameters: [50, 95]
   */
  readonly parameters?: readonly number[];
  /**
   * Restricts the alert to these statistics.
   * @example statistics: ["percentile"]
   */
  readonly statistics?: readonly StatisticName[];
}

/** Fires when a statistic's whole interval lies above `max` or below `min`. */
export type ThresholdAlertOptions<PR, M> = AlertBase<PR, M> & {
  readonly type: "threshold";
} & (
    | {
        /** Lower bounds, one per parameter (or one for all). @example min: [0.5] */
        readonly min: readonly number[];
        /** Upper bounds, one per parameter (or one for all). @example max: [100, 250] */
        readonly max?: readonly number[];
      }
    | { readonly min?: readonly number[]; readonly max: readonly number[] }
  );

/** Fires when a branch's interval does not overlap the reference branch's. */
export interface CiOverlapAlertOptions<PR, M> extends AlertBase<PR, M> {
  readonly type: "ci_overlap";
}

/** Fires when the mean of the last `windowSize` points moves from the mean of the ones before. */
export interface AvgDiffAlertOptions<PR, M> extends AlertBase<PR, M> {
  readonly type: "avg_diff";
  /** Points in each window. @example windowSize: 7 */
  readonly windowSize: number;
  /** Relative change that fires, as a fraction. @example maxRelativeChange: 0.25 */
  readonly maxRelativeChange: number;
}

/**
 * An alert on monitored probes, as written inside `defineProject({ alerts })`.
 *
 * @example
 * alerts: {
 *   crash_spike: { type: "threshold", probes: (p) => [p.main_crashes], max: [50] },
 *   gc_drift: { type: "avg_diff", probes: (p) => [p.gc_ms], windowSize: 7, maxRelativeChange: 0.2 },
 * }
 */
export type AlertOptions<PR, M> = ThresholdAlertOptions<PR, M> | CiOverlapAlertOptions<PR, M> | AvgDiffAlertOptions<PR, M>;

/** The alert types opmon evaluates. */
export type AlertType = "threshold" | "ci_overlap" | "avg_diff";

/** An alert with its probes picked: frozen plain data. */
export interface Alert extends Described {
  readonly type: AlertType;
  readonly probes: readonly Probe[];
  readonly parameters?: readonly number[];
  readonly statistics?: readonly StatisticName[];
  readonly min?: readonly number[];
  readonly max?: readonly number[];
  readonly windowSize?: number;
  readonly maxRelativeChange?: number;
}
