import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outputColumns, ZetaSqlServer } from "../../src/analyze/zetasql-server.js";
import { zetaCatalog } from "../../src/schemas/zetasql-catalog.js";

// The analysis decodes ZetaSQL's answers without their scans and expressions. What it reads of them
// (the output columns a later statement's catalog is built from) must be what the package's own
// client decodes from the whole answer.

describe("ZetaSQL answers decoded without scans and expressions", () => {
  let server: ZetaSqlServer;
  beforeAll(async () => {
    server = (await ZetaSqlServer.start()) as ZetaSqlServer;
  }, 60_000);
  afterAll(() => server?.stop());

  const struct = { typeKind: "TYPE_STRUCT", structType: { field: [{ fieldName: "a", fieldType: { typeKind: "TYPE_INT64" } }, { fieldName: "b", fieldType: { typeKind: "TYPE_ARRAY", arrayType: { elementType: { typeKind: "TYPE_STRING" } } } }] } };
  const columns = [
    { name: "client_id", type: { typeKind: "TYPE_STRING" } },
    { name: "n", type: { typeKind: "TYPE_INT64" } },
    { name: "s", type: struct },
  ];
  const statements = [
    "SELECT client_id, SUM(n) AS total, ARRAY_AGG(s.a) AS as_, ARRAY_CONCAT_AGG(s.b) AS bs FROM p.d.t GROUP BY 1",
    "CREATE OR REPLACE TABLE p.d.out AS WITH x AS (SELECT client_id, STRUCT(COUNT(*) AS c, AVG(n) AS m) AS st FROM p.d.t GROUP BY 1) SELECT * FROM x UNION ALL SELECT * FROM x",
    "CREATE TABLE IF NOT EXISTS p.d.meta (slug STRING, days ARRAY<DATE>, info STRUCT<a INT64, b STRING>)",
    "CREATE OR REPLACE VIEW p.d.v AS SELECT s.a AS a, (SELECT MAX(x) FROM UNNEST(s.b) AS x) AS top FROM p.d.t",
    "INSERT INTO p.d.t (client_id, n) SELECT client_id, n + 1 FROM p.d.t",
  ];

  it.each(statements)("gives the columns the whole answer gives: %s", async (sql) => {
    const catalog = zetaCatalog([{ path: ["p", "d", "t"], columns }], server.languageOptions, []);
    const lean = await server.analyze(sql, catalog);
    const client = createRequire(import.meta.url)("@fivetrandevelopers/zetasql").ZetaSQLClient.getInstance();
    const whole = await client.analyze({ sqlStatement: sql, simpleCatalog: catalog, options: { languageOptions: server.languageOptions, errorMessageMode: "ERROR_MESSAGE_ONE_LINE", pruneUnusedColumns: true } });
    expect(lean.ok).toBe(true);
    expect(lean.ok && lean.columns).toEqual(outputColumns(whole.resolvedStatement) ?? []);
  });

  it("keeps the columns of a statement, not an empty list", async () => {
    const catalog = zetaCatalog([{ path: ["p", "d", "t"], columns }], server.languageOptions, []);
    const lean = await server.analyze(statements[1] as string, catalog);
    expect(lean.ok && lean.columns.map((c) => c.name)).toEqual(["client_id", "st"]);
  });
});
