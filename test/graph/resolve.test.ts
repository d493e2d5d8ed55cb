import { describe, expect, it } from "vitest";
import { defineDataSource, defineDimension, defineProject, definePlatform, defineProbe, extendPlatform, type Project } from "../../src/index.js";
import { resolveProject } from "../../src/graph/resolve.js";
import { desktop, desktopDefaults, fenix, rolloutDefaults } from "../helpers/platforms.js";

const defaults = [desktopDefaults, rolloutDefaults];
const codes = (r: { issues: readonly { code: string; path: string }[] }) => r.issues.map((i) => `${i.code} @ ${i.path}`);

const experiment = defineProject({
  platform: desktop,
  startDate: "2026-01-01",
  probes: (p) => [p.gc_ms, p.main_crashes],
  statistics: { gc_ms: { percentile: { percentiles: [50, 95] } } },
  population: { branches: ["control", "treatment"], dimensions: (d) => [d.os] },
});

describe("resolveProject", () => {
  it("layers defaults under the project, keeping declaration order", () => {
    const { graph, issues } = resolveProject({ project: experiment, slug: "exp-1", defaults });
    expect(issues).toEqual([]);
    expect(graph?.probes.map((p) => p.name)).toEqual(["active_hours", "gc_ms", "main_crashes"]);
    expect(graph?.population.dataSource).toBe("main");
    expect(graph?.provenance["population.dataSource"]).toBe("defaults");
    expect(graph?.tableSlug).toBe("exp_1");
    expect(graph?.population.branching).toEqual({ mode: "branches", slug: "exp-1", branches: ["control", "treatment"] });
    expect(graph?.referenceBranch).toBe("control");
    expect(Object.keys(graph?.dataSources ?? {})).toEqual(["main", "crash"]);
    expect(graph?.dataSources["crash"]?.submissionDateColumn).toBe("submission_date");
  });

  it("uses project statistics over probe defaults, and probe defaults when the project sets none", () => {
    const { graph } = resolveProject({ project: experiment, slug: "exp", defaults });
    const stats = Object.fromEntries(graph!.probes.map((p) => [p.name, p.statistics]));
    expect(stats["gc_ms"]).toEqual([{ name: "percentile", percentiles: [50, 95], removeNulls: false }]);
    expect(stats["main_crashes"]).toEqual([{ name: "sum" }]);
    expect(stats["active_hours"]).toEqual([{ name: "mean" }]);
  });

  it("skips every default with skipDefaultMetrics, and adds rollout defaults to rollouts", () => {
    const skipped = defineProject({ ...experimentOptions(), skipDefaultMetrics: true, population: { dataSource: (ds) => ds.main } });
    expect(resolveProject({ project: skipped, slug: "s", defaults }).graph?.probes.map((p) => p.name)).toEqual(["gc_ms"]);
    const rollout = defineProject({ ...experimentOptions(), isRollout: true });
    const { graph } = resolveProject({ project: rollout, slug: "r", defaults });
    expect(graph?.probes.map((p) => p.name)).toEqual(["active_hours", "memory_total", "gc_ms"]);
    expect(graph?.population.branching.mode).toBe("enrollment");
    expect(graph?.population.branches).toEqual(["enabled", "disabled"]);
    expect(graph?.referenceBranch).toBe("disabled");
  });

  it("takes name, dates, branches and channel from Experimenter when the project leaves them unset", () => {
    const project = defineProject(experimentOptions());
    const { graph } = resolveProject({
      project,
      slug: "exp",
      defaults,
      experiment: {
        slug: "exp",
        name: "Experiment",
        startDate: "2025-12-01",
        endDate: "2026-02-01",
        branches: ["a", "b"],
        referenceBranch: "a",
        channel: "beta",
      },
    });
    expect(graph?.startDate).toBe("2026-01-01");
    expect(graph?.endDate).toBe("2026-02-01");
    expect(graph?.name).toBe("Experiment");
    expect(graph?.population.branches).toEqual(["a", "b"]);
    expect(graph?.population.channel).toBe("beta");
    expect(graph?.referenceBranch).toBe("a");
    expect(graph?.provenance).toMatchObject({
      startDate: "project",
      endDate: "experimenter",
      branches: "experimenter",
      channel: "experimenter",
    });
  });

  it("gives boolean prefs enabled/disabled and whole populations one branch", () => {
    const pref = defineProject({ ...experimentOptions(), population: { booleanPref: "prefs.x" } });
    expect(resolveProject({ project: pref, slug: "p", defaults }).graph?.population.branching).toEqual({
      mode: "boolean_pref",
      expression: "prefs.x",
    });
    const all = defineProject({ ...experimentOptions(), population: { monitorEntirePopulation: true } });
    const { graph } = resolveProject({ project: all, slug: "a", defaults });
    expect(graph?.population.branches).toEqual(["active"]);
    expect(graph?.referenceBranch).toBe("active");
  });

  it("replaces {dataset} with the channel's app id, or the default dataset", () => {
    const project = defineProject({
      platform: fenix,
      startDate: "2026-01-01",
      probes: (p) => [p.uri_count, p.taps],
      statistics: { uri_count: { sum: {} }, taps: { sum: {} } },
      population: { dataSource: (ds) => ds.baseline, channel: "beta" },
    });
    const { graph } = resolveProject({ project, slug: "f" });
    expect(graph?.dataSources["baseline"]?.from).toBe("mozdata.org_mozilla_firefox_beta.baseline");
    expect(graph?.dataSources["events"]?.from).toBe("mozdata.org_mozilla_firefox_beta.events");
    const noChannel = defineProject({ ...fenixOptions(), population: { dataSource: (ds) => ds.baseline } });
    expect(codes(resolveProject({ project: noChannel, slug: "f" }))).toEqual(["unresolved_dataset @ dataSources.baseline.from"]);
  });

  it("returns a frozen graph that survives JSON", () => {
    const { graph } = resolveProject({ project: experiment, slug: "exp", defaults });
    expect(Object.isFrozen(graph)).toBe(true);
    expect(Object.isFrozen(graph?.probes[0])).toBe(true);
    expect(JSON.parse(JSON.stringify(graph))).toEqual(graph);
  });

  it("never changes the layers it reads", () => {
    const before = JSON.stringify(desktopDefaults);
    resolveProject({ project: defineProject({ ...experimentOptions(), isRollout: true }), slug: "x", defaults });
    expect(JSON.stringify(desktopDefaults)).toBe(before);
  });
});

