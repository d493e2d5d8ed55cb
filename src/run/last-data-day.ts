import type { Engine } from "../engines/engine.js";
import type { ProjectGraph } from "../graph/project-graph.js";
import { DIALECTS, type DialectName } from "../sql/dialects/index.js";
import { printQuery } from "../sql/print-sql.js";
import { col, fromSql, select } from "../sql/sql-node.js";

/** How many days before the wanted day a run looks for the last day with data (bounds a BigQuery scan). */
export const LOOKBACK_DAYS = 31;

/** What the population sources of some projects hold up to a day. */
export interface DataDay {
  /** The data sources asked, by name, in the order first met. */
  readonly sources: readonly string[];
  /** The last day up to the one asked that any of them has rows for, within {@link LOOKBACK_DAYS}. */
  readonly last?: string;
}

/**
 * The last day up to `date` with rows in the population data sources of `graphs` (the rows that make a
 * project's clients): a run of a day that no source has yet would "succeed" with nothing in it. One
 * query per source, reading only the days between `date` minus {@link LOOKBACK_DAYS} and `date`.
 *
 * @example const { last } = await lastDataDay(engine, "duckdb", graphs, "2026-11-28"); // "2026-11-27"
 */
export async function lastDataDay(engine: Engine, dialect: DialectName, graphs: readonly ProjectGraph[], date: string): Promise<DataDay> {
  const d = DIALECTS[dialect];
  const queries = new Map<string, { name: string; sql: string }>();
  for (const graph of graphs) {
    const source = graph.dataSources[graph.population.dataSource];
    if (!source) continue;
    const where = `data source ${source.name}`;
    const day = d.fn.toDate(d.configSql(source.submissionDateColumn, `${where} submission date column`));
    const sql = printQuery(
      select({
        columns: [col(d.fn.cast(`MAX(${day})`, "string"), "last_day")],
        from: fromSql(d.configSql(source.from, `${where} from`)),
        where: [`${day} BETWEEN ${d.fn.dateSubDays(d.date(date), LOOKBACK_DAYS)} AND ${d.date(date)}`],
      }),
      d,
    );
    // projects of one platform share their sources: each is asked once
    if (!queries.has(sql)) queries.set(sql, { name: source.name, sql });
  }
  let last: string | undefined;
  for (const { sql } of queries.values()) {
    const [row] = await engine.query(sql);
    const day = row?.["last_day"];
    if (typeof day === "string" && (last === undefined || day > last)) last = day;
  }
  return { sources: [...new Set([...queries.values()].map((q) => q.name))], ...(last ? { last } : {}) };
}
