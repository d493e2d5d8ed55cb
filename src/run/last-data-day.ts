import type { Engine } from "../engines/engine.js";
import type { ProjectGraph } from "../graph/project-graph.js";
import type { DialectName } from "../sql/dialects/index.js";
import { lastDataDayQueries, type LastDataDayQuery } from "../sql/last-data-day-query.js";

/** What the population sources of some projects hold up to a day. */
export interface DataDay {
  /** The data sources asked, by name, in the order first met. */
  readonly sources: readonly string[];
  /** The last day up to the one asked that any of them has rows for, within the lookback. */
  readonly last?: string;
}

/**
 * The last day up to `date` with rows in the population data sources of `graphs` (the rows that make a
 * project's clients): a run of a day that no source has yet would "succeed" with nothing in it.
 *
 * @example const { last } = await lastDataDay(engine, "duckdb", graphs, "2026-11-28"); // "2026-11-27"
 */
export async function lastDataDay(engine: Engine, dialect: DialectName, graphs: readonly ProjectGraph[], date: string): Promise<DataDay> {
  // the nightly case, data for the day, reads that day only: a BigQuery scan of a month is billed
  // only when the day is missing
  const today = await lastOf(engine, lastDataDayQueries(dialect, graphs, date, 0));
  return today.last === date ? today : lastOf(engine, lastDataDayQueries(dialect, graphs, date));
}

async function lastOf(engine: Engine, queries: readonly LastDataDayQuery[]): Promise<DataDay> {
  let last: string | undefined;
  for (const { sql } of queries) {
    const [row] = await engine.query(sql);
    const day = row?.["last_day"];
    if (typeof day === "string" && (last === undefined || day > last)) last = day;
  }
  return { sources: [...new Set(queries.map((q) => q.source))], ...(last ? { last } : {}) };
}