describe("resolveProject problems", () => {
  it("collects every problem of plain values at once, with paths", () => {
    const bad = defineProject({
      slug: "bad slug!",
      platform: desktop,
      startDate: "2026-13-01",
      endDate: "2026-01-01",
      probes: (p) => [p.gc_ms],
      statistics: { gc_ms: { percentile: { percentiles: [0, 50, 100] } } },
      population: { branches: ["control", "x'; DROP TABLE t; --"], channel: "stable" as "beta" },
      alerts: { w: { type: "avg_diff", probes: (p) => [p.gc_ms], windowSize: 0, maxRelativeChange: 0.1 } },
    });
    expect(codes(resolveProject({ project: bad, slug: "x", defaults }))).toEqual([
      "invalid_value @ slug",
      "invalid_value @ startDate",
      "invalid_value @ statistics.gc_ms.percentile.percentiles[0]",
      "invalid_value @ statistics.gc_ms.percentile.percentiles[2]",
      "invalid_value @ population.branches[1]",
      "invalid_value @ population.channel",
      "invalid_value @ alerts.w.windowSize",
      "invalid_slug @ slug",
    ]);
  });

  it("reports start after end", () => {
    const late = defineProject({ ...experimentOptions(), startDate: "2026-02-01", endDate: "2026-01-01" });
    const r = resolveProject({ project: late, slug: "x", defaults });
    expect(r.issues.map((i) => i.message)).toEqual(["start date 2026-02-01 is after end date 2026-01-01"]);
  });

  it("catches at run time what only tsc would catch, with did-you-mean", () => {
    // what a plain JavaScript config (or an ignored type error) produces
    const js = {
      ...defineProject(experimentOptions()),
      probes: [desktop.probes.gc_ms, undefined],
      statistics: { gc_mss: { percentile: {} }, memory_total: { percentile: {} } },
      population: { dimensions: [], groupByDimension: desktop.dimensions.arch },
      metricGroups: { g: { probes: [desktop.probes.main_crashes] } },
    } as unknown as Project;
    const r = resolveProject({ project: js, slug: "js", defaults });
    expect(r.graph).toBeUndefined();
    expect(r.issues.map((i) => `${i.path}: ${i.message}${i.hint ? ` (${i.hint})` : ""}`)).toEqual([
      "probes[1]: expected a probe picked from the platform, got something else",
      'statistics.gc_mss: unknown probe "gc_mss" (did you mean "gc_ms"?)',
      'statistics.gc_ms: probe "gc_ms" is monitored but has no statistics',
      'statistics.memory_total: statistics given for "memory_total", which the project does not monitor',
      'population.groupByDimension: group-by dimension "arch" is not among the project\'s dimensions',
      'metricGroups.g.probes[0]: metric group "g" names probe "main_crashes", which the project does not monitor',
    ]);
  });

  it("accepts an alert on a probe the defaults monitor, and warns about one nothing monitors (upstream accepted both)", () => {
    const project = defineProject({
      ...experimentOptions(),
      alerts: {
        // active_hours comes from the platform defaults
        hours: { type: "threshold", probes: (p) => [p.active_hours], min: [1] },
        // memory_total is monitored by rollouts only, and this is no rollout
        memory: { type: "ci_overlap", probes: (p) => [p.gc_ms, p.memory_total] },
      },
    });
    const r = resolveProject({ project, slug: "x", defaults });
    expect(r.graph?.alerts.map((a) => [a.name, a.probes])).toEqual([
      ["hours", ["active_hours"]],
      ["memory", ["gc_ms", "memory_total"]],
    ]);
    expect(r.issues.map((i) => `${i.severity} ${i.path}: ${i.message}`)).toEqual([
      'warning alerts.memory.probes[1]: alert "memory" names probe "memory_total", which the project does not monitor, so the alert can never fire for it',
    ]);
  });

  it("refuses a dimension or probe named like a column opmon writes (upstream selected build_id twice)", () => {
    const platform = extendPlatform(desktop, {
      probes: (ds) => ({ branch: defineProbe({ type: "scalar", dataSource: ds.main, select: "COUNT(*)" }) }),
      dimensions: (ds) => ({
        build_id: defineDimension({ dataSource: ds.main, select: "SUBSTR(application.build_id, 1, 8)" }),
        point: defineDimension({ dataSource: ds.main, select: "x" }),
        gc_ms: defineDimension({ dataSource: ds.main, select: "y" }),
      }),
    });
    const project = defineProject({
      platform,
      startDate: "2026-01-01",
      probes: (p) => [p.gc_ms, p.branch],
      statistics: { gc_ms: { percentile: {} }, branch: { sum: {} } },
      population: { dataSource: (ds) => ds.main, dimensions: (d) => [d.os, d.build_id, d.point, d.gc_ms] },
    });
    const r = resolveProject({ project, slug: "x", defaults });
    expect(r.graph).toBeUndefined();
    expect(r.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'probes[1]: probe "branch" has the name of a column opmon writes itself ("branch"), so the query would select it twice (rename the probe; its select expression may stay)',
      'population.dimensions[1]: dimension "build_id" has the name of a column opmon writes itself ("build_id"), so the query would select it twice (rename the dimension; its select expression may stay)',
      'population.dimensions[2]: dimension "point" has the name of a column opmon writes itself ("point"), so the query would select it twice (rename the dimension; its select expression may stay)',
      'population.dimensions[3]: dimension "gc_ms" has the name of a monitored probe: both become columns "gc_ms" of the results, so the query would select it twice (rename one)',
    ]);
  });

  it("checks alert shapes as upstream does", () => {
    const project = {
      ...defineProject(experimentOptions()),
      alerts: {
        t: { type: "threshold", probes: [desktop.probes.gc_ms], parameters: [50, 95], max: [1, 2, 3] },
        n: { type: "threshold", probes: [desktop.probes.gc_ms] },
        c: { type: "ci_overlap", probes: [desktop.probes.gc_ms], windowSize: 3 },
        a: { type: "avg_diff", probes: [desktop.probes.gc_ms], min: [1] },
      },
    } as unknown as Project;
    expect(codes(resolveProject({ project, slug: "x", defaults }))).toEqual([
      "alert_bounds_count @ alerts.t.max",
      "alert_threshold_missing @ alerts.n",
      "alert_field_not_allowed @ alerts.c.windowSize",
      "alert_field_required @ alerts.a.windowSize",
      "alert_field_required @ alerts.a.maxRelativeChange",
      "alert_field_not_allowed @ alerts.a.min",
    ]);
  });

  it("needs a population data source and warns about a missing start date", () => {
    const orphan = defineProject({ platform: desktop, probes: (p) => [p.main_crashes], statistics: {}, skipDefaultMetrics: true });
    const r = resolveProject({ project: orphan, slug: "o", defaults });
    expect(r.issues.map((i) => `${i.severity} ${i.code}`)).toEqual(["error no_population_data_source", "warning no_start_date"]);
  });
});

