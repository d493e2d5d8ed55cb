import type { Described, PassThrough } from "./common.js";
import type { DataSource, DataSourceSpec } from "./data-source.js";
import type { Dimension, DimensionSpec } from "./dimension.js";
import type { Functions } from "./functions.js";
import { compact, entity } from "./entity.js";
import type { Probe, ProbeSpec } from "./probe.js";

type Specs<S> = { readonly [key: string]: S };

/** Data sources named by their keys and owned by platform `P`. */
export type NamedDataSources<DS, P extends string> = { readonly [K in keyof DS & string]: DataSource<P, K> } & {};
/** Probes named by their keys and owned by platform `P`. */
export type NamedProbes<PR, P extends string> = {
  readonly [K in keyof PR & string]: PR[K] extends ProbeSpec<infer T, infer D> ? Probe<P, T, K, D> : never;
} & {};
/** Dimensions named by their keys and owned by platform `P`. */
export type NamedDimensions<DM, P extends string> = { readonly [K in keyof DM & string]: Dimension<P, K> } & {};

/** BigQuery application ids of a Glean app per channel; they give `{dataset}` in `from` expressions. */
export interface AppIds {
  readonly release?: string;
  readonly beta?: string;
  readonly nightly?: string;
}

/** Options of {@link definePlatform}. */
export interface PlatformOptions<DS, PR, DM> extends Described, PassThrough {
  /**
   * Whether the app reports through Glean (experiments in `ping_info.experiments`) rather than legacy
   * telemetry (`environment.experiments`). Defaults to true, except for `firefox_desktop`.
   * @example glean: false
   */
  readonly glean?: boolean;
  /**
   * Application ids per channel; `{dataset}` in a data source becomes the id of the project's channel.
   * @example appIds: { release: "org.mozilla.firefox", beta: "org.mozilla.firefox_beta" }
   */
  readonly appIds?: AppIds;
  /**
   * Jinja helpers (upstream's `functions.toml`) that select expressions call as `{{ agg_sum("x") }}`.
   * @example functions: defineFunctions({ agg_sum: { definition: "COALESCE(SUM({select_expr}), 0)" } })
   */
  readonly functions?: Functions;
  /**
   * The platform's data sources, named by their keys.
   * @example dataSources: { main: defineDataSource({ from: "mozdata.telemetry.main" }) }
   */
  readonly dataSources: DS;
  /**
   * The platform's probes, named by their keys; receives the named data sources.
   * @example probes: ({ main }) => ({ gc_ms: defineProbe({ type: "histogram", dataSource: main, select: "..." }) })
   */
  readonly probes: (dataSources: NamedDataSources<DS, string>) => PR;
  /**
   * The platform's dimensions, named by their keys; receives the named data sources.
   * @example dimensions: ({ main }) => ({ os: defineDimension({ dataSource: main, select: "normalized_os" }) })
   */
  readonly dimensions?: (dataSources: NamedDataSources<DS, string>) => DM;
}

/** A platform (an application such as Firefox desktop): its data sources, probes and dimensions. */
export interface Platform<P extends string = string, DS = Specs<DataSource>, PR = Specs<Probe>, DM = Specs<Dimension>>
  extends Described, PassThrough {
  readonly kind: "platform";
  readonly name: P;
  readonly glean: boolean;
  readonly appIds?: AppIds;
  readonly functions?: Functions;
  readonly dataSources: DS;
  readonly probes: PR;
  readonly dimensions: DM;
}

/** Any platform, whatever its names. */
export type AnyPlatform = Platform<string, Specs<DataSource>, Specs<Probe>, Specs<Dimension>>;

function named<T extends object>(specs: Specs<T> | undefined, kind: "data_source" | "probe" | "dimension") {
  return Object.fromEntries(
    Object.entries(specs ?? {}).map(([name, spec]) => [name, entity(kind, compact({ ...spec, kind, name }))]),
  );
}

