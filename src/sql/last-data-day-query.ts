import type { ProjectGraph } from "../graph/project-graph.js";
import { DIALECTS, type DialectName } from "./dialects/index.js";
import { printQuery } from "./print-sql.js";
import { col, fromSql, select } from "./sql-node.js";

/** How many days before the wanted day a run looks for the last day with data (bounds a BigQuery scan). */
export const LOOKBACK_DAYS = 31;

/** One population data source and the query of its last day with rows (column `last_day`, a string). */
export interface LastDataDayQuery {
  readonly source: string;
  readonly sql: string;
}

/**
 * The queries that find the last day up to `date` with rows in the population data sources of `graphs`,
 * one per distinct source, each reading only `date` and the `lookback` days before it.
 *
 * @example lastDataDayQueries("duckdb", graphs, "2026-11-28", 0)[0].sql // SELECT CAST(MAX(...) AS VARCHAR) AS last_day ...
 */
export function lastDataDayQueries(
  dialect: DialectName,
  graphs: readonly ProjectGraph[],
  date: string,
  lookback: number = LOOKBACK_DAYS,
): readonly LastDataDayQuery[] {
  const d = DIALECTS[dialect];
  const queries = new Map<string, LastDataDayQuery>();
  for (const graph of graphs) {
    const source = graph.dataSources[graph.population.dataSource];
    if (!source) continue;
    const where = `data source ${source.name}`;
    const day = d.fn.toDate(d.configSql(source.submissionDateColumn, `${where} submission date column`));
    const sql = printQuery(
      select({
        columns: [col(d.fn.cast(`MAX(${day})`, "string"), "last_day")],
        from: fromSql(d.configSql(source.from, `${where} from`)),
        where: [`${day} BETWEEN ${d.fn.dateSubDays(d.date(date), lookback)} AND ${d.date(date)}`],
      }),
      d,
    );
    // projects of one platform share their sources: each is asked once
    if (!queries.has(sql)) queries.set(sql, Object.freeze({ source: source.name, sql }));
  }
  return Object.freeze([...queries.values()]);
}
