import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bigQueryViewName } from "../../src/cli/commands/dashboard.js";
import { BigQueryEngine, BigQueryNotFoundError } from "../../src/engines/bigquery/bigquery-engine.js";
import { DuckDbEngine } from "../../src/engines/duckdb/duckdb-engine.js";
import type { ProjectGraph } from "../../src/graph/project-graph.js";
import { writeSite } from "../../src/report/write-site.js";
import { opmon, opmonAsync } from "../helpers/cli.js";
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
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual(["opmon: --engine bigquery needs --project-id (or GOOGLE_CLOUD_PROJECT) (see opmon dashboard --help)"]);
  });
});

describe("the dashboard from BigQuery during an outage", () => {
  const missingView = (e: unknown) => e instanceof BigQueryNotFoundError;

  it("views that do not exist yet are pages saying so, as before", async () => {
    const fake = await startFakeBigQuery({ notFound: () => true });
    try {
      const engine = await BigQueryEngine.connect({ projectId: "opmon-prod", apiEndpoint: fake.url, token: "t" });
      const site = await writeSite((sql) => engine.query(sql), [graph], {
        out: join(dir, "never-ran"),
        viewName: bigQueryViewName("opmon-prod"),
        isMissing: missingView,
      });
      expect(site.projects[0]?.missing).toMatch(/notFound: Not found: Table/);
    } finally {
      await fake.stop();
    }
  });

  it("a failure to reach BigQuery stops the site before any page is written", async () => {
    // every request fails, past the retries (a 503 is retried: tiny backoff keeps this fast)
    const fake = await startFakeBigQuery({ faults: () => 503 });
    const out = join(dir, "outage-in-process");
    try {
      const engine = await BigQueryEngine.connect({ projectId: "opmon-prod", apiEndpoint: fake.url, token: "t", tries: 2, backoffMs: 1 });
      const written = writeSite((sql) => engine.query(sql), [graph], { out, viewName: bigQueryViewName("opmon-prod"), isMissing: missingView });
      await expect(written).rejects.toThrow(/BigQuery answered HTTP 503: backendError: injected 503/);
      expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
    } finally {
      await fake.stop();
    }
  });

  it("opmon dashboard --engine bigquery behind a proxy's login page exits 1, says why, and leaves the site as it was", async () => {
    const fake = await startFakeBigQuery({ faults: () => "html" });
    const out = join(dir, "site-before-outage");
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, "index.html"), "yesterday's site");
    const saved = { ...process.env };
    try {
      process.env["BIGQUERY_EMULATOR_HOST"] = `${fake.url}/bigquery/v2`;
      process.env["GOOGLE_OAUTH_ACCESS_TOKEN"] = "ya29.cli-s3cr3t";
      const running = opmonAsync(["dashboard", "--engine", "bigquery", "--project-id", "opmon-prod", "--out", out]);
      process.env = saved;
      const r = await running;
      expect(r.code).toBe(1);
      const lines = r.stderr.trim().split("\n");
      expect(lines.at(-1)).toMatch(
        /^opmon: cannot read results from BigQuery, so .*site-before-outage was left as it was: query "SELECT \* FROM `opmon-prod\.operational_monitoring\.[a-z_]+_statistics`": insert job: BigQuery answered HTTP 200 with text\/html, not JSON: "<html>/,
      );
      expect(r.stderr + r.stdout).not.toContain("s3cr3t");
      expect(readdirSync(out)).toEqual(["index.html"]);
      expect(readFileSync(join(out, "index.html"), "utf8")).toBe("yesterday's site");
    } finally {
      process.env = saved;
      await fake.stop();
    }
  }, 60_000);
});
