// `tsx scripts/bench/analyze-corpus.ts [config|all]`: how long `opmon validate`'s SQL proof takes on
// the whole metric-hub corpus (test/fixtures/metric-hub) against the vendored real schemas: the
// ZetaSQL server's start, the BigQuery analysis (scope `config`: population and metrics; `all`: every
// statement), and the DuckDB runs on empty tables. Prints seconds and counts; the goal is under 30 s
// on 2 cores for the whole proof.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { analyzeBigQuery } from "../../src/analyze/analyze-bigquery.js";
import { prepareDuckDb } from "../../src/analyze/prepare-duckdb.js";
import { ZETASQL_MISSING_HINT, ZetaSqlServer } from "../../src/analyze/zetasql-server.js";
import { resolveConfigDir } from "../../src/graph/resolve-config-dir.js";
import { SchemaCatalog } from "../../src/schemas/schema-catalog.js";
import { importToml, writeModules } from "../../src/toml/import-toml.js";

const ROOT = resolve(import.meta.dirname, "../..");
const scope = process.argv[2] === "config" ? "config" : "all";
const seconds = (t: number) => ((performance.now() - t) / 1000).toFixed(1);

mkdirSync(join(ROOT, ".opmon"), { recursive: true });
const out = mkdtempSync(join(ROOT, ".opmon", "bench-analyze-"));
try {
  writeModules(out, (await importToml(join(ROOT, "test", "fixtures", "metric-hub"))).modules);
  const projects = (await resolveConfigDir(out)).projects.filter((p) => p.graph && !p.graph.skip);
  const schemas = new SchemaCatalog([join(ROOT, "test", "fixtures", "schemas")]);
  let t = performance.now();
  const server = await ZetaSqlServer.start();
  if (!server) throw new Error(ZETASQL_MISSING_HINT);
  const starting = seconds(t);
  try {
    t = performance.now();
    const bigquery = await analyzeBigQuery(server, { configDir: out, projects, schemas, scope });
    const analyzing = seconds(t);
    t = performance.now();
    const duckdb = await prepareDuckDb({ configDir: out, projects, schemas });
    const preparing = seconds(t);
    console.log(`${projects.length} running corpus projects`);
    console.log(`ZetaSQL server start: ${starting} s`);
    console.log(`BigQuery analysis (${scope}): ${bigquery.statements} statements in ${analyzing} s, ${bigquery.issues.length} issue(s)`);
    console.log(`DuckDB on empty tables: ${duckdb.statements} steps in ${preparing} s, ${duckdb.issues.length} issue(s)`);
  } finally {
    server.stop();
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