function experimentOptions() {
  return {
    platform: desktop,
    startDate: "2026-01-01",
    probes: (p: typeof desktop.probes) => [p.gc_ms] as const,
    statistics: { gc_ms: { percentile: {} } },
  } as const;
}

function fenixOptions() {
  return {
    platform: fenix,
    startDate: "2026-01-01",
    probes: (p: typeof fenix.probes) => [p.uri_count] as const,
    statistics: { uri_count: { sum: {} } },
  } as const;
}

describe("a project's data source replacing the platform's", () => {
  it("is read by every probe naming it, the defaults' probes included", () => {
    // as corpus performance-fenix-build-by-build-beta overrides [data_sources.metrics] with a beta sample:
    // here the defaults' active_hours reads main, which the project replaces, and the population is crash
    const local = extendPlatform(desktop, {
      dataSources: { main: defineDataSource({ from: "(SELECT * FROM mozdata.telemetry.main WHERE sample_id = 0)" }) },
    });
    const project = defineProject({
      platform: local,
      startDate: "2026-01-01",
      probes: (p) => [p.main_crashes],
      statistics: { main_crashes: { sum: {} } },
      population: { dataSource: (ds) => ds.crash, monitorEntirePopulation: true },
    });
    const { graph, issues } = resolveProject({ project, slug: "sampled", defaults });
    expect(issues).toEqual([]);
    expect(graph?.probes.find((p) => p.name === "active_hours")?.dataSource).toBe("main");
    expect(graph?.dataSources["main"]?.from).toBe("(SELECT * FROM mozdata.telemetry.main WHERE sample_id = 0)");
  });
});

