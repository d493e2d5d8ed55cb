import type { DuckDBConnection } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";
import type { ProjectGraph } from "../../src/graph/project-graph.js";
import { sqlContext } from "../../src/sql/sql-context.js";
import { demo, demoGraphs } from "../sql/demo-graphs.js";
import {
  countInterval,
  histogramPercentile,
  meanInterval,
  ratioInterval,
  scalarPercentile,
  sumInterval,
  type Interval,
} from "./independent.js";
import { harnessGraph, loadClients, statisticRows, uniform, type SimClient, type StatRow } from "./statistic-harness.js";

/** SQL floats against TypeScript doubles: equal to 1e-9 relative (sums of a few hundred values). */
const TOLERANCE = 1e-9;

function expectClose(actual: StatRow | undefined, expected: Interval, what: string) {
  expect(actual, what).toBeDefined();
  for (const key of ["point", "lower", "upper"] as const) {
    const a = actual?.[key] ?? null;
    const e = expected[key];
    if (e === null) expect(a, `${what} ${key}`).toBeNull();
    else expect(Math.abs((a ?? NaN) - e), `${what} ${key}: ${a} vs ${e}`).toBeLessThanOrEqual(TOLERANCE * Math.max(1, Math.abs(e)));
  }
}

/** Groups (sim = data set) of different shapes: normal sizes, one client, a zero denominator, missing values. */
function generate(): SimClient[] {
  const next = uniform(7);
  const clients: SimClient[] = [];
  const sizes = [1, 2, 5, 40, 250];
  sizes.forEach((size, sim) => {
    for (const branch of ["control", "treatment"]) {
      for (let i = 0; i < size; i++) {
        const y = sim === 2 ? 0 : Math.round(next() * 40) / 4;
        const missingX = sim >= 3 && next() < 0.1;
        const h = new Map<number, number>();
        for (let j = 0; j < 1 + Math.floor(next() * 3); j++) {
          const bucket = [0, 1, 2, 4, 8, 16, 32, 64][Math.floor(next() * 8)] ?? 0;
          h.set(bucket, (h.get(bucket) ?? 0) + 1 + Math.floor(next() * 4));
        }
        if (sim === 4 && i % 17 === 0) h.set(128, 0);
        clients.push({ sim, branch, client: `${branch}-${i}`, x: missingX ? null : Math.round(next() * 1000) / 10, y, h });
      }
    }
  });
  return clients;
}

describe("each statistic's SQL on DuckDB equals an independent TypeScript computation", () => {
  const clients = generate();
  const groups = [...new Set(clients.map((c) => `${c.sim}/${c.branch}`))].map((key) => {
    const mine = clients.filter((c) => `${c.sim}/${c.branch}` === key);
    return { sim: mine[0]?.sim ?? -1, branch: mine[0]?.branch ?? "", clients: mine };
  });
  let connection: DuckDBConnection;
  let graph: ProjectGraph;
  beforeAll(async () => {
    graph = harnessGraph(demo(await demoGraphs(), "gc-tuning-experiment"));
    connection = await loadClients(clients);
  });
  const find = (rows: readonly StatRow[], sim: number, branch: string, parameter: string | null = null) =>
    rows.find((r) => r.sim === sim && r.branch === branch && r.parameter === parameter);
  const xs = (g: (typeof groups)[number]) => g.clients.flatMap((c) => (c.x === null || c.x === undefined ? [] : [c.x]));

  it.each([0.95, 0.8])("count, sum and mean at level %s (NULL bounds for a single client, count never below 0)", async (level) => {
    const [count, sum, mean] = await Promise.all(
      (["count", "sum", "mean"] as const).map((name) => statisticRows(connection, graph, "x", { name }, level)),
    );
    for (const g of groups) {
      const what = `sim ${g.sim} ${g.branch}`;
      expectClose(find(count ?? [], g.sim, g.branch), countInterval(xs(g).length, level), `count ${what}`);
      expectClose(find(sum ?? [], g.sim, g.branch), sumInterval(xs(g), level), `sum ${what}`);
      expectClose(find(mean ?? [], g.sim, g.branch), meanInterval(xs(g), level), `mean ${what}`);
    }
    // one client: Garwood's lower bound for a Poisson count of 1, above 0 and below 1
    expect(find(count ?? [], 0, "control")?.lower).toBeGreaterThan(0);
    expect(find(count ?? [], 0, "control")?.lower).toBeLessThan(1);
    expect(find(mean ?? [], 0, "control")).toMatchObject({ lower: null, upper: null });
  });

  it("total_ratio: delta method, NULL for a zero denominator", async () => {
    const rows = await statisticRows(connection, graph, "x", { name: "total_ratio", denominator: "y" });
    for (const g of groups) {
      const pairs = g.clients.map((c) => [c.x ?? 0, c.y ?? 0] as const);
      expectClose(find(rows, g.sim, g.branch, "y"), ratioInterval(pairs), `total_ratio sim ${g.sim} ${g.branch}`);
    }
    expect(find(rows, 2, "control", "y")).toMatchObject({ point: null, lower: null, upper: null });
  });

  it.each([false, true])("scalar percentiles (removeNulls %s): order statistics of the values", async (removeNulls) => {
    const percentiles = [5, 50, 90, 99];
    const rows = await statisticRows(connection, graph, "x", { name: "percentile", percentiles, removeNulls });
    for (const g of groups) {
      const values = removeNulls ? xs(g) : g.clients.map((c) => c.x ?? 0);
      for (const p of percentiles)
        expectClose(find(rows, g.sim, g.branch, String(p)), scalarPercentile(values, p), `p${p} sim ${g.sim} ${g.branch}`);
    }
  });

  it("histogram percentiles: client-normalised merged histograms, upstream's bucket reporting", async () => {
    const percentiles = [10, 50, 90, 99];
    const rows = await statisticRows(connection, graph, "h", { name: "percentile", percentiles, removeNulls: false });
    for (const g of groups) {
      const hs = g.clients.map((c) => c.h ?? new Map<number, number>());
      for (const p of percentiles)
        expectClose(find(rows, g.sim, g.branch, String(p)), histogramPercentile(hs, p), `p${p} sim ${g.sim} ${g.branch}`);
    }
  });
});

