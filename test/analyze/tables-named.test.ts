import { describe, expect, it } from "vitest";
import { tablesNamed } from "../../src/analyze/prepare-duckdb.js";

describe("the tables a from expression names", () => {
  it.each([
    ["mozdata.telemetry.main", ["mozdata.telemetry.main"]],
    ["`moz-fx-data-shared-prod.telemetry.main` AS m", ["moz-fx-data-shared-prod.telemetry.main"]],
    ["(SELECT * FROM moz-fx-data-shared-prod.fenix.baseline p WHERE sample_id = 0)", ["moz-fx-data-shared-prod.fenix.baseline"]],
    [
      "(SELECT * FROM mozdata.telemetry.events e JOIN `mozdata`.telemetry.main USING (client_id) CROSS JOIN UNNEST(e.x) AS y)",
      ["mozdata.telemetry.events", "mozdata.telemetry.main"],
    ],
    ["(WITH t AS (SELECT 1) SELECT * FROM t)", []],
  ])("%s", (from, names) => {
    expect(tablesNamed(`SELECT 1 FROM ${from}`)).toEqual(names);
  });
});