function build(name: string, options: PlatformOptions<Specs<DataSourceSpec>, Specs<ProbeSpec>, Specs<DimensionSpec>>, base?: AnyPlatform) {
  const { dataSources, probes, dimensions, ...rest } = options;
  const ds = { ...base?.dataSources, ...named(dataSources, "data_source") } as NamedDataSources<Specs<DataSourceSpec>, string>;
  return entity(
    "platform",
    compact({
      ...base,
      ...rest,
      kind: "platform" as const,
      name,
      glean: options.glean ?? base?.glean ?? name !== "firefox_desktop",
      dataSources: ds,
      probes: { ...base?.probes, ...named(probes(ds), "probe") },
      dimensions: { ...base?.dimensions, ...named(dimensions?.(ds), "dimension") },
    }),
  );
}

/**
 * Declares a platform. Every name is an object key, written once; projects pick probes and dimensions
 * from the result by property access, so a typo is a compile error with "did you mean".
 *
 * @example
 * export const desktop = definePlatform("firefox_desktop", {
 *   dataSources: { main: defineDataSource({ from: "mozdata.telemetry.main", submissionDateColumn: "DATE(submission_timestamp)" }) },
 *   probes: ({ main }) => ({
 *     gc_ms: defineProbe({ type: "histogram", dataSource: main, select: "ARRAY_AGG(mozfun.hist.extract(payload.histograms.gc_ms) IGNORE NULLS)" }),
 *   }),
 *   dimensions: ({ main }) => ({ os: defineDimension({ dataSource: main, select: "normalized_os" }) }),
 * });
 */
export function definePlatform<
  const P extends string,
  const DS extends Specs<DataSourceSpec>,
  const PR extends Specs<ProbeSpec>,
  const DM extends Specs<DimensionSpec> = {},
>(name: P, options: PlatformOptions<DS, PR, DM>): Platform<P, NamedDataSources<DS, P>, NamedProbes<PR, P>, NamedDimensions<DM, P>> {
  return build(name, options as never) as never;
}

/** Options of {@link extendPlatform}: data sources, probes and dimensions to add or replace. */
export interface ExtendOptions<DS, PR, DM, BDS, BPR> {
  /** Data sources to add. @example dataSources: { main_filtered: defineDataSource({ from: "(SELECT ...)" }) } */
  readonly dataSources?: DS;
  /**
   * Probes to add or replace; receives all data sources and the base platform's probes.
   * @example probes: ({ main_filtered }, base) => ({ gc_ms: defineProbe({ ...base.gc_ms, dataSource: main_filtered }) })
   */
  readonly probes?: (dataSources: BDS & NamedDataSources<DS, string>, base: BPR) => PR;
  /** Dimensions to add or replace. @example dimensions: ({ main }) => ({ arch: defineDimension({ dataSource: main, select: "arch" }) }) */
  readonly dimensions?: (dataSources: BDS & NamedDataSources<DS, string>) => DM;
}

/**
 * A project-local variant of a platform: the same platform name (so its probes mix with the base's)
 * with extra or replaced data sources, probes and dimensions. What upstream configs do with
 * `[metrics]` and `[data_sources]` sections inside a project file.
 *
 * @example
 * const gc = extendPlatform(desktop, {
 *   dataSources: { main_filtered: defineDataSource({ from: "(SELECT * FROM mozdata.telemetry.main WHERE sample_id = 0)" }) },
 *   probes: ({ main_filtered }, base) => ({ gc_ms: defineProbe({ ...base.gc_ms, dataSource: main_filtered }) }),
 * });
 */
export function extendPlatform<
  P extends string,
  BDS,
  BPR,
  BDM,
  const DS extends Specs<DataSourceSpec> = {},
  const PR extends Specs<ProbeSpec> = {},
  const DM extends Specs<DimensionSpec> = {},
>(
  base: Platform<P, BDS, BPR, BDM>,
  options: ExtendOptions<DS, PR, DM, BDS, BPR>,
): Platform<P, Omit<BDS, keyof DS> & NamedDataSources<DS, P>, Omit<BPR, keyof PR> & NamedProbes<PR, P>, Omit<BDM, keyof DM> & NamedDimensions<DM, P>> {
  const { probes, dimensions, dataSources } = options;
  const b = base as unknown as AnyPlatform;
  return build(
    b.name,
    {
      ...(dataSources ? { dataSources } : { dataSources: {} }),
      probes: (ds: unknown) => probes?.(ds as never, b.probes as never) ?? {},
      ...(dimensions ? { dimensions: (ds: unknown) => dimensions(ds as never) } : {}),
    } as never,
    b,
  ) as never;
}
