import type { DuckDBConnection } from "@duckdb/node-api";
import { issue } from "../config/issue.js";
import { firstLine } from "../util/first-line.js";
import type { ProjectGraph } from "../graph/project-graph.js";
import type { ResolvedProject } from "../graph/resolve-config-dir.js";
import { duckDbCreateTable } from "../schemas/duckdb-ddl.js";
import { namedWords, pruneFields } from "../schemas/prune-fields.js";
import { canonicalTableName, type SchemaCatalog } from "../schemas/schema-catalog.js";
import { DuckDbEngine } from "../engines/duckdb/duckdb-engine.js";
import { daySteps } from "../run/day-steps.js";
import type { DayPlan } from "../run/day-plan.js";
import { tokenizeBigQuery, type Token } from "../sql/translate/tokenize-bigquery.js";
import { UntranslatableSqlError } from "../sql/translate/untranslatable-sql-error.js";
import { defaultDay, type SqlIssue } from "./analyze-bigquery.js";
import { locateName } from "./config-origin.js";

const ENGINE = "DuckDB";

/** What running the DuckDB SQL of some projects on empty tables found. */
export interface DuckDbPreparation {
  /** Each with the slug of the project it stops. */
  readonly issues: readonly SqlIssue[];
  /** Statements DuckDB ran. */
  readonly statements: number;
  /** Projects whose tables had no schema (not run). */
  readonly skipped: number;
}

/**
 * The tables a BigQuery FROM clause names (`FROM a.b.c`, `` JOIN `p.d.t` ``, dashed projects), in
 * canonical form; CTE names and UNNEST are not tables.
 *
 * @example tablesNamed("(SELECT * FROM mozdata.telemetry.main JOIN `moz-fx-data-shared-prod.x.y` USING (id))") // ["mozdata.telemetry.main", "moz-fx-data-shared-prod.x.y"]
 */
export function tablesNamed(sql: string): readonly string[] {
  // spaces end a name, so they are kept; comments are not
  const tokens = tokenizeBigQuery(sql, "from expression").filter((t) => t.kind !== "comment");
  const names = new Set<string>();
  const isName = (t: Token | undefined) => t !== undefined && (t.kind === "word" || t.kind === "quoted" || t.kind === "number" || t.text === "-");
  const skipSpace = (j: number) => (tokens[j]?.kind === "space" ? j + 1 : j);
  for (let i = 0; i < tokens.length; i++) {
    const word = tokens[i]?.text.toUpperCase();
    if (tokens[i]?.kind !== "word" || (word !== "FROM" && word !== "JOIN")) continue;
    const parts: string[] = [];
    let part = "";
    let j = skipSpace(i + 1);
    for (; isName(tokens[j]) || tokens[j]?.text === "."; j++) {
      const t = tokens[j] as Token;
      if (t.text === ".") {
        parts.push(part);
        part = "";
      } else part += t.kind === "quoted" ? t.value : t.text;
    }
    parts.push(part);
    const canonical = tokens[skipSpace(j)]?.text === "(" ? undefined : canonicalTableName(parts);
    if (canonical) names.add(canonical);
  }
  return [...names];
}

/** Creates the empty source tables a project reads, with the columns the SQL names; the names without a schema. */
async function createSources(connection: DuckDBConnection, graph: ProjectGraph, schemas: SchemaCatalog, created: Set<string>, words: ReadonlySet<string>) {
  const missing: string[] = [];
  for (const ds of Object.values(graph.dataSources)) {
    for (const name of tablesNamed(`SELECT 1 FROM ${ds.from}`)) {
      if (created.has(name)) continue;
      const schema = schemas.find(name);
      if (!schema) {
        missing.push(name);
        continue;
      }
      const project = name.split(".")[0] ?? "";
      if (!created.has(project)) {
        await connection.run(`ATTACH IF NOT EXISTS ':memory:' AS "${project.replaceAll('"', '""')}"`);
        created.add(project);
      }
      // thousands of nested telemetry columns cost seconds to create and bind, and the SQL names few
      for (const sql of duckDbCreateTable({ ...schema, name, fields: pruneFields(schema.fields, words) })) await connection.run(sql);
      created.add(name);
    }
  }
  return missing;
}

