import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";
import type { GraphAlert, ProjectGraph } from "../../src/graph/project-graph.js";
import { CHANGE_POINT_DEFAULTS } from "../../src/dsl/alert.js";
import { alertsQuery } from "../../src/sql/alerts-query.js";
import { printQuery } from "../../src/sql/print-sql.js";
import { sqlContext } from "../../src/sql/sql-context.js";
import { col, fromSql, select } from "../../src/sql/sql-node.js";
import { demo, demoGraphs } from "../sql/demo-graphs.js";
import { uniform } from "../stats/statistic-harness.js";
import { translateBigQueryToDuckDb } from "../../src/sql/translate/translate-bigquery-to-duckdb.js";

/** One row of a statistics view, long format. */
interface Point {
  readonly day: string;
  readonly build?: string;
  readonly os?: string;
  readonly branch?: string;
  readonly metric?: string;
  readonly statistic?: string;
  readonly parameter?: number | null;
  readonly point: number;
  readonly lower?: number | null;
  readonly upper?: number | null;
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

async function warehouse(points: readonly Point[]): Promise<DuckDBConnection> {
  const c = await (await DuckDBInstance.create(":memory:")).connect();
  await c.run("CREATE SCHEMA operational_monitoring");
  await c.run(`CREATE TABLE operational_monitoring.t_statistics (submission_date DATE, submission_timestamp TIMESTAMP, build_id VARCHAR, os VARCHAR,
    branch VARCHAR, metric VARCHAR, statistic VARCHAR, point DOUBLE, lower DOUBLE, upper DOUBLE, parameter DOUBLE, comparison VARCHAR)`);
  const a = await c.createAppender("t_statistics", "operational_monitoring");
  for (const p of points) {
    a.appendVarchar(p.day);
    a.appendVarchar(`${p.day} 00:00:00`);
    a.appendVarchar(p.build ?? p.day.replaceAll("-", ""));
    a.appendVarchar(p.os ?? "Linux");
    a.appendVarchar(p.branch ?? "treatment");
    a.appendVarchar(p.metric ?? "gc_ms");
    a.appendVarchar(p.statistic ?? "mean");
    a.appendDouble(p.point);
    for (const v of [p.lower, p.upper, p.parameter])
      if (v === undefined || v === null) a.appendNull();
      else a.appendDouble(v);
    a.appendNull();
    a.endRow();
  }
  a.closeSync();
  // a comparison row must never be mistaken for a branch's own value
  await c.run(`INSERT INTO operational_monitoring.t_statistics SELECT * REPLACE ('difference' AS comparison, point * 1000 AS point, lower * 1000 AS lower, upper * 1000 AS upper)
    FROM operational_monitoring.t_statistics`);
  return c;
}

type Fired = {
  alert: string;
  severity: string;
  branch: string;
  os: string;
  metric: string;
  parameter: number | null;
  message: string;
  build_id: string;
  since: string | null;
};

async function evaluate(
  c: DuckDBConnection,
  alerts: readonly Partial<GraphAlert>[],
  date: string,
  xaxis: ProjectGraph["xaxis"] = "submission_date",
  days = 1,
): Promise<Fired[]> {
  const graph: ProjectGraph = {
    ...base,
    xaxis,
    alerts: alerts.map((a, i) => ({ name: `a${i}`, type: "threshold", probes: ["gc_ms"], ...a }) as GraphAlert),
  };
  const ctx = sqlContext(graph, date, { dialect: "duckdb" });
  const reader = await c.runAndReadAll(`SELECT * FROM (${printQuery(alertsQuery(ctx, SOURCES, { days }), ctx.d)}) ORDER BY ALL`);
  return reader.getRowObjectsJson() as unknown as Fired[];
}

/** A daily series of `days` points around `level`, noise sd `sd`, stepping by `step` (relative) from day `from`. */
function series(
  seed: number,
  days: number,
  options: { level?: number; sd?: number; step?: number; from?: number; half?: number } & Partial<Point> = {},
): Point[] {
  const next = uniform(seed);
  const { level = 100, sd = 2, step = 0, from = days, half = 1, ...rest } = options;
  return Array.from({ length: days }, (_, i) => {
    const normal = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
    const point = level * (i >= from ? 1 + step : 1) + sd * normal;
    return { day: day(i), point, lower: point - half, upper: point + half, ...rest };
  });
}

describe("threshold", () => {
  const points = (p50: readonly [number, number], p95: readonly [number, number]): Point[] =>
    (
      [
        [50, p50],
        [95, p95],
      ] as const
    ).map(([parameter, [lower, upper]]) => ({
      day: day(0),
      statistic: "percentile",
      parameter,
      point: (lower + upper) / 2,
      lower,
      upper,
    }));
  const alert = { type: "threshold" as const, parameters: [50, 95], max: [12.5, 40.25], min: [2.5, 10], severity: "critical" as const };

  it("fires per parameter when the whole interval is past a fractional bound, and not when it straddles it", async () => {
    const fired = await evaluate(await warehouse(points([12.6, 13], [39, 41])), [alert], day(0));
    expect(fired.map((f) => [f.parameter, f.message, f.severity])).toEqual([[50, "Value above threshold", "critical"]]);
    const low = await evaluate(await warehouse(points([1, 2.4], [9, 11])), [alert], day(0));
    expect(low.map((f) => [f.parameter, f.message])).toEqual([[50, "Value below threshold"]]);
  });

  it("stays quiet on its twin inside the bounds", async () => {
    expect(await evaluate(await warehouse(points([12, 12.5], [39, 40.25])), [alert], day(0))).toEqual([]);
  });

  it("with `for: 3` fires only on the third consecutive day past the bound", async () => {
    const above = (days: number[]) =>
      Array.from({ length: 6 }, (_, i): Point => ({
        day: day(i),
        point: days.includes(i) ? 20 : 5,
        lower: days.includes(i) ? 19 : 4,
        upper: days.includes(i) ? 21 : 6,
      }));
    const rule = { type: "threshold" as const, max: [10], for: 3 };
    const c = await warehouse(above([3, 4, 5]));
    expect(await evaluate(c, [rule], day(4))).toEqual([]);
    expect((await evaluate(c, [rule], day(5))).map((f) => f.message)).toEqual(["Value above threshold"]);
    expect(await evaluate(await warehouse(above([2, 3, 5])), [rule], day(5))).toEqual([]);
  });
});

describe("ci_overlap", () => {
  const rows = (treatmentLinux: number): Point[] =>
    ["Linux", "Windows_NT"].flatMap((os) =>
      [50, 95].flatMap((parameter) =>
        ["control", "treatment"].map((branch): Point => {
          const shifted = branch === "treatment" && os === "Linux" && parameter === 50;
          const point = shifted ? treatmentLinux : 10;
          return { day: day(0), os, branch, statistic: "percentile", parameter, point, lower: point - 1, upper: point + 1 };
        }),
      ),
    );

  it("fires per dimension value and parameter, two alerts in one project", async () => {
    const fired = await evaluate(
      await warehouse(rows(15)),
      [
        { type: "ci_overlap", parameters: [50] },
        { type: "ci_overlap", statistics: ["percentile"] },
      ],
      day(0),
    );
    expect(fired.map((f) => [f.alert, f.branch, f.os, f.parameter, f.message])).toEqual([
      ["a0", "treatment", "Linux", 50, "Significant difference between branches"],
      ["a1", "treatment", "Linux", 50, "Significant difference between branches"],
    ]);
  });

  it("stays quiet when the intervals overlap", async () => {
    expect(await evaluate(await warehouse(rows(11.5)), [{ type: "ci_overlap" }], day(0))).toEqual([]);
  });
});

describe("avg_diff", () => {
  const rule = { type: "avg_diff" as const, windowSize: 3, maxRelativeChange: 0.2 };
  it("fires when the last window's mean moves more than the limit from the window before", async () => {
    const fired = await evaluate(await warehouse(series(1, 9, { sd: 0.5, step: 0.3, from: 6 })), [rule], day(8));
    expect(fired.map((f) => f.message)).toEqual(["Significant difference to historical data"]);
  });
  it("stays quiet on the flat twin, and before both windows are full", async () => {
    expect(await evaluate(await warehouse(series(1, 9, { sd: 0.5 })), [rule], day(8))).toEqual([]);
    expect(await evaluate(await warehouse(series(1, 9, { sd: 0.5, step: 0.3, from: 2 })), [rule], day(4))).toEqual([]);
  });
});

describe("avg_diff's noise term", () => {
  const demoRule = { type: "avg_diff" as const, windowSize: 3, maxRelativeChange: 0.1, for: 2 };
  it("silences the demo's settings on a flat series as noisy as the threshold, where upstream's rule fires", async () => {
    // level 100, sd 8: two 3-day means often differ by more than 10% with nothing changed
    const c = await warehouse(series(21, 60, { sd: 8 }));
    const upstream = await evaluate(c, [{ ...demoRule, noiseThreshold: 0 }], day(59), "submission_date", 54);
    const ours = await evaluate(c, [demoRule], day(59), "submission_date", 54);
    expect(upstream.length).toBeGreaterThan(0);
    expect(ours).toEqual([]);
  });
  it("still fires on a step far above the noise, on the days the windows straddle it (for 2)", async () => {
    // hits on days 21-23: day 20 and 24 see the step inside a window, which lifts the noise estimate above the change
    const fired = await evaluate(await warehouse(series(22, 30, { sd: 0.5, step: 0.5, from: 20 })), [demoRule], day(29), "submission_date", 24);
    expect(fired.map((f) => (f as unknown as { submission_date: string }).submission_date)).toEqual([day(22), day(23)]);
  });
});

/**
 * The noise-calibrated change_point statistic, computed here independently of the SQL: at point t,
 * |mean(fore) − mean(back)| over σ·√(1/back + 1/fore), σ = √π/2 × the mean of the absolute jumps between
 * consecutive points inside each window.
 */
function noiseStatistic(values: readonly number[], t: number, back: number, fore: number): number | null {
  if (t < back || t + fore > values.length) return null;
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const before = values.slice(t - back, t);
  const after = values.slice(t, t + fore);
  const jumps = [before, after].flatMap((w) => w.slice(1).map((v, i) => Math.abs(v - w[i]!)));
  const sigma = (Math.sqrt(Math.PI) / 2) * mean(jumps);
  return Math.abs(mean(after) - mean(before)) / (sigma * Math.sqrt(1 / back + 1 / fore));
}

describe("change_point defaults: the noise-calibrated test", () => {
  const rule = { type: "change_point" as const };
  const { backWindow: back, foreWindow: fore, noiseThreshold: k } = CHANGE_POINT_DEFAULTS;

  it("a 10% step of a series with 2% noise is reported once, a fore window on, naming its first day", async () => {
    const c = await warehouse(series(31, 40, { step: 0.1, from: 20 }));
    const fired = await evaluate(c, [rule], day(39), "submission_date", 26);
    expect(fired.map((f) => [f.since, f.message])).toEqual([[day(20), `Change point detected: up since ${day(20)}`]]);
    const alone = await evaluate(c, [rule], day(20 + fore));
    expect(alone.map((f) => f.since)).toEqual([day(20)]);
  });

  it("the same step on a series five times as noisy stays quiet", async () => {
    const c = await warehouse(series(31, 40, { sd: 10, step: 0.1, from: 20 }));
    expect(await evaluate(c, [rule], day(39), "submission_date", 26)).toEqual([]);
  });

  it("flat noisy series stay silent: 5 series x 60 days, no alert", async () => {
    let fired = 0;
    for (let seed = 40; seed < 45; seed++) {
      fired += (await evaluate(await warehouse(series(seed, 60, { sd: 3 })), [rule], day(59), "submission_date", 43)).length;
    }
    expect(fired).toBe(0);
  });

  it("fires exactly where the independently computed statistic peaks above the threshold", async () => {
    const stepped = (step: number) => series(53, 40, { sd: 1, step, from: 20 });
    const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b) / xs.length;
    /** The days the rule must name, by the statistic computed here. */
    const expectedFor = (points: readonly Point[]): string[] => {
      const values = points.map((p) => p.point);
      const z = values.map((_, t) => noiseStatistic(values, t, back, fore) ?? 0);
      return z.flatMap((zt, t) => {
        if (t < back || t + fore > 39) return [];
        const relative = Math.abs(mean(values.slice(t, t + fore)) - mean(values.slice(t - back, t)));
        const earlier = Math.max(0, ...z.slice(t - back, t));
        const peak = zt >= z[t - 1]! && zt >= (z[t + 1] ?? 0);
        return zt > k && peak && relative >= 0.02 * mean(values.slice(t - back, t)) && earlier <= k ? [day(t)] : [];
      });
    };
    // the smallest step (in 0.5% steps) the statistic finds: just above the threshold, so that a wrong σ,
    // window or factor in the SQL moves the answer; the step below it must stay silent
    const sizes = Array.from({ length: 30 }, (_, i) => 0.01 + 0.005 * i);
    const at = sizes.findIndex((size) => expectedFor(stepped(size)).length > 0);
    expect(at).toBeGreaterThan(0);
    const expected = expectedFor(stepped(sizes[at]!));
    expect((await evaluate(await warehouse(stepped(sizes[at]!)), [rule], day(39), "submission_date", 26)).map((f) => f.since)).toEqual(expected);
    expect(await evaluate(await warehouse(stepped(sizes[at - 1]!)), [rule], day(39), "submission_date", 26)).toEqual([]);
  });

  it("the BigQuery text, translated to DuckDB, fires on the same rows as the DuckDB text", async () => {
    const c = await warehouse([...series(31, 40, { step: 0.1, from: 20 }), ...series(52, 40, { sd: 6, os: "Windows" })]);
    const graph: ProjectGraph = { ...base, alerts: [{ name: "a0", type: "change_point", probes: ["gc_ms"] }, { name: "a1", type: "avg_diff", probes: ["gc_ms"], windowSize: 3, maxRelativeChange: 0.1 }] };
    const run = async (dialect: "bigquery" | "duckdb") => {
      const ctx = sqlContext(graph, day(39), { dialect });
      const text = printQuery(alertsQuery(ctx, SOURCES, { days: 26 }), ctx.d);
      const sql = dialect === "bigquery" ? translateBigQueryToDuckDb(text, "alerts") : text;
      return (await c.runAndReadAll(`SELECT alert, os, CAST(submission_date AS VARCHAR) AS day, since FROM (${sql}) ORDER BY ALL`)).getRowObjectsJson();
    };
    const duck = await run("duckdb");
    expect(duck.length).toBeGreaterThan(0);
    expect(await run("bigquery")).toEqual(duck);
  });
});

