// Checked by `tsc --noEmit` (part of `npm test`): every `@ts-expect-error` must meet an error, so a
// regression that lets a bad reference compile fails the build.
import { expectTypeOf } from "vitest";
import {
  defineDataSource,
  defineDimension,
  definePlatform,
  defineProbe,
  defineProject,
  extendPlatform,
  type Dimension,
  type Probe,
  type Project,
} from "../../src/index.js";

const desktop = definePlatform("firefox_desktop", {
  dataSources: {
    main: defineDataSource({ from: "mozdata.telemetry.main" }),
    crash: defineDataSource({ from: "mozdata.telemetry.crash" }),
  },
  probes: ({ main, crash }) => ({
    gc_ms: defineProbe({ type: "histogram", dataSource: main, select: "ARRAY_AGG(h)" }),
    memory_total: defineProbe({ type: "histogram", dataSource: main, select: "ARRAY_AGG(m)", statistics: { percentile: {} } }),
    active_hours: defineProbe({ type: "scalar", dataSource: main, select: "SUM(a)" }),
    main_crashes: defineProbe({ type: "scalar", dataSource: crash, select: "COUNT(*)" }),
  }),
  dimensions: ({ main }) => ({
    os: defineDimension({ dataSource: main, select: "os" }),
    arch: defineDimension({ dataSource: main, select: "arch" }),
  }),
});

const fenix = definePlatform("fenix", {
  dataSources: { baseline: defineDataSource({ from: "mozdata.fenix.baseline" }) },
  probes: ({ baseline }) => ({ uri_count: defineProbe({ type: "scalar", dataSource: baseline, select: "SUM(u)" }) }),
  dimensions: ({ baseline }) => ({ channel: defineDimension({ dataSource: baseline, select: "normalized_channel" }) }),
});

// Positive inference: names, types and platforms travel in the types.
expectTypeOf(desktop.probes.gc_ms).toEqualTypeOf<Probe<"firefox_desktop", "histogram", "gc_ms", false>>();
expectTypeOf(desktop.probes.memory_total).toEqualTypeOf<Probe<"firefox_desktop", "histogram", "memory_total", true>>();
expectTypeOf(desktop.dimensions.os).toEqualTypeOf<Dimension<"firefox_desktop", "os">>();
expectTypeOf(desktop.name).toEqualTypeOf<"firefox_desktop">();
expectTypeOf(fenix.probes.uri_count.type).toEqualTypeOf<"scalar">();

const valid = defineProject({
  name: "valid",
  platform: desktop,
  probes: (p) => [p.gc_ms, p.memory_total, p.active_hours],
  // memory_total ships default statistics, so it may be left out
  statistics: {
    gc_ms: { percentile: { percentiles: [50, 95] } },
    active_hours: { mean: {}, total_ratio: { denominatorMetric: "active_hours" } },
  },
  population: { dataSource: (ds) => ds.main, dimensions: (d) => [d.os, d.arch], groupByDimension: (d) => d.os },
  metricGroups: { memory: { probes: (p) => [p.gc_ms, p.memory_total] } },
  alerts: {
    t: { type: "threshold", probes: (p) => [p.active_hours], min: [1.5] },
    c: { type: "ci_overlap", probes: (p) => [p.gc_ms], parameters: [95] },
    a: { type: "avg_diff", probes: (p) => [p.gc_ms], windowSize: 7, maxRelativeChange: 0.2 },
  },
});
expectTypeOf(valid).toEqualTypeOf<Project>();

// A project-local variant keeps the platform's name, so its probes mix with the base's.
const local = extendPlatform(desktop, {
  dataSources: { main_filtered: defineDataSource({ from: "(SELECT * FROM t)" }) },
  probes: ({ main_filtered }, base) => ({
    gc_ms: defineProbe({ ...base.gc_ms, dataSource: main_filtered }),
    gc_effectiveness: defineProbe({ type: "histogram", dataSource: main_filtered, select: "ARRAY_AGG(e)" }),
  }),
});
expectTypeOf(local.probes.gc_effectiveness).toEqualTypeOf<Probe<"firefox_desktop", "histogram", "gc_effectiveness", false>>();
expectTypeOf(local.probes.active_hours).toEqualTypeOf<Probe<"firefox_desktop", "scalar", "active_hours", false>>();

