import type { GraphProbe, GraphStatistic } from "../../graph/project-graph.js";
import type { Cte, FromItem, Query } from "../sql-node.js";
import type { SqlContext } from "../sql-context.js";

/** Where a statistic reads from and what it groups by. */
export interface StatisticInput {
  readonly ctx: SqlContext;
  readonly probe: GraphProbe;
  /** The name the day's rows of the metrics table go by in expressions (`metrics.<probe>`). */
  readonly source: string;
  /** Those rows as a from-item named {@link source}. */
  readonly from: FromItem;
  /** The group columns (x-axis, dimensions, branch), already quoted. */
  readonly keys: readonly string[];
  /** The same columns' names, unquoted. */
  readonly keyNames: readonly string[];
  /**
   * This statistic for several probes at once, read from a long CTE of their moments (one row per
   * group and probe, `metric` naming the probe; see `momentsLongCte`): one expression for all of
   * them, where a query of one expression per probe grows too long for an engine to parse and plan
   * quickly. `probe` is then only the first of them.
   */
  readonly batch?: { readonly source: string; readonly probes: readonly string[] };
}

/**
 * A statistic's SQL: helper CTEs, and a query giving long rows: the group columns, then `metric`,
 * `statistic`, `parameter` (STRING), `parameter_order` (FLOAT), `point`, `lower`, `upper`.
 */
export interface StatisticSql {
  readonly ctes: readonly Cte[];
  readonly rows: Query;
}

/** Builds one statistic of one probe. */
export type StatisticBuilder<S extends GraphStatistic = GraphStatistic> = (statistic: S, input: StatisticInput) => StatisticSql;
