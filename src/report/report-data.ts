import type { ProjectGraph } from "../graph/project-graph.js";

/** One row of a project's `<slug>_statistics` view, normalised: dates as `YYYY-MM-DD`, numbers or null. */
export interface StatRow {
  readonly submission_date: string;
  readonly build_id: string | null;
  /** The value of each project dimension, by dimension name. */
  readonly dims: { readonly [dimension: string]: string | null };
  readonly branch: string;
  readonly metric: string;
  readonly statistic: string;
  readonly parameter: number | null;
  readonly point: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
}

/** One row of a project's `<slug>_alerts` view. */
export interface AlertRow {
  readonly submission_date: string;
  readonly build_id: string | null;
  readonly dims: { readonly [dimension: string]: string | null };
  readonly metric: string;
  readonly statistic: string | null;
  readonly parameter: number | null;
  readonly branch: string | null;
  readonly message: string;
}

/** The values a dimension takes in the results, most common first; the default is the most common. */
export interface DimensionOptions {
  readonly name: string;
  /** How dashboards label the filter (`Os`, `Cores Count`, ...). */
  readonly title: string;
  readonly default: string | null;
  readonly options: readonly string[];
}

/** Everything the dashboards show for one project: its graph and what the warehouse holds for it. */
export interface ProjectResults {
  readonly graph: ProjectGraph;
  readonly rows: readonly StatRow[];
  readonly alerts: readonly AlertRow[];
  readonly dimensions: readonly DimensionOptions[];
  /** Why there are no rows, when the warehouse has none (for example, the project never ran). */
  readonly missing?: string;
  /** The SQL that produced the results, by query name, when the run recorded it. */
  readonly queries?: { readonly [name: string]: string };
}
