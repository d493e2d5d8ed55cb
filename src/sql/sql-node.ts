/** A select-list item: an expression (already SQL of the target dialect) and its alias. */
export interface Column {
  readonly expr: string;
  readonly alias?: string;
}

/** Something to select from: SQL text (a table, a config from-expression) or a nested query. */
export type FromItem =
  | { readonly kind: "sql"; readonly sql: string; readonly alias?: string }
  | { readonly kind: "query"; readonly query: Query; readonly alias: string };

export interface Join {
  readonly type: "LEFT" | "INNER" | "CROSS";
  readonly item: FromItem;
  /** Conditions ANDed together; empty means `ON TRUE` (or none for CROSS). */
  readonly on?: readonly string[];
}

export interface Select {
  readonly kind: "select";
  readonly distinct?: boolean;
  readonly columns: readonly Column[];
  readonly from?: FromItem;
  readonly joins?: readonly Join[];
  readonly where?: readonly string[];
  readonly groupBy?: readonly string[];
  readonly having?: readonly string[];
}

export interface UnionAll {
  readonly kind: "union_all";
  readonly queries: readonly Query[];
}

/** A query with common table expressions in front. */
export interface With {
  readonly kind: "with";
  readonly ctes: readonly Cte[];
  readonly body: Query;
}

export interface Cte {
  readonly name: string;
  readonly query: Query;
}

/** The few query shapes opmon generates. */
export type Query = Select | UnionAll | With;

/**
 * A frozen SELECT node.
 *
 * @example select({ columns: [{ expr: "1", alias: "one" }] })
 */
export const select = (node: Omit<Select, "kind">): Select => Object.freeze({ kind: "select", ...node });

/** A frozen UNION ALL of queries. */
export const unionAll = (queries: readonly Query[]): UnionAll => Object.freeze({ kind: "union_all", queries });

/** A frozen WITH; nested WITHs in `body` are merged into one list. */
export const withCtes = (ctes: readonly Cte[], body: Query): Query =>
  ctes.length === 0 ? body : Object.freeze({ kind: "with", ctes: body.kind === "with" ? [...ctes, ...body.ctes] : ctes, body: body.kind === "with" ? body.body : body });

/** A from-item of SQL text. */
export const fromSql = (sql: string, alias?: string): FromItem => (alias === undefined ? { kind: "sql", sql } : { kind: "sql", sql, alias });

/** A column with an alias. */
export const col = (expr: string, alias?: string): Column => (alias === undefined ? { expr } : { expr, alias });
