/** The engines opmon generates SQL for. */
export type DialectName = "bigquery" | "duckdb";

/** Column types generated SQL declares or casts to. */
export type SqlType = "string" | "float" | "int" | "bool" | "date" | "timestamp";

/** A column type: a scalar, an array of a type, or a struct of named types. */
export type TypeSpec =
  | SqlType
  | { readonly kind: "array"; readonly of: TypeSpec }
  | { readonly kind: "struct"; readonly fields: readonly (readonly [string, TypeSpec])[] };

/**
 * Every SQL function whose spelling differs between engines. Each dialect implements all of them
 * (a `Record<SqlFunction, ...>`), so a function missing in one dialect is a tsc error.
 */
export interface SqlFunctions {
  /** `x` as a date (a timestamp truncated, a date unchanged). */
  readonly toDate: (x: string) => string;
  /** `x` as a timestamp at midnight UTC. */
  readonly toTimestamp: (x: string) => string;
  /** `date` minus `days` days, still a date. */
  readonly dateSubDays: (date: string, days: number) => string;
  /** A `YYYYMMDD` build id as a date; NULL if it is not one. */
  readonly parseBuildDate: (buildId: string) => string;
  /** `x` cast to a type; an error on failure. */
  readonly cast: (x: string, type: TypeSpec) => string;
  /** `x` cast to a type; NULL on failure. */
  readonly safeCast: (x: string, type: TypeSpec) => string;
  /** The branch a client is enrolled in, from an experiments map column. */
  readonly experimentBranch: (experiments: string, slugLiteral: string) => string;
  /** A struct value with named fields. */
  readonly struct: (fields: readonly (readonly [name: string, value: string])[]) => string;
  /** An array literal of `type` items (typed, so an empty one has a type). */
  readonly array: (items: readonly string[], type: TypeSpec) => string;
  /** Aggregates `value` into an array ordered by `orderBy`. */
  readonly arrayAgg: (value: string, orderBy: string) => string;
  /** The `value` of any row where `condition` holds; NULL when none does. */
  readonly anyValueWhere: (value: string, condition: string) => string;
  /** `*` of `alias` without the `columns`. */
  readonly starExcept: (alias: string, columns: readonly string[]) => string;
  /** A from-clause item unnesting `array` into rows of `alias`. */
  readonly unnest: (array: string, alias: string) => string;
  /** `a / b`, NULL when `b` is 0. */
  readonly safeDivide: (a: string, b: string) => string;
  /** The items of every array in `arrays`, in one array; a NULL array adds nothing. */
  readonly concatArrays: (arrays: readonly string[]) => string;
  /** One array of the `field` arrays of every struct in `array` (a client's histograms' buckets, in one list). */
  readonly flattenField: (array: string, field: string) => string;
  /**
   * A SELECT of the rows of from-item `source` (named `name`), each once per element of the array
   * expression `array` over its columns, with every column and the element as `alias` (no row for an
   * empty array); `where` filters the rows first.
   */
  readonly unnestSelect: (source: string, name: string, array: string, alias: string, where?: string) => string;
  /** The sum of `field` over the structs of `array` (NULL when empty). */
  readonly sumField: (array: string, field: string) => string;
}

/** The statement around a SELECT that writes one day's partition of a table. */
export interface PartitionWrite {
  readonly table: readonly string[];
  readonly date: string;
  readonly select: string;
}

/**
 * How one engine spells SQL: quoting and escaping, literals, types and the functions that differ.
 * The shared printer and the query builders call only this.
 */
export interface Dialect {
  readonly name: DialectName;
  /** The sql-formatter language that formats this dialect. */
  readonly formatterLanguage: "bigquery" | "duckdb";
  /** An identifier, quoted only when it must be. */
  readonly ident: (name: string) => string;
  /** An identifier, always quoted. */
  readonly quoteIdent: (name: string) => string;
  /** Whether table names start with a project (BigQuery) or only a dataset/schema (DuckDB). */
  readonly tablesHaveProject: boolean;
  /**
   * The most columns of one output table (metrics: one per probe; statistics: one per probe and
   * statistic) the engine writes; a project above it is refused before anything runs.
   */
  readonly maxTableColumns: { readonly limit: number; readonly why: string };
  /**
   * Whether a project's own query may drop spam clients after aggregating their pings, counting them in
   * the pass over the population's source instead of a pass of their own. Not on BigQuery: a row holds
   * at most 100 MB, and the aggregates of a client sending millions of pings a day could exceed it.
   */
  readonly countsSpamInPass: boolean;
  /** A table reference from its parts (`[project,] dataset, table`). */
  readonly table: (parts: readonly string[]) => string;
  /** A string literal holding exactly `value`. */
  readonly string: (value: string) => string;
  /** A date literal; `date` must be `YYYY-MM-DD`. */
  readonly date: (date: string) => string;
  readonly typeName: (type: TypeSpec) => string;
  readonly fn: SqlFunctions;
  /** `COMMIT` as this engine spells it. */
  readonly commit: string;
  /** Statements that replace one day's partition with the rows of a SELECT, atomically. */
  readonly writePartition: (write: PartitionWrite) => readonly string[];
  /** Config SQL (BigQuery SQL) made valid in this dialect; `origin` names where it came from. */
  readonly configSql: (sql: string, origin: string) => string;
  /**
   * Where a run keeps a scratch table named `name`, given the dataset it would use: a table of the
   * dataset that expires (BigQuery); in DuckDB, for a project `day`'s own steps a temporary table of its
   * connection (a day's transaction writes there and to the warehouse), for the `run`'s shared passes
   * the in-memory scratch catalog every connection reads.
   */
  readonly scratchTable: (dataset: readonly string[], name: string, readers: "day" | "run") => readonly string[];
  /** Statements replacing scratch table `table` with the rows of `select`. */
  readonly createScratch: (table: readonly string[], select: string) => readonly string[];
}
