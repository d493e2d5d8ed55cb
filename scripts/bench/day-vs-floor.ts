// A project's nightly day against the hand-written floors of the same work, and where its time goes.
import { DuckDbEngine } from "../../src/engines/duckdb/duckdb-engine.js";
import { daySteps } from "../../src/run/day-steps.js";
import type { BenchContext } from "./bench-table.js";
import { benchRun, forgetDay } from "./bench-run.js";
import { BENCH_DAY } from "./bench-warehouse.js";
import { floorMacros } from "./floor-statistics.js";
import { floorQuery } from "./floor-query.js";
import { fmt, measure, measurePair } from "./measure.js";
import { wholeDayFloorSql } from "./whole-day-floor.js";

/** Each step's share of the total, largest first: "statistics 52%, metrics 40%, ...". */
export function shares(steps: ReadonlyMap<string, number>): string {
  const total = [...steps.values()].reduce((a, b) => a + b, 0);
  return [...steps]
    .sort((a, b) => b[1] - a[1])
    .map(([step, s]) => `${step} ${((100 * s) / total).toFixed(0)}%`)
    .join(", ");
}

/**
 * The project's whole day (median seconds) against the whole-day floor (per-client rows, then the
 * statistics, written), the metrics step against the per-client floor, and each step's share of the
 * day; adds rows `run / whole-day floor` and `metrics step / per-client floor` for `size`.
 *
 * @example await dayVsFloor(ctx, engine, "M", 40_000);
 */
export async function dayVsFloor(ctx: BenchContext, engine: DuckDbEngine, size: string, clients: number): Promise<{ project: number }> {
  for (const sql of floorMacros()) await engine.execute(sql);
  const steps = new Map<string, number>();
  const [schema, clientsSql, statisticsSql] = wholeDayFloorSql(BENCH_DAY);
  await engine.execute(schema ?? "");
  // the run and the floor in turns, the ratio the median of each round's; each run writes the day
  // anew, as the night's run does (a re-run of a day already written also deletes its rows)
  const day = await measurePair(
    ctx.rounds,
    () => benchRun(engine, [ctx.graph], { steps }),
    async () => {
      await engine.execute(clientsSql ?? "");
      await engine.execute(statisticsSql ?? "");
    },
    () => forgetDay(engine, [ctx.graph]),
  );
  const [project, wholeDay] = [day.f, day.g];
  const rerun = await measure(ctx.runs, () => benchRun(engine, [ctx.graph]));
  const statistics = await measure(ctx.runs, () => engine.execute(statisticsSql ?? ""));
  const floor = await measure(ctx.runs, () => engine.execute(`CREATE OR REPLACE TABLE bench.floor AS ${floorQuery(BENCH_DAY)}`));
  const write = daySteps(ctx.graph, BENCH_DAY, { dialect: "duckdb", pretty: false }).steps.find((s) => s.kind === "write");
  const writeMetrics = async () => {
    if (write?.kind === "write") await engine.writePartition({ dataset: "bench", table: "metrics_only" }, BENCH_DAY, write.select);
  };
  await writeMetrics();
  const metricsOnly = await measure(ctx.runs, writeMetrics, async () => {
    await engine.execute(`DELETE FROM bench.metrics_only WHERE submission_date = DATE '${BENCH_DAY}'`);
    await engine.execute("CHECKPOINT");
  });
  ctx.results[`day_${size}`] = { clients, project, rerun, wholeDayFloor: wholeDay, floorStatistics: statistics, floor, metricsOnly, steps: Object.fromEntries(steps) };
  ctx.rows.push(
    {
      measure: `run / whole-day floor, ${size}`,
      value: fmt(day.ratio),
      target: size === "S" ? "-" : "<= 1.30",
      detail:
        `${clients} clients: whole day ${fmt(project)} s vs floor ${fmt(wholeDay)} s (statistics ${fmt(statistics)} s); ` +
        `the day run again over itself ${fmt(rerun)} s; steps: ${shares(steps)}`,
    },
    {
      measure: `metrics step / per-client floor, ${size}`,
      value: fmt(metricsOnly / floor),
      target: "-",
      detail: `${fmt(metricsOnly)} s vs ${fmt(floor)} s; the day / per-client floor ${fmt(project / floor)}`,
    },
  );
  return { project };
}
