import { issue, type Issue } from "../config/issue.js";
import type { ResolvedProject } from "../graph/resolve-config-dir.js";
import type { ProjectGraph } from "../graph/project-graph.js";
import type { BigQueryField } from "../schemas/bigquery-schema.js";
import { namedWords, pruneFields } from "../schemas/prune-fields.js";
import { canonicalTableName, type SchemaCatalog } from "../schemas/schema-catalog.js";
import { catalogColumns, zetaCatalog, type CatalogTable } from "../schemas/zetasql-catalog.js";
import { planDay, type PlannedQuery } from "../sql/plan-day.js";
import { dataSourceSql } from "../sql/population-query.js";
import { planSharedSources } from "../sql/shared-sources.js";
import { sqlContext, type SqlContext } from "../sql/sql-context.js";
import { locateName, type ConfigOrigin } from "./config-origin.js";
import { splitStatements } from "./split-statements.js";
import { tokenizeBigQuery } from "../sql/translate/tokenize-bigquery.js";
import { pool } from "../util/pool.js";
import type { Analysis, ZetaSqlServer } from "./zetasql-server.js";

const ENGINE = "BigQuery (ZetaSQL analysis)";

/** Projects analyzed at once: enough to keep the server and this process busy together. */
const CONCURRENT_PROJECTS = 4;

/** A problem in a project's SQL: an issue, with the slug of the project it stops. */
export interface SqlIssue extends Issue {
  readonly project?: string;
}

/** What analyzing the BigQuery SQL of some projects found. */
export interface BigQueryAnalysis {
  readonly issues: readonly SqlIssue[];
  /** Statements analyzed. */
  readonly statements: number;
  /** Statements left unanalyzed because a table they read has no schema. */
  readonly skipped: number;
  /** Tables read without a schema, canonical names. */
  readonly tablesWithoutSchema: readonly string[];
}

/** What the analysis reads. */
export interface BigQueryAnalysisInput {
  readonly configDir: string;
  readonly projects: readonly ResolvedProject[];
  readonly schemas: SchemaCatalog;
  /** The day to render; by default each project's last active day up to yesterday. */
  readonly date?: string;
}

/** The types BigQuery's statistics take as a number. */
const NUMERIC_TYPES = new Set([2, 7, 23, 24, "TYPE_INT64", "TYPE_DOUBLE", "TYPE_NUMERIC", "TYPE_BIGNUMERIC"]);
const TYPE_NAMES: Readonly<Record<string, string>> = { 5: "BOOL", 8: "STRING", 9: "BYTES", 10: "DATE", 16: "ARRAY", 17: "STRUCT", 19: "TIMESTAMP", 21: "DATETIME", 26: "JSON" };
const typeKind = (type: unknown) => (type as { typeKind?: string | number } | undefined)?.typeKind ?? "";
const typeName = (type: unknown) => {
  const kind = typeKind(type);
  return TYPE_NAMES[String(kind)] ?? String(kind).replace(/^TYPE_/, "");
};

/**
 * The day `validate` renders for a project: its last active day, and never after yesterday.
 *
 * @example defaultDay(graph, "2026-11-29") // "2026-11-28" for a project without an end date
 */
export function defaultDay(graph: ProjectGraph, today = new Date().toISOString().slice(0, 10)): string {
  const yesterday = new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const last = graph.endDate !== undefined && graph.endDate < yesterday ? graph.endDate : yesterday;
  return graph.startDate !== undefined && last < graph.startDate ? graph.startDate : last;
}

/** A table name as its parts (a backquoted `p.d.t` stays one part), after what `pattern` matches. */
function tableAfter(pattern: RegExp, statement: string): string[] | undefined {
  return pattern.exec(statement)?.[1]?.match(/`[^`]+`|[\w-]+/g)?.map((p) => p.replaceAll("`", ""));
}

const TABLE_NAME = "((?:`[^`]+`|[\\w-]+)(?:\\.(?:`[^`]+`|[\\w-]+))*)";
const CREATED = new RegExp(`^\\s*CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:TEMP(?:ORARY)?\\s+)?(?:TABLE|VIEW)\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?${TABLE_NAME}`, "i");
const ALTERED = new RegExp(`^\\s*ALTER\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?${TABLE_NAME}`, "i");

/** The name a CREATE statement creates. */
const createdName = (statement: string): readonly string[] | undefined => tableAfter(CREATED, statement);

/** The name an ALTER TABLE statement alters. */
const alteredName = (statement: string): string[] | undefined => tableAfter(ALTERED, statement);

/** The text of a statement around where an error points. */
function near(statement: string, line?: number, column?: number): string {
  const text = line === undefined ? undefined : statement.split("\n")[line - 1];
  if (!text) return "";
  const from = Math.max(0, (column ?? 1) - 1 - 30);
  const part = text.slice(from, from + 80).trim();
  return ` near "${from > 0 ? "..." : ""}${part}${from + 80 < text.length ? "..." : ""}"`;
}

