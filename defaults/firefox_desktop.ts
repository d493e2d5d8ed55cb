import { defineDefaults } from "opmon";
import { desktop } from "../definitions/firefox_desktop.js";

/** Added to every desktop project that does not set `skipDefaultMetrics`. */
export default defineDefaults({
  platform: desktop,
  xaxis: "submission_date",
  probes: (p) => [p.active_hours],
  statistics: { active_hours: { mean: {} } },
  population: { dataSource: (ds) => ds.main },
});
