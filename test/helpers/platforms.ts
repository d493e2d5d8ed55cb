import { defineDataSource, defineDefaults, defineDimension, definePlatform, defineProbe } from "../../src/index.js";

/** A small desktop-like platform for resolution tests. */
export const desktop = definePlatform("firefox_desktop", {
  glean: false,
  dataSources: {
    main: defineDataSource({ from: "mozdata.telemetry.main", submissionDateColumn: "DATE(submission_timestamp)" }),
    crash: defineDataSource({ from: "mozdata.telemetry.crash" }),
  },
  probes: ({ main, crash }) => ({
    gc_ms: defineProbe({ type: "histogram", dataSource: main, select: "ARRAY_AGG(gc)" }),
    memory_total: defineProbe({ type: "histogram", dataSource: main, select: "ARRAY_AGG(mem)", statistics: { percentile: {} } }),
    active_hours: defineProbe({ type: "scalar", dataSource: main, select: "SUM(ticks)" }),
    main_crashes: defineProbe({ type: "scalar", dataSource: crash, select: "COUNT(*)", statistics: { sum: {} } }),
  }),
  dimensions: ({ main }) => ({
    os: defineDimension({ dataSource: main, select: "os" }),
    arch: defineDimension({ dataSource: main, select: "arch" }),
  }),
});

/** Desktop defaults: active hours for every project, the main ping as population. */
export const desktopDefaults = defineDefaults({
  platform: desktop,
  probes: (p) => [p.active_hours],
  statistics: { active_hours: { mean: {} } },
  population: { dataSource: (ds) => ds.main },
});

/** Desktop rollout defaults: memory for rollouts only. */
export const rolloutDefaults = defineDefaults({
  platform: desktop,
  rollout: true,
  probes: (p) => [p.memory_total],
  statistics: {},
});

/** A Glean app whose tables live in a dataset per channel. */
export const fenix = definePlatform("fenix", {
  appIds: { release: "org.mozilla.firefox", beta: "org.mozilla.firefox_beta" },
  dataSources: {
    baseline: defineDataSource({ from: "mozdata.{dataset}.baseline", clientIdColumn: "client_info.client_id" }),
    events: defineDataSource({ from: "mozdata.{dataset}.events", defaultDataset: "fenix" }),
  },
  probes: ({ baseline, events }) => ({
    uri_count: defineProbe({ type: "scalar", dataSource: baseline, select: "SUM(uri)" }),
    taps: defineProbe({ type: "scalar", dataSource: events, select: "COUNT(*)" }),
  }),
});