const shorten = (sql: string) => {
  const flat = sql.replace(/\s+/g, " ").trim();
  return flat.length > 80 ? `${flat.slice(0, 77)}...` : flat;
};

/** BigQuery's other names of types, which this ZetaSQL build does not know: as their standard names after `AS` or `<`. */
const TYPE_ALIASES: Readonly<Record<string, string>> = {
  INT: "INT64",
  INTEGER: "INT64",
  BIGINT: "INT64",
  SMALLINT: "INT64",
  TINYINT: "INT64",
  BYTEINT: "INT64",
  DECIMAL: "NUMERIC",
  BIGDECIMAL: "BIGNUMERIC",
};

/**
 * A statement with BigQuery's type aliases (`CAST(x AS INT)`) spelled as standard types.
 *
 * @example standardTypes("SELECT CAST(x AS INT) AS y") // "SELECT CAST(x AS INT64) AS y"
 */
export function standardTypes(statement: string): string {
  let out = "";
  let previous = "";
  for (const token of tokenizeBigQuery(statement, "generated SQL")) {
    const alias = token.kind === "word" && (previous === "AS" || previous === "<" || previous === ",") ? TYPE_ALIASES[token.text.toUpperCase()] : undefined;
    out += alias ?? token.text;
    if (token.kind !== "space" && token.kind !== "comment") previous = token.text.toUpperCase();
  }
  return out;
}

/** One project's analysis state: the output tables written so far and the tables without a schema. */
class Session {
  readonly outputs = new Map<string, CatalogTable["columns"]>();
  readonly missing = new Map<string, Issue>();
  statements = 0;
  skipped = 0;

  constructor(
    readonly server: ZetaSqlServer,
    readonly schemas: SchemaCatalog,
  ) {}

  /** Analyzes one statement; undefined when a table it reads has no schema (then it is noted). */
  async analyze(written: string, origin: ConfigOrigin): Promise<Analysis | undefined> {
    const statement = standardTypes(written);
    const outputs: CatalogTable[] = [];
    const sources: { path: readonly string[]; fields: readonly BigQueryField[] }[] = [];
    const named = [...(await this.server.tableNames(statement))];
    // ZetaSQL's table-name extraction skips the table an ALTER TABLE names
    const altered = alteredName(statement);
    if (altered && !named.some((path) => sameName(path, altered))) named.push(altered);
    for (const path of named) {
      const canonical = canonicalTableName(path) ?? path.join(".");
      const output = this.outputs.get(canonical);
      if (output) {
        outputs.push({ path, columns: output });
        continue;
      }
      const schema = this.schemas.find(path);
      if (schema) sources.push({ path, fields: schema.fields });
      else if (!sameName(createdName(statement), path)) {
        if (!this.missing.has(canonical)) {
          const roots = `schemas/${canonical.split(".").join("/")}.json`;
          this.missing.set(canonical, { ...issue("no_schema", "", { table: canonical, roots }, { severity: "warning" }), file: origin.file });
        }
        this.skipped++;
        return undefined;
      }
    }
    this.statements++;
    const words = namedWords(statement);
    const catalog = (prune: boolean) =>
      zetaCatalog(
        [...outputs, ...sources.map((t) => ({ path: t.path, columns: catalogColumns(prune ? pruneFields(t.fields, words) : t.fields) }))],
        this.server.languageOptions,
      );
    let result = await this.server.analyze(statement, catalog(true));
    // the full schema gives ZetaSQL what it needs for "did you mean"
    if (!result.ok && sources.length > 0) result = await this.server.analyze(statement, catalog(false));
    const created = createdName(statement);
    if (result.ok && created && result.columns.length > 0) this.outputs.set(canonicalTableName(created) ?? created.join("."), result.columns);
    return result;
  }
}

const sameName = (a: readonly string[] | undefined, b: readonly string[]) =>
  a !== undefined && canonicalTableName(a) !== undefined && canonicalTableName(a) === canonicalTableName(b);

/** A config snippet that SQL is made of: what it is, its SQL, and the query proving it alone. */
interface Snippet {
  readonly what: string;
  readonly name: string;
  readonly sql: string;
  readonly query: string;
}

