// The whole metric-hub corpus: import, resolve, and compile every project for both dialects.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import type { ProjectGraph } from "../../src/graph/project-graph.js";
import { resolveConfigDir } from "../../src/graph/resolve-config-dir.js";
import { planDay } from "../../src/sql/plan-day.js";
import { importToml, writeModules } from "../../src/toml/import-toml.js";
import type { BenchContext } from "./bench-table.js";
import { BENCH_DAY } from "./bench-warehouse.js";
import { fmt, measure, timed } from "./measure.js";

const ROOT = resolve(import.meta.dirname, "../..");

/**
 * Imports the vendored corpus, resolves it and compiles every project for both dialects, laid out and
 * not; adds the row `corpus compile / resolve`.
 *
 * @example await corpusCompile(ctx);
 */
export async function corpusCompile(ctx: BenchContext): Promise<void> {
  const corpus = join(ROOT, "test/fixtures/metric-hub");
  // inside the repository, so the imported modules' `import "opmon"` resolves to this package
  mkdirSync(join(ROOT, ".opmon"), { recursive: true });
  const out = mkdtempSync(join(ROOT, ".opmon", "bench-corpus-"));
  try {
    let modules = 0;
    const importing = await timed(async () => {
      const result = await importToml(corpus);
      modules = result.modules.length;
      writeModules(out, result.modules);
    });
    let graphs: ProjectGraph[] = [];
    const resolving = await timed(async () => {
      graphs = (await resolveConfigDir(out)).projects.flatMap((p) => (p.graph && !p.graph.skip ? [p.graph] : []));
    });
    let queries = 0;
    const compile = (pretty: boolean) =>
      measure(ctx.runs, async () => {
        queries = 0;
        for (const g of graphs)
          for (const dialect of ["bigquery", "duckdb"] as const) queries += planDay(g, g.startDate ?? BENCH_DAY, { dialect, pretty }).length;
      });
    const compiling = await compile(true);
    // what a DuckDB run plans: the same SQL without the formatter's layout
    const compilingCompact = await compile(false);
    ctx.results["corpus"] = { modules, projects: graphs.length, queries, importing, resolving, compiling, compilingCompact };
    ctx.rows.push({
      measure: "corpus compile / resolve",
      value: fmt(compiling / resolving),
      target: "-",
      detail: `${modules} modules imported in ${fmt(importing)} s, ${graphs.length} projects resolved in ${fmt(resolving)} s, ${queries} queries (2 dialects) in ${fmt(compiling)} s (${fmt((compiling / Math.max(1, queries)) * 1000)} ms each; ${fmt(compilingCompact)} s without layout)`,
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
