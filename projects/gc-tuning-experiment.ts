import { defineProject } from "opmon";
import { desktop } from "../definitions/firefox_desktop.js";

/** An experiment with two branches, compared day by day. */
export default defineProject({
  name: "GC tuning experiment",
  description: "Does the new incremental GC budget change GC pauses, memory or crashes?",
  platform: desktop,
  xaxis: "submission_date",
  startDate: "2026-10-01",
  endDate: "2026-12-31",
  probes: (p) => [p.gc_ms, p.cycle_collector, p.memory_total, p.main_crashes],
  statistics: {
    cycle_collector: { percentile: { percentiles: [50, 95] } },
    main_crashes: { sum: {}, mean: {} },
  },
  population: {
    dataSource: (ds) => ds.main,
    branches: ["control", "treatment"],
    dimensions: (d) => [d.os],
  },
  referenceBranch: "control",
  alerts: {
    gc_pauses: { type: "ci_overlap", probes: (p) => [p.gc_ms, p.cycle_collector], parameters: [50] },
  },
});
