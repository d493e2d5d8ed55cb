import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDbEngine } from "../../src/engines/duckdb/duckdb-engine.js";

// A DuckDB statement that prepares but fails on a row (a cast of a bad string): the error names the
// output column whose expression failed and that expression, on one line, not DuckDB's excerpt and caret.

describe("DuckDB errors at run time", () => {
  let engine: DuckDbEngine;
  beforeAll(async () => {
    engine = await DuckDbEngine.open(":memory:");
    await engine.raw.run("CREATE TABLE main AS SELECT 'c1' AS client_id, DATE '2026-11-05' AS submission_date, 'release' AS channel, '12' AS gc_ms UNION ALL SELECT 'c2', DATE '2026-11-05', 'beta', 'n/a'");
  });
  afterAll(() => engine.close());

  // as the compiler writes DuckDB SQL for a run: one line, many columns on either side
  const others = Array.from({ length: 25 }, (_, i) => `COUNT(*) + ${i} AS other_${i}`).join(", ");
  const select = `SELECT submission_date, client_id, ANY_VALUE(channel) AS channel, ${others}, SUM(CAST(gc_ms AS BIGINT)) AS gc_ms, ${others.replaceAll("other_", "after_")} FROM main GROUP BY ALL`;

  it("names the probe column and its expression when a write fails on a row", async () => {
    const failure = await engine.writePartition({ dataset: "om", table: "metrics" }, "2026-11-05", select, "metrics").then(
      () => undefined,
      (e: unknown) => e as Error & { column?: string },
    );
    expect(failure).toBeInstanceOf(Error);
    expect(failure?.message).toBe(
      "Conversion Error: Could not convert string 'n/a' to INT64 when casting from source column gc_ms (in gc_ms: SUM(CAST(gc_ms AS BIGINT)))",
    );
    expect(failure?.column).toBe("gc_ms");
    // the failed write left nothing behind, and the engine takes the next statement
    expect(await engine.query("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = 'metrics'")).toEqual([{ n: "0" }]);
  });

  it("finds the column in a statement laid out on many lines, and a dimension as well as a probe", async () => {
    const sql = `CREATE TABLE t AS\nSELECT\n  client_id,\n  CAST(channel AS INTEGER) + 1 AS channel_number,\n  1 AS one\nFROM main`;
    const failure = await engine.execute(sql, "dimensions").then(
      () => undefined,
      (e: unknown) => e as Error & { column?: string },
    );
    expect(failure?.message).toMatch(/^Conversion Error: Could not convert string '(release|beta)' to INT32.* \(in channel_number: CAST\(channel AS INTEGER\) \+ 1\)$/);
    expect(failure?.column).toBe("channel_number");
  });

  it("keeps DuckDB's first line when it points at no column", async () => {
    const failure = await engine.execute("SELECT * FROM no_such_table", "x").then(
      () => undefined,
      (e: unknown) => e as Error & { column?: string },
    );
    expect(failure?.message).toMatch(/^Catalog Error: Table with name no_such_table does not exist!/);
    expect(failure?.message).not.toContain("\n");
    expect(failure?.column).toBeUndefined();
  });
});
