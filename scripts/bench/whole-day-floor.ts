// The hand-written floors of a whole day: per-client aggregates written, then the statistics of
// those rows written, for one project, and for ten projects with ten different populations.
import { floorQuery } from "./floor-query.js";
import { floorStatisticsSql } from "./floor-statistics.js";

/**
 * The statements of one project's whole day by hand, into `<schema>.floor_clients<suffix>` and
 * `<schema>.floor_statistics<suffix>`: the floor the nightly run of `tab-unloading-rollout` is priced against.
 *
 * @example for (const sql of wholeDayFloorSql("2026-11-27")) await engine.execute(sql);
 */
export function wholeDayFloorSql(day: string, schema = "bench"): string[] {
  return [
    `CREATE SCHEMA IF NOT EXISTS ${schema}`,
    `CREATE OR REPLACE TABLE ${schema}.floor_clients AS ${floorQuery(day)}`,
    `CREATE OR REPLACE TABLE ${schema}.floor_statistics AS ${floorStatisticsSql(`${schema}.floor_clients`)}`,
  ];
}

/**
 * The ten-project floor by hand: one pass over the sources for the union of the populations (each is
 * a subset of the release clients with the pref set), then each population's per-client table and
 * statistics table written from it. `populations` are conditions on `client_id`.
 *
 * @example for (const sql of tenProjectFloorSql("2026-11-27", tenPopulations().map((p) => p.condition))) await engine.execute(sql);
 */
export function tenProjectFloorSql(day: string, populations: readonly string[], schema = "bench"): string[] {
  const union = populations.map((p) => `(${p})`).join(" OR ");
  return [
    `CREATE SCHEMA IF NOT EXISTS ${schema}`,
    `CREATE OR REPLACE TEMP TABLE floor_pass AS ${floorQuery(day, union)}`,
    ...populations.flatMap((p, i) => [
      `CREATE OR REPLACE TABLE ${schema}.floor_clients_${i} AS SELECT * FROM floor_pass WHERE ${p}`,
      `CREATE OR REPLACE TABLE ${schema}.floor_statistics_${i} AS ${floorStatisticsSql(`${schema}.floor_clients_${i}`)}`,
    ]),
    "DROP TABLE floor_pass",
  ];
}
