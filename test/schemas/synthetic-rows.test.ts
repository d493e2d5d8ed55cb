import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";
import type { BigQueryField, TableSchema } from "../../src/schemas/bigquery-schema.js";
import { duckDbCreateTable } from "../../src/schemas/duckdb-ddl.js";
import { syntheticRowsSql, type SyntheticRowsOptions } from "../../src/schemas/synthetic-rows.js";
import { valueHints } from "../../src/schemas/value-hints.js";

const map = (name: string, value: string): BigQueryField => ({
  name,
  type: "RECORD",
  mode: "REPEATED",
  fields: [
    { name: "key", type: "STRING" },
    { name: "value", type: value },
  ],
});

// the shapes of the real main ping and Glean tables, cut down
const schema: TableSchema = {
  name: "mozdata.telemetry.main",
  file: "main.json",
  fields: [
    { name: "client_id", type: "STRING" },
    { name: "submission_timestamp", type: "TIMESTAMP" },
    { name: "sample_id", type: "INTEGER" },
    { name: "normalized_channel", type: "STRING" },
    { name: "application", type: "RECORD", fields: [{ name: "build_id", type: "STRING" }] },
    {
      name: "environment",
      type: "RECORD",
      fields: [
        {
          name: "experiments",
          type: "RECORD",
          mode: "REPEATED",
          fields: [
            { name: "key", type: "STRING" },
            { name: "value", type: "RECORD", fields: [{ name: "branch", type: "STRING" }, { name: "enrollment_id", type: "STRING" }] },
          ],
        },
      ],
    },
    {
      name: "payload",
      type: "RECORD",
      fields: [
        { name: "histograms", type: "RECORD", fields: [{ name: "gc_ms", type: "STRING" }] },
        { name: "keyed_histograms", type: "RECORD", fields: [map("subprocess_crashes_with_dump", "STRING")] },
        { name: "info", type: "RECORD", fields: [{ name: "session_length", type: "INTEGER" }, { name: "addons", type: "STRING", mode: "REPEATED" }] },
      ],
    },
    {
      name: "metrics",
      type: "RECORD",
      fields: [
        {
          name: "timing_distribution",
          type: "RECORD",
          fields: [
            {
              name: "paint_ms",
              type: "RECORD",
              fields: [{ name: "sum", type: "INTEGER" }, { ...map("values", "INTEGER"), fields: [{ name: "key", type: "INTEGER" }, { name: "value", type: "INTEGER" }] }],
            },
          ],
        },
      ],
    },
    { name: "active", type: "BOOLEAN" },
  ],
};

const options: SyntheticRowsOptions = {
  clients: 50,
  dates: ["2026-11-04", "2026-11-05"],
  seed: 7,
  experiments: [{ slug: "tcp-rollout", branches: ["control", "treatment"] }],
  hints: valueHints("SELECT udf.keyed_histogram_get_sum(payload.keyed_histograms.subprocess_crashes_with_dump, 'gpu') WHERE normalized_channel = 'beta' AND sample_id = 52"),
};

