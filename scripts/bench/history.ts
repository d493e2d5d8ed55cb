// Incremental cost: day 60 of a project against its day 1, on a warehouse holding 60 days.
import { DuckDbEngine } from "../../src/engines/duckdb/duckdb-engine.js";
import type { BenchContext } from "./bench-table.js";
import { benchRun } from "./bench-run.js";
import { BENCH_DAY, benchWarehouse, firstDay } from "./bench-warehouse.js";
import { fmt, measurePair, timed } from "./measure.js";

/**
 * Backfills 60 days of 3,000 clients, then times day 60 and day 1 again, in turns; adds the row
 * `day 60 / day 1`, with the steps that grew most from day 1 to day 60 (what grows with history).
 *
 * @example await history(ctx, workDir);
 */
export async function history(ctx: BenchContext, dir: string, cache?: string): Promise<void> {
  const engine = await DuckDbEngine.open(await benchWarehouse({ name: "history", clients: 3_000, days: 60, dir, ...(cache ? { cache } : {}) }));
  try {
    const first = firstDay(60);
    const all = Array.from({ length: 60 }, (_, i) => new Date(Date.parse(first) + i * 86_400_000).toISOString().slice(0, 10));
    const backfill = await timed(() => benchRun(engine, [ctx.graph], { dates: all }));
    const steps = { day1: new Map<string, number>(), day60: new Map<string, number>() };
    const pair = await measurePair(
      ctx.rounds,
      () => benchRun(engine, [ctx.graph], { dates: [BENCH_DAY], steps: steps.day60 }),
      () => benchRun(engine, [ctx.graph], { dates: [first], steps: steps.day1 }),
    );
    const growth = [...steps.day60]
      .map(([step, s]) => [step, (s - (steps.day1.get(step) ?? 0)) / (ctx.rounds + 1)] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3);
    ctx.results["history"] = { backfill, day1: pair.g, day60: pair.f, ratio: pair.ratio, growth: Object.fromEntries(growth) };
    ctx.rows.push({
      measure: "day 60 / day 1",
      value: fmt(pair.ratio),
      target: "<= 1.10",
      detail:
        `${fmt(pair.f)} s vs ${fmt(pair.g)} s, in turns (60-day backfill ${fmt(backfill)} s); ` +
        `day 60 − day 1 per step: ${growth.map(([step, s]) => `${step} ${s >= 0 ? "+" : ""}${fmt(s)} s`).join(", ")}`,
    });
  } finally {
    await engine.close();
  }
}
