/** The engines a run can execute on. */
export type EngineName = "duckdb" | "bigquery";

/** A table in the engine's warehouse: a dataset (schema) and a name; the engine adds its project. */
export interface TableRef {
  readonly dataset: string;
  readonly table: string;
  /** Partitions older than this many days expire (BigQuery; upstream's metrics tables keep 775). */
  readonly partitionExpirationDays?: number;
}

/** What a query would cost before it runs. */
export interface Estimate {
  /** Bytes a BigQuery dry run says it would process. */
  readonly bytes?: number;
  /** Rows of the source tables it reads (DuckDB's plan). */
  readonly rows?: number;
}

/** The result of writing one day's partition. */
export interface WriteResult {
  readonly rows?: number;
  readonly bytes?: number;
}

/** How {@link Engine.atomically} may run a unit of work. */
export interface UnitOptions {
  readonly createsSchemas?: boolean;
  readonly writes?: readonly string[];
}

/** What runs a day's steps: partition writes and statements. */
export interface StepRunner {
  /** Replaces the `date` partition (by `submission_date`) of `table` with the rows of `select`. */
  writePartition(table: TableRef, date: string, select: string, label: string): Promise<WriteResult>;
  /** Runs a statement that returns nothing of interest (views, metadata). */
  execute(sql: string, label: string): Promise<void>;
}

/**
 * Where generated SQL runs. Both engines replace a day's partition atomically, so a run killed midway
 * leaves every partition as it was or fully written, and a rerun gives the same rows.
 */
export interface Engine extends StepRunner {
  readonly name: EngineName;
  /**
   * Runs `work` as one unit where the engine has transactions (DuckDB): every step it runs lands with
   * one commit, or none does. Engines without (BigQuery, whose jobs are each atomic) have none. Units
   * may run side by side; `createsSchemas: false` says `work` creates no schema (a shared pass into a
   * scratch table), so it need not wait for the run's schemas to exist. `writes`, the SELECTs of the
   * partitions `work` will write, lets the engine prepare them ahead.
   */
  atomically?<T>(work: (steps: StepRunner) => Promise<T>, options?: UnitOptions): Promise<T>;
  /** Runs a query and returns its rows as plain JSON values. */
  query(sql: string): Promise<Record<string, unknown>[]>;
  /** What `sql` would read, without running it. */
  estimate(sql: string): Promise<Estimate>;
  close(): Promise<void>;
}

/** Job labels for a run: what, for which project and day (BigQuery keeps them with each job). */
export const jobLabels = (slug: string, date: string, label: string) => ({
  tool: "opmon",
  project: slug
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, "_")
    .slice(0, 63),
  date: date.replaceAll("-", ""),
  step: label
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, "_")
    .slice(0, 63),
});

/** What is wrong with a warehouse, so a caller can pick an exit code (`usage` is a bad argument). */
export type WarehouseProblem = "busy" | "corrupt" | "read-only" | "disk-full" | "not-a-file" | "usage";

/**
 * A warehouse the user named cannot be used as it is: busy, not a database, read-only, full. The
 * message names the path and the problem and is meant to be printed as is, without a stack trace.
 *
 * @example throw new WarehouseError("corrupt", "w.duckdb is not a DuckDB database (or it is corrupted)");
 */
export class WarehouseError extends Error {
  override readonly name: string = "WarehouseError";
  constructor(
    readonly problem: WarehouseProblem,
    message: string,
  ) {
    super(message);
  }
}
