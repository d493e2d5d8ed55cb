import type { Alert, AlertOptions } from "./alert.js";
import type { Described, PassThrough, TomlValue } from "./common.js";
import type { DataSource } from "./data-source.js";
import type { Dimension } from "./dimension.js";
import { compact, entity, type hasDefaultStatistics } from "./entity.js";
import type { AnyPlatform, Platform } from "./platform.js";
import type { Probe } from "./probe.js";
import type { ProbeType, Statistics, StatisticsFor } from "./statistic.js";

/** How results are laid out over time: by day of submission, or by build. */
export type XAxis = "submission_date" | "build_id";

/** Release channels a population can be restricted to. */
export type Channel = "nightly" | "beta" | "release";

type AnyProbe = Probe<string, ProbeType, string, boolean>;
type AnyDimension = Dimension<string, string>;

/**
 * Statistics per monitored probe, keyed by probe name: required for probes without default statistics,
 * optional (replacing the defaults) for the others. `N` names the probes a ratio may divide by.
 */
export type StatisticsMap<M extends AnyProbe, N extends string> = {
  readonly [X in M as X[typeof hasDefaultStatistics] extends true ? never : X["name"]]: StatisticsFor<X["type"], N>;
} & {
  readonly [X in M as X[typeof hasDefaultStatistics] extends true ? X["name"] : never]?: StatisticsFor<X["type"], N>;
};

/** Who is monitored, and how they split into branches and dimensions. */
export interface PopulationOptions<P extends string, DS, DM, D extends readonly AnyDimension[]> {
  /**
   * The data source clients, branches and dimensions are read from.
   * @example dataSource: (ds) => ds.main
   */
  readonly dataSource?: (dataSources: DS) => DataSource<P>;
  /**
   * Experiment branches, read from the client's enrolment in the project's experiment.
   * @example branches: ["control", "treatment"]
   */
  readonly branches?: readonly string[];
  /**
   * SQL for a boolean pref: clients split into `enabled` and `disabled`.
   * @example booleanPref: "environment.settings.fission_enabled"
   */
  readonly booleanPref?: string;
  /**
   * Only clients on this channel.
   * @example channel: "beta"
   */
  readonly channel?: Channel;
  /**
   * Monitor every client as one branch, `active`.
   * @example monitorEntirePopulation: true
   */
  readonly monitorEntirePopulation?: boolean;
  /**
   * Dimensions that segment every statistic.
   * @example dimensions: (d) => [d.os, d.arch]
   */
  readonly dimensions?: (dimensions: DM) => D;
  /**
   * One of the project's dimensions to draw as separate lines ("By os" tiles).
   * @example groupByDimension: (d) => d.os
   */
  readonly groupByDimension?: (dimensions: DM) => NoInfer<D[number]>;
}

/** A named set of probes drawn together in one chart per statistic. */
export interface MetricGroupOptions<PR, M> extends Described {
  /**
   * Monitored probes in the group.
   * @example probes: (p) => [p.main_crashes, p.content_crashes]
   */
  readonly probes: (probes: PR) => readonly NoInfer<M>[];
}

/** What projects and platform defaults share. */
export interface ProjectBody<P extends string, DS, PR, DM, M extends readonly AnyProbe[], D extends readonly AnyDimension[]>
  extends Described,
    PassThrough {
  /**
   * The platform whose probes and dimensions the project picks from.
   * @example platform: desktop
   */
  readonly platform: Platform<P, DS, PR, DM>;
  /**
   * Lay results out by day (`submission_date`, the default) or by build (`build_id`).
   * @example xaxis: "build_id"
   */
  readonly xaxis?: XAxis;
  /**
   * The probes to monitor, picked from the platform.
   * @example probes: (p) => [p.gc_ms, p.main_crashes]
   */
  readonly probes: (probes: PR) => M;
  /**
   * Statistics per monitored probe. May be left out when every monitored probe has default statistics
   * (`opmon validate` names a probe left without any).
   * @example statistics: { gc_ms: { percentile: { percentiles: [50, 95] } }, main_crashes: { sum: {} } }
   */
  readonly statistics?: StatisticsMap<M[number], keyof PR & string>;
  /**
   * The monitored population.
   * @example population: { dataSource: (ds) => ds.main, monitorEntirePopulation: true }
   */
  readonly population?: PopulationOptions<P, DS, DM, D>;
  /**
   * Groups of probes drawn together.
   * @example metricGroups: { crashes: { friendlyName: "Crashes", probes: (p) => [p.main_crashes, p.content_crashes] } }
   */
  readonly metricGroups?: { readonly [name: string]: MetricGroupOptions<PR, M[number]> };
  /**
   * Alerts, keyed by name.
   * @example alerts: { crash_spike: { type: "threshold", probes: (p) => [p.main_crashes], max: [50] } }
   */
  readonly alerts?: { readonly [name: string]: AlertOptions<PR, M[number]> };
}

