import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { firstLine } from "../../util/first-line.js";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { duckdb } from "../../sql/dialects/duckdb.js";
import { duckdbMacroStatements } from "../../sql/duckdb-macros.js";
import { WarehouseError, type Engine, type Estimate, type StepRunner, type TableRef, type UnitOptions, type WriteResult } from "../engine.js";
import { duckdbMemoryLimit } from "./memory-limit.js";
import { duckDbSqlError } from "./duckdb-sql-error.js";
import { lockWarehouse, WarehouseBusyError } from "./warehouse-lock.js";
import { DEFAULT_WAREHOUSE } from "./default-warehouse.js";
import { warehouseProblem } from "./warehouse-problems.js";

export { DEFAULT_WAREHOUSE };

/** The catalog the warehouse file is attached as, so `mozdata.telemetry.main` resolves as on BigQuery. */
export const SOURCE_CATALOG = "mozdata";

/**
 * Connections that run project days side by side. Measured on two cores: ten projects' day took 4.1 s
 * on one connection and 2.7-3.0 s on two (planning and commits are single-threaded; DuckDB already
 * parallelises each large query).
 */
const DAY_CONNECTIONS = 2;

/**
 * The embedded engine: one DuckDB file holds the source tables (under their BigQuery names) and the
 * results. The macro pack for BigQuery UDFs is installed on open in in-memory catalogs, so the file
 * stays readable by any DuckDB client. A day's partition is replaced in one transaction.
 *
 * @example const engine = await DuckDbEngine.open(".opmon/warehouse.duckdb");
 */
