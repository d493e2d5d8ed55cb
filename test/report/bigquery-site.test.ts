import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bigQueryViewName } from "../../src/cli/commands/dashboard.js";
import { BigQueryEngine } from "../../src/engines/bigquery/bigquery-engine.js";
import { DuckDbEngine } from "../../src/engines/duckdb/duckdb-engine.js";
import type { ProjectGraph } from "../../src/graph/project-graph.js";
import { writeSite } from "../../src/report/write-site.js";
import { opmon } from "../helpers/cli.js";
import { startFakeBigQuery } from "../helpers/fake-bigquery.js";
import { demoGraphs, graphOf } from "./demo-graphs.js";
import { writeFixtureResults } from "./fixture-warehouse.js";

type Rows = Record<string, string | null>[];

let dir: string;
let graph: ProjectGraph;
/** The DuckDB site's page, and the rows of its views as BigQuery's REST API sends them (strings). */
let duckdbPage: string;
const views = new Map<string, Rows>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "opmon-bq-site-"));
  graph = graphOf(await demoGraphs(), "gc-tuning-experiment");
  const engine = await DuckDbEngine.open(join(dir, "warehouse.duckdb"));
  try {
    await writeFixtureResults(engine, graph, dir);
    duckdbPage = readFileSync((await writeSite((sql) => engine.query(sql), [graph], { out: join(dir, "duckdb") })).pages[0] ?? "", "utf8");
    for (const suffix of ["_statistics", "_alerts"]) {
      const rows = await engine.query(`SELECT * FROM operational_monitoring.${graph.tableSlug}${suffix}`);
      views.set(
        suffix,
        rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? null : String(v)]))),
      );
    }
  } finally {
    await engine.close();
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the dashboard from BigQuery results", () => {
  it("reads the project's views in project.dataset.view and draws the same page as from DuckDB", async () => {
    const asked: string[] = [];
    const fake = await startFakeBigQuery({
      rows: (sql) => {
        asked.push(sql);
        const view = [...views.keys()].find((suffix) => sql.endsWith(`${graph.tableSlug}${suffix}\``));
        return view ? (views.get(view) ?? []) : [];
      },
    });
    try {
      const engine = await BigQueryEngine.connect({ projectId: "opmon-prod", apiEndpoint: fake.url, token: "t" });
      const site = await writeSite((sql) => engine.query(sql), [graph], {
        out: join(dir, "bigquery"),
        viewName: bigQueryViewName("opmon-prod"),
      });
      expect(asked).toEqual([
        "SELECT * FROM `opmon-prod.operational_monitoring.gc_tuning_experiment_statistics`",
        "SELECT * FROM `opmon-prod.operational_monitoring.gc_tuning_experiment_alerts`",
      ]);
      expect(site.projects[0]?.rows.length).toBeGreaterThan(100);
      expect(readFileSync(site.pages[0] ?? "", "utf8")).toBe(duckdbPage);
    } finally {
      await fake.stop();
    }
  });

  it("opmon dashboard --engine bigquery without a project says what to pass, in one line", () => {
    const r = opmon(["dashboard", "--engine", "bigquery", "--out", join(dir, "nosite")]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual(["opmon: --engine bigquery needs --project-id (or GOOGLE_CLOUD_PROJECT)"]);
  });
});
