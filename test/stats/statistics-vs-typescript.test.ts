import { orderStatisticMinimum } from "../../src/stats/order-statistic-minimum.js";
import type { DuckDBConnection } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";
import type { ProjectGraph } from "../../src/graph/project-graph.js";
import { sqlContext } from "../../src/sql/sql-context.js";
import { tQuantile } from "../../src/stats/t-quantile.js";
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
import { harnessGraph, loadClients, projectStatisticRows, statisticRows, uniform, type SimClient, type StatRow } from "./statistic-harness.js";

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

  it("total_ratio: Hall's interval of the residuals' mean over ȳ, NULL for a zero denominator", async () => {
    const rows = await statisticRows(connection, graph, "x", { name: "total_ratio", denominator: "y" });
    for (const g of groups) {
      const pairs = g.clients.map((c) => [c.x ?? 0, c.y ?? 0] as const);
      expectClose(find(rows, g.sim, g.branch, "y"), ratioInterval(pairs), `total_ratio sim ${g.sim} ${g.branch}`);
    }
    expect(find(rows, 2, "control", "y")).toMatchObject({ point: null, lower: null, upper: null });
  });

  it("in the project's one query, which computes each moment statistic, total_ratio and histogram percentile once for all probes, every probe's rows are its own", async () => {
    const base = harnessGraph(graph);
    const [x, y, h] = base.probes;
    const percentiles = { name: "percentile", percentiles: [10, 50, 90], removeNulls: false };
    const probes = [
      { ...x!, statistics: [{ name: "count" }, { name: "sum" }, { name: "mean" }, { name: "total_ratio", denominator: "y" }] },
      { ...y!, statistics: [{ name: "sum" }, { name: "mean" }, { name: "total_ratio", denominator: "x" }] },
      { ...h!, statistics: [percentiles] },
      { ...h!, name: "h2", select: "h2", statistics: [percentiles] },
    ] as ProjectGraph["probes"];
    const rows = await projectStatisticRows(connection, { ...base, probes });
    const of = (metric: string, statistic: string, g: (typeof groups)[number]) =>
      rows.find((r) => r.metric === metric && r.statistic === statistic && r.sim === g.sim && r.branch === g.branch);
    const ys = (g: (typeof groups)[number]) => g.clients.flatMap((c) => (c.y === null || c.y === undefined ? [] : [c.y]));
    for (const g of groups) {
      const what = `sim ${g.sim} ${g.branch}`;
      expectClose(of("x", "count", g), countInterval(xs(g).length), `x count ${what}`);
      expectClose(of("x", "sum", g), sumInterval(xs(g)), `x sum ${what}`);
      expectClose(of("x", "mean", g), meanInterval(xs(g)), `x mean ${what}`);
      expectClose(of("y", "sum", g), sumInterval(ys(g)), `y sum ${what}`);
      expectClose(of("y", "mean", g), meanInterval(ys(g)), `y mean ${what}`);
      expectClose(of("x", "total_ratio", g), ratioInterval(g.clients.map((c) => [c.x ?? 0, c.y ?? 0] as const)), `x/y ${what}`);
      expectClose(of("y", "total_ratio", g), ratioInterval(g.clients.map((c) => [c.y ?? 0, c.x ?? 0] as const)), `y/x ${what}`);
    }
    for (const g of groups) {
      const hs = g.clients.map((c) => c.h ?? new Map<number, number>());
      const doubled = hs.map((m) => new Map([...m].map(([k, v]) => [2 * k, v])));
      for (const p of [10, 50, 90]) {
        const at = (metric: string) => rows.find((r) => r.metric === metric && r.parameter === String(p) && r.sim === g.sim && r.branch === g.branch);
        expectClose(at("h"), histogramPercentile(hs, p), `h p${p} sim ${g.sim} ${g.branch}`);
        expectClose(at("h2"), histogramPercentile(doubled, p), `h2 p${p} sim ${g.sim} ${g.branch}`);
      }
    }
    expect(rows.find((r) => r.metric === "y" && r.statistic === "total_ratio")?.parameter).toBe("x");
    expect(rows).toHaveLength(groups.length * (7 + 2 * 3));
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

  it("histogram percentiles: client-normalised merged histograms, interpolated in buckets, Woodruff's interval over clients", async () => {
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
    // the same sums in another order: equal but for rounding
    const round = (v: number | null) => (v === null ? null : Number(v.toPrecision(12)));
    const of = (sim: number) => rows.filter((r) => r.sim === sim).map((r) => [r.parameter, round(r.lower), round(r.point), round(r.upper)]);
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

  // one-sample clients: the client-level variance is the binomial p(1 − p)/n, widened by t(n − 1)
  it("one bucket [1, 2): values 1 + q at q = p and p ∓ t·√(p(1 − p)/n); NULL where q leaves (0, 1) or too few samples bound it", async () => {
    const percentiles = [5, 25, 50, 75, 95];
    const rows = await run(
      spread([
        [0, 0],
        [1, 10],
        [2, 0],
      ]),
      percentiles,
    );
    const t = tQuantile(0.95, 9);
    percentiles.forEach((percent, i) => {
      const p = percent / 100;
      const h = t * Math.sqrt((p * (1 - p)) / 10);
      // ten samples bound p5 and p95 by no order statistic at 90% (59 needed): no interval, as for scalars
      const enough = 10 >= orderStatisticMinimum(p, 0.9);
      const expected = { point: 1 + p, lower: enough && p - h > 0 ? 1 + p - h : null, upper: enough && p + h < 1 ? 1 + p + h : null };
      expectClose(rows[i], expected, `p${percent}`);
    });
    // upstream clamps p5 and p95 (and, without t, 25 and 75 would have bounds); opmon gives none there
    expect(rows.map((r) => r.lower === null || r.upper === null)).toEqual([true, true, false, true, true]);
  });

  it("nine buckets from -4.5 to 3.5: interpolated values, symmetric as the data, each inside its interval", async () => {
    const values = [0, 1, 12, 22, 30, 22, 12, 1, 0];
    const percentiles = [5, 25, 50, 75, 95];
    const clients = spread(values.map((v, i) => [i - 4.5, v] as const));
    const rows = await run(clients, percentiles);
    const hs = clients.map((c) => c.h ?? new Map<number, number>());
    percentiles.forEach((p, i) => expectClose(rows[i], histogramPercentile(hs, p, 0.9), `p${p}`));
    // p25 is 12/22 of the way through [-1.5, -0.5) (13% below it); upstream reported the midpoint -1
    expect(rows.map((r) => r.point)).toEqual(
      [-2.5 + 4 / 12, -1.5 + 12 / 22, 0, 0.5 - 12 / 22 + 1, 1.5 + 8 / 12].map((v) => expect.closeTo(v, 9)),
    );
    rows.forEach((r, i) => {
      expect(r.lower ?? NaN).toBeLessThan(r.point ?? NaN);
      expect(r.upper ?? NaN).toBeGreaterThan(r.point ?? NaN);
      expect(r.lower ?? NaN).toBeCloseTo(-(rows[4 - i]?.upper ?? NaN), 9);
    });
  });
});