export class DuckDbEngine implements Engine {
  readonly name = "duckdb" as const;
  /** One connection runs one transaction at a time; work outside project days queues here. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Day connections free now, and the days waiting for one. */
  private readonly idle: DuckDBConnection[];
  private readonly waiting: (() => void)[] = [];
  /** Days running now. */
  private readonly running = new Set<Promise<unknown>>();
  /**
   * Whether a day has committed. Until then days run one at a time: the first creates the run's
   * schemas, and two transactions creating one schema conflict (DuckDB's catalog write-write conflict).
   * Work that creates no schema (shared passes) runs beside them all the same.
   */
  private warm = false;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    days: readonly DuckDBConnection[],
    private readonly release: () => void,
    private readonly path: string,
  ) {
    this.idle = [...days];
  }

  /** Opens (or creates) a warehouse file and takes its lock; `:memory:` for a throwaway warehouse. */
  static async open(path: string = DEFAULT_WAREHOUSE): Promise<DuckDbEngine> {
    if (path === "") throw new WarehouseError("usage", "the warehouse path is empty: give a file, such as .opmon/warehouse.duckdb");
    const inMemory = path === ":memory:";
    let release = () => {};
    try {
      if (!inMemory) mkdirSync(dirname(path), { recursive: true });
      if (!inMemory) release = lockWarehouse(path);
    } catch (error) {
      throw warehouseProblem(path, error) ?? error;
    }
    // a bounded share of the machine (or container), and a folder to spill to: past it a query spills
    // or fails with DuckDB's own out-of-memory error instead of taking the machine (the catalog is in
    // memory, so DuckDB would pick no spill folder of its own). Measured by `npm run bench`: a run of
    // 200,000 clients peaks near 0.5 GB, far below the limit.
    const settings: Record<string, string> = { memory_limit: duckdbMemoryLimit() };
    if (!inMemory) settings["temp_directory"] = `${path}.tmp`;
    const instance = await DuckDBInstance.create(":memory:", settings);
    try {
      const connection = await instance.connect();
      await connection.run(`ATTACH ${duckdb.string(path)} AS ${SOURCE_CATALOG}`);
      await connection.run(`USE ${SOURCE_CATALOG}`);
      for (const sql of duckdbMacroStatements()) await connection.run(sql);
      const days: DuckDBConnection[] = [];
      for (let i = 0; i < DAY_CONNECTIONS; i++) {
        const day = await instance.connect();
        await day.run(`USE ${SOURCE_CATALOG}`);
        days.push(day);
      }
      return new DuckDbEngine(instance, connection, days, release, path);
    } catch (error) {
      instance.closeSync();
      release();
      // another program (a DuckDB shell, a notebook) holds the file
      if (/Could not set lock on file/.test(firstLine(error)))
        throw new WarehouseBusyError(`${path} is open in another program; close it and run again`);
      // random bytes, a truncated file, a read-only file: say so, not "internal error"
      throw warehouseProblem(path, error) ?? error;
    }
  }

  /** The connection, for loading source data (the demo, tests). */
  get raw(): DuckDBConnection {
    return this.connection;
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work).catch(this.rethrow);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** A full disk or a damaged file surfaces mid-run: name the warehouse and the problem. */
  private readonly rethrow = (error: unknown): never => {
    throw warehouseProblem(this.path, error, ["disk-full", "corrupt"]) ?? error;
  };

  writePartition(table: TableRef, date: string, select: string, _label?: string): Promise<WriteResult> {
    return this.serial(() => this.inTransaction(this.connection, () => this.replaceRows(this.connection, table, date, select)));
  }

  execute(sql: string, _label?: string): Promise<void> {
    return this.serial(async () => {
      try {
        await this.connection.run(sql);
      } catch (error) {
        // a script that opened a transaction must not leave it open for the next statement
        await this.connection.run("ROLLBACK").catch(() => undefined);
        throw duckDbSqlError(error, sql);
      }
    });
  }

  /**
   * One transaction for every step `work` runs: a project's day commits once (each commit waits for
   * the disk) and lands whole or not at all. Days run on connections of their own, two at a time
   * once one has committed; they write different tables, so they never conflict.
   */
  atomically<T>(work: (steps: StepRunner) => Promise<T>, options: UnitOptions = {}): Promise<T> {
    const creates = options.createsSchemas !== false;
    // the later writes' queries are bound on the engine's own connection while the day's first write
    // runs (DuckDB runs a day's statements one at a time, and at 40,000 clients the first, per-client
    // write keeps one core busy): the day then reads their columns instead of binding them itself
    const ahead = new Map((options.writes ?? []).slice(1).map((select) => [withoutSemicolon(select), this.describeAhead(select)]));
    const day = this.day(creates, async (connection) => {
      const catalog = new DayCatalog(connection, ahead);
      const steps: StepRunner = {
        writePartition: (table, date, select) => this.replaceRows(connection, table, date, select, catalog),
        execute: async (sql) => {
          await connection.run(sql).catch((error: unknown) => {
            throw duckDbSqlError(error, sql);
          });
        },
      };
      const result = await this.inTransaction(connection, () => work(steps));
      if (creates) this.warm = true;
      return result;
    });
    this.running.add(day);
    void day.finally(() => this.running.delete(day)).catch(() => undefined);
    return day;
  }

  /** The columns of `select`'s rows, from the tables as committed; undefined when it does not bind so. */
  private describeAhead(select: string): Promise<readonly Column[] | undefined> {
    return this.serial(async () => columnsOf(await this.connection.runAndReadAll(`DESCRIBE ${withoutSemicolon(select)}`))).catch(() => undefined);
  }

  /**
   * Runs `work` on a free day connection, waiting for one; work that may create schemas waits for the
   * only one until such work has committed.
   */
  private async day<T>(createsSchemas: boolean, work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    while (this.idle.length === 0 || (createsSchemas && !this.warm && this.idle.length < DAY_CONNECTIONS)) {
      await new Promise<void>((wake) => this.waiting.push(wake));
    }
    const connection = this.idle.pop() as DuckDBConnection;
    try {
      return await work(connection).catch(this.rethrow);
    } finally {
      this.idle.push(connection);
      for (const wake of this.waiting.splice(0)) wake();
    }
  }

  private async inTransaction<T>(connection: DuckDBConnection, work: () => Promise<T>): Promise<T> {
    await connection.run("BEGIN TRANSACTION");
    try {
      const result = await work();
      await connection.run("COMMIT");
      return result;
    } catch (error) {
      // a COMMIT that failed (a full disk) has already ended the transaction: ROLLBACK's own
      // "no transaction is active" must not hide why
      await connection.run("ROLLBACK").catch(() => undefined);
      throw error;
    }
  }

  /**
   * Replaces a day's rows of a table, inside the caller's transaction on `connection`; `catalog`, the
   * tables and schemas of a project's day, read once for all its writes.
   */
  private async replaceRows(
    connection: DuckDBConnection,
    table: TableRef,
    date: string,
    statement: string,
    catalog = new DayCatalog(connection),
  ): Promise<WriteResult> {
    const select = withoutSemicolon(statement);
    const schema = duckdb.ident(table.dataset);
    const target = `${schema}.${duckdb.ident(table.table)}`;
    // the SELECT starts on the second line of each statement running it, as DuckDB's error pointers expect
    const running = (sql: string) =>
      connection.runAndReadAll(sql).catch((error: unknown) => {
        throw duckDbSqlError(error, `\n${select}`);
      });
    // the rows go straight into the table: staged in a table of their own first, they were written twice
    if (!(await catalog.has(table))) {
      const rows = countOf(await running(`CREATE TABLE ${target} AS\n${select}`));
      catalog.changed(table);
      return { rows };
    }
    // a metric added to a project adds a column, and a column whose type grew (a statistics struct with
    // new fields) takes the new type, which INSERT BY NAME would otherwise drop without a word; rows
    // written before read NULL there. DESCRIBE of a query binds it without running it.
    const columns = (await catalog.describedAhead(select)) ?? columnsOf(await running(`DESCRIBE\n${select}`));
    const existing = new Map(columnsOf(await connection.runAndReadAll(`DESCRIBE ${target}`)).map((c) => [c.name, c.type]));
    for (const { name, type } of columns) {
      if (existing.get(name) === type) continue;
      const column = duckdb.ident(name);
      await connection.run(`ALTER TABLE ${target} ${existing.has(name) ? `ALTER COLUMN ${column} TYPE` : `ADD COLUMN ${column}`} ${type}`);
      catalog.changed(table);
    }
    await connection.run(`DELETE FROM ${target} WHERE submission_date = ${duckdb.date(date)}`);
    return { rows: countOf(await running(`INSERT INTO ${target} BY NAME\n${select}`)) };
  }

  query(sql: string): Promise<Record<string, unknown>[]> {
    return this.serial(async () => (await this.connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[]);
  }

  /** Rows the plan's table scans read, from DuckDB's estimated cardinalities. */
  async estimate(sql: string): Promise<Estimate> {
    const plan = await this.serial(() => this.connection.runAndReadAll(`EXPLAIN (FORMAT json) ${sql}`));
    const text = String(plan.getRowObjectsJson()[0]?.["explain_value"] ?? "[]");
    let rows = 0;
    const visit = (node: { name?: string; children?: unknown[]; extra_info?: Record<string, unknown> }) => {
      if (node.name?.includes("SCAN")) rows += Number(node.extra_info?.["Estimated Cardinality"] ?? 0);
      for (const child of node.children ?? []) visit(child as typeof node);
    };
    for (const node of JSON.parse(text) as (typeof visit extends (n: infer N) => void ? N : never)[]) visit(node);
    return { rows };
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.queue, ...this.running]);
    try {
      for (const day of this.idle) day.closeSync();
      this.connection.closeSync();
      // closing the instance detaches the file and frees DuckDB's own lock on it
      this.instance.closeSync();
    } finally {
      this.release();
    }
  }
}

