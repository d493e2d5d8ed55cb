import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syntheticTelemetrySql } from "../../src/demo/synthetic-telemetry.js";
import { DuckDbEngine } from "../../src/engines/duckdb/duckdb-engine.js";

const options = { clients: 400, startDate: "2026-11-01", endDate: "2026-11-14", seed: 7 };

describe("synthetic demo telemetry", () => {
  let engine: DuckDbEngine;
  beforeAll(async () => {
    engine = await DuckDbEngine.open(":memory:");
    for (const sql of syntheticTelemetrySql(options)) await engine.execute(sql, "demo");
  });
  afterAll(() => engine.close());

  it("fills every day for every channel, under BigQuery's table names", async () => {
    const [days] = await engine.query(
      "SELECT count(DISTINCT CAST(submission_timestamp AS DATE)) AS days, count(DISTINCT client_id) AS clients, count(DISTINCT normalized_channel) AS channels FROM mozdata.telemetry.main",
    );
    expect(days).toEqual({ days: "14", clients: "400", channels: "3" });
    const [crashes] = await engine.query("SELECT count(*) > 0 AS any FROM mozdata.telemetry.crash");
    expect(crashes).toEqual({ any: true });
  });

  it("is reproducible for a seed", async () => {
    const digest = "SELECT sum(hash(document_id, payload.histograms.gc_ms)) AS h, count(*) AS n FROM mozdata.telemetry.main";
    const [first] = await engine.query(digest);
    const again = await DuckDbEngine.open(":memory:");
    for (const sql of syntheticTelemetrySql(options)) await again.execute(sql, "demo");
    expect(await again.query(digest)).toEqual([first]);
    await again.close();
  });

  it("holds the injected effects: slower GC in treatment, slower first paint on new Nightly builds", async () => {
    const gc = await engine.query(`
      SELECT mozfun.map.get_key(environment.experiments, 'gc-tuning-experiment').branch AS branch,
        sum(CAST(json_extract(payload.histograms.gc_ms, '$.sum') AS DOUBLE)) / count(*) AS per_ping
      FROM mozdata.telemetry.main GROUP BY 1 HAVING branch IS NOT NULL ORDER BY 1`);
    const [control, treatment] = gc.map((r) => Number(r["per_ping"]));
    expect(treatment! / control!).toBeGreaterThan(1.15);
    const paint = await engine.query(`
      SELECT application.build_id >= '20261107' AS after, avg(payload.processes.parent.scalars.timestamps_first_paint) AS ms
      FROM mozdata.telemetry.main WHERE normalized_channel = 'nightly' GROUP BY 1 ORDER BY 1`);
    const [before, after] = paint.map((r) => Number(r["ms"]));
    expect(after! / before!).toBeGreaterThan(1.2);
  });

  it("refuses bad options with a clear message", () => {
    expect(() => syntheticTelemetrySql({ ...options, endDate: "2026-10-01" })).toThrow(/endDate 2026-10-01 is before startDate 2026-11-01/);
    expect(() => syntheticTelemetrySql({ ...options, clients: 0 })).toThrow(/clients must be a whole number above 0/);
    expect(() => syntheticTelemetrySql({ ...options, startDate: "2026-02-30x" })).toThrow(/startDate must be a YYYY-MM-DD date/);
  });
});
