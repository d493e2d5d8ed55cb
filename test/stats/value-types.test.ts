import { DuckDBInstance } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";
import type { GraphProbe, ProjectGraph } from "../../src/graph/project-graph.js";
import { printQuery } from "../../src/sql/print-sql.js";
import { sqlContext } from "../../src/sql/sql-context.js";
import { statisticsQuery } from "../../src/sql/statistics-query.js";
import { demo, demoGraphs } from "../sql/demo-graphs.js";

// A probe's values need not be numbers: `count` takes any type (a BOOL flag, a STRING channel), so its
// SQL must not cast them; BigQuery has no BOOL to FLOAT64 cast and rejects the whole query.

const DATE = "2026-10-05";
const probes: GraphProbe[] = [
  { name: "flag", type: "scalar", dataSource: "main", select: "flag", statistics: [{ name: "count" }] },
  { name: "channel", type: "scalar", dataSource: "main", select: "channel", statistics: [{ name: "count" }] },
  { name: "hours", type: "scalar", dataSource: "main", select: "hours", statistics: [{ name: "count" }, { name: "mean" }] },
];

let graph: ProjectGraph;
beforeAll(async () => {
  const base = demo(await demoGraphs(), "gc-tuning-experiment");
  graph = { ...base, probes, population: { ...base.population, dimensions: [] } };
});

const sql = (dialect: "duckdb" | "bigquery") => {
  const ctx = sqlContext(graph, DATE, { dialect });
  return printQuery(statisticsQuery(ctx, ["metrics_v1"]), ctx.d);
};

describe("statistics of probes whose values are not numbers", () => {
  it("counts BOOL and STRING values on DuckDB (NULLs not counted), next to a numeric probe's count and mean", async () => {
    const c = await (await DuckDBInstance.create(":memory:")).connect();
    await c.run(`CREATE TABLE metrics_v1 AS SELECT * FROM (VALUES
      (DATE '${DATE}', '20261005', 'control', 'a', TRUE, 'release', 1.0),
      (DATE '${DATE}', '20261005', 'control', 'b', FALSE, NULL, 2.0),
      (DATE '${DATE}', '20261005', 'control', 'c', NULL, 'beta', 6.0),
      (DATE '${DATE}', '20261005', 'treatment', 'd', TRUE, 'nightly', NULL)
    ) t(submission_date, build_id, branch, client_id, flag, channel, hours)`);
    const reader = await c.runAndReadAll(`SELECT branch, flag_count[1].point AS flag, channel_count[1].point AS channel,
      hours_count[1].point AS hours, hours_mean[1].point AS hours_mean FROM (${sql("duckdb")}) ORDER BY branch`);
    expect(reader.getRowObjectsJson()).toEqual([
      { branch: "control", flag: 2, channel: 2, hours: 3, hours_mean: 3 },
      { branch: "treatment", flag: 1, channel: 1, hours: 0, hours_mean: null },
    ]);
  });

  it("never casts a counted-only probe in the BigQuery SQL; a probe with a mean is cast to FLOAT64 as before", () => {
    const bigquery = sql("bigquery");
    expect(bigquery).toContain("COUNT(metrics.flag)");
    expect(bigquery).toContain("COUNT(metrics.channel)");
    expect(bigquery).not.toMatch(/CAST\(metrics\.(flag|channel) AS/);
    expect(bigquery).toMatch(/CAST\(metrics\.hours AS FLOAT64\)/);
  });
});
