// The bench prices the nightly run against hand-written floors; a floor is only a floor if it does
// the same work. These tests hold the floors to opmon's own results on generated data: the same
// clients, the same statistics with the same intervals.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syntheticTelemetrySql } from "../../src/demo/synthetic-telemetry.js";
import { DuckDbEngine } from "../../src/engines/duckdb/duckdb-engine.js";
import type { ProjectGraph } from "../../src/graph/project-graph.js";
import { resolveConfigDir } from "../../src/graph/resolve-config-dir.js";
import { benchRun } from "../../scripts/bench/bench-run.js";
import { BENCH_DAY } from "../../scripts/bench/bench-warehouse.js";
import { floorMacros } from "../../scripts/bench/floor-statistics.js";
import { populationCondition, tenPopulations } from "../../scripts/bench/ten-populations.js";
import { tenProjectFloorSql, wholeDayFloorSql } from "../../scripts/bench/whole-day-floor.js";
import { ROOT } from "../helpers/cli.js";

let engine: DuckDbEngine;
let graph: ProjectGraph;
beforeAll(async () => {
  const { projects } = await resolveConfigDir(ROOT);
  const found = projects.find((p) => p.slug === "tab-unloading-rollout")?.graph;
  if (!found) throw new Error("tab-unloading-rollout does not resolve");
  graph = found;
  engine = await DuckDbEngine.open(":memory:");
  for (const sql of syntheticTelemetrySql({ clients: 1500, startDate: BENCH_DAY, endDate: BENCH_DAY })) await engine.execute(sql);
  for (const sql of floorMacros()) await engine.execute(sql);
}, 60_000);
afterAll(() => engine?.close());

type Row = Record<string, unknown>;
const key = (r: Row) => [r["os"], r["cores"], r["branch"], r["metric"], r["statistic"], r["parameter"]].map(String).join("|");
const num = (x: unknown) => (x === null || x === undefined ? null : Number(x));

/** opmon's statistics of a project (the long view, branches only) against a floor table, value by value. */
async function expectSameStatistics(tableSlug: string, floorTable: string) {
  const opmon = await engine.query(
    `SELECT os, cores, branch, metric, statistic, CAST(CAST(parameter AS INTEGER) AS VARCHAR) AS parameter, point, lower, upper, clients
     FROM operational_monitoring.${tableSlug}_statistics WHERE submission_date = DATE '${BENCH_DAY}'`,
  );
  const floor = await engine.query(`SELECT * FROM ${floorTable}`);
  expect(floor.length).toBeGreaterThan(40);
  expect(floor.map(key).sort()).toEqual(opmon.map(key).sort());
  const byKey = new Map(opmon.map((r) => [key(r), r]));
  let bounds = 0;
  for (const f of floor) {
    const o = byKey.get(key(f)) ?? {};
    for (const column of ["point", "lower", "upper", "clients"]) {
      const [a, b] = [num(f[column]), num(o[column])];
      if (a === null || b === null) expect([key(f), column, a]).toEqual([key(f), column, b]);
      else {
        expect(Math.abs(a - b), `${key(f)} ${column}: floor ${a}, opmon ${b}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));
        if (column !== "point" && column !== "clients") bounds++;
      }
    }
  }
  // the comparison must have compared intervals, not just NULLs
  expect(bounds).toBeGreaterThan(floor.length);
}

describe("the bench's floors", () => {
  it("the whole-day floor computes opmon's statistics of tab-unloading-rollout, intervals included", async () => {
    await benchRun(engine, [graph]);
    for (const sql of wholeDayFloorSql(BENCH_DAY)) await engine.execute(sql);
    const [opmonClients] = await engine.query(`SELECT count(*) AS n FROM operational_monitoring.tab_unloading_rollout`);
    const [floorClients] = await engine.query("SELECT count(*) AS n FROM bench.floor_clients");
    expect(floorClients?.["n"]).toEqual(opmonClients?.["n"]);
    await expectSameStatistics("tab_unloading_rollout", "bench.floor_statistics");
  }, 120_000);

  it("ten populations are ten different halves of the clients, and the ten-project floor does each one's work", async () => {
    // three of the ten run (the floor does all ten): enough to see different populations, and quicker
    const graphs = tenPopulations(graph);
    await benchRun(engine, [0, 3, 9].map((i) => graphs[i] as ProjectGraph));
    for (const sql of tenProjectFloorSql(BENCH_DAY, graphs.map((_, i) => populationCondition(i)))) await engine.execute(sql);
    const sizes: number[] = [];
    for (const i of [0, 3, 9]) {
      const [n] = await engine.query(`SELECT count(*) AS n FROM operational_monitoring.bench_pop_${i}`);
      sizes.push(Number(n?.["n"]));
      await expectSameStatistics(`bench_pop_${i}`, `bench.floor_statistics_${i}`);
    }
    const [all] = await engine.query(`SELECT count(*) AS n FROM operational_monitoring.tab_unloading_rollout`);
    for (const n of sizes) expect(n / Number(all?.["n"])).toBeGreaterThan(0.35);
    for (const n of sizes) expect(n / Number(all?.["n"])).toBeLessThan(0.65);
    const [overlap] = await engine.query(
      `SELECT count(*) AS n FROM operational_monitoring.bench_pop_0 JOIN operational_monitoring.bench_pop_9 USING (client_id)`,
    );
    expect(Number(overlap?.["n"])).toBeLessThan(Math.min(...sizes));
  }, 180_000);
});