describe("{dataset} of Mozilla's Glean platforms, whose app ids metric-hub does not carry", () => {
  // an imported platform: metric-hub's definitions name no app ids; upstream keeps them in its own config
  const platform = (appIds?: { nightly: string }) =>
    definePlatform("fenix", {
      ...(appIds ? { appIds } : {}),
      dataSources: { test: defineDataSource({ from: "{dataset}.test", defaultDataset: "fallback" }) },
      probes: ({ test }) => ({ x: defineProbe({ type: "scalar", dataSource: test, select: "SUM(x)" }) }),
    });
  const fromFor = (channel?: "release" | "beta" | "nightly", appIds?: { nightly: string }) => {
    const project = defineProject({
      platform: platform(appIds),
      startDate: "2026-01-01",
      probes: (p) => [p.x],
      statistics: { x: { sum: {} } },
      population: { dataSource: (ds) => ds.test, monitorEntirePopulation: true, ...(channel ? { channel } : {}) },
    });
    return resolveProject({ project, slug: "glean" }).graph?.dataSources["test"]?.from;
  };

  it("reads the channel's dataset (upstream's test_get_metric_fenix_sql: nightly gives org_mozilla_fenix)", () => {
    expect(fromFor("nightly")).toBe("org_mozilla_fenix.test");
    expect(fromFor("beta")).toBe("org_mozilla_firefox_beta.test");
    expect(fromFor("release")).toBe("org_mozilla_firefox.test");
  });

  it("falls back to the data source's default dataset without a channel", () => {
    expect(fromFor()).toBe("fallback.test");
  });

  it("lets a platform's own app ids win over the built-in ones", () => {
    expect(fromFor("nightly", { nightly: "org.example.nightly" })).toBe("org_example_nightly.test");
  });
});
