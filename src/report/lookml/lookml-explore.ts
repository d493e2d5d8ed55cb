import type { ProjectGraph } from "../../graph/project-graph.js";
import { GENERATED_HEADER, lookmlNames, type LookmlOptions } from "./lookml-names.js";
import { lookmlString } from "./lookml-quote.js";

const include = (model: string, view: string) => `include: "/looker-hub/${model}/views/${view}.view.lkml"\n`;

/**
 * The hidden explore over a project's view, always filtered to the project's branches (so other
 * branches of a shared experiment never leak into the charts).
 *
 * @example lookmlExplore(graph) // 'include: ...\n\nexplore: gc {\n  always_filter: ...'
 */
export function lookmlExplore(graph: ProjectGraph, options: LookmlOptions = {}): string {
  const n = lookmlNames(graph, options);
  const branches = graph.population.branches.join(", ");
  return `${GENERATED_HEADER}\n${include(n.model, n.explore)}\nexplore: ${n.explore} {\n  always_filter: {\n    filters: [\n      branch: ${lookmlString(branches)},\n    ]\n  }\n\n  hidden: yes\n}\n`;
}

/**
 * The hidden explore over a project's alerts view (only for projects with alerts).
 *
 * @example lookmlAlertsExplore(graph) // 'include: ...\n\nexplore: gc_alerts {\n  hidden: yes\n}\n'
 */
export function lookmlAlertsExplore(graph: ProjectGraph, options: LookmlOptions = {}): string {
  const n = lookmlNames(graph, options);
  return `${GENERATED_HEADER}\n${include(n.model, n.alertsExplore)}\nexplore: ${n.alertsExplore} {\n  hidden: yes\n}\n`;
}
