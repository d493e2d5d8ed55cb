import type { Alert, AppIds, Channel, ExperimentsColumnType, ProbeType, TomlValue, XAxis } from "../dsl/index.js";

/**
 * A project resolved against its platform, the platform defaults and Experimenter: every reference
 * replaced by a name, every default applied, in declaration order. Frozen and JSON-serializable; it is
 * the only input of SQL generation, the run and the dashboards.
 */
export interface ProjectGraph {
  /** The project's slug as configured (file name or `slug`). */
  readonly slug: string;
  /** The slug made safe for table names: anything but `[a-zA-Z0-9_]` becomes `_`. */
  readonly tableSlug: string;
  readonly name: string;
  readonly description?: string;
  readonly platform: GraphPlatform;
  readonly xaxis: XAxis;
  readonly startDate?: string;
  readonly endDate?: string;
  readonly referenceBranch: string;
  readonly skip: boolean;
  readonly isRollout: boolean;
  readonly compactVisualization: boolean;
  /** Confidence level of every interval (0.95 when the project sets none). */
  readonly confidenceLevel?: number;
  readonly population: GraphPopulation;
  /** The data sources the population and probes read, by name. */
  readonly dataSources: { readonly [name: string]: GraphDataSource };
  readonly probes: readonly GraphProbe[];
  readonly metricGroups: readonly GraphMetricGroup[];
  readonly alerts: readonly GraphAlert[];
  readonly parameters: { readonly [name: string]: { readonly [key: string]: TomlValue } };
  /** Where each resolved project value came from. */
  readonly provenance: { readonly [field: string]: ValueSource };
}

/** Which layer gave a resolved value. */
export type ValueSource = "project" | "defaults" | "rollout_defaults" | "experimenter" | "builtin";

export interface GraphPlatform {
  readonly name: string;
  readonly glean: boolean;
  readonly appIds?: AppIds;
}

/** How clients are assigned to branches. */
export type Branching =
  /** Branch from the client's enrolment in the experiment `slug`, restricted to `branches`. */
  | { readonly mode: "branches"; readonly slug: string; readonly branches: readonly string[] }
  /** `enabled` / `disabled` from a boolean SQL expression. */
  | { readonly mode: "boolean_pref"; readonly expression: string }
  /** One branch, `active`, for every client. */
  | { readonly mode: "entire_population" }
  /** `enabled` when enrolled in the experiment `slug`, else `disabled`. */
  | { readonly mode: "enrollment"; readonly slug: string };

export interface GraphPopulation {
  readonly dataSource: string;
  readonly branching: Branching;
  /** The branch values results carry, reference branch included. */
  readonly branches: readonly string[];
  readonly channel?: Channel;
  readonly dimensions: readonly GraphDimension[];
  readonly groupByDimension?: string;
}

export interface GraphDimension {
  readonly name: string;
  readonly select: string;
  readonly friendlyName?: string;
  readonly description?: string;
}

export interface GraphDataSource {
  readonly name: string;
  /** `from` with `{dataset}` replaced for the project's platform and channel. */
  readonly from: string;
  readonly submissionDateColumn: string;
  readonly clientIdColumn: string;
  readonly buildIdColumn: string;
  readonly experimentsColumnType?: ExperimentsColumnType;
  readonly friendlyName?: string;
  readonly description?: string;
}

/** A statistic with its parameters resolved. */
export type GraphStatistic =
  | { readonly name: "count" | "sum" | "mean" }
  | { readonly name: "total_ratio"; readonly denominator: string }
  | { readonly name: "percentile"; readonly percentiles: readonly number[]; readonly removeNulls: boolean };

export interface GraphProbe {
  readonly name: string;
  readonly type: ProbeType;
  readonly dataSource: string;
  readonly select: string;
  readonly statistics: readonly GraphStatistic[];
  readonly friendlyName?: string;
  readonly description?: string;
  readonly category?: string;
  readonly biggerIsBetter?: boolean;
}

export interface GraphMetricGroup {
  readonly name: string;
  readonly probes: readonly string[];
  readonly friendlyName?: string;
  readonly description?: string;
}

/** An alert with its probes named: the DSL's alert, references replaced by names. */
export interface GraphAlert extends Omit<Alert, "probes"> {
  readonly name: string;
  readonly probes: readonly string[];
}

/**
 * What Experimenter knows about an experiment or rollout, passed to resolution as plain data
 * (fetching it is the Experimenter client's job).
 */
export interface ExperimentInfo {
  readonly slug: string;
  readonly name?: string;
  readonly startDate?: string;
  readonly endDate?: string;
  readonly branches?: readonly string[];
  readonly referenceBranch?: string;
  readonly channel?: Channel;
  readonly isRollout?: boolean;
  readonly appName?: string;
}
