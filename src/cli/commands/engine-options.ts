import { randomUUID } from "node:crypto";
import type { Command } from "cac";
import { BigQueryEngine, MissingCredentialsError } from "../../engines/bigquery/bigquery-engine.js";
import { DEFAULT_WAREHOUSE, DuckDbEngine } from "../../engines/duckdb/duckdb-engine.js";
import { WarehouseBusyError } from "../../engines/duckdb/warehouse-lock.js";
import type { Engine, EngineName } from "../../engines/engine.js";
import type { SqlOptions } from "../../sql/sql-context.js";
import { err, UserError } from "../output.js";

/** Options of commands that run SQL. */
export interface EngineOptions {
  readonly engine: string;
  readonly warehouse: string;
  readonly projectId?: string;
  readonly location?: string;
  readonly maximumBytesBilled?: number | string;
}

/** Adds `--engine`, `--warehouse` (DuckDB) and the BigQuery options. */
export const engineOptions = (command: Command) =>
  command
    .option("--engine <engine>", "duckdb (embedded, the default) or bigquery", { default: "duckdb" })
    .option("--warehouse <path>", "DuckDB warehouse file", { default: DEFAULT_WAREHOUSE })
    .option("--project-id <id>", "BigQuery: the project that runs jobs and holds the output datasets (or GOOGLE_CLOUD_PROJECT)")
    .option("--location <location>", "BigQuery: the job location")
    .option("--maximum-bytes-billed <bytes>", "BigQuery: refuse any job that would bill more bytes than this");

/** The engine's name, checked. */
export function engineName(options: EngineOptions): EngineName {
  if (options.engine === "duckdb" || options.engine === "bigquery") return options.engine;
  throw new UserError(`--engine must be duckdb or bigquery, not "${options.engine}"`);
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
  if (!projectId) throw new UserError("--engine bigquery needs --project-id (or GOOGLE_CLOUD_PROJECT)");
  return projectId;
}

/** Opens the chosen engine; user mistakes (no credentials, a busy warehouse) become one-line errors. */
export async function openEngine(options: EngineOptions): Promise<Engine> {
  try {
    if (engineName(options) === "duckdb") return await DuckDbEngine.open(options.warehouse);
    const cap = options.maximumBytesBilled === undefined ? undefined : Number(options.maximumBytesBilled);
    if (cap !== undefined && !(cap > 0))
      throw new UserError(`--maximum-bytes-billed must be a number of bytes, not "${options.maximumBytesBilled}"`);
    return await BigQueryEngine.connect({
      projectId: bigQueryProject(options),
      labels: { tool: "opmon" },
      onRetry: (what, attempt, reason) => err(`BigQuery: ${what} failed (${reason}); try ${attempt}`),
      ...(options.location ? { location: options.location } : {}),
      ...(cap !== undefined ? { maximumBytesBilled: cap } : {}),
    });
  } catch (error) {
    if (error instanceof MissingCredentialsError || error instanceof WarehouseBusyError) throw new UserError(error.message);
    throw error;
  }
}
