// The nightly run as the bench times it: `runProjects` on DuckDB with scan sharing, failing loudly.
import type { Engine } from "../../src/engines/engine.js";
import type { ProjectGraph } from "../../src/graph/project-graph.js";
import { daySteps, sharedDay } from "../../src/run/day-steps.js";
import { runProjects, type RunSummary } from "../../src/run/run-projects.js";
import { projectTables } from "../../src/sql/project-tables.js";
import { sqlContext } from "../../src/sql/sql-context.js";
import { duckdb } from "../../src/sql/dialects/duckdb.js";
import { BENCH_DAY } from "./bench-warehouse.js";

/** Options of {@link benchRun}. */
export interface BenchRunOptions {
  readonly dates?: readonly string[];
  /** Scan sharing across projects (on unless false). */
  readonly share?: boolean;
  /** Adds each step's seconds here, by step name (`metrics`, `statistics`, ...; shared passes as `shared`). */
  readonly steps?: Map<string, number>;
}

/**
 * Runs `graphs` for the bench day (or `dates`) as `opmon run` does on DuckDB; throws on a failed project.
 *
 * @example const steps = new Map<string, number>(); await benchRun(engine, [graph], { steps });
 */
export async function benchRun(engine: Engine, graphs: readonly ProjectGraph[], options: BenchRunOptions = {}): Promise<RunSummary> {
  const dates = options.dates ?? [BENCH_DAY];
  const summary = await runProjects({
    engine,
    projects: graphs,
    dates: () => dates,
    plan: (g, d) => daySteps(g, d, { dialect: "duckdb", pretty: false }),
    ...(options.share === false ? {} : { share: (gs: readonly ProjectGraph[], d: string) => sharedDay(gs, d, { dialect: "duckdb", pretty: false }) }),
    parallelism: 4,
    reporter: {
      stepDone: (slug, _date, step, seconds) => {
        const name = slug === "shared" ? "shared" : step;
        options.steps?.set(name, (options.steps.get(name) ?? 0) + seconds);
      },
    },
  });
  const failed = summary.outcomes.filter((o) => o.status === "failed");
  if (failed.length) throw new Error(`bench run failed: ${JSON.stringify(failed[0]?.failures)}`);
  return summary;
}

/**
 * Removes `date`'s rows from the tables of `graphs` and checkpoints, so that the next run writes that
 * day as a nightly run writes a new one: timing runs of one day back to back would otherwise time a
 * re-run, which also deletes the day's rows it wrote before.
 *
 * @example await measure(3, () => benchRun(engine, [graph]), () => forgetDay(engine, [graph]));
 */
export async function forgetDay(engine: Engine, graphs: readonly ProjectGraph[], date = BENCH_DAY): Promise<void> {
  const existing = new Set((await engine.query("SELECT schema_name || '.' || table_name AS name FROM duckdb_tables()")).map((r) => String(r["name"])));
  for (const graph of graphs) {
    const tables = projectTables(sqlContext(graph, date, { dialect: "duckdb" }));
    for (const table of [tables.metrics, tables.statistics, tables.comparisons, tables.alerts])
      if (existing.has(table.join("."))) await engine.execute(`DELETE FROM ${duckdb.table(table)} WHERE submission_date = ${duckdb.date(date)}`, "bench");
  }
  await engine.execute("CHECKPOINT", "bench");
}
