import type { DuckDBConnection } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";
import type { ProjectGraph } from "../../src/graph/project-graph.js";
import { gammaQuantile } from "../../src/stats/gamma-quantile.js";
import { demo, demoGraphs } from "../sql/demo-graphs.js";
import { countInterval, meanInterval, sumInterval } from "./independent.js";
import { harnessGraph, loadClients, statisticRows, type SimClient } from "./statistic-harness.js";

/** 50 clients per sim: sim 0 nobody had the event, sim 1 one client once, sim 2 two clients, sim 3 one client 3 times. */
const EVENTS: readonly (readonly number[])[] = [[], [1], [1, 1], [3]];
const clients: SimClient[] = EVENTS.flatMap((events, sim) =>
  Array.from({ length: 50 }, (_, i) => ({ sim, branch: "control", client: `c${i}`, x: events[i] ?? 0 })),
);

describe("rare events: counts, sums and means respect 0", () => {
  let connection: DuckDBConnection;
  let graph: ProjectGraph;
  beforeAll(async () => {
    graph = harnessGraph(demo(await demoGraphs(), "gc-tuning-experiment"));
    connection = await loadClients(clients);
  });

  it("an all-zero group gets [0, upper] with upper above 0 (Garwood's 3.69 events at 95%), never [0, 0]", async () => {
    const sum = await statisticRows(connection, graph, "x", { name: "sum" });
    const mean = await statisticRows(connection, graph, "x", { name: "mean" });
    const zero = sum.find((r) => r.sim === 0);
    expect(zero).toMatchObject({ point: 0, lower: 0 });
    expect(zero?.upper).toBeCloseTo(gammaQuantile(0.975, 1), 9);
    expect(zero?.upper).toBeGreaterThan(3.6);
    expect(mean.find((r) => r.sim === 0)?.upper).toBeCloseTo((zero?.upper ?? NaN) / 50, 9);
  });

  it("no bound below 0, every interval holds its point, and the SQL equals the TypeScript", async () => {
    for (const name of ["count", "sum", "mean"] as const) {
      const rows = await statisticRows(connection, graph, "x", { name });
      expect(rows.length).toBe(EVENTS.length);
      for (const r of rows) {
        const xs = clients.filter((c) => c.sim === r.sim).map((c) => c.x ?? 0);
        const expected = name === "count" ? countInterval(xs.length) : name === "sum" ? sumInterval(xs) : meanInterval(xs);
        expect(r.lower, `${name} sim ${r.sim}`).toBeGreaterThanOrEqual(0);
        expect(r.lower ?? NaN).toBeLessThanOrEqual(r.point ?? NaN);
        expect(r.upper ?? NaN).toBeGreaterThan(r.point ?? NaN);
        for (const key of ["lower", "upper"] as const) expect(r[key] ?? NaN).toBeCloseTo(expected[key] ?? NaN, 9);
      }
    }
  });

  it("one event: the sum's interval is Garwood's for 1 (about [0.025, 5.57]), not Hall's negative one", async () => {
    const one = (await statisticRows(connection, graph, "x", { name: "sum" })).find((r) => r.sim === 1);
    expect(one?.lower).toBeLessThan(0.03);
    expect(one?.upper).toBeGreaterThan(5.5);
  });
});

describe("gammaQuantile (Wilson-Hilferty)", () => {
  it("is near the exact χ²/2 quantiles used by Garwood's interval", () => {
    // exact: χ²(0.975, 2)/2 = 3.689, χ²(0.975, 4)/2 = 5.572, χ²(0.025, 20)/2 = 4.795, χ²(0.975, 22)/2 = 18.39
    expect(gammaQuantile(0.975, 1)).toBeCloseTo(3.689, 1);
    expect(gammaQuantile(0.975, 2)).toBeCloseTo(5.572, 1);
    expect(gammaQuantile(0.025, 10)).toBeCloseTo(4.795, 1);
    expect(gammaQuantile(0.975, 11)).toBeCloseTo(18.39, 1);
    expect(gammaQuantile(0.025, 0)).toBe(0);
  });
});
