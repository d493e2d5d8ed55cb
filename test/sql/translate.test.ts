import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { duckdbMacroStatements } from "../../src/sql/duckdb-macros.js";
import { translateBigQueryToDuckDb as translate } from "../../src/sql/translate/translate-bigquery-to-duckdb.js";

describe("BigQuery to DuckDB translation", () => {
  it.each([
    ["`moz-fx-data-shared-prod.telemetry.main`", '"moz-fx-data-shared-prod".telemetry.main'],
    ['COUNTIF(x = "a")', "count_if(x = 'a')"],
    ["SAFE_CAST(x AS INT64)", "TRY_CAST(x AS BIGINT)"],
    ["CAST(x AS ARRAY<STRUCT<a STRING, b FLOAT64>>)", "CAST(x AS STRUCT(a VARCHAR, b DOUBLE)[])"],
    ["SAFE.SUBSTR(b, 0, 8)", "TRY(substr(b, 1, 8))"],
    ["a[OFFSET(1)] + a[SAFE_OFFSET(i)] + a[ORDINAL(2)] + a[3]", "a[(1) + 1] + a[(i) + 1] + a[2] + a[(3) + 1]"],
    ["ARRAY_AGG(x IGNORE NULLS)", "list_filter(list(x), lambda v: v IS NOT NULL)"],
    ["STRUCT(x AS k, y)", "struct_pack(k := x, y := y)"],
    ["LOGICAL_OR(a) AND LOGICAL_AND(b)", "bool_or(a) AND bool_and(b)"],
    ["SAFE_DIVIDE(a, b)", "((a) / NULLIF(b, 0))"],
    ["REGEXP_CONTAINS(s, r'^\\d+$')", "regexp_matches(s, '^\\d+$')"],
    ["DATE_SUB(d, INTERVAL 3 DAY)", "CAST((d) - INTERVAL 3 DAY AS DATE)"],
    ["DATE_DIFF(a, b, DAY)", "date_diff('day', b, a)"],
    ["SELECT * EXCEPT (a) FROM t WHERE x IN UNNEST(l)", "SELECT * EXCLUDE (a) FROM t WHERE x IN (SELECT UNNEST(l))"],
    ["'it\\'s' # note", "'it''s' /* note */"],
    // spaced calls, comments inside calls, unquoted dashed projects: DuckDB rejected these before
    ["STRUCT (x AS k)", "struct_pack(k := x)"],
    ["SAFE_CAST (x AS INT64)", "TRY_CAST(x AS BIGINT)"],
    ["ARRAY_AGG (x IGNORE NULLS)", "list_filter(list(x), lambda v: v IS NOT NULL)"],
    ["COALESCE(a, -- the fallback\n b -- last\n)", "COALESCE(a, /* the fallback */\n b /* last */)"],
    ["SELECT 1 FROM moz-fx-data-shared-prod.telemetry.main", 'SELECT 1 FROM "moz-fx-data-shared-prod".telemetry.main'],
    ["moz-fx-data-shared-prod.firefox_desktop.newtab_clients_daily", '"moz-fx-data-shared-prod".firefox_desktop.newtab_clients_daily'],
    ["SUM(a-b.c)", "SUM(a-b.c)"],
    ["TO_HEX(MD5(client_id))", "md5(client_id)"],
  ])("%s", (bigquery, duck) => {
    expect(translate(bigquery, "probe p")).toBe(duck);
  });

  it.each([
    ["STRUCT<a INT64>(1)", "STRUCT<...> typed literals"],
    ["mozfun.norm.no_such_udf(x)", "the UDF mozfun.norm.no_such_udf"],
    ["x IN UNNEST(a) WITH OFFSET", "WITH OFFSET"],
    ["@param", "query parameter @param"],
    ["f(a", 'unclosed "("'],
    ["'open", "unterminated string"],
    ["MOD(FARM_FINGERPRINT(client_id), 10)", "FARM_FINGERPRINT"],
    ["HLL_COUNT.MERGE(sketch)", "HLL_COUNT.MERGE"],
    ["NORMALIZE_AND_CASEFOLD(s)", "NORMALIZE_AND_CASEFOLD"],
    ["EXTRACT(WEEK FROM d)", "EXTRACT(WEEK"],
  ])("%s is an error naming the construct and the origin", (bigquery, construct) => {
    expect(() => translate(bigquery, "dimension os")).toThrow(`dimension os: cannot translate`);
    expect(() => translate(bigquery, "dimension os")).toThrow(construct);
  });

  it("translated expressions give BigQuery's answers on DuckDB", async () => {
    const connection = await (await DuckDBInstance.create(":memory:")).connect();
    for (const sql of duckdbMacroStatements()) await connection.run(sql);
    const expressions = {
      sub: "SAFE.SUBSTR('20261001123456', 0, 8)",
      second: "SPLIT('a,b,c')[OFFSET(1)]",
      missing: "[1, 2][SAFE_OFFSET(5)]",
      ratio: "SAFE_DIVIDE(1, 0)",
      nat: "ROUND(LOG(EXP(2)), 6)",
      countif: "(SELECT COUNTIF(x > 1) FROM UNNEST([1, 2, 3]) AS x)",
      // an unnested struct's fields, unqualified (with or without an alias) and through an alias with or without AS
      fields: "(SELECT SUM(value) FROM UNNEST([STRUCT(1 AS key, 2 AS value), STRUCT(3 AS key, 4 AS value)]))",
      unused: "(SELECT SUM(value * key) FROM UNNEST([STRUCT(1 AS key, 2 AS value), STRUCT(3 AS key, 4 AS value)]) extras)",
      aliased: "(SELECT SUM(e.value * e.key) FROM UNNEST([STRUCT(1 AS key, 2 AS value), STRUCT(3 AS key, 4 AS value)]) e)",
      grouped:
        "(SELECT MAX(n) FROM (SELECT v.key AS key, COUNT(*) AS n FROM UNNEST([STRUCT('a' AS key, 1 AS value), STRUCT('a' AS key, 2 AS value)]) AS v GROUP BY key))",
      joined: "(SELECT STRING_AGG(values.key || '=' || values.value, ',') FROM (SELECT [STRUCT('a' AS key, 'b' AS value)] AS m) CROSS JOIN UNNEST(m) values)",
      whole: "(SELECT MAX(e) FROM (SELECT [5, 6] AS l) AS t, UNNEST(t.l) AS e)",
      hist: `mozfun.hist.extract('{"values": {"2": 5, "1": 3}}').values[OFFSET(0)].value`,
      key: "mozfun.map.get_key([STRUCT('a' AS key, 7 AS value)], \"a\")",
      day: "DATE_ADD(DATE '2026-10-01', INTERVAL 1 DAY)",
      // BigQuery: Sunday is 1, Saturday 7
      sunday: "EXTRACT(DAYOFWEEK FROM DATE '2026-11-29')",
      saturday: "EXTRACT(DAYOFWEEK FROM DATE '2026-11-28')",
      // RFC 1321's test vector
      md5: "TO_HEX(MD5('abc'))",
      md5bytes: "TO_HEX(IF(TRUE, MD5('abc'), NULL))",
      epoch: "CAST(TIMESTAMP_SECONDS(86400) AS STRING)",
      unixday: "DATE_FROM_UNIX_DATE(1)",
    };
    const select = Object.entries(expressions).map(([k, v]) => `${translate(v, `test ${k}`)} AS ${k}`).join(", ");
    const reader = await connection.runAndReadAll(`SELECT ${select}`);
    expect(reader.getRowObjectsJson()).toEqual([
      {
        sub: "20261001",
        second: "b",
        missing: null,
        ratio: null,
        nat: 2,
        countif: "2",
        fields: "6",
        unused: "14",
        aliased: "14",
        grouped: "2",
        joined: "a=b",
        whole: 6,
        hist: "3",
        key: 7,
        day: "2026-10-02",
        sunday: "1",
        saturday: "7",
        md5: "900150983cd24fb0d6963f7d28e17f72",
        md5bytes: "900150983cd24fb0d6963f7d28e17f72",
        epoch: expect.stringMatching(/^1970-01-02 00:00:00/),
        unixday: "1970-01-02",
      },
    ]);
  });
});