/** A step DuckDB rejected: at the probe or dimension whose expression it pointed at or named, when it did. */
function stepIssue(configDir: string, project: ResolvedProject & { graph: ProjectGraph }, step: string, error: unknown): SqlIssue {
  // DuckDB's caret names the output column; without one, a quoted name in the message held by one snippet
  const quoted = [...firstLine(error).matchAll(/"([^"]+)"/g)].map((m) => m[1] ?? "");
  const holders = [...project.graph.probes.map((p) => ({ name: p.name, sql: p.select })), ...project.graph.population.dimensions.map((d) => ({ name: d.name, sql: d.select }))].filter(
    (s) => quoted.some((q) => q && s.sql.includes(q)),
  );
  const column = (error as { column?: string }).column ?? (holders.length === 1 ? holders[0]?.name : undefined);
  const kind = project.graph.probes.some((p) => p.name === column) ? "probe" : project.graph.population.dimensions.some((d) => d.name === column) ? "dimension" : undefined;
  const reason = { engine: ENGINE, reason: firstLine(error) };
  const slug = project.graph.slug;
  if (!kind || !column) return { ...issue("sql_rejected", `the ${step} query`, reason), file: project.file, project: slug };
  const where = locateName(configDir, project.file, column);
  const path = `${kind} ${column}${where.file === project.file ? "" : ` (in project ${slug})`}`;
  return { ...issue("sql_rejected", path, reason), ...where, project: slug };
}

/**
 * Runs every DuckDB step of each project's day, as `opmon run` would, on an in-memory warehouse
 * whose source tables are created empty from their BigQuery schemas: a translation DuckDB rejects is
 * an error naming the query and the config snippet, never a failed nightly run.
 *
 * @example const report = await prepareDuckDb({ configDir, projects, schemas });
 */
export async function prepareDuckDb(input: {
  readonly configDir: string;
  readonly projects: readonly ResolvedProject[];
  readonly schemas: SchemaCatalog;
  readonly date?: string;
}): Promise<DuckDbPreparation> {
  const engine = await DuckDbEngine.open(":memory:");
  const issues: SqlIssue[] = [];
  let statements = 0;
  let skipped = 0;
  try {
    const created = new Set<string>(["mozdata"]);
    const planned: { project: ResolvedProject & { graph: ProjectGraph }; date: string; plan: DayPlan }[] = [];
    for (const project of input.projects) {
      const { graph, file } = project;
      if (!graph || graph.skip) continue;
      const date = input.date ?? defaultDay(graph);
      try {
        planned.push({ project: { ...project, graph }, date, plan: daySteps(graph, date, { dialect: "duckdb", pretty: false }) });
      } catch (error) {
        if (!(error instanceof UntranslatableSqlError)) throw error;
        const name = /^(?:probe|dimension|data source) (\S+)/.exec(error.origin)?.[1];
        const where = name ? locateName(input.configDir, file, name) : { file };
        issues.push({ ...issue("sql_rejected", error.origin, { engine: ENGINE, reason: `cannot translate ${error.construct} from BigQuery SQL` }), ...where, project: graph.slug });
      }
    }
    const words = namedWords(planned.flatMap(({ plan }) => plan.steps.map((s) => (s.kind === "write" ? s.select : s.sql))).join("\n"));
    for (const { project, date, plan } of planned) {
      const { graph, file } = project;
      if ((await createSources(engine.raw, graph, input.schemas, created, words)).length > 0) {
        skipped++;
        continue;
      }
      for (const step of plan.steps) {
        try {
          statements++;
          if (step.kind === "write") {
            const [dataset = "", table = ""] = step.table.slice(-2);
            await engine.writePartition({ dataset, table }, date, step.select, step.label);
          } else await engine.execute(step.sql, step.label);
        } catch (error) {
          issues.push(stepIssue(input.configDir, project, step.label, error));
          break;
        }
      }
    }
  } finally {
    await engine.close();
  }
  return { issues, statements, skipped };
}
