// How long `opmon validate`'s SQL proof takes on the whole metric-hub corpus (test/fixtures/metric-hub)
// against the vendored real schemas: the ZetaSQL server's start, the BigQuery analysis of every
// statement, and the DuckDB runs on empty tables. Alone: `tsx scripts/bench/analyze-corpus.ts [config|all]`.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { analyzeBigQuery } from "../../src/analyze/analyze-bigquery.js";
import { prepareDuckDb } from "../../src/analyze/prepare-duckdb.js";
import { ZETASQL_MISSING_HINT, ZetaSqlServer } from "../../src/analyze/zetasql-server.js";
import { resolveConfigDir } from "../../src/graph/resolve-config-dir.js";
import { SchemaCatalog } from "../../src/schemas/schema-catalog.js";
import { importToml, writeModules } from "../../src/toml/import-toml.js";
import type { BenchContext } from "./bench-table.js";
import { fmt, log, timed } from "./measure.js";

const ROOT = resolve(import.meta.dirname, "../..");

/**
 * Imports the corpus, then times its SQL proof; adds the row `corpus SQL proof` (goal: under 30 s on 2 cores).
 * `scope` `config` analyzes the population and metrics statements only, `all` every statement.
 *
 * @example await analyzeCorpus(ctx, "all");
 */
export async function analyzeCorpus(ctx: Pick<BenchContext, "rows" | "results">, scope: "config" | "all" = "all"): Promise<void> {
  // inside the repository, so the imported modules' `import "opmon"` resolves to this package
  mkdirSync(join(ROOT, ".opmon"), { recursive: true });
  const out = mkdtempSync(join(ROOT, ".opmon", "bench-analyze-"));
  try {
    writeModules(out, (await importToml(join(ROOT, "test", "fixtures", "metric-hub"))).modules);
    const projects = (await resolveConfigDir(out)).projects.filter((p) => p.graph && !p.graph.skip);
    const schemas = new SchemaCatalog([join(ROOT, "test", "fixtures", "schemas")]);
    let server: ZetaSqlServer | undefined;
    const starting = await timed(async () => (server = await ZetaSqlServer.start()));
    if (!server) throw new Error(ZETASQL_MISSING_HINT);
    const running = server;
    try {
      let statements = 0;
      let steps = 0;
      const analyzing = await timed(async () => {
        statements = (await analyzeBigQuery(running, { configDir: out, projects, schemas, scope })).statements;
      });
      const preparing = await timed(async () => {
        steps = (await prepareDuckDb({ configDir: out, projects, schemas })).statements;
      });
      const total = starting + analyzing + preparing;
      ctx.results["corpus_sql_proof"] = { projects: projects.length, scope, statements, steps, starting, analyzing, preparing };
      ctx.rows.push({
        measure: `corpus SQL proof (${scope})`,
        value: `${fmt(total)} s`,
        target: "< 30 s",
        detail: `${projects.length} projects: server start ${fmt(starting)} s, ZetaSQL ${statements} statements ${fmt(analyzing)} s, DuckDB ${steps} steps ${fmt(preparing)} s`,
      });
      log(`  corpus SQL proof: ${fmt(total)} s`);
    } finally {
      running.stop();
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const ctx: Pick<BenchContext, "rows" | "results"> = { rows: [], results: {} };
  await analyzeCorpus(ctx, process.argv[2] === "config" ? "config" : "all");
  for (const row of ctx.rows) console.log(`${row.measure}: ${row.value} (${row.detail})`);
}
