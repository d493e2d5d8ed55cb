import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportToml } from "../../src/toml/export-toml.js";
import type { ProjectGraph } from "../../src/graph/project-graph.js";
import { resolveConfigDir } from "../../src/graph/resolve-config-dir.js";
import { alertsQuery } from "../../src/sql/alerts-query.js";
import { printQuery } from "../../src/sql/print-sql.js";
import { sqlContext } from "../../src/sql/sql-context.js";
import { col, fromSql, select } from "../../src/sql/sql-node.js";
import { importToml, writeModules } from "../../src/toml/import-toml.js";

/**
 * Upstream's `[alerts.x] percentiles = [...]` is a key OpMon never reads (its field is `parameters`),
 * so corpus `garbage_collection`'s `historical_diff` avg_diff alert watches every percentile of its
 * metrics. Imported, it must too: gc_effectiveness p90 and p99 still alert.
 */
const root = join(import.meta.dirname, "..", "..");
const corpus = join(root, "test", "fixtures", "metric-hub");
let work: string;
let graph: ProjectGraph;

beforeAll(async () => {
  mkdirSync(join(root, "test-artifacts"), { recursive: true });
  work = mkdtempSync(join(root, "test-artifacts", "avg-diff-percentiles-"));
  const source = join(work, "metric-hub");
  const platform = ["definitions/firefox_desktop.toml", "definitions/functions.toml", "opmon/definitions/firefox_desktop.toml", "opmon/defaults/firefox_desktop.toml"];
  for (const file of ["opmon/garbage_collection.toml", ...platform]) {
    mkdirSync(join(source, file, ".."), { recursive: true });
    copyFileSync(join(corpus, file), join(source, file));
  }
  const { modules, issues } = await importToml(source);
  expect(issues.filter((i) => i.severity === "error")).toEqual([]);
  expect(issues.map((i) => `${i.path}: ${i.message}`)).toContainEqual(
    expect.stringMatching(/^alerts\.historical_diff\.percentiles: .*ignored by OpMon/),
  );
  writeModules(join(work, "imported"), modules);
  const resolved = await resolveConfigDir(join(work, "imported"));
  const project = resolved.projects.find((p) => p.slug === "garbage_collection");
  if (!project?.graph) throw new Error(`garbage_collection did not resolve: ${JSON.stringify(project ?? resolved.projects.map((p) => p.slug))}`);
  graph = project.graph;
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("avg_diff with upstream's ignored percentiles key (corpus garbage_collection)", () => {
  it("imports the key without restricting the alert's parameters, and exports it back", async () => {
    const alert = graph.alerts.find((a) => a.name === "historical_diff");
    expect(alert).toMatchObject({ type: "avg_diff", windowSize: 7, maxRelativeChange: 0.25 });
    expect(alert?.parameters).toBeUndefined();
    const exported = await exportToml(join(work, "imported"));
    const file = exported.find((f) => f.path.endsWith("garbage_collection.toml"));
    expect((file?.data["alerts"] as Record<string, Record<string, unknown>>)["historical_diff"]).toMatchObject({
      percentiles: [25, 50, 75, 95],
    });
  });

  it("alerts on gc_effectiveness p90 and p99 as upstream did, not only the listed percentiles", async () => {
    const c = await (await DuckDBInstance.create(":memory:")).connect();
    expect(graph.population.dimensions.map((d) => d.name)).toEqual(["os"]);
    await c.run(`CREATE TABLE t (submission_date DATE, build_id VARCHAR, os VARCHAR, branch VARCHAR, metric VARCHAR,
      statistic VARCHAR, point DOUBLE, lower DOUBLE, upper DOUBLE, parameter DOUBLE)`);
    // 14 days flat at 100, then a jump to 200 on the last 7: every percentile moves by 100%
    await c.run(`INSERT INTO t SELECT DATE '2026-10-01' + CAST(i AS INTEGER), NULL, 'Windows', 'enabled', 'gc_effectiveness', 'percentile',
      CASE WHEN i >= 7 THEN 200 ELSE 100 END, NULL, NULL, p FROM range(14) AS r(i), (VALUES (50.0), (90.0), (99.0)) AS v(p)`);
    const ctx = sqlContext(graph, "2026-10-14", { dialect: "duckdb" });
    const rows = select({ columns: [col("*")], from: fromSql("t") });
    const reader = await c.runAndReadAll(
      `SELECT DISTINCT metric, parameter FROM (${printQuery(alertsQuery(ctx, { statistics: rows, comparisons: rows }), ctx.d)}) ORDER BY ALL`,
    );
    expect(reader.getRowObjectsJson()).toEqual([
      { metric: "gc_effectiveness", parameter: 50 },
      { metric: "gc_effectiveness", parameter: 90 },
      { metric: "gc_effectiveness", parameter: 99 },
    ]);
  });
});