// 1. unknown probe
// @ts-expect-error gc_mss is not a probe of the platform (tsc suggests gc_ms)
defineProject({ platform: desktop, probes: (p) => [p.gc_mss], statistics: {} });

// 2. unknown dimension
// @ts-expect-error oss is not a dimension of the platform
defineProject({ platform: desktop, probes: () => [], statistics: {}, population: { dimensions: (d) => [d.oss] } });

// 3. unknown data source, in a project and in a platform
// @ts-expect-error mian is not a data source of the platform
defineProject({ platform: desktop, probes: () => [], statistics: {}, population: { dataSource: (ds) => ds.mian } });
definePlatform("x", {
  dataSources: { main: defineDataSource({ from: "t" }) },
  // @ts-expect-error mian is not a data source of this platform
  probes: ({ mian }) => ({ p: defineProbe({ type: "scalar", dataSource: mian, select: "SUM(1)" }) }),
});

// 4. probe of another platform
// @ts-expect-error a fenix probe in a desktop project
defineProject({ platform: desktop, probes: () => [fenix.probes.uri_count], statistics: { uri_count: { sum: {} } } });

// 5. dimension of another platform
// @ts-expect-error a fenix dimension in a desktop project
defineProject({ platform: desktop, probes: () => [], statistics: {}, population: { dimensions: () => [fenix.dimensions.channel] } });

// 6. statistic not valid for the probe type
// @ts-expect-error mean does not apply to a histogram
defineProject({ platform: desktop, probes: (p) => [p.gc_ms], statistics: { gc_ms: { mean: {} } } });

// 7. a monitored probe with no statistic
// @ts-expect-error gc_ms has no default statistics, so the project must give some
defineProject({ platform: desktop, probes: (p) => [p.gc_ms], statistics: {} });
// statistics may be left out where every monitored probe has defaults, and dimensions still infer
defineProject({
  platform: desktop,
  probes: (p) => [p.memory_total],
  population: { dimensions: (d) => [d.os], groupByDimension: (d) => d.os },
});
defineProject({
  platform: desktop,
  probes: (p) => [p.memory_total],
  // @ts-expect-error arch is not among the project's dimensions, with statistics left out too
  population: { dimensions: (d) => [d.os], groupByDimension: (d) => d.arch },
});

// 8. group_by_dimension not among the project's dimensions
defineProject({
  platform: desktop,
  probes: () => [],
  statistics: {},
  // @ts-expect-error arch is not among the project's dimensions
  population: { dimensions: (d) => [d.os], groupByDimension: (d) => d.arch },
});

// 9. metric group naming a probe the project does not monitor
defineProject({
  platform: desktop,
  probes: (p) => [p.active_hours],
  statistics: { active_hours: { mean: {} } },
  // @ts-expect-error main_crashes is not monitored by the project
  metricGroups: { g: { probes: (p) => [p.active_hours, p.main_crashes] } },
});

// 10. an alert may name any probe of the platform: the platform defaults may monitor it (validate
// warns when nothing does), as upstream accepted; a probe the platform lacks or of another platform fails
defineProject({
  platform: desktop,
  probes: (p) => [p.active_hours],
  statistics: { active_hours: { mean: {} } },
  alerts: { a: { type: "ci_overlap", probes: (p) => [p.main_crashes] } },
});
defineProject({
  platform: desktop,
  probes: (p) => [p.active_hours],
  statistics: { active_hours: { mean: {} } },
  // @ts-expect-error main_crashez is not a probe of the platform
  alerts: { a: { type: "ci_overlap", probes: (p) => [p.main_crashez] } },
});
defineProject({
  platform: desktop,
  probes: (p) => [p.active_hours],
  statistics: { active_hours: { mean: {} } },
  // @ts-expect-error a fenix probe in a desktop alert
  alerts: { a: { type: "ci_overlap", probes: () => [fenix.probes.uri_count] } },
});

// 11. threshold alert with neither min nor max
defineProject({
  platform: desktop,
  probes: (p) => [p.active_hours],
  statistics: { active_hours: { mean: {} } },
  // @ts-expect-error a threshold needs min or max
  alerts: { a: { type: "threshold", probes: (p) => [p.active_hours] } },
});

