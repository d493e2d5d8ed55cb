import type { SqlContext } from "./sql-context.js";

/** Where a project's tables and views live, as name parts (`[project,] dataset, table`). */
export interface ProjectTables {
  readonly metrics: readonly string[];
  readonly statistics: readonly string[];
  readonly alerts: readonly string[];
  /** Each branch against the reference branch, per day (ours; upstream has no comparisons). */
  readonly comparisons: readonly string[];
  readonly metricsView: readonly string[];
  readonly statisticsView: readonly string[];
  readonly alertsView: readonly string[];
  readonly comparisonsView: readonly string[];
  readonly projects: readonly string[];
  readonly projectsView: readonly string[];
  /** The scratch table part `i` of the day's split metrics query is staged in (named with the day and run id). */
  readonly metricsPart: (i: number) => readonly string[];
  /** The scratch table part `i` of the day's split statistics query is staged in. */
  readonly statisticsPart: (i: number) => readonly string[];
}

/**
 * The upstream table names: `<slug>_v1`, `<slug>_statistics_v2`, `<slug>_alerts_v2` and
 * `projects_v1` in the derived dataset; views `<slug>`, `<slug>_statistics`, `<slug>_alerts`,
 * `projects` in the public one. Ours beside them: `<slug>_comparisons_v1` and its view `<slug>_comparisons`.
 *
 * @example projectTables(ctx).metrics // ["moz-fx-data-shared-prod", "operational_monitoring_derived", "gc_v1"]
 */
export function projectTables(ctx: SqlContext): ProjectTables {
  const at = (dataset: string, table: string) => (ctx.d.tablesHaveProject ? [ctx.project, dataset, table] : [dataset, table]);
  const slug = ctx.graph.tableSlug;
  const derived = (table: string) => at(ctx.derivedDataset, table);
  const view = (table: string) => at(ctx.dataset, table);
  // two runs (or two days of a backfill) never share a part
  const scratch = (table: string) =>
    ctx.d.scratchTable(
      ctx.d.tablesHaveProject ? [ctx.project, ctx.derivedDataset] : [ctx.derivedDataset],
      `${table}_${ctx.date.replaceAll("-", "")}${ctx.runId ? `_${ctx.runId}` : ""}`,
      "day",
    );
  return Object.freeze({
    metrics: derived(`${slug}_v1`),
    statistics: derived(`${slug}_statistics_v2`),
    alerts: derived(`${slug}_alerts_v2`),
    comparisons: derived(`${slug}_comparisons_v1`),
    metricsView: view(slug),
    statisticsView: view(`${slug}_statistics`),
    alertsView: view(`${slug}_alerts`),
    comparisonsView: view(`${slug}_comparisons`),
    projects: derived("projects_v1"),
    projectsView: view("projects"),
    metricsPart: (i: number) => scratch(`${slug}_v1_part_${i}`),
    statisticsPart: (i: number) => scratch(`${slug}_statistics_v2_part_${i}`),
  });
}
