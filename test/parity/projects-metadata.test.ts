import { DuckDBInstance } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";
import type { ProjectGraph } from "../../src/graph/project-graph.js";
import { planMetadata } from "../../src/sql/plan-day.js";
import { demo, demoGraphs } from "../sql/demo-graphs.js";

/**
 * `projects_v1` as upstream's `templates/projects.sql` creates and fills it: opmon writes into a table
 * upstream created (adding its own `friendly_name` column), keeps upstream's `name` (the configured
 * name), and replaces a project's row instead of adding one.
 */
let graphs: ReadonlyMap<string, ProjectGraph>;
beforeAll(async () => {
  graphs = await demoGraphs();
});

describe("projects_v1 metadata (upstream's table and values)", () => {
  it("writes into a table upstream created, name as upstream's, friendly_name added, each project's row replaced", async () => {
    const c = await (await DuckDBInstance.create(":memory:")).connect();
    await c.run("CREATE SCHEMA operational_monitoring_derived");
    // upstream's first-run CREATE TABLE (its column list and types)
    await c.run(`CREATE TABLE operational_monitoring_derived.projects_v1 (slug VARCHAR, name VARCHAR, xaxis VARCHAR, branches VARCHAR[],
      dimensions VARCHAR[], summaries STRUCT(statistic VARCHAR, metric VARCHAR, metric_groups VARCHAR[])[], start_date DATE, end_date DATE,
      group_by_dimension VARCHAR, alerting BOOLEAN, compact_visualization BOOLEAN)`);
    await c.run(`INSERT INTO operational_monitoring_derived.projects_v1 (slug, name) VALUES ('desktop-nightly-health', 'stale'), ('other', 'kept')`);
    const nightly = demo(graphs, "desktop-nightly-health");
    const unnamed: ProjectGraph = { ...demo(graphs, "gc-tuning-experiment"), name: "gc-tuning-experiment" };
    const metadata = planMetadata([nightly, unnamed], "2026-11-27", { dialect: "duckdb" });
    if (!metadata) throw new Error("no metadata for two projects");
    await c.run(metadata.sql);
    const reader = await c.runAndReadAll(
      "SELECT slug, name, friendly_name, xaxis, branches, alerting FROM operational_monitoring.projects ORDER BY slug",
    );
    expect(reader.getRowObjectsJson()).toEqual([
      { slug: "desktop-nightly-health", name: "Desktop Nightly health", friendly_name: "Desktop Nightly health", xaxis: "build_id", branches: ["active"], alerting: true },
      // no configured name: upstream wrote "None" there; opmon NULL, and the slug for dashboards
      { slug: "gc-tuning-experiment", name: null, friendly_name: "gc-tuning-experiment", xaxis: "submission_date", branches: ["control", "treatment"], alerting: true },
      { slug: "other", name: "kept", friendly_name: null, xaxis: null, branches: null, alerting: null },
    ]);
  });

  it("is one statement list for the whole run: one DELETE and one INSERT for every project", () => {
    const all = [...graphs.values()];
    const sql = planMetadata(all, "2026-11-27", { dialect: "bigquery" })?.sql ?? "";
    expect(sql.match(/\bDELETE FROM\b/g)).toHaveLength(1);
    expect(sql.match(/\bINSERT INTO\b/g)).toHaveLength(1);
    for (const g of all) expect(sql).toContain(`'${g.slug}'`);
  });
});
