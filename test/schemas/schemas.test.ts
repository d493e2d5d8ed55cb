import { DuckDBInstance } from "@duckdb/node-api";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readSchemaFile, SchemaFileError } from "../../src/schemas/bigquery-schema.js";
import { duckDbCreateTable, duckDbType } from "../../src/schemas/duckdb-ddl.js";
import { MOZILLA_UDFS } from "../../src/schemas/mozilla-udfs.js";
import { canonicalTableName, SchemaCatalog } from "../../src/schemas/schema-catalog.js";
import { fieldType, parseSqlType } from "../../src/schemas/sql-type.js";
import { zetaType } from "../../src/schemas/zetasql-catalog.js";
import { ROOT } from "../helpers/cli.js";

const FIXTURES = join(ROOT, "test", "fixtures", "schemas");
const scratch = mkdtempSync(join(tmpdir(), "opmon-schemas-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("table names", () => {
  it.each([
    [["`moz-fx-data-shared-prod.telemetry.main`"], "moz-fx-data-shared-prod.telemetry.main"],
    [["`moz-fx-data-shared-prod`", "telemetry", "main"], "moz-fx-data-shared-prod.telemetry.main"],
    [["MOZDATA", "telemetry", "main"], "mozdata.telemetry.main"],
    [["telemetry.main"], "moz-fx-data-shared-prod.telemetry.main"],
    [["main"], undefined],
    [["a..b"], undefined],
  ])("%j is %s", (parts, canonical) => {
    expect(canonicalTableName(parts)).toBe(canonical);
  });
});

describe("the schema catalog", () => {
  const catalog = new SchemaCatalog([FIXTURES]);

  it("finds a vendored, compressed schema and its nested fields", () => {
    const main = catalog.find("mozdata.telemetry.main");
    expect(main?.file).toMatch(/mozdata\/telemetry\/main\.json\.gz$/);
    const payload = main?.fields.find((f) => f.name === "payload");
    expect(payload?.type).toBe("RECORD");
    expect(payload?.fields?.find((f) => f.name === "histograms")?.fields?.find((f) => f.name === "gc_ms")?.type).toBe("STRING");
  });

  it("reads mozdata and moz-fx-data-shared-prod as twins, and two-part names in the shared project", () => {
    // only the shared-prod file of clients_daily is absent or present: either spelling finds a schema
    expect(catalog.find("`moz-fx-data-shared-prod`.telemetry.clients_daily")?.fields.length).toBeGreaterThan(100);
    expect(catalog.find("telemetry.clients_daily")?.name).toBe("moz-fx-data-shared-prod.telemetry.clients_daily");
    expect(catalog.find("mozdata.telemetry.no_such_table")).toBeUndefined();
  });

  it("takes a config repository's schemas before later roots, in the bq show --format=json shape too", () => {
    const root = join(scratch, "schemas");
    mkdirSync(join(root, "mozdata", "telemetry"), { recursive: true });
    writeFileSync(join(root, "mozdata", "telemetry", "main.json"), JSON.stringify({ schema: { fields: [{ name: "client_id", type: "STRING" }] } }));
    const own = new SchemaCatalog([root, FIXTURES]);
    expect(own.find("mozdata.telemetry.main")?.fields).toEqual([{ name: "client_id", type: "STRING" }]);
  });

  it("names the file and the field of a schema that is not one", () => {
    const file = join(scratch, "bad.json");
    writeFileSync(file, JSON.stringify([{ name: "a", type: "RECORD", mode: "NULLABLE" }]));
    expect(() => readSchemaFile(file)).toThrow(SchemaFileError);
    expect(() => readSchemaFile(file)).toThrow(`${file}: [0] (a) is a RECORD without fields`);
    writeFileSync(file, "{ not json");
    expect(() => readSchemaFile(file)).toThrow(`${file}: not JSON`);
  });
});

describe("types", () => {
  it("parses every Mozilla UDF signature's types", () => {
    for (const udf of MOZILLA_UDFS)
      for (const t of [...udf.args.map((a) => a.type).filter((a) => a !== "ANY TYPE"), ...(udf.returns ? [udf.returns] : [])])
        expect(() => parseSqlType(t), `${udf.names[0]}: ${t}`).not.toThrow();
    expect(parseSqlType("STRUCT<`range` ARRAY<INT64>, values ARRAY<STRUCT<key INT64, value INT64>>>")).toEqual({
      kind: "struct",
      fields: [
        { name: "range", type: { kind: "array", element: { kind: "scalar", name: "INT64" } } },
        {
          name: "values",
          type: { kind: "array", element: { kind: "struct", fields: [{ name: "key", type: { kind: "scalar", name: "INT64" } }, { name: "value", type: { kind: "scalar", name: "INT64" } }] } },
        },
      ],
    });
  });

  it("maps BigQuery types to ZetaSQL's and DuckDB's", () => {
    const repeated = fieldType({ name: "xs", type: "INTEGER", mode: "REPEATED" });
    expect(duckDbType(repeated)).toBe("BIGINT[]");
    expect(zetaType(repeated)).toEqual({ typeKind: "TYPE_ARRAY", arrayType: { elementType: { typeKind: "TYPE_INT64" } } });
    expect(duckDbType(parseSqlType("NUMERIC"))).toBe("DECIMAL(38, 9)");
    expect(zetaType(parseSqlType("FLOAT"))).toEqual({ typeKind: "TYPE_DOUBLE" });
  });

  it("creates DuckDB tables shaped like the real ones, nested paths and all", async () => {
    const connection = await (await DuckDBInstance.create(":memory:")).connect();
    await connection.run("ATTACH ':memory:' AS mozdata");
    const main = new SchemaCatalog([FIXTURES]).find("mozdata.telemetry.main");
    if (!main) throw new Error("no main schema");
    for (const sql of duckDbCreateTable(main)) await connection.run(sql);
    const reader = await connection.runAndReadAll(
      "SELECT typeof(payload.histograms.gc_ms) AS gc, typeof(environment.settings.user_prefs) AS prefs, typeof(submission_timestamp) AS ts FROM mozdata.telemetry.main",
    );
    expect(reader.columnNames()).toEqual(["gc", "prefs", "ts"]);
    const described = await connection.runAndReadAll("SELECT column_type FROM (DESCRIBE mozdata.telemetry.main) WHERE column_name = 'client_id'");
    expect(described.getRowObjectsJson()).toEqual([{ column_type: "VARCHAR" }]);
  });
});
