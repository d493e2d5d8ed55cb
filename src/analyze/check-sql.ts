import type { ResolvedProject } from "../graph/resolve-config-dir.js";
import type { SchemaCatalog } from "../schemas/schema-catalog.js";
import type { SqlIssue } from "./analyze-bigquery.js";

/** What proving the SQL of some projects found, and what was proven. */
export interface SqlCheck {
  readonly issues: readonly SqlIssue[];
  /** The checks that ran: `BigQuery SQL (ZetaSQL)`, `DuckDB SQL`. */
  readonly checks: readonly string[];
  /** One line per check: what it covered. */
  readonly summaries: readonly string[];
  /** Set when the analyzer is not installed: the one-line hint to print. */
  readonly hint?: string;
}

/**
 * Proves every statement of each project's day before it runs: the BigQuery statements analyzed by
 * ZetaSQL (its server started here and always stopped) while the DuckDB steps run on empty tables, the
 * two at once since one is another process; a project whose BigQuery SQL is rejected keeps only that
 * error, so it is said once. What `opmon validate`, `plan --check` and `run --check` share.
 *
 * @example const { issues } = await checkSql({ configDir, projects, schemas: configSchemas(configDir), date: "2026-11-28" });
 */
export async function checkSql(input: {
  readonly configDir: string;
  readonly projects: readonly ResolvedProject[];
  readonly schemas: SchemaCatalog;
  /** The day; by default each project's last active day. */
  readonly date?: string;
}): Promise<SqlCheck> {
  // the analyzer and DuckDB load only when SQL is checked
  const { ZETASQL_MISSING_HINT, ZetaSqlServer } = await import("./zetasql-server.js");
  const { analyzeBigQuery } = await import("./analyze-bigquery.js");
  const { prepareDuckDb } = await import("./prepare-duckdb.js");
  const { configDir, projects, schemas, date } = input;
  const day = date ? { date } : {};
  const analyzing = (async () => {
    const server = await ZetaSqlServer.start();
    if (!server) return undefined;
    try {
      return await analyzeBigQuery(server, { configDir, projects, schemas, ...day });
    } finally {
      server.stop();
    }
  })();
  // both settle before either's failure is thrown, so neither is left running
  const [analyzed, prepared] = await Promise.allSettled([analyzing, prepareDuckDb({ configDir, projects, schemas, ...day })]);
  if (analyzed.status === "rejected") throw analyzed.reason;
  if (prepared.status === "rejected") throw prepared.reason;
  const [analysis, duck] = [analyzed.value, prepared.value];
  const issues: SqlIssue[] = [...(analysis?.issues ?? [])];
  const checks: string[] = [];
  const summaries: string[] = [];
  if (analysis) {
    checks.push("BigQuery SQL (ZetaSQL)");
    summaries.push(
      `BigQuery SQL: ${analysis.statements} statement(s) analyzed` +
        (analysis.skipped ? `, ${analysis.skipped} skipped for ${analysis.tablesWithoutSchema.length} table(s) without a schema` : ""),
    );
  }
  const failed = new Set(issues.flatMap((i) => (i.severity === "error" && i.project !== undefined ? [i.project] : [])));
  issues.push(...duck.issues.filter((i) => i.project === undefined || !failed.has(i.project)));
  checks.push("DuckDB SQL");
  summaries.push(`DuckDB SQL: ${duck.statements} step(s) run on empty tables${duck.skipped ? `, ${duck.skipped} project(s) skipped for tables without a schema` : ""}`);
  return { issues, checks, summaries, ...(analysis ? {} : { hint: ZETASQL_MISSING_HINT }) };
}
