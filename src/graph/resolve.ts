import { SLUG } from "../config/project-schema.js";
import { didYouMean, issue, type Issue } from "../config/issue.js";
import {
  AVG_DIFF_DEFAULTS,
  CHANGE_POINT_DEFAULTS,
  PERFHERDER_DEFAULTS,
  DEFAULT_PERCENTILES,
  isEntity,
  type AnyPlatform,
  type Body,
  type DataSource,
  type Defaults,
  type Dimension,
  type Probe,
  type Project,
  type Statistics,
} from "../dsl/index.js";
import { deepFreeze } from "../dsl/entity.js";
import { checkBody } from "./check-body.js";
import { renderSelects } from "./render-select.js";
import type { Branching, ExperimentInfo, GraphDataSource, GraphStatistic, ProjectGraph, ValueSource } from "./project-graph.js";
import { appIdsOf } from "./known-app-ids.js";

/** What resolution needs: the project, its slug, every loaded defaults module, Experimenter's entry. */
export interface ResolveInput {
  readonly project: Project;
  /** The file name's stem, unless the project sets `slug`. */
  readonly slug: string;
  readonly defaults?: readonly Defaults[];
  readonly experiment?: ExperimentInfo;
}

/** A graph when the project resolves without errors, and every issue found either way. */
export interface Resolution {
  readonly graph?: ProjectGraph;
  readonly issues: readonly Issue[];
}

interface Layer {
  readonly body: Body;
  readonly source: ValueSource;
}

const DEFAULT_COLUMNS = {
  submissionDateColumn: "submission_date",
  clientIdColumn: "client_id",
  buildIdColumn: "SAFE.SUBSTR(application.build_id, 0, 8)",
} as const;

/** The slug as a table name part, as upstream normalises it. */
export const tableSlug = (slug: string) => slug.replace(/[^a-zA-Z0-9_]/g, "_");

/**
 * Resolves a project with upstream's layering: platform definitions, then the platform defaults
 * (unless `skipDefaultMetrics`), then the rollout defaults for rollouts, then the project, then
 * Experimenter for what the project leaves unset. Scalars: the last truthy value wins; probes and
 * dimensions concatenate in declaration order; statistics per probe are replaced whole. Unlike
 * upstream, every layer is read, never mutated, and Experimenter's branches and channel are used.
 *
 * @example
 * const { graph, issues } = resolveProject({ project, slug: "gc-rollout", defaults });
 */
