import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";
import type { GraphAlert, ProjectGraph } from "../../src/graph/project-graph.js";
import { alertsQuery } from "../../src/sql/alerts-query.js";
import { printQuery } from "../../src/sql/print-sql.js";
import { sqlContext } from "../../src/sql/sql-context.js";
import { col, fromSql, select } from "../../src/sql/sql-node.js";
import { demo, demoGraphs } from "../sql/demo-graphs.js";
import { uniform } from "../stats/statistic-harness.js";

/** A relative_difference row of treatment against control: its estimate and standard error (a symmetric 95% interval). */
interface Difference {
  readonly day: number;
  readonly metric?: string;
  readonly os?: string;
  readonly parameter?: number | null;
  readonly estimate: number;
  readonly se: number | null;
}

const VIEW = ["operational_monitoring", "t_statistics"];
/** One table holds a branch's own rows and the comparisons; the alerts read each from its own source. */
const rowsOf = (where: string) => select({ columns: [col("*")], from: fromSql(VIEW.join(".")), where: [where] });
const SOURCES = { statistics: rowsOf("comparison IS NULL"), comparisons: rowsOf("comparison IS NOT NULL") };
const day = (i: number) => new Date(Date.UTC(2026, 9, 1) + i * 86_400_000).toISOString().slice(0, 10);

let base: ProjectGraph;
beforeAll(async () => {
  base = demo(await demoGraphs(), "gc-tuning-experiment");
});

async function warehouse(rows: readonly Difference[]): Promise<DuckDBConnection> {
  const c = await (await DuckDBInstance.create(":memory:")).connect();
  await c.run("CREATE SCHEMA operational_monitoring");
  await c.run(`CREATE TABLE operational_monitoring.t_statistics (submission_date DATE, submission_timestamp TIMESTAMP, build_id VARCHAR, os VARCHAR,
    branch VARCHAR, metric VARCHAR, statistic VARCHAR, point DOUBLE, lower DOUBLE, upper DOUBLE, parameter DOUBLE, comparison VARCHAR)`);
  const values = rows.map((r) => {
    const bound = (sign: number) => (r.se === null ? "NULL" : String(r.estimate + sign * 1.959963984540054 * r.se));
    return `(DATE '${day(r.day)}', TIMESTAMP '${day(r.day)} 00:00:00', '${day(r.day).replaceAll("-", "")}', '${r.os ?? "Linux"}', 'treatment',
      '${r.metric ?? "gc_ms"}', 'percentile', ${r.estimate}, ${bound(-1)}, ${bound(1)}, ${r.parameter === undefined ? 90 : (r.parameter ?? "NULL")}, 'relative_difference')`;
  });
  await c.run(`INSERT INTO operational_monitoring.t_statistics VALUES ${values.join(", ")}`);
  // a branch's own rows and absolute differences must never be read as relative differences
  await c.run(`INSERT INTO operational_monitoring.t_statistics SELECT * REPLACE (NULL AS comparison, 100 + point AS point, 99 AS lower, 101 + point AS upper)
    FROM operational_monitoring.t_statistics`);
  await c.run(`INSERT INTO operational_monitoring.t_statistics SELECT * REPLACE ('difference' AS comparison, 50 AS point, 49 AS lower, 51 AS upper)
    FROM operational_monitoring.t_statistics WHERE comparison = 'relative_difference'`);
  return c;
}

interface Fired {
  readonly submission_date: string;
  readonly metric: string;
  readonly os: string;
  readonly branch: string;
  readonly message: string;
}

async function evaluate(c: DuckDBConnection, alerts: readonly Partial<GraphAlert>[], date: string, days = 1, betterUp: readonly string[] = []) {
  const graph: ProjectGraph = {
    ...base,
    probes: base.probes.map((p) => ({ ...p, biggerIsBetter: betterUp.includes(p.name) })),
    alerts: alerts.map((a, i) => ({ name: `a${i}`, type: "branch_difference", probes: ["gc_ms", "cycle_collector"], ...a }) as GraphAlert),
  };
  const ctx = sqlContext(graph, date, { dialect: "duckdb" });
  const reader = await c.runAndReadAll(`SELECT * FROM (${printQuery(alertsQuery(ctx, SOURCES, { days }), ctx.d)}) ORDER BY ALL`);
  return reader.getRowObjectsJson() as unknown as Fired[];
}

