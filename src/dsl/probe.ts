import type { Described, PassThrough } from "./common.js";
import type { DataSource } from "./data-source.js";
import { compact, type hasDefaultStatistics, type platformOf } from "./entity.js";
import type { ProbeType, StatisticsFor } from "./statistic.js";

/** Options of {@link defineProbe} for a probe of type `T`. */
export interface ProbeOptions<T extends ProbeType> extends Described, PassThrough {
  /**
   * `scalar` (one number per client and day) or `histogram` (telemetry histograms per client).
   * @example type: "histogram"
   */
  readonly type: T;
  /**
   * The data source the probe reads, picked from the platform's data sources.
   * @example dataSource: main
   */
  readonly dataSource: DataSource;
  /**
   * An aggregate BigQuery SQL expression, evaluated per client (and day or build).
   * @example select: "SUM(payload.processes.parent.scalars.browser_engagement_active_ticks)"
   * @example select: "ARRAY_AGG(mozfun.hist.extract(payload.histograms.gc_ms) IGNORE NULLS)"
   */
  readonly select: string;
  /**
   * Default statistics, used by projects that monitor the probe without setting their own.
   * @example statistics: { percentile: { percentiles: [25, 50, 75, 95] } }
   */
  readonly statistics?: StatisticsFor<T>;
  /** Grouping label. @example category: "performance" */
  readonly category?: string;
  /** Who to ask about the probe. @example owner: ["perf-team@example.com"] */
  readonly owner?: string | readonly string[];
  /** The probe should no longer be used. @example deprecated: true */
  readonly deprecated?: boolean;
  /** Whether higher values are better (colours in dashboards). @example biggerIsBetter: false */
  readonly biggerIsBetter?: boolean;
  /** Importance level (metric-hub's `level`). @example level: "gold" */
  readonly level?: string;
  /** Analysis bases (Jetstream). @example analysisBases: ["enrollments", "exposures"] */
  readonly analysisBases?: readonly string[];
  /** Probes this one is derived from. @example dependsOn: ["ad_clicks", "search_count"] */
  readonly dependsOn?: readonly string[];
}

/** A probe before its platform names it. `D` tells whether it ships default statistics. */
export interface ProbeSpec<T extends ProbeType = ProbeType, D extends boolean = boolean> extends ProbeOptions<T> {
  readonly kind: "probe";
  readonly [hasDefaultStatistics]: D;
}

/**
 * A named probe of platform `P`. Its type carries the platform, the probe type and the name, so a probe
 * of another platform, or a statistic that does not fit, is a compile error.
 */
export interface Probe<P extends string = string, T extends ProbeType = ProbeType, N extends string = string, D extends boolean = boolean>
  extends ProbeSpec<T, D> {
  readonly name: N;
  readonly [platformOf]: P;
}

/**
 * Declares a probe: a health metric computed per client from one data source. The name comes from its
 * key in `definePlatform({ probes })`.
 *
 * @example
 * gc_ms: defineProbe({
 *   type: "histogram",
 *   dataSource: main,
 *   select: "ARRAY_AGG(mozfun.hist.extract(payload.histograms.gc_ms) IGNORE NULLS)",
 *   friendlyName: "GC time",
 *   statistics: { percentile: { percentiles: [50, 95] } },
 * })
 */
export function defineProbe<const T extends ProbeType, const S extends StatisticsFor<T> | undefined = undefined>(
  options: ProbeOptions<T> & { readonly statistics?: S },
): ProbeSpec<T, S extends undefined ? false : true> {
  return compact({ kind: "probe" as const, ...options }) as never;
}
