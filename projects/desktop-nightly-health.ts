import { defineProject } from "opmon";
import { desktop } from "../definitions/firefox_desktop.js";

/** The whole Nightly population, build over build: did a new build move a health metric? */
export default defineProject({
  name: "Desktop Nightly health",
  platform: desktop,
  xaxis: "build_id",
  startDate: "2026-09-01",
  skipDefaultMetrics: true,
  probes: (p) => [
    p.gc_ms,
    p.memory_total,
    p.input_event_response_ms,
    p.startup_first_paint_ms,
    p.main_crashes,
    p.content_crashes,
    p.gpu_crashes,
  ],
  statistics: {
    input_event_response_ms: { percentile: {} },
    startup_first_paint_ms: { mean: {}, percentile: { percentiles: [50, 90] } },
  },
  population: {
    dataSource: (ds) => ds.main,
    monitorEntirePopulation: true,
    channel: "nightly",
    dimensions: (d) => [d.os, d.arch],
    groupByDimension: (d) => d.os,
  },
  metricGroups: {
    crashes: {
      friendlyName: "Crashes",
      description: "Crashes per process type",
      probes: (p) => [p.main_crashes, p.content_crashes, p.gpu_crashes],
    },
  },
  alerts: {
    startup_regression: {
      type: "avg_diff",
      probes: (p) => [p.startup_first_paint_ms],
      statistics: ["mean"],
      windowSize: 3,
      maxRelativeChange: 0.1,
      // two builds in a row, so a single noisy build does not page anyone
      for: 2,
    },
    // Perfherder's t and relative-change thresholds over shorter windows than its 12 builds, to fit the demo's weeks
    startup_step: {
      type: "change_point",
      probes: (p) => [p.startup_first_paint_ms],
      statistics: ["mean"],
      backWindow: 5,
      foreWindow: 3,
      severity: "critical",
    },
    crash_ceiling: { type: "threshold", probes: (p) => [p.main_crashes], max: [8], severity: "critical" },
  },
});