/** A column of a table or of a query's rows. */
interface Column {
  readonly name: string;
  readonly type: string;
}

/** The columns a DESCRIBE lists. */
const columnsOf = (described: { getRowObjectsJson(): Record<string, unknown>[] }): Column[] =>
  described.getRowObjectsJson().map((r) => ({ name: String(r["column_name"]), type: String(r["column_type"]) }));

/** Printed plans end a SELECT with a semicolon; the engine runs it inside other statements. */
const withoutSemicolon = (select: string) => select.replace(/;\s*$/, "");

/**
 * The tables a project's day writes to, as its transaction sees them: one read of the catalog for all
 * of the day's writes (`duckdb_tables()` lists every table of every attached database: 1-2 ms a read
 * alone, 10-15 ms with ten projects' days side by side), and each missing schema created once. It
 * also holds the columns of the day's queries as bound ahead, outside the transaction: they hold
 * until the day creates or alters a table (a query reading it could bind otherwise inside).
 */
class DayCatalog {
  private tables: Set<string> | undefined;
  private readonly schemas = new Set<string>();
  private unchanged = true;

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly ahead: ReadonlyMap<string, Promise<readonly Column[] | undefined>> = new Map(),
  ) {}

  /** The columns of `select` as bound ahead, while no table has changed in the day; else undefined. */
  async describedAhead(select: string): Promise<readonly Column[] | undefined> {
    const columns = await this.ahead.get(select);
    return this.unchanged ? columns : undefined;
  }

  /** Whether `table` exists; when it does not, its schema does once this returns. */
  async has(table: TableRef): Promise<boolean> {
    if (this.tables === undefined) {
      const found = await this.connection.runAndReadAll("SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database()");
      this.tables = new Set((found.getRowObjectsJson() as { schema_name: string; table_name: string }[]).map((r) => tableKey(r.schema_name, r.table_name)));
    }
    if (this.tables.has(tableKey(table.dataset, table.table))) return true;
    if (!this.schemas.has(table.dataset)) {
      await this.connection.run(`CREATE SCHEMA IF NOT EXISTS ${duckdb.ident(table.dataset)}`);
      this.schemas.add(table.dataset);
    }
    return false;
  }

  /** Records a table the day created or altered. */
  changed(table: TableRef): void {
    this.tables?.add(tableKey(table.dataset, table.table));
    this.unchanged = false;
  }
}

const tableKey = (schema: string, table: string) => JSON.stringify([schema, table]);

/** The rows a CREATE TABLE AS or INSERT reports. */
const countOf = (result: { getRowObjectsJson(): Record<string, unknown>[] }) => Number(result.getRowObjectsJson()[0]?.["Count"] ?? 0);
