import type { DuckDBConnection } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";
import type { ProjectGraph } from "../../src/graph/project-graph.js";
import { planDay } from "../../src/sql/plan-day.js";
import type { SqlOptions } from "../../src/sql/sql-context.js";
import { demo, demoGraphs } from "./demo-graphs.js";
import { fixtureWarehouse, rows, type CrashPing, type MainPing } from "./duckdb-fixture.js";
import { histogramPercentile, meanInterval, scalarPercentile, sumInterval } from "./independent-statistics.js";

const DAY = "2026-10-05";
let graphs: ReadonlyMap<string, ProjectGraph>;
beforeAll(async () => {
  graphs = await demoGraphs();
});

async function runDay(connection: DuckDBConnection, graph: ProjectGraph, date = DAY, options: SqlOptions = {}) {
  for (const query of planDay(graph, date, { dialect: "duckdb", ...options })) await connection.run(query.sql);
}

/** A deterministic pseudo-random sequence (so failures reproduce). */
function random(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** Equal to 6 decimals; a NULL bound expected NULL. */
const close = (actual: unknown, expected: number | null) =>
  expected === null ? expect(actual).toBeNull() : expect(actual as number).toBeCloseTo(expected, 6);

describe("gc-tuning-experiment on DuckDB (branches from the experiment)", () => {
  const main: MainPing[] = [
    { day: DAY, client: "c1", branch: "control", os: "Linux", activeTicks: 720, histograms: { gc_ms: { 1: 3, 10: 1 } } },
    { day: DAY, client: "c1", branch: "control", os: "Linux", activeTicks: 1440, histograms: { gc_ms: { 10: 4 } } },
    { day: "2026-10-04", client: "c1", branch: "control", os: "Linux", activeTicks: 999999 },
    { day: DAY, client: "c2", branch: "control", os: "Windows_NT", activeTicks: 3600, histograms: { gc_ms: { 100: 2 } } },
    { day: DAY, client: "c3", branch: "treatment", os: "Linux", activeTicks: 2160, histograms: { gc_ms: { 1: 1 } } },
    { day: DAY, client: "c4", branch: "treatment", os: "Linux", activeTicks: 720, histograms: { gc_ms: { 10: 3 } } },
    { day: DAY, client: "c5", os: "Linux", activeTicks: 720 },
    ...Array.from({ length: 4 }, (): MainPing => ({ day: DAY, client: "spammer", branch: "treatment", activeTicks: 720 })),
  ];
  const crashes: CrashPing[] = [
    { day: DAY, client: "c1", processType: "main" },
    { day: DAY, client: "c1", processType: "main" },
    { day: DAY, client: "c1", processType: "content" },
    { day: DAY, client: "c3", processType: null },
    { day: "2026-10-04", client: "c3", processType: "main" },
  ];
  let connection: DuckDBConnection;
  beforeAll(async () => {
    connection = await fixtureWarehouse(main, crashes);
    await runDay(connection, demo(graphs, "gc-tuning-experiment"), DAY, { spamPingsPerDay: 3 });
  });

  it("writes one row per enrolled client with its day's aggregates, without spam clients", async () => {
    const got = await rows(
      connection,
      "SELECT client_id, branch, os, active_hours, main_crashes FROM operational_monitoring.gc_tuning_experiment ORDER BY client_id",
    );
    expect(got).toEqual([
      { client_id: "c1", branch: "control", os: "Linux", active_hours: 3, main_crashes: "2" },
      { client_id: "c2", branch: "control", os: "Windows_NT", active_hours: 5, main_crashes: null },
      { client_id: "c3", branch: "treatment", os: "Linux", active_hours: 3, main_crashes: "1" },
      { client_id: "c4", branch: "treatment", os: "Linux", active_hours: 1, main_crashes: null },
    ]);
  });

  it("keeps each client's histograms of the day", async () => {
    const [c1] = await rows(connection, "SELECT gc_ms FROM operational_monitoring_derived.gc_tuning_experiment_v1 WHERE client_id = 'c1'");
    const values = (c1?.["gc_ms"] as { values: { key: string; value: string }[] }[]).map((h) =>
      h.values.map((v) => [Number(v.key), Number(v.value)]),
    );
    expect(values).toEqual(
      expect.arrayContaining([
        [
          [1, 3],
          [10, 1],
        ],
        [[10, 4]],
      ]),
    );
  });

  it("computes the mean and the histogram percentile per branch and dimension as computed by hand", async () => {
    const stats = await rows(
      connection,
      "SELECT * FROM operational_monitoring.gc_tuning_experiment_statistics WHERE branch = 'treatment' AND os = 'Linux'",
    );
    const mean = stats.find((r) => r["metric"] === "active_hours" && r["statistic"] === "mean");
    const expectedMean = meanInterval([3, 1]);
    close(mean?.["point"], expectedMean.point);
    close(mean?.["lower"], expectedMean.lower);
    close(mean?.["upper"], expectedMean.upper);
    const p50 = stats.find((r) => r["metric"] === "gc_ms" && r["parameter"] === 50);
    expect(p50).toMatchObject(histogramPercentile([{ 1: 1 }, { 10: 3 }], 50));
    // half the clients' mass below 10: the median is bucket 1's right edge (upstream: its midpoint 5.5);
    // two clients give 50% ∓ t(1)·0.5, outside (0, 1): no bounds (upstream clamped them to 1 and 10)
    expect(p50).toMatchObject({ point: 10, lower: null, upper: null });
  });

  it("rewriting the day replaces its partition instead of adding to it", async () => {
    await runDay(connection, demo(graphs, "gc-tuning-experiment"), DAY, { spamPingsPerDay: 3 });
    const [count] = await rows(connection, "SELECT COUNT(*) AS n FROM operational_monitoring_derived.gc_tuning_experiment_v1");
    expect(count?.["n"]).toBe("4");
  });

  it("types build_id INT64 (BIGINT here), NULL, in every table of a submission-date project, as upstream's tables", async () => {
    for (const table of ["gc_tuning_experiment_v1", "gc_tuning_experiment_statistics_v2", "gc_tuning_experiment_comparisons_v1"]) {
      const [column] = await rows(connection, `SELECT data_type FROM information_schema.columns WHERE table_name = '${table}' AND column_name = 'build_id'`);
      expect(column, table).toEqual({ data_type: "BIGINT" });
    }
  });

  it("records the project in projects_v1", async () => {
    const [project] = await rows(connection, "SELECT slug, branches, dimensions, alerting FROM operational_monitoring.projects");
    expect(project).toEqual({ slug: "gc-tuning-experiment", branches: ["control", "treatment"], dimensions: ["os"], alerting: true });
  });
});

describe("statistics on generated data equal an independent TypeScript computation", () => {
  const next = random(42);
  const clients = Array.from({ length: 60 }, (_, i) => ({
    client: `g${i}`,
    branch: i % 2 ? "treatment" : "control",
    ticks: Math.floor(next() * 7200),
    gc: { 1: Math.floor(next() * 5), 4: Math.floor(next() * 5), 16: Math.floor(next() * 5) + 1, 64: Math.floor(next() * 3) },
    crashes: Math.floor(next() * 4),
  }));
  let connection: DuckDBConnection;
  beforeAll(async () => {
    connection = await fixtureWarehouse(
      clients.map((c) => ({ day: DAY, client: c.client, branch: c.branch, activeTicks: c.ticks, histograms: { gc_ms: c.gc } })),
      clients.flatMap((c) => Array.from({ length: c.crashes }, (): CrashPing => ({ day: DAY, client: c.client, processType: "main" }))),
    );
    await runDay(connection, demo(graphs, "gc-tuning-experiment"));
  });

  it.each(["control", "treatment"])("%s: mean, sum and percentiles", async (branch) => {
    const mine = clients.filter((c) => c.branch === branch);
    const stats = await rows(connection, `SELECT * FROM operational_monitoring.gc_tuning_experiment_statistics WHERE branch = '${branch}'`);
    const find = (metric: string, statistic: string, parameter: number | null = null) =>
      stats.find((r) => r["metric"] === metric && r["statistic"] === statistic && r["parameter"] === parameter);
    const mean = meanInterval(mine.map((c) => c.ticks / 720));
    for (const key of ["point", "lower", "upper"] as const) close(find("active_hours", "mean")?.[key], mean[key]);
    const crashSum = sumInterval(mine.filter((c) => c.crashes > 0).map((c) => c.crashes));
    for (const key of ["point", "lower", "upper"] as const) close(find("main_crashes", "sum")?.[key], crashSum[key]);
    for (const p of [25, 50, 75, 95]) {
      const expected = histogramPercentile(
        mine.map((c) => c.gc),
        p,
      );
      for (const key of ["point", "lower", "upper"] as const) close(find("gc_ms", "percentile", p)?.[key], expected[key]);
    }
  });
  it("every view row carries its clients (counted here) and too_few_clients exactly where a bound is NULL", async () => {
    const stats = await rows(connection, "SELECT * FROM operational_monitoring.gc_tuning_experiment_statistics");
    const comparisons = await rows(connection, "SELECT * FROM operational_monitoring.gc_tuning_experiment_comparisons");
    // who has a value: every enrolled client sent ticks and gc_ms; main_crashes is NULL without a crash
    const counted = (branch: string, metric: string) =>
      clients.filter((c) => c.branch === branch && (metric !== "main_crashes" || c.crashes > 0)).length;
    expect(stats.length).toBeGreaterThan(0);
    expect(comparisons.length).toBeGreaterThan(0);
    for (const [r, comparison] of [...stats.map((r) => [r, false] as const), ...comparisons.map((r) => [r, true] as const)]) {
      const branch = r["branch"] as string;
      const metric = r["metric"] as string;
      expect(["active_hours", "main_crashes", "gc_ms"]).toContain(metric);
      const expected = comparison ? Math.min(counted(branch, metric), counted("control", metric)) : counted(branch, metric);
      expect(Number(r["clients"]), `${branch} ${metric} ${r["statistic"]} ${r["comparison"]}`).toBe(expected);
      if (!comparison) expect(r["too_few_clients"]).toBe(r["lower"] === null || r["upper"] === null);
    }
  });

  it("writes difference and relative-difference rows against control in their own view, with MOVER intervals from both branches' own", async () => {
    const stats = await rows(connection, "SELECT * FROM operational_monitoring.gc_tuning_experiment_statistics");
    const comparisons = await rows(connection, "SELECT * FROM operational_monitoring.gc_tuning_experiment_comparisons");
    const own = (branch: string, metric: string, statistic: string, parameter: number | null) =>
      stats.find((r) => r["branch"] === branch && r["metric"] === metric && r["statistic"] === statistic && r["parameter"] === parameter);
    expect(stats.some((r) => "comparison" in r)).toBe(false);
    expect(new Set(comparisons.map((r) => r["branch"]))).toEqual(new Set(["treatment"]));
    expect(comparisons.length).toBe(2 * stats.filter((r) => r["branch"] === "treatment").length);
    for (const [metric, statistic, parameter] of [
      ["active_hours", "mean", null],
      ["gc_ms", "percentile", 50],
      ["main_crashes", "sum", null],
    ] as const) {
      const [v, ref] = [own("treatment", metric, statistic, parameter), own("control", metric, statistic, parameter)].map((r) => ({
        p: r?.["point"] as number,
        l: r?.["lower"] as number,
        u: r?.["upper"] as number,
      }));
      if (!v || !ref) throw new Error(`missing ${metric} ${statistic}`);
      const diff = comparisons.find(
        (r) => r["comparison"] === "difference" && r["metric"] === metric && r["statistic"] === statistic && r["parameter"] === parameter,
      );
      close(diff?.["point"], v.p - ref.p);
      close(diff?.["lower"], v.p - ref.p - Math.hypot(v.p - v.l, ref.u - ref.p));
      close(diff?.["upper"], v.p - ref.p + Math.hypot(v.u - v.p, ref.p - ref.l));
      const rel = comparisons.find(
        (r) =>
          r["comparison"] === "relative_difference" &&
          r["metric"] === metric &&
          r["statistic"] === statistic &&
          r["parameter"] === parameter,
      );
      close(rel?.["point"], v.p / ref.p - 1);
      // Donner and Zou's ratio bounds: the roots of (θ1 − Rθ2) = 0 with each side's interval recovered
      const product = v.p * ref.p;
      const lower =
        (product - Math.sqrt(Math.max(0, product ** 2 - v.l * ref.u * (2 * v.p - v.l) * (2 * ref.p - ref.u)))) /
        (ref.u * (2 * ref.p - ref.u));
      const upper =
        (product + Math.sqrt(Math.max(0, product ** 2 - v.u * ref.l * (2 * v.p - v.u) * (2 * ref.p - ref.l)))) /
        (ref.l * (2 * ref.p - ref.l));
      if (ref.l > 0 && ref.u !== 2 * ref.p) {
        close(rel?.["lower"], lower - 1);
        close(rel?.["upper"], upper - 1);
        expect(lower - 1).toBeLessThanOrEqual(v.p / ref.p - 1);
        expect(upper - 1).toBeGreaterThanOrEqual(v.p / ref.p - 1);
      } else {
        expect(rel).toMatchObject({ lower: null, upper: null });
      }
    }
  });
});

describe("desktop-nightly-health on DuckDB (build ids, whole population, nightly only)", () => {
  const firstPaints = [900, 1200, 1500, 2100, 3000];
  let connection: DuckDBConnection;
  beforeAll(async () => {
    connection = await fixtureWarehouse(
      [
        ...firstPaints.map((fp, i): MainPing => ({
          day: "2026-10-03",
          client: `n${i}`,
          channel: "nightly",
          build: "20261002101010",
          firstPaint: fp,
        })),
        { day: "2026-10-04", client: "n0", channel: "nightly", build: "20261002101010", firstPaint: 1100 },
        { day: DAY, client: "n0", channel: "nightly", build: "20261004101010", firstPaint: 700 },
        { day: DAY, client: "r0", channel: "release", build: "20261002101010", firstPaint: 5 },
        { day: DAY, client: "old", channel: "nightly", build: "20260801101010", firstPaint: 5 },
      ],
      [{ day: "2026-10-03", client: "n1", processType: "main", build: "20261002101010" }],
    );
    await runDay(connection, demo(graphs, "desktop-nightly-health"));
  });

  it("aggregates each client per day and build over the window (upstream's unit), keeping only nightly and young builds", async () => {
    const got = await rows(
      connection,
      "SELECT client_id, build_id, branch, startup_first_paint_ms AS fp, main_crashes FROM operational_monitoring_derived.desktop_nightly_health_v1 WHERE submission_date = DATE '2026-10-05' ORDER BY ALL",
    );
    expect(got).toEqual([
      // n0 sent build 20261002 on two days: two rows, as upstream keeps them
      { client_id: "n0", build_id: "20261002", branch: "active", fp: 900, main_crashes: null },
      { client_id: "n0", build_id: "20261002", branch: "active", fp: 1100, main_crashes: null },
      { client_id: "n0", build_id: "20261004", branch: "active", fp: 700, main_crashes: null },
      { client_id: "n1", build_id: "20261002", branch: "active", fp: 1200, main_crashes: "1" },
      { client_id: "n2", build_id: "20261002", branch: "active", fp: 1500, main_crashes: null },
      { client_id: "n3", build_id: "20261002", branch: "active", fp: 2100, main_crashes: null },
      { client_id: "n4", build_id: "20261002", branch: "active", fp: 3000, main_crashes: null },
    ]);
  });

  it("split in parts, gives the same rows (parts join on each row's day, the partition is stamped with the run's)", async () => {
    const all = "SELECT * FROM operational_monitoring_derived.desktop_nightly_health_v1 ORDER BY ALL";
    const whole = await rows(connection, all);
    await runDay(connection, demo(graphs, "desktop-nightly-health"), DAY, { maxProbesPerQuery: 2 });
    expect(await rows(connection, all)).toEqual(whole);
    expect(whole.length).toBe(7);
  });

  it("scalar percentiles are order statistics of the client-days' values", async () => {
    const stats = await rows(
      connection,
      "SELECT * FROM operational_monitoring.desktop_nightly_health_statistics WHERE metric = 'startup_first_paint_ms' AND statistic = 'percentile' AND build_id = '20261002'",
    );
    for (const p of [50, 90]) {
      expect(stats.find((r) => r["parameter"] === p)).toMatchObject(scalarPercentile([900, 1100, 1200, 1500, 2100, 3000], p));
    }
  });
});

describe("tab-unloading-rollout on DuckDB (boolean pref) with alerts", () => {
  let connection: DuckDBConnection;
  beforeAll(async () => {
    const pings: MainPing[] = [
      ...[1, 2, 3].map((i): MainPing => ({ day: DAY, client: `on${i}`, pref: true, histograms: { memory_total: { 1000: 1 } } })),
      ...[1, 2, 3].map((i): MainPing => ({ day: DAY, client: `off${i}`, pref: false, histograms: { memory_total: { 5000: 1 } } })),
      { day: DAY, client: "unknown", histograms: { memory_total: { 1000: 1 } } },
    ];
    connection = await fixtureWarehouse(
      pings,
      [1, 2, 3].map((): CrashPing => ({ day: DAY, client: "on1", processType: "content" })),
    );
    const base = demo(graphs, "tab-unloading-rollout");
    const graph: ProjectGraph = {
      ...base,
      alerts: base.alerts.map((a) => (a.name === "crash_ceiling" ? { ...a, max: [2.5] } : a)),
    };
    await runDay(connection, graph);
  });

  it("assigns enabled/disabled from the pref and drops clients without one", async () => {
    const got = await rows(
      connection,
      "SELECT branch, COUNT(*) AS n FROM operational_monitoring_derived.tab_unloading_rollout_v1 GROUP BY ALL ORDER BY ALL",
    );
    expect(got).toEqual([
      { branch: "disabled", n: "3" },
      { branch: "enabled", n: "3" },
    ]);
  });

  // three clients per branch give the percentiles no interval (too_few_clients), so ci_overlap has
  // nothing to compare and stays quiet; upstream compared clamped bucket edges and fired on p50 and p95
  it("fires a fractional threshold, and no ci_overlap alert on percentiles without an interval", async () => {
    const got = await rows(
      connection,
      "SELECT alert, metric, statistic, branch, parameter, message FROM operational_monitoring.tab_unloading_rollout_alerts ORDER BY ALL",
    );
    expect(got).toEqual([
      {
        alert: "crash_ceiling",
        metric: "content_crashes",
        statistic: "sum",
        branch: "enabled",
        parameter: null,
        message: "Value above threshold",
      },
    ]);
  });
});
