import type { ProjectGraph } from "../../graph/project-graph.js";
import type { DimensionOptions } from "../report-data.js";
import { lookmlDashboard } from "./lookml-dashboard.js";
import { lookmlAlertsExplore, lookmlExplore } from "./lookml-explore.js";
import { lookmlNames, type LookmlOptions } from "./lookml-names.js";
import { lookmlAlertsView, lookmlView } from "./lookml-view.js";

/**
 * A project's LookML files by path, in lookml-generator's layout (`<model>/views/`, `explores/`,
 * `dashboards/`): the statistics view and explore, the alerts view and explore when the project has
 * alerts, and the dashboard.
 *
 * @example for (const [path, text] of Object.entries(lookmlFiles(graph, dims))) writeFileSync(join(out, path), text);
 */
export function lookmlFiles(
  graph: ProjectGraph,
  dimensions: readonly DimensionOptions[],
  options: LookmlOptions = {},
): Readonly<Record<string, string>> {
  const n = lookmlNames(graph, options);
  const files: Record<string, string> = {
    [`${n.model}/views/${n.explore}.view.lkml`]: lookmlView(graph, options),
    [`${n.model}/explores/${n.explore}.explore.lkml`]: lookmlExplore(graph, options),
  };
  if (graph.alerts.length > 0) {
    files[`${n.model}/views/${n.alertsExplore}.view.lkml`] = lookmlAlertsView(graph, options);
    files[`${n.model}/explores/${n.alertsExplore}.explore.lkml`] = lookmlAlertsExplore(graph, options);
  }
  files[`${n.model}/dashboards/${n.explore}.dashboard.lookml`] = lookmlDashboard(graph, dimensions, options);
  return Object.freeze(files);
}
