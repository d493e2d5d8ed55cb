import { DuckDBInstance } from "@duckdb/node-api";
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DuckDbEngine } from "../../src/engines/duckdb/duckdb-engine.js";
import { WarehouseBusyError } from "../../src/engines/duckdb/warehouse-lock.js";

const dir = mkdtempSync(join(tmpdir(), "opmon-duckdb-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const table = { dataset: "operational_monitoring_derived", table: "demo_v1" };
const day = (date: string, rows: number, extra = "") =>
  `SELECT DATE '${date}' AS submission_date, 'c' || i AS client_id, i * 1.0 AS value${extra} FROM range(${rows}) AS t(i)`;

describe("DuckDB engine", () => {
  it("replaces a day's partition and leaves the other days alone", async () => {
    const engine = await DuckDbEngine.open(join(dir, "a.duckdb"));
    try {
      expect(await engine.writePartition(table, "2026-11-01", day("2026-11-01", 3), "metrics")).toEqual({ rows: 3 });
      await engine.writePartition(table, "2026-11-02", day("2026-11-02", 2), "metrics");
      await engine.writePartition(table, "2026-11-01", day("2026-11-01", 5), "metrics");
      const counts = await engine.query(
        `SELECT CAST(submission_date AS VARCHAR) AS d, count(*) AS n FROM ${table.dataset}.${table.table} GROUP BY 1 ORDER BY 1`,
      );
      expect(counts).toEqual([
        { d: "2026-11-01", n: "5" },
        { d: "2026-11-02", n: "2" },
      ]);
    } finally {
      await engine.close();
    }
  });

  it("adds a column for a new metric; older rows keep NULL", async () => {
    const engine = await DuckDbEngine.open(join(dir, "b.duckdb"));
    try {
      await engine.writePartition(table, "2026-11-01", day("2026-11-01", 2), "metrics");
      await engine.writePartition(table, "2026-11-02", day("2026-11-02", 2, ", 7 AS crashes"), "metrics");
      const rows = await engine.query(
        `SELECT CAST(submission_date AS VARCHAR) AS d, max(crashes) AS c FROM ${table.dataset}.${table.table} GROUP BY 1 ORDER BY 1`,
      );
      expect(rows).toEqual([
        { d: "2026-11-01", c: null },
        { d: "2026-11-02", c: 7 },
      ]);
    } finally {
      await engine.close();
    }
  });

  it("keeps the old partition whole when the new day's query fails halfway", async () => {
    const engine = await DuckDbEngine.open(join(dir, "c.duckdb"));
    try {
      await engine.writePartition(table, "2026-11-01", day("2026-11-01", 4), "metrics");
      const failing = `SELECT DATE '2026-11-01' AS submission_date, 'c' AS client_id, CAST(CASE WHEN i < 3 THEN '1' ELSE 'x' END AS DOUBLE) AS value FROM range(5) AS t(i)`;
      await expect(engine.writePartition(table, "2026-11-01", failing, "metrics")).rejects.toThrow(/Conversion Error/);
      expect(await engine.query(`SELECT count(*) AS n FROM ${table.dataset}.${table.table}`)).toEqual([{ n: "4" }]);
    } finally {
      await engine.close();
    }
  });

  it("refuses a second run on the same warehouse with a message, and frees it on close", async () => {
    const path = join(dir, "d.duckdb");
    const first = await DuckDbEngine.open(path);
    await expect(DuckDbEngine.open(path)).rejects.toThrow(WarehouseBusyError);
    await expect(DuckDbEngine.open(path)).rejects.toThrow(/is in use by another opmon run \(pid \d+ since/);
    await first.close();
    const second = await DuckDbEngine.open(path);
    await second.close();
  });

  it("installs the macro pack, estimates rows scanned, and writes a file any DuckDB client reads", async () => {
    const path = join(dir, "e.duckdb");
    const engine = await DuckDbEngine.open(path);
    await engine.execute("CREATE SCHEMA IF NOT EXISTS telemetry");
    await engine.execute(
      "CREATE TABLE telemetry.main AS SELECT i AS n, '{\"values\":{\"1\":2}}' AS h, [{'key': 'exp', 'value': {'branch': 'b'}}] AS experiments FROM range(1000) AS t(i)",
    );
    expect(
      await engine.query(
        "SELECT mozfun.map.get_key(experiments, 'exp').branch AS branch, mozfun.hist.extract(h).values[1].value AS v FROM mozdata.telemetry.main LIMIT 1",
      ),
    ).toEqual([{ branch: "b", v: "2" }]);
    expect(await engine.estimate("SELECT count(*) FROM mozdata.telemetry.main")).toEqual({ rows: 1000 });
    await engine.writePartition(table, "2026-11-01", day("2026-11-01", 1), "metrics");
    await engine.execute(`CREATE OR REPLACE VIEW ${table.dataset}.demo AS SELECT * FROM ${table.dataset}.${table.table}`);
    await engine.close();
    const plain = await (await DuckDBInstance.create(path)).connect();
    expect((await plain.runAndReadAll(`SELECT client_id FROM ${table.dataset}.demo`)).getRowObjectsJson()).toEqual([{ client_id: "c0" }]);
    plain.closeSync();
  });
});

describe("the warehouse lock", () => {
  it("takes over an empty lock left by a run killed while writing it", async () => {
    const path = join(dir, "f.duckdb");
    writeFileSync(`${path}.lock`, "");
    utimesSync(`${path}.lock`, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const engine = await DuckDbEngine.open(path);
    await engine.close();
    writeFileSync(`${path}.lock`, "");
    await expect(DuckDbEngine.open(path)).rejects.toThrow(WarehouseBusyError); // a fresh empty lock is being written
  });
});