/** `n` null series (estimate ~ N(0, se)) on day 0, plus the given rows. */
function nullSeries(seed: number, n: number, se: number, extra: readonly Difference[] = []): Difference[] {
  const next = uniform(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return [...Array.from({ length: n }, (_, i) => ({ day: 0, os: `os${i}`, estimate: se * normal(), se })), ...extra];
}

describe("branch_difference", () => {
  it("with one test, fires exactly when the 95% interval excludes 0 (p-value read off the interval)", async () => {
    const alone = async (se: number) =>
      evaluate(await warehouse([{ day: 0, estimate: 0.05, se }]), [{ windowSize: 1, minRelativeChange: 0, falseDiscoveryRate: 0.05 }], day(0));
    expect(await alone(0.05 / 1.95)).toEqual([]);
    const fired = await alone(0.05 / 1.97);
    expect(fired).toHaveLength(1);
    expect(fired[0]?.message).toBe("Significant difference to the reference branch: +5.0%");
  });

  it("corrects across series: a p-value of 0.01 fires alone at q = 0.05 but not among 40 null series", async () => {
    const lone = { day: 0, os: "stepped", estimate: 0.0515, se: 0.02 };
    expect((await evaluate(await warehouse([lone]), [{ windowSize: 1, falseDiscoveryRate: 0.05 }], day(0))).map((f) => f.os)).toEqual(["stepped"]);
    const crowd = await warehouse(nullSeries(3, 40, 0.02, [lone]));
    expect((await evaluate(crowd, [{ windowSize: 1, falseDiscoveryRate: 0.05 }], day(0))).map((f) => f.os)).not.toContain("stepped");
    // a strong difference survives the correction
    const strong = await warehouse(nullSeries(3, 40, 0.02, [{ ...lone, estimate: 0.12 }]));
    expect((await evaluate(strong, [{ windowSize: 1, falseDiscoveryRate: 0.05 }], day(0))).map((f) => f.os)).toContain("stepped");
  });

  it("reports regressions only, by the probe's biggerIsBetter, unless direction is both; and respects the minimum effect", async () => {
    const c = await warehouse([
      { day: 0, metric: "gc_ms", os: "up", estimate: 0.1, se: 0.01 },
      { day: 0, metric: "gc_ms", os: "down", estimate: -0.1, se: 0.01 },
      { day: 0, metric: "cycle_collector", os: "up", estimate: 0.1, se: 0.01 },
      { day: 0, metric: "cycle_collector", os: "down", estimate: -0.1, se: 0.01 },
    ]);
    const seen = (fired: Fired[]) => fired.map((f) => `${f.metric}/${f.os}`);
    // gc_ms: smaller is better; cycle_collector: bigger is better
    expect(seen(await evaluate(c, [{ windowSize: 1 }], day(0), 1, ["cycle_collector"]))).toEqual(["cycle_collector/down", "gc_ms/up"]);
    expect(seen(await evaluate(c, [{ windowSize: 1, direction: "both" }], day(0), 1, ["cycle_collector"]))).toHaveLength(4);
    expect(await evaluate(c, [{ windowSize: 1, minRelativeChange: 0.15 }], day(0), 1, ["cycle_collector"])).toEqual([]);
  });

  it("pools the last windowSize days, needs a full window, and ignores rows without an interval", async () => {
    // each day alone is not significant (z = 1.5), three days pooled are (z = 2.6)
    const rows = [0, 1, 2].map((d) => ({ day: d, estimate: 0.03, se: 0.02 }));
    const c = await warehouse([...rows, { day: 0, os: "no interval", estimate: 0.5, se: null }]);
    const q = { falseDiscoveryRate: 0.05 };
    expect(await evaluate(c, [{ windowSize: 1, ...q }], day(2))).toEqual([]);
    expect(await evaluate(c, [{ windowSize: 3, ...q }], day(1))).toEqual([]);
    expect((await evaluate(c, [{ windowSize: 3, ...q }], day(2))).map((f) => f.submission_date)).toEqual([day(2)]);
  });

  it("tests the pool across dimension values too: a step on every OS, too small on each, fires once with os NULL", async () => {
    // each OS: z = 2 (p = 0.046, above every BH threshold at the default q = 0.02); the pool of three: z = 3.46 (p = 0.0005)
    const everyOs = await warehouse(["Linux", "Windows", "Darwin"].map((os) => ({ day: 0, os, estimate: 0.03, se: 0.015 })));
    const fired = await evaluate(everyOs, [{ windowSize: 1 }], day(0));
    expect(fired.map((f) => [f.os, f.message])).toEqual([[null, "Significant difference to the reference branch: +3.0%"]]);
    // a step on one OS keeps its own series; with one value there is no pool (no duplicate row)
    const oneOs = await warehouse([{ day: 0, os: "Linux", estimate: 0.1, se: 0.01 }]);
    expect((await evaluate(oneOs, [{ windowSize: 1 }], day(0))).map((f) => f.os)).toEqual(["Linux"]);
    // opposite differences cancel in the pool
    const opposite = await warehouse([0.03, -0.03, 0.03].map((estimate, i) => ({ day: 0, os: `os${i}`, estimate, se: 0.015 })));
    expect(await evaluate(opposite, [{ windowSize: 1 }], day(0))).toEqual([]);
  });

  it("with for = 2, fires on the second significant day only", async () => {
    const c = await warehouse([0, 1, 2].map((d) => ({ day: d, estimate: d === 0 ? 0 : 0.1, se: 0.01 })));
    expect(await evaluate(c, [{ windowSize: 1, for: 2 }], day(1))).toEqual([]);
    expect(await evaluate(c, [{ windowSize: 1, for: 2 }], day(2))).toHaveLength(1);
  });
});

describe("several days in one query", () => {
  it("gives the rows one query per day gives, for every alert type", async () => {
    const next = uniform(11);
    const rows: Difference[] = [];
    for (let d = 0; d < 40; d++) for (const os of ["a", "b"]) rows.push({ day: d, os, estimate: (d > 25 ? 0.08 : 0) + 0.03 * (next() - 0.5), se: 0.02 });
    const c = await warehouse(rows);
    const alerts: Partial<GraphAlert>[] = [
      { type: "branch_difference", windowSize: 2, for: 2 },
      { type: "threshold", max: [100.05], for: 2 },
      { type: "avg_diff", windowSize: 3, maxRelativeChange: 0.0003 },
      { type: "change_point", backWindow: 5, foreWindow: 3, tThreshold: 3, minRelativeChange: 0 },
    ];
    const single: Fired[] = [];
    for (let d = 20; d < 40; d++) single.push(...(await evaluate(c, alerts, day(d))));
    const together = await evaluate(c, alerts, day(39), 20);
    const key = (f: Fired) => JSON.stringify(f);
    expect(together.length).toBeGreaterThan(0);
    expect(together.map(key).sort()).toEqual(single.map(key).sort());
  });
});
