/**
 * Config SQL that cannot run on DuckDB as written: names the construct and where the SQL came from
 * (a probe, dimension or data source), so the message points at the config to change.
 *
 * @example new UntranslatableSqlError("STRUCT<...> typed struct", "probe gc_ms")
 */
export class UntranslatableSqlError extends Error {
  override readonly name = "UntranslatableSqlError";
  constructor(
    readonly construct: string,
    readonly origin: string,
  ) {
    super(`${origin}: cannot translate ${construct} from BigQuery SQL to DuckDB`);
  }
}