describe("schema-driven synthetic rows", () => {
  let connection: DuckDBConnection;
  const rows = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJson();
  beforeAll(async () => {
    connection = await (await DuckDBInstance.create(":memory:")).connect();
    await connection.run("ATTACH ':memory:' AS mozdata");
    for (const sql of duckDbCreateTable(schema)) await connection.run(sql);
    await connection.run(syntheticRowsSql(schema, options));
  });

  it("has a row per client and day, dated on the day, with sample ids and build ids of the week before", async () => {
    expect(
      await rows(`SELECT COUNT(*) AS n, COUNT(DISTINCT client_id) AS clients, COUNT(DISTINCT sample_id) AS samples,
        COUNT(DISTINCT (client_id, sample_id)) AS one_sample_per_client, MIN(CAST(submission_timestamp AS DATE)) AS first, MAX(CAST(submission_timestamp AS DATE)) AS last,
        MIN(strptime(application.build_id, '%Y%m%d%H%M%S')) >= TIMESTAMP '2026-10-28' AS young_builds
        FROM mozdata.telemetry.main`),
    ).toEqual([{ n: "100", clients: "50", samples: expect.any(String), one_sample_per_client: "50", first: "2026-11-04", last: "2026-11-05", young_builds: true }]);
  });

  it("enrolls every client in the experiments, each in one branch on every day", async () => {
    const branches = await rows(`SELECT client_id, list_filter(environment.experiments, e -> e.key = 'tcp-rollout')[1].value.branch AS branch
      FROM mozdata.telemetry.main`);
    const byClient = new Map<string, Set<unknown>>();
    for (const r of branches) byClient.set(String(r["client_id"]), (byClient.get(String(r["client_id"])) ?? new Set()).add(r["branch"]));
    expect([...byClient.values()].every((b) => b.size === 1)).toBe(true);
    expect(new Set(branches.map((r) => r["branch"]))).toEqual(new Set(["control", "treatment"]));
  });

  it("writes histograms as the JSON the main ping holds, their sum matching their buckets", async () => {
    const histograms = await rows(`SELECT payload.histograms.gc_ms AS h FROM mozdata.telemetry.main
      UNION ALL SELECT e.value FROM (SELECT unnest(payload.keyed_histograms.subprocess_crashes_with_dump) AS e FROM mozdata.telemetry.main)`);
    expect(histograms.length).toBeGreaterThan(100);
    for (const { h } of histograms) {
      const parsed = JSON.parse(String(h)) as { sum: number; values: Record<string, number> };
      expect(parsed.sum).toBe(Object.entries(parsed.values).reduce((s, [bucket, count]) => s + Number(bucket) * count, 0));
    }
  });

  it("gives maps the keys queries look up, and channels the values they compare with", async () => {
    const [seen] = await rows(`SELECT
      COUNT(*) FILTER (WHERE len(list_filter(payload.keyed_histograms.subprocess_crashes_with_dump, e -> e.key = 'gpu')) > 0) AS gpu,
      COUNT(*) FILTER (WHERE normalized_channel = 'beta') AS beta,
      COUNT(*) FILTER (WHERE len(payload.info.addons) > 0) AS addons,
      bool_and(list_sort(list_transform(metrics.timing_distribution.paint_ms.values, v -> v.key)) = [0, 1, 2, 4, 8, 16, 64, 256]
        OR len(metrics.timing_distribution.paint_ms.values) < 8) AS buckets,
      COUNT(DISTINCT active) AS booleans,
      COUNT(DISTINCT client_id) FILTER (WHERE sample_id = 52) AS sampled
      FROM mozdata.telemetry.main`);
    // a map key is there in about three rows in four, a channel in one in five
    expect(Number(seen?.["gpu"])).toBeGreaterThan(50);
    expect(Number(seen?.["beta"])).toBeGreaterThan(5);
    expect(Number(seen?.["addons"])).toBeGreaterThan(30);
    expect(seen?.["buckets"]).toBe(true);
    expect(seen?.["booleans"]).toBe("2");
    expect(Number(seen?.["sampled"])).toBeGreaterThan(10);
  });

  it("is deterministic: the same seed gives the same rows, another seed others", async () => {
    const digest = async (seed: number) => {
      await connection.run("DELETE FROM mozdata.telemetry.main");
      await connection.run(syntheticRowsSql(schema, { ...options, seed }));
      return (await rows("SELECT md5(string_agg(CAST(t AS VARCHAR), '|' ORDER BY client_id, submission_timestamp)) AS d FROM mozdata.telemetry.main AS t"))[0]?.["d"];
    };
    const first = await digest(7);
    expect(await digest(7)).toBe(first);
    expect(await digest(8)).not.toBe(first);
  });
});

describe("value hints", () => {
  it("pairs each string literal with the name it is compared with or looked up in", () => {
    const hints = valueHints(
      "SELECT CASE WHEN os IN ('Linux', 'Darwin') THEN 'x' END, mozfun.map.get_key(environment.experiments, 'tcp-rollout') " +
        `FROM t WHERE "normalized_channel" = 'it''s' AND country LIKE 'K%' AND e.key = 'gpu' AND sample_id IN (1, 2) AND n > 3 + f(x, 4)`,
    );
    expect(Object.fromEntries(hints)).toEqual({
      os: ["Linux", "Darwin"],
      experiments: ["tcp-rollout"],
      normalized_channel: ["it's"],
      country: ["K"],
      key: ["gpu"],
      sample_id: ["1", "2"],
    });
  });
});