/** Every snippet of a project that reads a data source, with a query that reads it alone. */
function snippets(ctx: SqlContext): readonly Snippet[] {
  const { graph } = ctx;
  const alone = (dataSource: string, expr: string, aggregate: boolean) => {
    const src = dataSourceSql(ctx, dataSource);
    const group = aggregate && src.clientId !== undefined;
    return `SELECT ${group ? `${src.clientId} AS client_id, ` : ""}${expr} AS value FROM ${src.from}${group ? " GROUP BY 1" : ""}`;
  };
  const population = graph.population.dataSource;
  const out: Snippet[] = [];
  if (graph.population.branching.mode === "boolean_pref") {
    const sql = graph.population.branching.expression;
    out.push({ what: "population boolean pref", name: "booleanPref", sql, query: alone(population, sql, false) });
  }
  for (const dim of graph.population.dimensions) out.push({ what: `dimension ${dim.name}`, name: dim.name, sql: dim.select, query: alone(population, dim.select, false) });
  for (const probe of graph.probes) out.push({ what: `probe ${probe.name}`, name: probe.name, sql: probe.select, query: alone(probe.dataSource, probe.select, true) });
  const sources = new Set([population, ...graph.probes.map((p) => p.dataSource)]);
  for (const name of sources) {
    const ds = graph.dataSources[name];
    if (!ds) continue;
    const columns = [
      ["submission date column", ds.submissionDateColumn],
      ...(graph.xaxis === "build_id" ? [["build id column", ds.buildIdColumn]] : []),
      ...(ds.clientIdColumn.trim().toUpperCase() === "NULL" ? [] : [["client id column", ds.clientIdColumn]]),
    ] as const;
    for (const [what, sql] of columns) out.push({ what: `data source ${name} (${what})`, name, sql, query: alone(name, sql, false) });
  }
  return out;
}

/** The fix for a build-over-build project on a data source whose rows lack the default build id column. */
const BUILD_ID_HINT =
  "the x-axis is build_id, so the data source must name its build id column (buildIdColumn / build_id_column) when its table has no application.build_id";

/** The snippets a failing statement's error names (`Unrecognized name: x` names x), when exactly one holds it. */
function namedSnippet(message: string, all: readonly Snippet[]): Snippet | undefined {
  const name = /Unrecognized name: (\w+)|Field name (\w+) does not exist|Function not found: ([\w.]+)/.exec(message);
  const word = name?.[1] ?? name?.[2] ?? name?.[3];
  if (!word) return undefined;
  const holders = all.filter((s) => new RegExp(`(?<![\\w.])${word.replace(/\./g, "\\.")}(?![\\w])`).test(s.sql) || s.sql.includes(`.${word}`));
  return holders.length === 1 ? holders[0] : undefined;
}

/** Analyzes every statement of one project's day; the first rejected statement ends it (later ones read its output). */
async function analyzeProject(
  session: Session,
  configDir: string,
  project: ResolvedProject & { graph: ProjectGraph },
  date: string,
): Promise<SqlIssue[]> {
  const { graph, file } = project;
  const origin: ConfigOrigin = { file };
  const ctx = sqlContext(graph, date, { dialect: "bigquery", pretty: false });
  const all = snippets(ctx);
  const at = (s: Snippet, reason: string, hint?: string): SqlIssue => {
    const where = locateName(configDir, file, s.name);
    // a snippet written outside the project file (a platform definition) says which project failed on it
    const path = where.file === file ? s.what : `${s.what} (in project ${graph.slug})`;
    return { ...issue("sql_rejected", path, { engine: ENGINE, reason: `${reason} in "${shorten(s.sql)}"` }, { hint }), ...where, project: graph.slug };
  };
  const issues: SqlIssue[] = [];
  // a boolean pref is SAFE_CAST to BOOL in the query, which accepts any type: its own type is checked here
  const pref = all.find((s) => s.name === "booleanPref" && s.what.startsWith("population"));
  if (pref) {
    const result = await session.analyze(pref.query, origin);
    if (result?.ok && result.columns[0] && typeName(result.columns[0].type) !== "BOOL")
      issues.push(at(pref, `a boolean pref must be BOOL, but it gives ${typeName(result.columns[0].type)}`, "compare it, e.g. `x = 'true'`"));
    else if (result && !result.ok) issues.push(at(pref, result.message));
    if (issues.length) return issues;
  }
  let queries: readonly PlannedQuery[];
  try {
    queries = planDay(graph, date, { dialect: "bigquery", pretty: false });
  } catch (error) {
    return [{ ...issue("sql_rejected", "", { engine: ENGINE, reason: error instanceof Error ? error.message : String(error) }), file, project: graph.slug }];
  }
  for (const q of queries) {
    for (const statement of splitStatements(q.sql)) {
      const result = await session.analyze(statement, origin);
      if (result === undefined) return issues;
      if (!result.ok) return [...issues, await attribute(session, configDir, project, q.name, statement, result, all, at)];
      if (q.destination) {
        session.outputs.set(canonicalTableName(q.destination.parts) ?? q.destination.parts.join("."), result.columns);
        if (q.name === "metrics") issues.push(...probeTypes(graph, result.columns, all, at));
      }
    }
    if (issues.length) return issues;
  }
  return issues;
}