export function resolveProject(input: ResolveInput): Resolution {
  const { project, experiment } = input;
  const slug = project.slug ?? input.slug;
  const issues: Issue[] = checkBody(project).map((i) => ({ ...i }));
  if (!SLUG.test(slug)) issues.push(issue("invalid_slug", "slug", { slug }));
  const platform = project.platform;
  const isRollout = Boolean(project.isRollout || experiment?.isRollout);
  const layers: Layer[] = [];
  if (!project.skipDefaultMetrics) {
    for (const d of input.defaults ?? []) {
      if (d.platform.name !== platform.name) continue;
      if (!d.rollout) layers.push({ body: d, source: "defaults" });
      else if (isRollout) layers.push({ body: d, source: "rollout_defaults" });
    }
    layers.sort((a, b) => Number(a.source === "rollout_defaults") - Number(b.source === "rollout_defaults"));
  }
  layers.push({ body: project, source: "project" });

  const provenance: Record<string, ValueSource> = {};
  /** The last truthy value over the layers (upstream's `other.k or self.k`). */
  const truthy = <T>(field: string, get: (b: Body) => T | undefined): T | undefined => {
    let value: T | undefined;
    for (const { body, source } of layers) {
      const v = get(body);
      if (v) [value, provenance[field]] = [v, source];
    }
    return value;
  };
  const fromExperiment = <T>(field: string, own: T | undefined, theirs: T | undefined, fallback?: T): T | undefined => {
    if (own !== undefined && own !== "") return ((provenance[field] = "project"), own);
    if (theirs !== undefined) return ((provenance[field] = "experimenter"), theirs);
    if (fallback !== undefined) provenance[field] = "builtin";
    return fallback;
  };

  const probes = concatByName(layers, (b) => b.probes.filter((p): p is Probe => isEntity(p, "probe")));
  const dimensions = concatByName(layers, (b) => b.population.dimensions.filter((d): d is Dimension => isEntity(d, "dimension")));
  const monitored = new Set(probes.map((p) => p.name));
  const dimensionNames = new Set(dimensions.map((d) => d.name));

  const statistics = new Map<string, Statistics>();
  for (const probe of probes) {
    const own = [...layers].reverse().find((l) => l.body.statistics[probe.name])?.body.statistics[probe.name];
    const stats = own ?? probe.statistics;
    if (stats && Object.keys(stats).length > 0) statistics.set(probe.name, stats);
    else issues.push(issue("missing_statistics", `statistics.${probe.name}`, { probe: probe.name }));
  }
  for (const name of Object.keys(project.statistics)) {
    if (!monitored.has(name) && platform.probes[name]) {
      issues.push(issue("statistic_not_monitored", `statistics.${name}`, { probe: name }, { hint: didYouMean(name, monitored) }));
    }
  }

  const groupBy = truthy("groupByDimension", (b) => b.population.groupByDimension?.name);
  if (groupBy && !dimensionNames.has(groupBy)) {
    issues.push(
      issue("group_by_not_dimension", "population.groupByDimension", { dimension: groupBy }, { hint: didYouMean(groupBy, dimensionNames) }),
    );
  }
  const metricGroups = mergeByName(layers, (b) => b.metricGroups);
  const alerts = mergeByName(layers, (b) => b.alerts);
  for (const [where, entries] of [
    ["metric group", metricGroups],
    ["alert", alerts],
  ] as const) {
    for (const [name, entry] of entries) {
      entry.probes.forEach((p, i) => {
        if (isEntity(p, "probe") && !monitored.has(p.name)) {
          const path = `${where === "alert" ? "alerts" : "metricGroups"}.${name}.probes[${i}]`;
          // upstream accepted such alerts (real configs have them); they only ever watch nothing
          const alert = where === "alert";
          const params = { probe: p.name, where: `${where} "${name}"`, ...(alert ? { consequence: "so the alert can never fire for it" } : {}) };
          issues.push(issue("probe_not_monitored", path, params, { hint: didYouMean(p.name, monitored), ...(alert ? { severity: "warning" } : {}) }));
        }
      });
    }
  }

  const populationSource = truthy("population.dataSource", (b) => b.population.dataSource);
  if (!populationSource) issues.push(issue("no_population_data_source", "population.dataSource", {}));
  const channel = fromExperiment(
    "channel",
    truthy("channel", (b) => b.population.channel),
    experiment?.channel,
  );
  const monitorAll = Boolean(truthy("monitorEntirePopulation", (b) => b.population.monitorEntirePopulation));
  const booleanPref = truthy("booleanPref", (b) => b.population.booleanPref);
  // upstream: the first layer that sets branches wins; Experimenter's apply to experiments only
  const configured = layers.find((l) => l.body.population.branches !== undefined)?.body.population.branches;
  const experimentSlug = experiment?.slug ?? slug;
  const branches = fromExperiment("branches", configured, !booleanPref && !monitorAll && !isRollout ? experiment?.branches : undefined);
  const branching: Branching =
    branches && branches.length > 0
      ? { mode: "branches", slug: experimentSlug, branches }
      : booleanPref
        ? { mode: "boolean_pref", expression: booleanPref }
        : monitorAll
          ? { mode: "entire_population" }
          : { mode: "enrollment", slug: experimentSlug };
  const branchValues =
    branching.mode === "branches" ? branching.branches : branching.mode === "entire_population" ? ["active"] : ["enabled", "disabled"];
  // upstream defaults to "control" even where no such branch exists; default to a branch that does
  const defaultReference = { branches: "control", boolean_pref: "disabled", enrollment: "disabled", entire_population: "active" }[
    branching.mode
  ];
  const referenceBranch =
    fromExperiment("referenceBranch", project.referenceBranch, experiment?.referenceBranch, defaultReference) ?? defaultReference;

  const startDate = fromExperiment("startDate", project.startDate, experiment?.startDate);
  const endDate = fromExperiment("endDate", project.endDate, experiment?.endDate);
  if (!startDate) issues.push(issue("no_start_date", "startDate", {}, { severity: "warning" }));
  const name = fromExperiment("name", project.name, experiment?.name, slug) ?? slug;
  const xaxis = truthy("xaxis", (b) => b.xaxis) ?? ((provenance["xaxis"] = "builtin"), "submission_date");

  const dataSources: Record<string, GraphDataSource> = {};
  const seenSources = new Set<string>();
  for (const ds of [populationSource, ...probes.map((p) => p.dataSource)]) {
    if (!ds || seenSources.has(ds.name)) continue;
    seenSources.add(ds.name);
    // the project's platform may replace a data source by name (a `[data_sources.x]` in a project file):
    // upstream merges it, so every probe naming it reads the replacement, the defaults' probes included
    const resolved = resolveDataSource(platform.dataSources[ds.name] ?? ds, platform, channel);
    if (resolved) dataSources[ds.name] = resolved;
    else issues.push(issue("unresolved_dataset", `dataSources.${ds.name}.from`, { dataSource: ds.name }));
  }

  const appIds = appIdsOf(platform);
  const selects = renderSelects({ probes, dimensions }, { functions: platform.functions, parameters: project.parameters }, issues);
  const errors = issues.filter((i) => i.severity === "error");
  if (errors.length > 0) return { issues };
  const graph: ProjectGraph = {
    slug,
    tableSlug: tableSlug(slug),
    name,
    ...(project.description ? { description: project.description } : {}),
    platform: { name: platform.name, glean: platform.glean, ...(appIds ? { appIds } : {}) },
    xaxis,
    ...(startDate ? { startDate } : {}),
    ...(endDate ? { endDate } : {}),
    referenceBranch,
    skip: Boolean(project.skip),
    isRollout,
    compactVisualization: Boolean(project.compactVisualization),
    ...(project.confidenceLevel !== undefined ? { confidenceLevel: project.confidenceLevel } : {}),
    population: {
      dataSource: populationSource!.name,
      branching,
      branches: branchValues,
      ...(channel ? { channel } : {}),
      dimensions: dimensions.map((d) => described({ name: d.name, select: selects.dimensions.get(d.name) ?? d.select }, d)),
      ...(groupBy ? { groupByDimension: groupBy } : {}),
    },
    dataSources,
    probes: probes.map((p) =>
      described(
        {
          name: p.name,
          type: p.type,
          dataSource: p.dataSource.name,
          select: selects.probes.get(p.name) ?? p.select,
          statistics: toGraphStatistics(statistics.get(p.name) ?? {}),
          ...(p.category ? { category: p.category } : {}),
          ...(p.biggerIsBetter !== undefined ? { biggerIsBetter: p.biggerIsBetter } : {}),
        },
        p,
      ),
    ),
    metricGroups: [...metricGroups].map(([groupName, g]) => described({ name: groupName, probes: g.probes.map((p) => p.name) }, g)),
    alerts: [...alerts].map(([alertName, a]) => {
      // extra (keys upstream ignores) and toml only travel back to TOML
      const { probes: picked, friendlyName: _f, description: _d, extra: _e, toml: _t, ...rest } = a;
      // an explicit tThreshold keeps Perfherder's test and windows; without one, the noise-calibrated test
      const defaults =
        rest.type === "change_point" ? (rest.tThreshold === undefined ? CHANGE_POINT_DEFAULTS : PERFHERDER_DEFAULTS) : rest.type === "avg_diff" ? AVG_DIFF_DEFAULTS : {};
      return described({ name: alertName, ...defaults, ...rest, probes: picked.map((p) => p.name) }, a);
    }),
    parameters: project.parameters ?? {},
    provenance,
  };
  return { graph: deepFreeze(JSON.parse(JSON.stringify(graph)) as ProjectGraph), issues };
}