describe("histogram buckets without a count", () => {
  it("change nothing: such a bucket neither holds a quantile nor moves its neighbours' edges", async () => {
    const clients = (sim: number): SimClient[] =>
      [
        [1, 2, 4, 1],
        [2, 3, 8, 1],
        [1, 1, 16, 2],
      ].map(([k1, v1, k2, v2], i) => ({
        sim,
        branch: "control",
        client: `c${i}`,
        h: new Map([
          [k1 ?? 0, v1 ?? 0],
          [k2 ?? 0, v2 ?? 0],
        ]),
      }));
    const connection = await loadClients([...clients(0), ...clients(1)]);
    // in data set 1, a client also reports bucket 3, with no count
    await connection.run(`UPDATE sim_data SET h = [struct_pack("values" := list_sort(list_append(h[1]."values",
      struct_pack("key" := CAST(3 AS DOUBLE), "value" := CAST(NULL AS DOUBLE)))))] WHERE sim = 1 AND client_id = 'c0'`);
    const graph = harnessGraph(demo(await demoGraphs(), "gc-tuning-experiment"));
    const rows = await statisticRows(connection, graph, "h", { name: "percentile", percentiles: [25, 50, 75], removeNulls: false });
    const of = (sim: number) => rows.filter((r) => r.sim === sim).map((r) => [r.parameter, r.lower, r.point, r.upper]);
    expect(of(0)).toHaveLength(3);
    expect(of(1)).toEqual(of(0));
  });
});

describe("confidence level", () => {
  it("the project's confidenceLevel sets every interval's z (0.95 by default); SqlOptions overrides it", async () => {
    const graph = demo(await demoGraphs(), "gc-tuning-experiment");
    expect(sqlContext(graph, "2026-10-05").z).toBeCloseTo(1.959964, 5);
    expect(sqlContext({ ...graph, confidenceLevel: 0.9 }, "2026-10-05").z).toBeCloseTo(1.644854, 5);
    expect(sqlContext({ ...graph, confidenceLevel: 0.9 }, "2026-10-05", { confidenceLevel: 0.99 }).z).toBeCloseTo(2.575829, 5);
  });
});

describe("upstream's bootstrap_percentile_ci test vectors (reference §5), at its 90% level", () => {
  /** `clients` one-sample clients per key, each also reporting the empty keys, as the merged histogram upstream tests. */
  const spread = (counts: readonly (readonly [number, number])[]): SimClient[] => {
    const keys = counts.map(([k]) => k);
    return counts.flatMap(([key, n]) =>
      Array.from({ length: n }, (_, i): SimClient => ({
        sim: 0,
        branch: "control",
        client: `${key}-${i}`,
        h: new Map(keys.map((k) => [k, k === key ? 1 : 0])),
      })),
    );
  };
  const run = async (clients: SimClient[], percentiles: number[]) => {
    const graph = harnessGraph(demo(await demoGraphs(), "gc-tuning-experiment"));
    return statisticRows(await loadClients(clients), graph, "h", { name: "percentile", percentiles, removeNulls: false }, 0.9);
  };

  // upstream clamps p5 and p95 at 10 clients (5% ∓ 1.645·√(.05·.95/10) leaves (0, 1)); opmon gives no bound there
  it("one bucket: lower 1.0, point 1.5, upper 2.0 where the probability stays in (0, 1), else NULL", async () => {
    const rows = await run(
      spread([
        [0, 0],
        [1, 10],
        [2, 0],
      ]),
      [5, 25, 50, 75, 95],
    );
    expect(rows.map((r) => [r.parameter, r.lower, r.point, r.upper])).toEqual([
      ["5", null, 1.5, 2],
      ...["25", "50", "75"].map((p) => [p, 1, 1.5, 2]),
      ["95", 1, 1.5, null],
    ]);
  });

  it("nine buckets from -4.5 to 3.5", async () => {
    const values = [0, 1, 12, 22, 30, 22, 12, 1, 0];
    const rows = await run(spread(values.map((v, i) => [i - 4.5, v] as const)), [5, 25, 50, 75, 95]);
    expect(rows.map((r) => r.lower)).toEqual([-2.5, -1.5, -0.5, 0.5, 1.5]);
    expect(rows.map((r) => r.point)).toEqual([-2, -1, 0, 1, 2]);
    expect(rows.map((r) => r.upper)).toEqual([-1.5, -0.5, 0.5, 1.5, 2.5]);
  });
});
