import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";

function capture() {
  const stdout: string[] = [];
  const stderr: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (stdout.push(String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => (stderr.push(String(chunk)), true));
  return { stdout: () => stdout.join(""), stderr: () => stderr.join("") };
}

afterEach(() => vi.restoreAllMocks());

describe("opmon sql", () => {
  it("prints every query of the day in run order", async () => {
    const io = capture();
    expect(await main(["sql", "tab-unloading-rollout", "--date", "2026-10-20", "--dialect", "duckdb"])).toBe(0);
    const headers = io.stdout().split("\n").filter((l) => l.startsWith("-- "));
    expect(headers.map((h) => h.split(/[ :]/)[1])).toEqual(["metrics", "metrics_view", "statistics", "statistics_view", "comparisons", "comparisons_view", "alerts", "alerts_view", "projects"]);
  });

  it("writes one file per query with --out", async () => {
    capture();
    const dir = mkdtempSync(join(tmpdir(), "opmon-sql-"));
    expect(await main(["sql", "gc-tuning-experiment", "--date", "2026-10-20", "--out", dir])).toBe(0);
    const files = readdirSync(dir).sort();
    expect(files[0]).toBe("gc-tuning-experiment-01-metrics-2026-10-20.sql");
    expect(readFileSync(join(dir, files[0] ?? ""), "utf8")).toMatch(/^WITH/);
    // metrics, statistics, comparisons (two branches), alerts, each with its view, then projects
    expect(files).toHaveLength(9);
  });

  it.each([
    [["sql", "gc-tuning-experment", "--date", "2026-10-20"], 'did you mean "gc-tuning-experiment"?', 1],
    [["sql", "gc-tuning-experiment", "--date", "2026-02-30"], '--date must be a date as YYYY-MM-DD, not "2026-02-30" (see opmon sql --help)', 2],
    [["sql", "gc-tuning-experiment"], "--date is required (YYYY-MM-DD)", 2],
    [["sql", "gc-tuning-experiment", "--date", "2026-10-20", "--dialect", "postgres"], "not one of bigquery, duckdb", 2],
  ] as const)("%j fails with one line: %s (exit %i)", async (argv, message, code) => {
    const io = capture();
    expect(await main(argv)).toBe(code);
    expect(io.stderr()).toContain(message);
    expect(io.stderr().trim().split("\n")).toHaveLength(1);
  });
});