/** Entries of every layer by name, in first-seen order, the last layer's object winning. */
function concatByName<T extends { readonly name: string }>(layers: readonly Layer[], get: (b: Body) => readonly T[]): T[] {
  const byName = new Map<string, T>();
  for (const { body } of layers) for (const item of get(body)) byName.set(item.name, item);
  return [...byName.values()];
}

/** Keyed entries of every layer, a later layer's entry replacing an earlier one's. */
function mergeByName<T>(layers: readonly Layer[], get: (b: Body) => { readonly [name: string]: T }): Map<string, T> {
  const merged = new Map<string, T>();
  for (const { body } of layers) for (const [name, value] of Object.entries(get(body))) merged.set(name, value);
  return merged;
}

function described<T extends object>(target: T, from: { readonly friendlyName?: string; readonly description?: string }) {
  return {
    ...target,
    ...(from.friendlyName ? { friendlyName: from.friendlyName } : {}),
    ...(from.description ? { description: from.description } : {}),
  };
}

function toGraphStatistics(stats: Statistics): GraphStatistic[] {
  return Object.entries(stats).map(([name, params]: [string, Record<string, unknown>]): GraphStatistic => {
    if (name === "percentile") {
      const percentiles = (params["percentiles"] as readonly number[] | undefined) ?? DEFAULT_PERCENTILES;
      return { name, percentiles, removeNulls: Boolean(params["removeNulls"]) };
    }
    if (name === "total_ratio") return { name, denominator: String(params["denominatorMetric"]) };
    return { name: name as "count" | "sum" | "mean" };
  });
}

/** Applies default columns and `{dataset}`: the channel's app id (made a dataset name), else `defaultDataset`. */
function resolveDataSource(ds: DataSource, platform: AnyPlatform, channel: string | undefined): GraphDataSource | undefined {
  let from = ds.from;
  if (from.includes("{dataset}")) {
    const appId = channel ? appIdsOf(platform)?.[channel as "release"] : undefined;
    const dataset = appId ? appId.replace(/[^a-zA-Z0-9]/g, "_").toLowerCase() : ds.defaultDataset;
    if (!dataset) return undefined;
    from = from.replaceAll("{dataset}", dataset);
  }
  return described(
    {
      name: ds.name,
      from,
      submissionDateColumn: ds.submissionDateColumn ?? DEFAULT_COLUMNS.submissionDateColumn,
      clientIdColumn: ds.clientIdColumn ?? DEFAULT_COLUMNS.clientIdColumn,
      buildIdColumn: ds.buildIdColumn ?? DEFAULT_COLUMNS.buildIdColumn,
      ...(ds.experimentsColumnType ? { experimentsColumnType: ds.experimentsColumnType } : {}),
    },
    ds,
  );
}
