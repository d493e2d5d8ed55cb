import { randomUUID } from "node:crypto";
import type { Command } from "cac";
import { DEFAULT_WAREHOUSE } from "../../engines/duckdb/default-warehouse.js";
import type { Engine, EngineName } from "../../engines/engine.js";
import type { SqlOptions } from "../../sql/sql-context.js";
import { err, UsageError, UserError } from "../output.js";

/** Options of commands that run SQL. */
export interface EngineOptions {
  readonly engine: string;
  readonly warehouse: string;
  readonly projectId?: string;
  readonly location?: string;
  readonly maximumBytesBilled?: number | string;
  readonly jobTimeout?: number | string;
  readonly requestTimeout?: number | string;
}

/** Adds `--engine`, `--warehouse` (DuckDB) and the BigQuery options. */
export const engineOptions = (command: Command) =>
  command
    .option("--engine <engine>", "duckdb (embedded, the default) or bigquery", { default: "duckdb" })
    .option("--warehouse <path>", "DuckDB warehouse file", { default: DEFAULT_WAREHOUSE })
    .option("--project-id <id>", "BigQuery: the project that runs jobs and holds the output datasets (or GOOGLE_CLOUD_PROJECT)")
    .option("--location <location>", "BigQuery: the job location")
    .option("--maximum-bytes-billed <bytes>", "BigQuery: refuse any job that would bill more bytes than this")
    .option("--job-timeout <duration>", "BigQuery: cancel a job still running after this long (e.g. 90m, 6h; default 6h)")
    .option("--request-timeout <duration>", "BigQuery: give up on a request unanswered after this long (e.g. 30s, 10m; default 10m)");

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, min: 60_000, h: 3_600_000 };

/**
 * A duration flag in milliseconds: a number with `ms`, `s`, `m`/`min` or `h`, or bare seconds.
 *
 * @example parseDuration("--job-timeout", "90m") // 5_400_000
 */
export function parseDuration(flag: string, value: number | string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|m|h)?\s*$/.exec(String(value));
  const ms = match ? Number(match[1]) * (UNITS[match[2] ?? "s"] ?? 1_000) : NaN;
  if (!(ms >= 1)) throw new UsageError(`${flag} must be a duration such as 30s, 10m or 6h, not "${value}"`);
  return Math.round(ms);
}

/** The engine's name, checked. */
export function engineName(options: EngineOptions): EngineName {
  if (options.engine === "duckdb" || options.engine === "bigquery") return options.engine;
  throw new UsageError(`--engine must be duckdb or bigquery, not "${options.engine}"`);
}

/**
 * SQL options of a run: the engine's dialect and output project, and a fresh run id for its scratch
 * tables. SQL is laid out for reading when someone will read it (BigQuery's job history,
 * `--sql-output-dir`); DuckDB alone skips the formatter.
 *
 * @example daySteps(graph, date, runSqlOptions({ engine: "duckdb", warehouse: ".opmon/warehouse.duckdb" }))
 */
export function runSqlOptions(options: EngineOptions & { readonly sqlOutputDir?: string }): SqlOptions {
  const dialect = engineName(options);
  return {
    dialect,
    pretty: dialect === "bigquery" || Boolean(options.sqlOutputDir),
    // two runs of one day on BigQuery must not replace or drop each other's scratch tables
    runId: randomUUID().replaceAll("-", "").slice(0, 8),
    // output tables live in the project that runs the jobs, however it was given
    ...(dialect === "bigquery" ? { project: bigQueryProject(options) } : {}),
  };
}

/** The BigQuery project id from the flag or the environment. */
export function bigQueryProject(options: EngineOptions): string {
  const projectId = options.projectId ?? process.env["GOOGLE_CLOUD_PROJECT"];
  if (!projectId) throw new UsageError("--engine bigquery needs --project-id (or GOOGLE_CLOUD_PROJECT)");
  return projectId;
}

/** Opens the chosen engine; user mistakes (no credentials, a busy warehouse) become one-line errors. */
export async function openEngine(options: EngineOptions): Promise<Engine> {
  // each engine's client library loads only when that engine is used
  const { WarehouseBusyError } = await import("../../engines/duckdb/warehouse-lock.js");
  const { MissingCredentialsError, CredentialsRejectedError } = await import("../../engines/bigquery/bigquery-errors.js");
  try {
    if (engineName(options) === "duckdb")
      return await (await import("../../engines/duckdb/duckdb-engine.js")).DuckDbEngine.open(options.warehouse);
    const { BigQueryEngine, DEFAULT_JOB_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS } =
      await import("../../engines/bigquery/bigquery-engine.js");
    const cap = options.maximumBytesBilled === undefined ? undefined : Number(options.maximumBytesBilled);
    if (cap !== undefined && !(cap > 0))
      throw new UsageError(`--maximum-bytes-billed must be a number of bytes, not "${options.maximumBytesBilled}"`);
    const jobTimeoutMs = options.jobTimeout === undefined ? DEFAULT_JOB_TIMEOUT_MS : parseDuration("--job-timeout", options.jobTimeout);
    const requestTimeoutMs =
      options.requestTimeout === undefined ? DEFAULT_REQUEST_TIMEOUT_MS : parseDuration("--request-timeout", options.requestTimeout);
    // an access token from elsewhere (`gcloud auth print-access-token`), as other Google tools accept it
    const token = process.env["GOOGLE_OAUTH_ACCESS_TOKEN"] || undefined;
    return await BigQueryEngine.connect({
      projectId: bigQueryProject(options),
      labels: { tool: "opmon" },
      jobTimeoutMs,
      requestTimeoutMs,
      ...(token ? { token } : {}),
      onRetry: (what, attempt, reason) => err(`BigQuery: ${what} failed (${reason}); try ${attempt}`),
      ...(options.location ? { location: options.location } : {}),
      ...(cap !== undefined ? { maximumBytesBilled: cap } : {}),
    });
  } catch (error) {
    if (error instanceof MissingCredentialsError || error instanceof CredentialsRejectedError || error instanceof WarehouseBusyError)
      throw new UserError(error.message);
    throw error;
  }
}
