import type { Described, PassThrough } from "./common.js";
import { compact, type platformOf } from "./entity.js";

/** How a data source records experiment enrolments (Jetstream's `experiments_column_type`). */
export type ExperimentsColumnType = "none" | "simple" | "native" | "glean";

/** Options of {@link defineDataSource}. */
export interface DataSourceOptions extends Described, PassThrough {
  /**
   * Table name or parenthesised subquery, in BigQuery SQL. `{dataset}` is replaced by the platform's
   * dataset for the project's channel (or `defaultDataset`).
   * @example from: "mozdata.telemetry.main"
   * @example from: "mozdata.{dataset}.baseline"
   */
  readonly from: string;
  /**
   * SQL giving the submission date of a row. Defaults to `submission_date`.
   * @example submissionDateColumn: "DATE(submission_timestamp)"
   */
  readonly submissionDateColumn?: string;
  /**
   * SQL giving the client id; `"NULL"` aggregates over all clients. Defaults to `client_id`.
   * @example clientIdColumn: "client_info.client_id"
   */
  readonly clientIdColumn?: string;
  /**
   * SQL giving the build id as `YYYYMMDD`. Defaults to `SAFE.SUBSTR(application.build_id, 0, 8)`.
   * @example buildIdColumn: "SAFE.SUBSTR(application.build_id, 0, 8)"
   */
  readonly buildIdColumn?: string;
  /**
   * Dataset used for `{dataset}` when the project sets no channel.
   * @example defaultDataset: "org_mozilla_firefox"
   */
  readonly defaultDataset?: string;
  /**
   * How experiment enrolments are stored (Jetstream only; kept for lossless round trips).
   * @example experimentsColumnType: "native"
   */
  readonly experimentsColumnType?: ExperimentsColumnType;
}

/** A data source before its platform names it. */
export interface DataSourceSpec extends DataSourceOptions {
  readonly kind: "data_source";
}

/** A named data source of platform `P`: a table that probes and dimensions read from. */
export interface DataSource<P extends string = string, N extends string = string> extends DataSourceSpec {
  readonly name: N;
  readonly [platformOf]: P;
}

/**
 * Declares a data source: a telemetry table (or subquery) with the columns opmon needs.
 * The name comes from its key in `definePlatform({ dataSources })`.
 *
 * @example
 * const main = defineDataSource({
 *   from: "mozdata.telemetry.main",
 *   submissionDateColumn: "DATE(submission_timestamp)",
 * });
 */
export function defineDataSource(options: DataSourceOptions): DataSourceSpec {
  return compact({ kind: "data_source" as const, ...options });
}
