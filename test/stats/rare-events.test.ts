import type { DuckDBConnection } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";
import type { ProjectGraph } from "../../src/graph/project-graph.js";
import { gammaQuantile } from "../../src/stats/gamma-quantile.js";
import { demo, demoGraphs } from "../sql/demo-graphs.js";
import { poissonCoverageFloor } from "../../scripts/eval-stats/coverage-floor.js";
import { countInterval, meanInterval, ratioInterval, sumInterval } from "./independent.js";
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

  it("one event: the sum's interval is the Poisson one for 1 (Jeffreys' lower about 0.1, Garwood's upper 5.57), not Hall's negative one", async () => {
    const one = (await statisticRows(connection, graph, "x", { name: "sum" })).find((r) => r.sim === 1);
    expect(one?.lower).toBeGreaterThan(0.05);
    expect(one?.lower).toBeLessThan(0.15);
    expect(one?.upper).toBeGreaterThan(5.5);
  });
});

/** P(K = k), K ~ Poisson(lambda). */
const poissonPmf = (k: number, lambda: number) => Math.exp(-lambda + k * Math.log(lambda) - lnFactorial(k));
const lnFactorial = (k: number): number => (k < 2 ? 0 : Math.log(k) + lnFactorial(k - 1));

describe("rare events: exact coverage of sum, mean and total_ratio at a Poisson total", () => {
  // one data set per total k of events among `clients` (k clients with one event each); the coverage at
  // rate λ·clients is then Σ P(K = k) over the k whose interval holds the truth: exact, no simulation
  const coverage = async (clients: number, rate: number) => {
    const maxK = 40;
    const data: SimClient[] = Array.from({ length: maxK + 1 }, (_, k) =>
      Array.from({ length: clients }, (_, i) => ({ sim: k, branch: "control", client: `c${i}`, x: i < k ? 1 : 0, y: 1 })),
    ).flat();
    const connection = await loadClients(data);
    const graph = harnessGraph(demo(await demoGraphs(), "gc-tuning-experiment"));
    const lambda = rate * clients;
    const result: { [statistic: string]: number } = {};
    const statistics = [
      [{ name: "sum" }, lambda],
      [{ name: "mean" }, rate],
      [{ name: "total_ratio", denominator: "y" }, rate],
    ] as const;
    for (const [statistic, truth] of statistics) {
      const rows = await statisticRows(connection, graph, "x", statistic);
      expect(rows.length).toBe(maxK + 1);
      if (statistic.name === "total_ratio") {
        for (const r of rows) {
          const expected = ratioInterval(data.filter((c) => c.sim === r.sim).map((c) => [c.x ?? 0, c.y ?? 0] as const));
          for (const key of ["lower", "upper"] as const) expect(r[key] ?? NaN, `k = ${r.sim}`).toBeCloseTo(expected[key] ?? NaN, 9);
        }
      }
      result[statistic.name] = rows
        .filter((r) => (r.lower ?? Infinity) <= truth && truth <= (r.upper ?? -Infinity))
        .reduce((p, r) => p + poissonPmf(r.sim, lambda), 0);
    }
    return result;
  };

  it("three expected events (0.01 a client, 300 clients): 95-97%, where Garwood's exact interval or a hull with Hall's holds 99%", async () => {
    const { sum, mean, total_ratio } = await coverage(300, 0.01);
    // only k >= 7 misses: 1 - P(K >= 7 | 3) = 96.6%; Garwood's would miss k >= 8 alone (98.8%)
    const belowSeven = Array.from({ length: 7 }, (_, k) => poissonPmf(k, 3)).reduce((a, b) => a + b);
    for (const c of [sum, mean, total_ratio]) expect(c).toBeCloseTo(belowSeven, 6);
    expect(sum).toBeGreaterThan(0.95);
    expect(sum).toBeLessThan(0.97);
  });

  it("half an expected event (0.01 a client, 50 clients): the discreteness floor, 98.6%, and no less", async () => {
    const { sum, mean, total_ratio } = await coverage(50, 0.01);
    const floor = poissonCoverageFloor(0.5);
    for (const c of [sum, mean, total_ratio]) expect(c).toBeCloseTo(floor, 6);
  });

  it("ten expected events (300 clients at 1/30): within 93-97%", async () => {
    const { sum, mean, total_ratio } = await coverage(300, 1 / 30);
    for (const c of [sum, mean, total_ratio]) {
      expect(c).toBeGreaterThan(0.93);
      expect(c).toBeLessThan(0.97);
    }
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
