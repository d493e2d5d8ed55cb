// Scan sharing priced against the same work by hand: ten projects with ten different populations on
// one data source against the ten-project floor.
import type { DuckDbEngine } from "../../src/engines/duckdb/duckdb-engine.js";
import type { BenchContext } from "./bench-table.js";
import { benchRun, forgetDay } from "./bench-run.js";
import { BENCH_DAY } from "./bench-warehouse.js";
import { shares } from "./day-vs-floor.js";
import { fmt, measure, measurePair } from "./measure.js";
import { populationCondition, tenPopulations } from "./ten-populations.js";
import { tenProjectFloorSql } from "./whole-day-floor.js";

/**
 * Ten projects' day, with and without shared passes, against the ten-project floor (one pass for the
 * union of the populations, then each one's per-client and statistics tables); `project` is the
 * day of one project on the same warehouse. Adds the row `ten projects / ten-project floor`.
 *
 * @example await tenProjects(ctx, engine, "M", project);
 */
export async function tenProjects(ctx: BenchContext, engine: DuckDbEngine, size: string, project: number): Promise<void> {
  const graphs = tenPopulations(ctx.graph);
  const steps = new Map<string, number>();
  const forget = () => forgetDay(engine, graphs);
  const floorSql = tenProjectFloorSql(
    BENCH_DAY,
    graphs.map((_, i) => populationCondition(i)),
  );
  // in turns with the floor, as the one project's day
  const pair = await measurePair(
    ctx.rounds,
    () => benchRun(engine, graphs, { steps }),
    async () => {
      for (const sql of floorSql) await engine.execute(sql);
    },
    forget,
  );
  const [ten, floor] = [pair.f, pair.g];
  const alone = await measure(ctx.runs, () => benchRun(engine, graphs, { share: false }), forget);
  ctx.results["ten_projects"] = { size, project, ten, tenWithoutSharing: alone, floor, steps: Object.fromEntries(steps) };
  ctx.rows.push({
    measure: `ten projects / ten-project floor, ${size}`,
    value: fmt(pair.ratio),
    target: "<= 1.30",
    detail:
      `${fmt(ten)} s vs ${fmt(floor)} s (without shared passes ${fmt(alone)} s; one project ${fmt(project)} s, ten = ${fmt(ten / project)}x); ` +
      `steps: ${shares(steps)}`,
  });
}