describe("change_point (Perfherder defaults: 12 back, 12 fore, t > 7, 2%)", () => {
  const rule = { type: "change_point" as const, backWindow: 12, foreWindow: 12, tThreshold: 7, minRelativeChange: 0.02 };

  it("a 10% step at the 17th day of a daily series is reported once, when the point after its fore window arrives, naming that day", async () => {
    const c = await warehouse(series(3, 40, { step: 0.1, from: 16 }));
    const byDay = await Promise.all(Array.from({ length: 40 }, (_, i) => evaluate(c, [rule], day(i))));
    const fired = byDay.flatMap((rows, i) => rows.map((r) => ({ on: day(i), since: r.since, message: r.message })));
    expect(fired).toEqual([{ on: day(28), since: day(16), message: `Change point detected: up since ${day(16)}` }]);
  });

  it("stays quiet on the twin without the step, and below the minimum relative change", async () => {
    const flat = await warehouse(series(3, 40));
    const small = await warehouse(series(3, 40, { sd: 0.1, step: 0.01, from: 16 }));
    for (let i = 0; i < 40; i++) {
      expect(await evaluate(flat, [rule], day(i))).toEqual([]);
      expect(await evaluate(small, [rule], day(i))).toEqual([]);
    }
  });

  it("build-over-build: attributed to the first build of the change", async () => {
    // the latest partition holds every young build, as the build-id view shows them; build i is of day i + 1
    const builds = (on: number) =>
      series(5, 20, { step: -0.15, from: 9, sd: 1 }).map((p, i) => ({ ...p, day: day(on), build: day(i).replaceAll("-", "") }));
    const shortRule = { ...rule, backWindow: 6, foreWindow: 4 };
    // build 10 (20261010) changes; builds 10..13 are its fore window, build 14 confirms it
    const fired = await evaluate(await warehouse(builds(13)), [shortRule], day(13), "build_id");
    expect(fired.map((f) => [f.build_id, f.since, f.message])).toEqual([
      ["20261010", "20261010", "Change point detected: down since 20261010"],
    ]);
    for (const on of [12, 14, 15]) expect(await evaluate(await warehouse(builds(on)), [shortRule], day(on), "build_id")).toEqual([]);
  });

  it("over 60 days of a control-only series, false alerts are few (printed)", async () => {
    let falseAlerts = 0;
    let evaluations = 0;
    for (const seed of [11, 12, 13, 14, 15]) {
      const c = await warehouse(series(seed, 60, { sd: 3 }));
      // the 60 days in one query: the rows of 60 daily queries (test/alerts/branch-difference.test.ts checks that)
      falseAlerts += (await evaluate(c, [rule], day(59), "submission_date", 60)).length;
      evaluations += 60;
    }
    console.log(
      `change_point false alerts on control-only series: ${falseAlerts} in ${evaluations} daily evaluations (5 series x 60 days)`,
    );
    expect(falseAlerts).toBeLessThanOrEqual(1);
  });
});
