import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatIssue } from "../../src/config/issue.js";
import { cli, ROOT } from "../helpers/cli.js";

// `opmon plan --check` and `opmon run --check`: the day's SQL is proven as `opmon validate` proves it
// (ZetaSQL, then DuckDB on empty tables, against the real schema of telemetry.main), and a rejected
// statement stops the command with the mapped error before anything is executed.

const DEFINITIONS = `
[data_sources.main]
from_expression = "mozdata.telemetry.main"
submission_date_column = "DATE(submission_timestamp)"

[metrics.uri_count]
data_source = "main"
select_expression = "SUM(payload.processes.parent.scalars.browser_engagement_total_uri_count)"
type = "scalar"

[metrics.uri_count.statistics]
mean = {}

[metrics.subsessions]
data_source = "main"
select_expression = "SUM(payload.info.subsession_lenght)"
type = "scalar"

[metrics.subsessions.statistics]
mean = {}
`;

const project = (name: string, metric: string) => `
[project]
name = "${name}"
platform = "firefox_desktop"
start_date = "2026-11-01"
end_date = "2026-11-10"
metrics = ["${metric}"]

[project.population]
data_source = "main"
monitor_entire_population = true
`;

const DATE = "2026-11-05";

describe("--check before a plan or a run", () => {
  let dir: string;
  let config: string;
  let warehouse: string;
  beforeAll(async () => {
    mkdirSync(join(ROOT, "test-artifacts"), { recursive: true });
    dir = mkdtempSync(join(ROOT, "test-artifacts", "check-"));
    const src = join(dir, "src");
    mkdirSync(join(src, "opmon"), { recursive: true });
    mkdirSync(join(src, "definitions"), { recursive: true });
    writeFileSync(join(src, "definitions", "firefox_desktop.toml"), DEFINITIONS);
    writeFileSync(join(src, "opmon", "clean-project.toml"), project("Clean", "uri_count"));
    writeFileSync(join(src, "opmon", "typo-project.toml"), project("Typo", "subsessions"));
    config = join(dir, "config");
    const imported = await cli(["import", src, "--out", config]);
    expect(imported.code, imported.stderr).toBe(0);
    const schemas = join(config, "schemas", "mozdata", "telemetry");
    mkdirSync(schemas, { recursive: true });
    cpSync(join(ROOT, "test", "fixtures", "schemas", "mozdata", "telemetry", "main.json.gz"), join(schemas, "main.json.gz"));
    warehouse = join(dir, "warehouse.duckdb");
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The tables of the warehouse, if it was created. */
  async function tables(): Promise<string[]> {
    if (!existsSync(warehouse)) return [];
    const instance = await DuckDBInstance.create(warehouse);
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll("SELECT table_catalog || '.' || table_schema || '.' || table_name AS t FROM information_schema.tables");
      return reader.getRowObjects().map((r) => String(r["t"]));
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  }

  const common = () => ["--config-dir", config, "--date", DATE, "--warehouse", warehouse, "--no-experimenter"];

  it("run --check stops with the mapped error, and runs nothing, not even the clean project", async () => {
    const r = await cli(["run", "--check", ...common()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^definitions\/firefox_desktop\.ts:\d+:\d+ error at probe subsessions \(in project typo-project\): .*Field name subsession_lenght does not exist.*Did you mean subsession_length\?/m,
    );
    expect(r.stderr).toContain(`opmon: --check: 1 rejected SQL statement(s) for ${DATE}; nothing was run`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe("");
    expect(await tables()).toEqual([]);
  }, 120_000);

  it("plan --check stops the same way before estimating anything", async () => {
    const r = await cli(["plan", "--check", ...common()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^definitions\/firefox_desktop\.ts:\d+:\d+ error at probe subsessions \(in project typo-project\): /m);
    expect(r.stdout).not.toContain("PROJECT");
  }, 120_000);

  it("plan --check of a clean project says what it proved, then plans", async () => {
    const r = await cli(["plan", "--check", "--slug", "clean-project", ...common()]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/--check: BigQuery SQL: \d+ statement\(s\) analyzed; DuckDB SQL: \d+ step\(s\) run on empty tables/);
    expect(r.stderr).not.toContain("typo-project");
    expect(r.stdout).toMatch(/^clean-project\s+metrics/m);
  }, 120_000);

  it("without --check, the typo reaches the run (the check is what stops it)", async () => {
    const r = await cli(["plan", "--slug", "typo-project", ...common()]);
    expect(r.stderr).not.toContain("subsession_lenght does not exist");
  }, 120_000);

  it("traces a statement DuckDB rejects to the probe whose expression it names", async () => {
    // ZetaSQL would say it first; DuckDB alone must name the snippet too
    const { prepareDuckDb } = await import("../../src/analyze/prepare-duckdb.js");
    const { configSchemas } = await import("../../src/analyze/schema-roots.js");
    const { resolveConfigDir } = await import("../../src/graph/resolve-config-dir.js");
    const projects = (await resolveConfigDir(config)).projects.filter((p) => p.slug === "typo-project");
    const report = await prepareDuckDb({ configDir: config, projects, schemas: configSchemas(config), date: DATE });
    expect(report.issues.map(formatIssue)).toEqual([
      expect.stringMatching(/^definitions\/firefox_desktop\.ts:\d+:\d+ error at probe subsessions \(in project typo-project\): DuckDB: Binder Error: .*"subsession_lenght"/),
    ]);
  }, 120_000);

  it("refuses --check without any schema, saying how to get them", async () => {
    const bare = join(dir, "bare");
    cpSync(config, bare, { recursive: true });
    rmSync(join(bare, "schemas"), { recursive: true, force: true });
    const r = await cli(["plan", "--check", "--config-dir", bare, "--date", DATE, "--warehouse", warehouse, "--no-experimenter"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--check needs the BigQuery schemas .* or run opmon schemas pull/);
  }, 120_000);
});