/** Scalar probes whose statistics need a number must give one (BigQuery will not cast BOOL or STRING to FLOAT64). */
function probeTypes(graph: ProjectGraph, columns: CatalogTable["columns"], all: readonly Snippet[], at: (s: Snippet, reason: string, hint?: string) => SqlIssue) {
  const issues: SqlIssue[] = [];
  for (const probe of graph.probes) {
    if (probe.type !== "scalar" || probe.statistics.length === 0) continue;
    const column = columns.find((c) => c.name === probe.name);
    const snippet = all.find((s) => s.what === `probe ${probe.name}`);
    if (!column || !snippet || NUMERIC_TYPES.has(typeKind(column.type))) continue;
    const statistic = probe.statistics[0]?.name ?? "";
    issues.push(at(snippet, `statistic ${statistic} needs a number, but the probe gives ${typeName(column.type)}`, "cast it, e.g. CAST(... AS INT64)"));
  }
  return issues;
}

/** Maps a rejected statement to the config snippet that made it: by the name in the error, else by analyzing each snippet alone. */
async function attribute(
  session: Session,
  configDir: string,
  project: ResolvedProject,
  query: string,
  statement: string,
  error: { message: string; line?: number; column?: number },
  all: readonly Snippet[],
  at: (s: Snippet, reason: string, hint?: string) => SqlIssue,
): Promise<SqlIssue> {
  const named = namedSnippet(error.message, all);
  if (named) return at(named, error.message, named.what.endsWith("(build id column)") ? BUILD_ID_HINT : undefined);
  for (const s of all) {
    const alone = await session.analyze(s.query, { file: project.file });
    if (alone && !alone.ok) return at(s, alone.message, s.what.endsWith("(build id column)") ? BUILD_ID_HINT : undefined);
  }
  return {
    ...issue("sql_rejected", `the ${query} query`, { engine: ENGINE, reason: `${error.message}${near(statement, error.line, error.column)}` }),
    file: project.file,
    project: project.slug,
  };
}

/**
 * Analyzes every BigQuery statement a run would send for each project's day (shared passes,
 * population, metrics, statistics, alerts, views, metadata) with ZetaSQL, against the sources'
 * schemas, Mozilla's UDF signatures and the project's own output tables as the statements create
 * them. Each rejection is mapped to the config snippet that made it.
 *
 * @example const report = await analyzeBigQuery(server, { configDir, projects, schemas: new SchemaCatalog(["schemas"]) });
 */
export async function analyzeBigQuery(server: ZetaSqlServer, input: BigQueryAnalysisInput): Promise<BigQueryAnalysis> {
  const runnable = input.projects.filter((p): p is ResolvedProject & { graph: ProjectGraph } => p.graph !== undefined && !p.graph.skip);
  // projects are independent (each creates the output tables it reads): while the server analyzes
  // one project's statement, this process renders and decodes another's
  const done = await pool(runnable, CONCURRENT_PROJECTS, async (project) => {
    const session = new Session(server, input.schemas);
    const date = input.date ?? defaultDay(project.graph);
    return { session, issues: await analyzeProject(session, input.configDir, project, date) };
  });
  const issues: SqlIssue[] = done.flatMap((d) => d.issues);
  const session = new Session(server, input.schemas);
  const sessions = [...done.map((d) => d.session), session];
  // scan sharing needs one day for every project: with --date, its passes are analyzed too, those of
  // the projects without errors (a pass holds its readers' snippets, already reported)
  const clean = runnable.filter((p) => !issues.some((i) => i.severity === "error" && i.project === p.graph.slug));
  const shared = input.date === undefined ? undefined : planSharedSources(clean.map((p) => p.graph), input.date, { dialect: "bigquery", pretty: false });
  // the spam clients and populations first: the passes read the tables they create
  for (const pass of shared ? [...shared.scratch, ...shared.passes] : []) {
    const readers = runnable.filter((p) => pass.readers.includes(p.graph.slug));
    for (const statement of splitStatements(pass.create.sql)) {
      const result = await session.analyze(statement, { file: readers[0]?.file ?? "" });
      if (result && !result.ok)
        issues.push({
          ...issue("sql_rejected", `the shared pass over ${pass.source}`, { engine: ENGINE, reason: `${result.message}${near(statement, result.line, result.column)}` }),
          file: readers[0]?.file ?? "",
        });
    }
  }
  // a table without a schema is named once, for the first project (in config order) that reads it
  const missing = new Map<string, Issue>();
  for (const s of sessions) for (const [table, warning] of s.missing) if (!missing.has(table)) missing.set(table, warning);
  return {
    issues: [...missing.values(), ...issues],
    statements: sessions.reduce((n, s) => n + s.statements, 0),
    skipped: sessions.reduce((n, s) => n + s.skipped, 0),
    tablesWithoutSchema: [...missing.keys()],
  };
}
