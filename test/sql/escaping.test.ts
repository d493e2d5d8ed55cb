import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { bigquery, duckdb } from "../../src/sql/dialects/index.js";
import { translateBigQueryToDuckDb } from "../../src/sql/translate/translate-bigquery-to-duckdb.js";

const NASTY = ["';DROP TABLE x;--", "line\nbreak", "back`tick", 'double"quote', "back\\slash", "semi;colon", "tab\there"];

describe("BigQuery escaping, byte for byte", () => {
  it("escapes string literals with backslashes", () => {
    expect(bigquery.string("';DROP TABLE x;--")).toBe("'\\';DROP TABLE x;--'");
    expect(bigquery.string("a\nb")).toBe("'a\\nb'");
    expect(bigquery.string("a`b")).toBe("'a`b'");
    expect(bigquery.string("a\\'b")).toBe("'a\\\\\\'b'");
    expect(bigquery.string("bell\x07")).toBe("'bell\\x07'");
  });

  it("quotes identifiers with backticks, escaping backticks and newlines", () => {
    expect(bigquery.quoteIdent("a`b")).toBe("`a\\`b`");
    expect(bigquery.quoteIdent("x\ny")).toBe("`x\\ny`");
    expect(bigquery.ident("gc_ms")).toBe("gc_ms");
    expect(bigquery.ident("select")).toBe("`select`");
    expect(bigquery.ident("28_day")).toBe("`28_day`");
  });

  it("round-trips every nasty value through the BigQuery tokenizer", () => {
    // the translator decodes GoogleSQL literals, so a literal that decodes to the input cannot have broken out
    for (const value of NASTY) expect(translateBigQueryToDuckDb(bigquery.string(value), "test")).toBe(duckdb.string(value));
  });
});

describe("DuckDB escaping, byte for byte", () => {
  it("doubles quotes and keeps everything else literal", () => {
    expect(duckdb.string("';DROP TABLE x;--")).toBe("''';DROP TABLE x;--'");
    expect(duckdb.string("a\nb")).toBe("'a\nb'");
    expect(duckdb.string("a\\b")).toBe("'a\\b'");
    expect(duckdb.quoteIdent('a"b')).toBe('"a""b"');
    expect(duckdb.quoteIdent("a`b")).toBe('"a`b"');
  });

  it("refuses NUL characters and empty identifiers in both dialects", () => {
    for (const d of [bigquery, duckdb]) {
      expect(() => d.string("a\0b")).toThrow(/NUL/);
      expect(() => d.quoteIdent("")).toThrow(/empty/);
    }
  });

  it("DuckDB reads back exactly the nasty values as literals and as column names", async () => {
    const connection = await (await DuckDBInstance.create(":memory:")).connect();
    for (const value of NASTY) {
      const reader = await connection.runAndReadAll(`SELECT ${duckdb.string(value)} AS ${duckdb.quoteIdent(value)}`);
      expect(reader.getRowObjectsJson()).toEqual([{ [value]: value }]);
    }
  });

  it("rejects dates that could carry SQL", () => {
    for (const d of [bigquery, duckdb]) expect(() => d.date("2026-10-01' OR '1'='1")).toThrow(/not a date/);
  });
});
