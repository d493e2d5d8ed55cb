import type { Described, PassThrough } from "./common.js";
import type { Probe } from "./probe.js";
import type { StatisticName } from "./statistic.js";

/** Fields every alert has. `PR` is the platform's probes, `M` the probes the project monitors. */
interface AlertBase<PR, M> extends Described, PassThrough {
  /**
   * The probes this alert watches: monitored by the project or by the platform defaults it gets
   * (`opmon validate` warns about one monitored by neither, which the alert can never fire for).
   * @example probes: (p) => [p.gc_ms, p.memory_total]
   */
  readonly probes: (probes: PR) => readonly PR[keyof PR][];
  /**
   * Restricts the alert to these statistic parameters (percentiles). Upstream ignores an alert's
   * `percentiles` key, so it imports into `extra`, never here: it must not narrow what upstream alerted on.
   * @example parameters: [50, 95]
   */
  readonly parameters?: readonly number[];
  /**
   * Restricts the alert to these statistics.
   * @example statistics: ["percentile"]
   */
  readonly statistics?: readonly StatisticName[];
  /**
   * Fire only once the condition has held on this many consecutive points of the series (days, or
   * builds on a build-id x-axis), today's included; 1 (the default) fires at once. For `change_point`,
   * the change must also hold on `for - 1` points after its fore window.
   * @example for: 3
   */
  readonly for?: number;
  /**
   * How loud the alert is, carried to every sink; `warning` by default.
   * @example severity: "critical"
   */
  readonly severity?: AlertSeverity;
}

/** Severities an alert can carry. */
export type AlertSeverity = "info" | "warning" | "critical";

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

/**
 * Fires when the mean of the last `windowSize` points moves from the mean of the ones before by more
 * than `maxRelativeChange` of it, and (ours) by more than `noiseThreshold` standard errors of the
 * series' own day-to-day noise (see {@link AVG_DIFF_DEFAULTS}).
 */
export interface AvgDiffAlertOptions<PR, M> extends AlertBase<PR, M> {
  readonly type: "avg_diff";
  /** Points in each window. @example windowSize: 7 */
  readonly windowSize: number;
  /** Relative change that fires, as a fraction. @example maxRelativeChange: 0.25 */
  readonly maxRelativeChange: number;
  /**
   * How many standard errors of the noise the change of the mean must also exceed: the noise is read off
   * the jumps between consecutive points inside the two windows, so a series as noisy as its threshold
   * stays quiet. 0 turns the test off (upstream's rule). Needs `windowSize` of 2 or more to read the noise.
   * @example noiseThreshold: 0
   */
  readonly noiseThreshold?: number;
}

/**
 * Fires when a series (per branch, dimension value, metric, statistic and parameter, ordered by the
 * x-axis) steps between the `backWindow` points before a point and the `foreWindow` points from it: the
 * means differ by more than `noiseThreshold` standard errors of the series' own day-to-day noise (read
 * off the jumps between consecutive points inside the windows), by at least `minRelativeChange`, and the
 * point is where the statistic peaks. With `tThreshold` set, the test is Perfherder's instead: Welch's t
 * between the windows above `tThreshold`, the windows defaulting to Perfherder's 12 and 12. The alert
 * is raised once the fore window is full (later points confirm the change) and names the first build or
 * day of the change. Defaults: {@link CHANGE_POINT_DEFAULTS}.
 */
export type ChangePointAlertOptions<PR, M> = AlertBase<PR, M> & {
  readonly type: "change_point";
  /** Points before the change compared with it. @example backWindow: 14 */
  readonly backWindow?: number;
  /** Points from the change on that must confirm it. @example foreWindow: 3 */
  readonly foreWindow?: number;
  /** The least relative change of the mean that fires, as a fraction. @example minRelativeChange: 0.02 */
  readonly minRelativeChange?: number;
} & (
    | {
        /** Standard errors of the series' noise the change of the mean must exceed. @example noiseThreshold: 5 */
        readonly noiseThreshold?: number;
        readonly tThreshold?: never;
      }
    | {
        /** Perfherder's test: the Welch t statistic that fires (Perfherder: 7). @example tThreshold: 7 */
        readonly tThreshold: number;
        readonly noiseThreshold?: never;
      }
  );

/**
 * Fires when a branch differs from the reference branch: the project's `relative_difference` comparison
 * rows (branch / reference − 1, with their interval), pooled over the last `windowSize` days, are tested
 * against 0 with a p-value read off the interval (normal on the relative scale), per dimension value and
 * pooled across dimension values (an alert row with NULL dimensions); on each day the tests
 * of every branch, dimension value, probe, statistic and parameter the alert watches are corrected
 * together (Benjamini-Hochberg at `falseDiscoveryRate`); a difference fires when it survives, lies the
 * `direction` way, and is at least `minRelativeChange`. Defaults: {@link BRANCH_DIFFERENCE_DEFAULTS}.
 */
