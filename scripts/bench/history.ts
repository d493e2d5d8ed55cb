// Incremental cost: day 60 of a project against its day 1, on a warehouse holding 60 days.
import { DuckDbEngine } from "../../src/engines/duckdb/duckdb-engine.js";
import type { BenchContext } from "./bench-table.js";
import { benchRun } from "./bench-run.js";
import { BENCH_DAY, benchWarehouse, firstDay } from "./bench-warehouse.js";
import { fmt, measure, timed } from "./measure.js";

/**
 * Backfills 60 days of 3,000 clients, then times day 1 and day 60 again; adds the row `day 60 / day 1`.
 *
 * @example await history(ctx, workDir);
 */
export async function history(ctx: BenchContext, dir: string, cache?: string): Promise<void> {
  const engine = await DuckDbEngine.open(await benchWarehouse({ name: "history", clients: 3_000, days: 60, dir, ...(cache ? { cache } : {}) }));
  try {
    const first = firstDay(60);
    const all = Array.from({ length: 60 }, (_, i) => new Date(Date.parse(first) + i * 86_400_000).toISOString().slice(0, 10));
    const backfill = await timed(() => benchRun(engine, [ctx.graph], { dates: all }));
    const day1 = await measure(ctx.runs, () => benchRun(engine, [ctx.graph], { dates: [first] }));
    const day60 = await measure(ctx.runs, () => benchRun(engine, [ctx.graph], { dates: [BENCH_DAY] }));
    ctx.results["history"] = { backfill, day1, day60 };
    ctx.rows.push({
      measure: "day 60 / day 1",
      value: fmt(day60 / day1),
      target: "<= 1.10",
      detail: `${fmt(day60)} s vs ${fmt(day1)} s (60-day backfill ${fmt(backfill)} s)`,
    });
  } finally {
    await engine.close();
  }
}