// 12. avg_diff alert without window_size or max_relative_change
defineProject({
  platform: desktop,
  probes: (p) => [p.active_hours],
  statistics: { active_hours: { mean: {} } },
  alerts: {
    // @ts-expect-error avg_diff needs windowSize
    a: { type: "avg_diff", probes: (p) => [p.active_hours], maxRelativeChange: 0.1 },
    // @ts-expect-error avg_diff needs maxRelativeChange
    b: { type: "avg_diff", probes: (p) => [p.active_hours], windowSize: 7 },
  },
});

// 13. change_point: its own options only, typed; severity from a fixed set
defineProject({
  platform: desktop,
  probes: (p) => [p.active_hours],
  statistics: { active_hours: { mean: {} } },
  alerts: {
    ok: {
      type: "change_point",
      probes: (p) => [p.active_hours],
      backWindow: 12,
      foreWindow: 12,
      tThreshold: 7,
      minRelativeChange: 0.02,
      for: 2,
      severity: "critical",
    },
    defaults: { type: "change_point", probes: (p) => [p.active_hours] },
    // @ts-expect-error windowSize belongs to avg_diff
    a: { type: "change_point", probes: (p) => [p.active_hours], windowSize: 7 },
    // @ts-expect-error min belongs to threshold
    b: { type: "change_point", probes: (p) => [p.active_hours], min: [1] },
    // @ts-expect-error tThreshold is a number
    c: { type: "change_point", probes: (p) => [p.active_hours], tThreshold: "7" },
    // @ts-expect-error backWindow is a number of points
    d: { type: "change_point", probes: (p) => [p.active_hours], backWindow: true },
    // @ts-expect-error severity is info, warning or critical
    e: { type: "change_point", probes: (p) => [p.active_hours], severity: "loud" },
    // @ts-expect-error for counts points
    f: { type: "ci_overlap", probes: (p) => [p.active_hours], for: "3d" },
    noise: { type: "change_point", probes: (p) => [p.active_hours], backWindow: 21, noiseThreshold: 5 },
    // @ts-expect-error noiseThreshold and tThreshold choose different tests: one or the other
    g: { type: "change_point", probes: (p) => [p.active_hours], noiseThreshold: 5, tThreshold: 7 },
    // @ts-expect-error noiseThreshold is a number of standard errors
    h: { type: "change_point", probes: (p) => [p.active_hours], noiseThreshold: "5" },
    quiet: { type: "avg_diff", probes: (p) => [p.active_hours], windowSize: 7, maxRelativeChange: 0.25, noiseThreshold: 0 },
    // @ts-expect-error noiseThreshold belongs to avg_diff and change_point
    i: { type: "threshold", probes: (p) => [p.active_hours], max: [1], noiseThreshold: 3 },
  },
});

// A ratio may only divide by a probe of the platform.
defineProject({
  platform: desktop,
  probes: (p) => [p.active_hours],
  // @ts-expect-error active_hourz is not a probe of the platform
  statistics: { active_hours: { total_ratio: { denominatorMetric: "active_hourz" } } },
});

// 14. branch_difference: a minimum effect, a direction, a pooling window and a false discovery rate, typed
defineProject({
  platform: desktop,
  probes: (p) => [p.active_hours],
  statistics: { active_hours: { mean: {} } },
  alerts: {
    ok: {
      type: "branch_difference",
      probes: (p) => [p.active_hours],
      minRelativeChange: 0.05,
      direction: "both",
      windowSize: 3,
      falseDiscoveryRate: 0.05,
      for: 2,
    },
    defaults: { type: "branch_difference", probes: (p) => [p.active_hours] },
    // @ts-expect-error direction is regression or both
    a: { type: "branch_difference", probes: (p) => [p.active_hours], direction: "up" },
    // @ts-expect-error tThreshold belongs to change_point
    b: { type: "branch_difference", probes: (p) => [p.active_hours], tThreshold: 3 },
    // @ts-expect-error maxRelativeChange belongs to avg_diff
    c: { type: "branch_difference", probes: (p) => [p.active_hours], maxRelativeChange: 0.1 },
    // @ts-expect-error falseDiscoveryRate is a fraction, not a percentage string
    d: { type: "branch_difference", probes: (p) => [p.active_hours], falseDiscoveryRate: "5%" },
    // @ts-expect-error direction belongs to branch_difference
    e: { type: "change_point", probes: (p) => [p.active_hours], direction: "both" },
  },
});
