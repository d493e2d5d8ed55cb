import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configSchemas } from "../../src/analyze/schema-roots.js";
import { readSchemaFile } from "../../src/schemas/bigquery-schema.js";
import { cli, ROOT, scratchConfigDir } from "../helpers/cli.js";
import { startFakeBigQuery } from "../helpers/fake-bigquery.js";

// `opmon schemas pull` against the loopback BigQuery fake: tables.get answers with the real schemas
// vendored in test/fixtures/schemas, so what lands in the cache can be compared with them.

const FIXTURES = join(ROOT, "test", "fixtures", "schemas");
const fixture = (project: string, dataset: string, table: string) => readSchemaFile(join(FIXTURES, project, dataset, `${table}.json.gz`));
/** The tables the demo's data sources read (definitions/ and projects/). */
const DEMO_TABLES = ["mozdata.telemetry.crash", "mozdata.telemetry.main"];

describe("opmon schemas pull", () => {
  let dir: string;
  const saved = { ...process.env };
  beforeAll(() => {
    dir = scratchConfigDir();
  });
  afterAll(() => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the command with the fake as BigQuery and a token as credentials. */
  async function withFake(tables: Record<string, readonly object[]>, args: readonly string[]) {
    const fake = await startFakeBigQuery({ tables });
    try {
      process.env["BIGQUERY_EMULATOR_HOST"] = `${fake.url}/bigquery/v2`;
      process.env["GOOGLE_OAUTH_ACCESS_TOKEN"] = "ya29.pull-s3cr3t";
      const result = await cli(["schemas", "pull", "--config-dir", dir, ...args]);
      return { ...result, requests: fake.requests.map((r) => `${r.method} ${r.path}`) };
    } finally {
      process.env = { ...saved };
      await fake.stop();
    }
  }

  it("caches the schema of every table the configs read where validate finds it", async () => {
    const tables = {
      "mozdata.telemetry.main": fixture("mozdata", "telemetry", "main"),
      "mozdata.telemetry.crash": fixture("mozdata", "telemetry", "crash"),
    };
    const r = await withFake(tables, ["--json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { tables: number; cached: { table: string; file: string }[]; missing: unknown[] };
    expect(report.cached.map((c) => c.table)).toEqual(DEMO_TABLES);
    expect(report.missing).toEqual([]);
    // one tables.get per table, in the table's own project (a mozdata view is fetched as the view)
    expect(r.requests.sort()).toEqual([
      "GET /bigquery/v2/projects/mozdata/datasets/telemetry/tables/crash",
      "GET /bigquery/v2/projects/mozdata/datasets/telemetry/tables/main",
    ]);
    expect(readdirSync(join(dir, ".opmon", "schemas", "mozdata", "telemetry")).sort()).toEqual(["crash.json", "main.json"]);
    // validate's catalog reads the cache, under either spelling of the project
    const catalog = configSchemas(dir);
    expect(catalog.find("mozdata.telemetry.main")?.fields).toEqual(tables["mozdata.telemetry.main"]);
    expect(catalog.find("moz-fx-data-shared-prod.telemetry.crash")?.fields).toEqual(tables["mozdata.telemetry.crash"]);
    expect(catalog.find("mozdata.telemetry.main")?.file).toBe(join(dir, ".opmon", "schemas", "mozdata", "telemetry", "main.json"));
    expect(r.stdout + r.stderr).not.toContain("s3cr3t");
  });

  it("exits 1 naming each table BigQuery does not have, and keeps what it fetched", async () => {
    rmSync(join(dir, ".opmon"), { recursive: true, force: true });
    const r = await withFake({ "mozdata.telemetry.main": fixture("mozdata", "telemetry", "main") }, []);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^missing mozdata\.telemetry\.crash: read the schema of mozdata\.telemetry\.crash: BigQuery answered HTTP 404: .*Not found: Table mozdata:telemetry\.crash/m);
    expect(r.stdout).toContain(`1 of 2 table schema(s) cached in ${join(dir, ".opmon", "schemas")}, 1 missing`);
    expect(existsSync(join(dir, ".opmon", "schemas", "mozdata", "telemetry", "main.json"))).toBe(true);
    expect(existsSync(join(dir, ".opmon", "schemas", "mozdata", "telemetry", "crash.json"))).toBe(false);
  });

  it("lists the missing tables with their reason in --json", async () => {
    const r = await withFake({}, ["--json"]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { cached: unknown[]; missing: { table: string; reason: string }[] };
    expect(report.cached).toEqual([]);
    expect(report.missing.map((m) => m.table)).toEqual(DEMO_TABLES);
    expect(report.missing[0]?.reason).toMatch(/Not found: Table mozdata:telemetry\.crash/);
  });

  it("refuses an unknown action, a missing one and an unknown option with exit 2", async () => {
    const r = await cli(["schemas", "push", "--config-dir", dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown action "push" \(the action is pull\)/);
    expect((await cli(["schemas"])).code).toBe(2);
    expect((await cli(["schemas", "pull", "--bogus", "--config-dir", dir])).code).toBe(2);
  });

  it("says how to log in, in one line and without a stack or a Node warning, when there are no credentials", async () => {
    process.env["GOOGLE_APPLICATION_CREDENTIALS"] = join(dir, "no-such-key.json");
    process.env["HOME"] = join(dir, "no-home");
    delete process.env["GOOGLE_OAUTH_ACCESS_TOKEN"];
    delete process.env["BIGQUERY_EMULATOR_HOST"];
    try {
      const r = await cli(["schemas", "pull", "--config-dir", dir]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split("\n")).toEqual([expect.stringMatching(/no Google credentials found: .*gcloud auth application-default login/)]);
      expect(r.stderr).not.toMatch(/Warning|    at /);
    } finally {
      process.env = { ...saved };
    }
  });

  it("has --help", async () => {
    const r = await cli(["schemas", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("opmon schemas pull --config-dir ./monitoring");
    expect(r.stdout).toContain("--json");
  });
});
