// How long `opmon validate`'s SQL proof takes on the whole metric-hub corpus (test/fixtures/metric-hub)
// against the vendored real schemas: the ZetaSQL server's start and its analysis of every BigQuery
// statement, with the DuckDB runs on empty tables alongside, as validate does. Alone: `tsx scripts/bench/analyze-corpus.ts`.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { checkSql } from "../../src/analyze/check-sql.js";
import { resolveConfigDir } from "../../src/graph/resolve-config-dir.js";
import { SchemaCatalog } from "../../src/schemas/schema-catalog.js";
import { importToml, writeModules } from "../../src/toml/import-toml.js";
import type { BenchContext } from "./bench-table.js";
import { fmt, log, timed } from "./measure.js";

const ROOT = resolve(import.meta.dirname, "../..");

/**
 * Imports the corpus, then times its SQL proof; adds the row `corpus SQL proof` (goal: under 30 s on 2 cores).
 *
 * @example await analyzeCorpus(ctx);
 */
export async function analyzeCorpus(ctx: Pick<BenchContext, "rows" | "results">): Promise<void> {
  // inside the repository, so the imported modules' `import "opmon"` resolves to this package
  mkdirSync(join(ROOT, ".opmon"), { recursive: true });
  const out = mkdtempSync(join(ROOT, ".opmon", "bench-analyze-"));
  try {
    writeModules(out, (await importToml(join(ROOT, "test", "fixtures", "metric-hub"))).modules);
    const projects = (await resolveConfigDir(out)).projects.filter((p) => p.graph && !p.graph.skip);
    const schemas = new SchemaCatalog([join(ROOT, "test", "fixtures", "schemas")]);
    let summaries: readonly string[] = [];
    let rejected: readonly string[] = [];
    const proving = await timed(async () => {
      const check = await checkSql({ configDir: out, projects, schemas });
      if (check.hint) throw new Error(check.hint);
      summaries = check.summaries;
      rejected = [...new Set(check.issues.filter((i) => i.severity === "error").map((i) => i.file ?? ""))];
    });
    ctx.results["corpus_sql_proof"] = { projects: projects.length, seconds: proving, summaries, rejected };
    ctx.rows.push({
      measure: "corpus SQL proof",
      value: `${fmt(proving)} s`,
      target: "< 30 s",
      // one corpus project is rejected by BigQuery too (a build id default its table lacks): test/analyze/real-schemas.test.ts
      detail: `${projects.length} projects, ZetaSQL and DuckDB at once; ${summaries.join("; ")}; rejected: ${rejected.join(", ") || "none"}`,
    });
    log(`  corpus SQL proof: ${fmt(proving)} s`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const ctx: Pick<BenchContext, "rows" | "results"> = { rows: [], results: {} };
  await analyzeCorpus(ctx);
  for (const row of ctx.rows) console.log(`${row.measure}: ${row.value} (${row.detail})`);
}
