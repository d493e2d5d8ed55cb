import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syntheticTelemetrySql } from "../../src/demo/synthetic-telemetry.js";
import { DuckDbEngine } from "../../src/engines/duckdb/duckdb-engine.js";
import type { ProjectGraph } from "../../src/graph/project-graph.js";
import { daySteps } from "../../src/run/day-steps.js";
import { runProjects } from "../../src/run/run-projects.js";
import { datesBetween } from "../../src/run/select-projects.js";
import { demo, demoGraphs } from "../sql/demo-graphs.js";

/**
 * The demo's telemetry over 60 days with the nightly regression on day 50 (builds from 2026-11-18 on:
 * first paint 30% slower): the alerts of the demo projects find it, at the right build, and the 49 days
 * before it give the change-point detector a control-only series to raise false alarms on.
 */
const END = "2026-11-27";
const fixed = (v: unknown) => (v === null ? "NULL" : Number(v).toFixed(3));
const START = "2026-09-29";
const REGRESSION = "2026-11-18";

describe("demo alerts over 60 days of synthetic telemetry", () => {
  const root = join(import.meta.dirname, "..", "..");
  let work: string;
  let engine: DuckDbEngine;
  let graphs: ReadonlyMap<string, ProjectGraph>;
  beforeAll(async () => {
    mkdirSync(join(root, "test-artifacts"), { recursive: true });
    work = mkdtempSync(join(root, "test-artifacts", "demo-alerts-"));
    graphs = await demoGraphs();
    engine = await DuckDbEngine.open(join(work, "warehouse.duckdb"));
    for (const sql of syntheticTelemetrySql({ clients: 400, startDate: START, endDate: END, seed: 3, regressionDate: REGRESSION })) {
      await engine.execute(sql, "demo_data");
    }
    const nightly = demo(graphs, "desktop-nightly-health");
    const experiment = demo(graphs, "gc-tuning-experiment");
    const summary = await runProjects({
      engine,
      projects: [nightly, experiment],
      // the experiment only needs its last days for a branch comparison
      dates: (g) => (g === experiment ? datesBetween("2026-11-24", END) : datesBetween(START, END)),
      plan: (graph, day) => daySteps(graph, day, { dialect: "duckdb", pretty: false }),
      parallelism: 2,
    });
    expect(summary.outcomes.map((o) => o.status)).toEqual(["succeeded", "succeeded"]);
  }, 420_000);
  afterAll(async () => {
    await engine.close();
    rmSync(work, { recursive: true, force: true });
  });

  it("change_point names the first regressed build, and raises no false alarm before it (count printed)", async () => {
    const rows = await engine.query(
      "SELECT CAST(submission_date AS VARCHAR) AS day, build_id, since, os, arch FROM operational_monitoring.desktop_nightly_health_alerts WHERE alert = 'startup_step' ORDER BY ALL",
    );
    const regressed = REGRESSION.replaceAll("-", "");
    const right = rows.filter((r) => r["since"] === regressed);
    const wrong = rows.filter((r) => r["since"] !== regressed);
    const days = datesBetween(START, END).length;
    console.log(
      `change_point on the demo's nightly first paint: ${right.length} alert(s) at build ${regressed}, ${wrong.length} false alert(s) over ${days} days (${wrong.map((r) => `${String(r["since"])} ${String(r["os"])}/${String(r["arch"])}`).join(", ") || "none"})`,
    );
    expect(right.length).toBeGreaterThan(0);
    expect(wrong.length).toBeLessThanOrEqual(2);
  });

  it("the branch comparison rows find the experiment's longer GC pauses (printed), and ci_overlap fires where intervals part", async () => {
    const rows = await engine.query(
      `SELECT os, point, lower, upper FROM operational_monitoring.gc_tuning_experiment_comparisons
       WHERE comparison = 'relative_difference' AND metric = 'gc_ms' AND parameter = 50 AND submission_date = DATE '${END}' ORDER BY os`,
    );
    for (const r of rows)
      console.log(`gc_ms p50 treatment vs control, ${String(r["os"])}: ${fixed(r["point"])} [${fixed(r["lower"])}, ${fixed(r["upper"])}]`);
    const alerts = await engine.query("SELECT COUNT(*) AS n FROM operational_monitoring.gc_tuning_experiment_alerts");
    console.log(`gc_pauses (ci_overlap) alerts over the last 4 days: ${String(alerts[0]?.["n"])}`);
    // the synthetic treatment makes pauses 50% longer
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(Number(r["point"])).toBeGreaterThan(0.1);
    expect(rows.filter((r) => Number(r["lower"]) > 0).length).toBeGreaterThan(0);
  });
});