export interface BranchDifferenceAlertOptions<PR, M> extends AlertBase<PR, M> {
  readonly type: "branch_difference";
  /** The least relative difference (pooled estimate) that fires, as a fraction of the reference branch's value. @example minRelativeChange: 0.05 */
  readonly minRelativeChange?: number;
  /**
   * `regression` (the default): only differences the probe's `biggerIsBetter` calls worse (both ways for
   * a probe that does not say); `both`: either way.
   * @example direction: "both"
   */
  readonly direction?: BranchDifferenceDirection;
  /** Days of comparison rows pooled into one estimate (inverse-variance weights). @example windowSize: 3 */
  readonly windowSize?: number;
  /** The expected share of false alerts among a day's alerts (Benjamini-Hochberg). @example falseDiscoveryRate: 0.05 */
  readonly falseDiscoveryRate?: number;
}

/** Which differences a `branch_difference` alert reports. */
export type BranchDifferenceDirection = "regression" | "both";

/** `branch_difference` defaults, chosen with `npm run eval:stats` (docs/differences-from-opmon.md). */
export const BRANCH_DIFFERENCE_DEFAULTS = {
  minRelativeChange: 0.02,
  direction: "regression",
  windowSize: 3,
  // chosen with eval:stats on a 66-series project: 0.50 false alerts a quarter, a +5% p90 step found
  // within 7 days in 67% of quarters (0.01: 0.17 and 43-53%)
  falseDiscoveryRate: 0.02,
} as const satisfies Pick<BranchDifferenceAlertOptions<unknown, unknown>, "minRelativeChange" | "direction" | "windowSize" | "falseDiscoveryRate">;

/**
 * `change_point` defaults, chosen with `npm run eval:stats` on a 66-series project (docs/differences-from-opmon.md):
 * a noise-calibrated test, two weeks back (every weekday twice) and three points forward.
 */
export const CHANGE_POINT_DEFAULTS = { backWindow: 14, foreWindow: 3, noiseThreshold: 6, minRelativeChange: 0.02 } as const;

/** Perfherder's change detection (treeherder perfalert): the windows a `change_point` with `tThreshold` gets by default. */
export const PERFHERDER_DEFAULTS = { backWindow: 12, foreWindow: 12, minRelativeChange: 0.02 } as const;

/** `avg_diff`'s noise term by default (also for imported configs), chosen with `npm run eval:stats`. */
export const AVG_DIFF_DEFAULTS = { noiseThreshold: 3 } as const;

/**
 * An alert on monitored probes, as written inside `defineProject({ alerts })`.
 *
 * @example
 * alerts: {
 *   crash_spike: { type: "threshold", probes: (p) => [p.main_crashes], max: [50] },
 *   gc_drift: { type: "avg_diff", probes: (p) => [p.gc_ms], windowSize: 7, maxRelativeChange: 0.2 },
 *   gc_step: { type: "change_point", probes: (p) => [p.gc_ms], backWindow: 7, foreWindow: 3, severity: "critical" },
 *   gc_worse: { type: "branch_difference", probes: (p) => [p.gc_ms], minRelativeChange: 0.05 },
 * }
 */
export type AlertOptions<PR, M> =
  | ThresholdAlertOptions<PR, M>
  | CiOverlapAlertOptions<PR, M>
  | AvgDiffAlertOptions<PR, M>
  | ChangePointAlertOptions<PR, M>
  | BranchDifferenceAlertOptions<PR, M>;

/** The alert types opmon evaluates. */
export type AlertType = "threshold" | "ci_overlap" | "avg_diff" | "change_point" | "branch_difference";

/** An alert with its probes picked: frozen plain data. */
export interface Alert extends Described, PassThrough {
  readonly type: AlertType;
  readonly probes: readonly Probe[];
  readonly parameters?: readonly number[];
  readonly statistics?: readonly StatisticName[];
  readonly min?: readonly number[];
  readonly max?: readonly number[];
  readonly windowSize?: number;
  readonly maxRelativeChange?: number;
  readonly backWindow?: number;
  readonly foreWindow?: number;
  readonly tThreshold?: number;
  readonly noiseThreshold?: number;
  readonly minRelativeChange?: number;
  readonly direction?: BranchDifferenceDirection;
  readonly falseDiscoveryRate?: number;
  readonly for?: number;
  readonly severity?: AlertSeverity;
}
