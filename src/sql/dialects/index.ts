import { bigquery } from "./bigquery.js";
import type { Dialect, DialectName } from "./dialect.js";
import { duckdb } from "./duckdb.js";

export type { Dialect, DialectName, PartitionWrite, SqlFunctions, SqlType, TypeSpec } from "./dialect.js";
export { bigquery } from "./bigquery.js";
export { duckdb } from "./duckdb.js";

/**
 * Every dialect by name.
 *
 * @example DIALECTS[options.dialect].string(branch)
 */
export const DIALECTS: Readonly<Record<DialectName, Dialect>> = Object.freeze({ bigquery, duckdb });

/** Whether `name` names a dialect. */
export const isDialectName = (name: string): name is DialectName => Object.hasOwn(DIALECTS, name);
