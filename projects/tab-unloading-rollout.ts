import { defineProject } from "opmon";
import { desktop } from "../definitions/firefox_desktop.js";

/** A pref-controlled rollout on release: clients with the pref on against clients with it off. */
export default defineProject({
  name: "Tab unloading rollout",
  platform: desktop,
  startDate: "2026-10-15",
  isRollout: true,
  probes: (p) => [p.memory_total, p.content_crashes, p.main_crashes, p.shutdown_hangs],
  statistics: {},
  population: {
    dataSource: (ds) => ds.main,
    booleanPref: "environment.settings.user_prefs.browser_tabs_unload_on_low_memory",
    channel: "release",
    dimensions: (d) => [d.os, d.cores],
  },
  referenceBranch: "disabled",
  alerts: {
    crash_ceiling: { type: "threshold", probes: (p) => [p.main_crashes, p.content_crashes], max: [500] },
    memory_vs_disabled: { type: "ci_overlap", probes: (p) => [p.memory_total] },
  },
});
