import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BigQueryEngine, MissingCredentialsError } from "../../src/engines/bigquery/bigquery-engine.js";
import { parseDuration } from "../../src/cli/commands/engine-options.js";
import { startFakeBigQuery } from "../helpers/fake-bigquery.js";

describe("BigQuery engine against a loopback fake of the REST API", () => {
  let fake: Awaited<ReturnType<typeof startFakeBigQuery>>;
  let engine: BigQueryEngine;
  beforeAll(async () => {
    fake = await startFakeBigQuery({ bytesProcessed: 5_000_000, rows: [{ slug: "a" }] });
    engine = await BigQueryEngine.connect({
      projectId: "opmon-test",
      apiEndpoint: fake.url,
      token: "fake-token",
      maximumBytesBilled: 10_000_000,
      labels: { tool: "opmon", project: "gc_rollout" },
    });
  });
  afterAll(() => fake.stop());

  it("writes a day with WRITE_TRUNCATE to the partition decorator, partitioned and clustered", async () => {
    await engine.writePartition(
      { dataset: "operational_monitoring_derived", table: "gc_rollout_v1" },
      "2026-11-27",
      "SELECT 1 AS x",
      "metrics",
    );
    const insert = fake.jobInserts().at(-1)?.body;
    expect(insert?.["configuration"]?.query).toMatchObject({
      query: "SELECT 1 AS x",
      destinationTable: { projectId: "opmon-test", datasetId: "operational_monitoring_derived", tableId: "gc_rollout_v1$20261127" },
      writeDisposition: "WRITE_TRUNCATE",
      createDisposition: "CREATE_IF_NEEDED",
      schemaUpdateOptions: ["ALLOW_FIELD_ADDITION"],
      timePartitioning: { type: "DAY", field: "submission_date" },
      clustering: { fields: ["build_id"] },
      maximumBytesBilled: "10000000",
      useQueryCache: false,
    });
    expect(insert?.["configuration"]?.labels).toEqual({ tool: "opmon", project: "gc_rollout", step: "metrics" });
  });

  it("reports bytes from a dry run without running anything", async () => {
    const estimate = await engine.estimate("SELECT * FROM t");
    expect(estimate).toEqual({ bytes: 5_000_000 });
    expect(fake.jobInserts().at(-1)?.body["configuration"]).toMatchObject({ dryRun: true, query: { query: "SELECT * FROM t" } });
  });

  it("replaces views with plain statements and reads rows", async () => {
    await engine.execute("CREATE OR REPLACE VIEW `opmon-test.operational_monitoring.gc_rollout` AS SELECT 1", "metrics_view");
    expect(fake.jobInserts().at(-1)?.body["configuration"]?.query?.destinationTable).toBeUndefined();
    expect(await engine.query("SELECT slug FROM projects")).toEqual([{ slug: "a" }]);
  });

  it("fails a job that would bill more than the cap", async () => {
    const capped = await BigQueryEngine.connect({ projectId: "opmon-test", apiEndpoint: fake.url, token: "t", maximumBytesBilled: 1000 });
    await expect(capped.writePartition({ dataset: "d", table: "t_v1" }, "2026-11-27", "SELECT 1", "metrics")).rejects.toThrow(
      /exceeded limit for bytes billed/,
    );
  });
});

describe("BigQuery concurrent transactions", () => {
  it("reruns a metadata transaction that BigQuery aborted for a concurrent update", async () => {
    let inserts = 0;
    const fake = await startFakeBigQuery({
      faults: (_n, method, path) => (method === "POST" && path.endsWith("/jobs") && ++inserts === 1 ? "job-concurrent" : undefined),
    });
    try {
      const engine = await BigQueryEngine.connect({ projectId: "p", apiEndpoint: fake.url, token: "t" });
      await engine.execute("BEGIN TRANSACTION; DELETE FROM d.projects_v1 WHERE slug IN ('a'); COMMIT TRANSACTION;", "projects");
      expect(fake.jobInserts()).toHaveLength(2);
    } finally {
      await fake.stop();
    }
  });
});

describe("BigQuery credentials", () => {
  it("says how to log in, quickly, when there are none", async () => {
    const saved = { ...process.env };
    process.env["GOOGLE_APPLICATION_CREDENTIALS"] = "/nonexistent/key.json";
    process.env["HOME"] = "/nonexistent";
    const started = Date.now();
    try {
      await expect(BigQueryEngine.connect({ projectId: "p" })).rejects.toThrow(MissingCredentialsError);
      await expect(BigQueryEngine.connect({ projectId: "p" })).rejects.toThrow(/gcloud auth application-default login/);
    } finally {
      process.env = saved;
    }
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe("--job-timeout and --request-timeout", () => {
  it("read durations with a unit, or bare seconds, and refuse anything else in one line", () => {
    expect(parseDuration("--job-timeout", "6h")).toBe(21_600_000);
    expect(parseDuration("--job-timeout", "90m")).toBe(5_400_000);
    expect(parseDuration("--request-timeout", "30s")).toBe(30_000);
    expect(parseDuration("--request-timeout", 45)).toBe(45_000);
    expect(parseDuration("--request-timeout", "250ms")).toBe(250);
    for (const bad of ["", "soon", "-5s", "0", "10 parsecs"])
      expect(() => parseDuration("--job-timeout", bad)).toThrow(`--job-timeout must be a duration such as 30s, 10m or 6h, not "${bad}"`);
  });
});