/** Options of {@link defineProject}. */
export interface ProjectOptions<P extends string, DS, PR, DM, M extends readonly AnyProbe[], D extends readonly AnyDimension[]>
  extends ProjectBody<P, DS, PR, DM, M, D> {
  /**
   * Overrides the slug, which otherwise is the file name (`projects/<slug>.ts`); tables are named after it.
   * @example slug: "gc-rollout"
   */
  readonly slug?: string;
  /**
   * Title of the project's dashboard.
   * @example name: "GC rollout"
   */
  readonly name?: string;
  /**
   * First day monitored (UTC, `YYYY-MM-DD`); Experimenter's start date when unset.
   * @example startDate: "2026-10-01"
   */
  readonly startDate?: string;
  /**
   * Last day monitored, inclusive; open-ended when unset.
   * @example endDate: "2026-12-31"
   */
  readonly endDate?: string;
  /**
   * The branch others are compared with. Defaults to Experimenter's, else `control`.
   * @example referenceBranch: "control"
   */
  readonly referenceBranch?: string;
  /**
   * One chart with metric and statistic pickers instead of one chart per metric.
   * @example compactVisualization: true
   */
  readonly compactVisualization?: boolean;
  /**
   * Confidence level of every interval of the project's statistics and comparisons, in (0, 1).
   * @example confidenceLevel: 0.9
   */
  readonly confidenceLevel?: number;
  /**
   * Never run this project (also suppresses Experimenter's automatic rollout monitoring for the slug).
   * @example skip: true
   */
  readonly skip?: boolean;
  /**
   * Do not add the platform defaults' probes.
   * @example skipDefaultMetrics: true
   */
  readonly skipDefaultMetrics?: boolean;
  /**
   * Marks the project as monitoring a rollout (desktop rollouts get the rollout defaults).
   * @example isRollout: true
   */
  readonly isRollout?: boolean;
  /**
   * Values for `{{ parameters.<name> }}` inside select expressions.
   * @example parameters: { min_version: { value: "120" } }
   */
  readonly parameters?: { readonly [name: string]: { readonly [key: string]: TomlValue } };
}

/** A monitored population, with its references picked: frozen plain data. */
export interface Population {
  readonly dataSource?: DataSource;
  readonly branches?: readonly string[];
  readonly booleanPref?: string;
  readonly channel?: Channel;
  readonly monitorEntirePopulation?: boolean;
  readonly dimensions: readonly Dimension[];
  readonly groupByDimension?: Dimension;
}

/** A metric group with its probes picked. */
export interface MetricGroup extends Described {
  readonly probes: readonly Probe[];
}

/** What projects and defaults share, with every reference picked: frozen plain data. */
export interface Body extends Described, PassThrough {
  readonly platform: AnyPlatform;
  readonly xaxis?: XAxis;
  readonly probes: readonly Probe[];
  readonly statistics: { readonly [probe: string]: Statistics };
  readonly population: Population;
  readonly metricGroups: { readonly [name: string]: MetricGroup };
  readonly alerts: { readonly [name: string]: Alert };
}

/** A monitoring project: what {@link defineProject} returns. */
export interface Project extends Body {
  readonly kind: "project";
  readonly slug?: string;
  readonly name?: string;
  readonly startDate?: string;
  readonly endDate?: string;
  readonly referenceBranch?: string;
  readonly compactVisualization?: boolean;
  readonly confidenceLevel?: number;
  readonly skip?: boolean;
  readonly skipDefaultMetrics?: boolean;
  readonly isRollout?: boolean;
  readonly parameters?: { readonly [name: string]: { readonly [key: string]: TomlValue } };
}

type Picker<C, R> = ((collection: C) => R) | undefined;
const mapValues = <V, R>(o: { readonly [k: string]: V } | undefined, f: (v: V) => R) =>
  Object.fromEntries(Object.entries(o ?? {}).map(([k, v]) => [k, f(v)]));

/** Calls every picker of a project or defaults spec, so what remains is plain data. */
export function pickBody(spec: ProjectBody<string, never, never, never, never, never>): Body {
  const platform = spec.platform as unknown as AnyPlatform;
  const pick = <C, R>(picker: Picker<C, R>, collection: unknown) => picker?.(collection as C);
  const { population = {}, metricGroups, alerts, probes, ...rest } = spec as unknown as ProjectBody<
    string,
    unknown,
    unknown,
    unknown,
    readonly AnyProbe[],
    readonly AnyDimension[]
  >;
  return compact({
    ...rest,
    platform,
    probes: pick(probes, platform.probes) ?? [],
    statistics: (spec.statistics ?? {}) as Body["statistics"],
    population: compact({
      ...population,
      dataSource: pick(population.dataSource, platform.dataSources),
      dimensions: pick(population.dimensions, platform.dimensions) ?? [],
      groupByDimension: pick(population.groupByDimension, platform.dimensions),
    }),
    metricGroups: mapValues(metricGroups, (g) => compact({ ...g, probes: pick(g.probes, platform.probes) ?? [] })),
    alerts: mapValues(alerts, (a) => compact({ ...a, probes: pick(a.probes, platform.probes) ?? [] }) as Alert),
  }) as Body;
}

/**
 * Declares a monitoring project: the probes to watch on a platform, their statistics, the population,
 * dimensions and alerts. Every reference is a typed property access, so `tsc` rejects unknown probes,
 * probes of another platform and statistics that do not fit the probe type.
 *
 * @example
 * export default defineProject({
 *   name: "GC rollout",
 *   platform: desktop,
 *   startDate: "2026-10-01",
 *   probes: (p) => [p.gc_ms, p.main_crashes],
 *   statistics: { gc_ms: { percentile: { percentiles: [50, 95] } }, main_crashes: { sum: {} } },
 *   population: { dataSource: (ds) => ds.main, booleanPref: "environment.settings.gc_incremental", dimensions: (d) => [d.os] },
 *   alerts: { crashes: { type: "threshold", probes: (p) => [p.main_crashes], max: [100] } },
 * });
 */
export function defineProject<
  P extends string,
  DS,
  PR,
  DM,
  const M extends readonly Probe<NoInfer<P>>[],
  const D extends readonly Dimension<NoInfer<P>>[] = readonly [],
>(options: ProjectOptions<P, DS, PR, DM, M, D>): Project {
  return entity("project", { ...pickBody(options as never), kind: "project" as const });
}
