import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syntheticTelemetrySql } from "../../src/demo/synthetic-telemetry.js";
import { DuckDbEngine } from "../../src/engines/duckdb/duckdb-engine.js";
import type { GraphAlert, ProjectGraph } from "../../src/graph/project-graph.js";
import { daySteps } from "../../src/run/day-steps.js";
import { runProjects } from "../../src/run/run-projects.js";
import { datesBetween } from "../../src/run/select-projects.js";
import { demo, demoGraphs } from "../sql/demo-graphs.js";

/**
 * The demo projects over synthetic telemetry, read the way users read them: Looker sums the
 * statistics view, the comparisons have their own view, and build-id alerts of a past day do not
 * change when that day is run again.
 */
const START = "2026-11-01";
const END = "2026-11-19";
/** A past day of the build-id project, rerun after the days that follow it. */
const PAST = "2026-11-17";

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const text = (v: unknown) => (v === null || v === undefined ? "" : String(v));

describe("demo views and build-id alerts", () => {
  const root = join(import.meta.dirname, "..", "..");
  let work: string;
  let engine: DuckDbEngine;
  let projects: ProjectGraph[];
  /** The build-id project with a threshold every value misses: it alerts on every row it evaluates. */
  let nightly: ProjectGraph;
  const run = (graphs: readonly ProjectGraph[], dates: (g: ProjectGraph) => readonly string[]) =>
    runProjects({ engine, projects: graphs, dates, plan: (graph, day) => daySteps(graph, day, { dialect: "duckdb", pretty: false }), parallelism: 1 });

  beforeAll(async () => {
    mkdirSync(join(root, "test-artifacts"), { recursive: true });
    work = mkdtempSync(join(root, "test-artifacts", "demo-views-"));
    const graphs = await demoGraphs();
    engine = await DuckDbEngine.open(join(work, "warehouse.duckdb"));
    for (const sql of syntheticTelemetrySql({ clients: 40, startDate: START, endDate: END, seed: 5 })) await engine.execute(sql, "demo_data");
    const everything: GraphAlert = { name: "everything", type: "threshold", probes: ["startup_first_paint_ms"], statistics: ["mean"], min: [1e12] };
    nightly = { ...demo(graphs, "desktop-nightly-health"), alerts: [everything] };
    projects = [nightly, demo(graphs, "gc-tuning-experiment"), demo(graphs, "tab-unloading-rollout")];
    // a build-id day reads its whole window from the telemetry: the days before it need not run
    const summary = await run(projects, (g) => (g === nightly ? [PAST] : [END]));
    expect(summary.outcomes.map((o) => o.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
  }, 300_000);
  afterAll(async () => {
    await engine.close();
    rmSync(work, { recursive: true, force: true });
  });

  /** A branch's own values read straight from the wide statistics table, by group key. */
  async function ownValues(graph: ProjectGraph): Promise<Map<string, { point: number | null; lower: number | null; upper: number | null }>> {
    const dims = graph.population.dimensions.map((d) => d.name);
    const rows = await engine.query(`SELECT * FROM operational_monitoring_derived.${graph.tableSlug}_statistics_v2`);
    const values = new Map<string, { point: number | null; lower: number | null; upper: number | null }>();
    for (const row of rows)
      for (const cell of Object.values(row))
        if (Array.isArray(cell))
          for (const s of cell as Row[]) {
            const parameter = s["parameter"] === null ? "" : String(Number(s["parameter"]));
            const key = [text(row["submission_date"]).slice(0, 10), text(row["build_id"]), ...dims.map((d) => text(row[d])), text(row["branch"])];
            values.set([...key, text(s["metric"]), text(s["statistic"]), parameter].join("|"), {
              point: num(s["point"]),
              lower: num(s["lower"]),
              upper: num(s["upper"]),
            });
          }
    return values;
  }

  it("a Looker-style SUM over every demo statistics view equals the branch's own values", async () => {
    for (const graph of projects) {
      const dims = graph.population.dimensions.map((d) => d.name);
      const keys = ["CAST(submission_date AS VARCHAR)", "build_id", ...dims, "branch", "metric", "statistic", "CAST(parameter AS VARCHAR)"];
      const summed = await engine.query(
        `SELECT ${keys.map((k, i) => `${k} AS k${i}`).join(", ")}, SUM(point) AS point, SUM(lower) AS lower, SUM(upper) AS upper
         FROM operational_monitoring.${graph.tableSlug}_statistics GROUP BY ALL`,
      );
      const own = await ownValues(graph);
      expect(summed.length, graph.slug).toBeGreaterThan(0);
      for (const row of summed) {
        const key = keys.map((_, i) => (i === keys.length - 1 && row[`k${i}`] !== null ? String(Number(row[`k${i}`])) : text(row[`k${i}`])));
        const expected = own.get(key.join("|"));
        expect(expected, `${graph.slug} ${key.join("|")}`).toBeDefined();
        for (const bound of ["point", "lower", "upper"] as const) {
          const got = num(row[bound]);
          if (expected?.[bound] === null) expect(got).toBeNull();
          else expect(got).toBeCloseTo(expected?.[bound] ?? Number.NaN, 9);
        }
      }
    }
  });

  it("the comparisons view holds each branch against the reference, computed from the branches' own values", async () => {
    const graph = demo(await demoGraphs(), "gc-tuning-experiment");
    const own = await ownValues(graph);
    const rows = await engine.query(
      `SELECT CAST(submission_date AS VARCHAR) AS day, build_id, os, branch, reference_branch, metric, statistic, CAST(parameter AS VARCHAR) AS parameter, comparison, point
       FROM operational_monitoring.gc_tuning_experiment_comparisons`,
    );
    expect(new Set(rows.map((r) => r["comparison"]))).toEqual(new Set(["difference", "relative_difference"]));
    let checked = 0;
    for (const r of rows) {
      expect(r["reference_branch"]).toBe(graph.referenceBranch);
      expect(r["branch"]).not.toBe(graph.referenceBranch);
      const key = (branch: unknown) =>
        [r["day"], text(r["build_id"]), text(r["os"]), branch, r["metric"], r["statistic"], r["parameter"] === null ? "" : String(Number(r["parameter"]))].join("|");
      const v = own.get(key(r["branch"]))?.point;
      const ref = own.get(key(graph.referenceBranch))?.point;
      if (v === null || v === undefined || ref === null || ref === undefined || ref === 0) continue;
      const expected = r["comparison"] === "difference" ? v - ref : v / ref - 1;
      expect(num(r["point"])).toBeCloseTo(expected, 9);
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
  });

  it("build-id alerts evaluate every build of the day's window, and a rerun of a past day gives the same rows", async () => {
    const alertsOf = (day: string) =>
      engine.query(
        `SELECT build_id, os, arch, branch, metric, statistic, parameter, message FROM operational_monitoring.desktop_nightly_health_alerts
         WHERE submission_date = DATE '${day}' ORDER BY ALL`,
      );
    const stored = await alertsOf(PAST);
    // every build of the window [PAST - 14, PAST] that has data alerts, the oldest included
    const builds = [...new Set(stored.map((r) => text(r["build_id"]).slice(0, 8)))].sort();
    expect(builds[0]).toBe("20261103");
    expect(builds.at(-1)).toBe("20261117");
    const summary = await run([nightly], () => [...datesBetween("2026-11-18", END), PAST]);
    expect(summary.outcomes.map((o) => o.status)).toEqual(["succeeded"]);
    expect(await alertsOf(PAST)).toEqual(stored);
  });
});
