import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDbEngine } from "../../src/engines/duckdb/duckdb-engine.js";
import { translateBigQueryToDuckDb } from "../../src/sql/translate/translate-bigquery-to-duckdb.js";

describe("UDF macros the corpus calls", () => {
  let engine: DuckDbEngine;
  beforeAll(async () => {
    engine = await DuckDbEngine.open(":memory:");
  });
  afterAll(() => engine.close());
  const one = async (bigquery: string) => {
    const [row] = await engine.query(`SELECT CAST(${translateBigQueryToDuckDb(bigquery, "test")} AS VARCHAR) AS v`);
    return row?.["v"];
  };

  it("reads both Fenix build id formats as BigQuery's UDF does", async () => {
    expect(await one(`mozfun.norm.fenix_build_to_datetime("21571434")`)).toBe("2020-06-05 14:34:00");
    expect(await one(`mozfun.norm.fenix_build_to_datetime("00010000")`)).toBe("2018-01-01 00:00:00");
    expect(await one(`mozfun.norm.fenix_build_to_datetime("93652359")`)).toBe("2027-12-31 23:59:00");
    expect(await one(`mozfun.norm.fenix_build_to_datetime("2015757667")`)).toBe("2020-08-13 04:00:00");
    expect(await one(`mozfun.norm.fenix_build_to_datetime("0000000001")`)).toBe("2014-12-28 00:00:00");
    expect(await one(`mozfun.norm.fenix_build_to_datetime("2147483648")`)).toBe("2014-12-28 00:00:00"); // only the low 20 bits count
    expect(await one(`mozfun.norm.fenix_build_to_datetime("12345")`)).toBeNull();
  });

  it("normalises operating systems and names Windows releases", async () => {
    const os = await Promise.all(
      ["Windows_NT", "Darwin", "Linux", "FreeBSD", "iOS", "Android", "Plan9"].map((o) => one(`mozfun.norm.os("${o}")`)),
    );
    expect(os).toEqual(["Windows", "Mac", "Linux", "Linux", "iOS", "Android", "Other"]);
    expect(await one(`mozfun.norm.windows_version_info("Windows_NT", "10.0", 22631)`)).toBe("Windows 11");
    expect(await one(`mozfun.norm.windows_version_info("Windows_NT", "10.0", 19045)`)).toBe("Windows 10");
    expect(await one(`mozfun.norm.windows_version_info("Windows_NT", "6.1", NULL)`)).toBe("Windows 7");
    expect(await one(`mozfun.norm.windows_version_info("Darwin", "23.0", NULL)`)).toBeNull();
  });

  it("resolves the shared project's UDFs to the same macros", async () => {
    const sql = "`moz-fx-data-shared-prod`.udf.get_key([STRUCT('a' AS key, 1 AS value)], 'a')";
    expect(translateBigQueryToDuckDb(sql, "test")).toContain("udf.get_key(");
    expect(await one(sql)).toBe("1");
  });

  it("sums a keyed histogram's key from its JSON string, as the main ping stores it", async () => {
    const crashes = `[STRUCT('gpu' AS key, '{"bucket_count":3,"histogram_type":4,"sum":7,"range":[1,2],"values":{"0":0,"1":7}}' AS value),
      STRUCT('plugin' AS key, '{"sum":2,"values":{"1":2}}' AS value)]`;
    expect(await one(`\`moz-fx-data-shared-prod\`.udf.keyed_histogram_get_sum(${crashes}, 'gpu')`)).toBe("7");
    expect(await one(`udf.keyed_histogram_get_sum(${crashes}, 'plugin')`)).toBe("2");
    expect(await one(`udf.keyed_histogram_get_sum(${crashes}, 'content')`)).toBeNull();
  });
});
