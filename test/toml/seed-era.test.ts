import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resolveConfigDir } from "../../src/graph/resolve-config-dir.js";
import { planDay } from "../../src/sql/plan-day.js";
import { importToml, writeModules } from "../../src/toml/import-toml.js";
import { isAggregate } from "../../src/toml/seed-probe.js";
import { TEST_SCRATCH } from "../helpers/cli.js";
import { fixtureWarehouse, rows, type CrashPing, type MainPing } from "../sql/duckdb-fixture.js";

const fixtures = join(import.meta.dirname, "fixtures");
mkdirSync(TEST_SCRATCH, { recursive: true });
const work = mkdtempSync(join(TEST_SCRATCH, "seed-era-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const DAY = "2026-10-05";
const main: MainPing[] = [
  { day: DAY, client: "a", pref: true, os: "Linux", activeTicks: 100, histograms: { gc_ms: { 1: 3, 10: 1 } } },
  { day: DAY, client: "a", pref: true, os: "Linux", activeTicks: 50, histograms: { gc_ms: { 10: 4 } } },
  { day: DAY, client: "b", pref: false, os: "Windows_NT", activeTicks: 30, histograms: { gc_ms: { 100: 2 } } },
];
const crashes: CrashPing[] = [
  { day: DAY, client: "a", processType: "main" },
  { day: DAY, client: "a", processType: null },
  { day: DAY, client: "a", processType: "content" },
  { day: DAY, client: "b", processType: "content" },
];

/** Imports a fixture, validates it as `opmon validate` does, and runs its one project's day on DuckDB. */
async function importAndRun(name: string) {
  const result = await importToml(join(fixtures, name));
  expect(result.issues.filter((i) => i.severity === "error")).toEqual([]);
  const dir = join(work, name);
  writeModules(dir, result.modules);
  const resolved = await resolveConfigDir(dir, { typeCheck: true });
  expect(resolved.issues).toEqual([]);
  const graph = resolved.projects[0]?.graph;
  if (!graph) throw new Error("no graph");
  const connection = await fixtureWarehouse(main, crashes);
  for (const query of planDay(graph, DAY, { dialect: "duckdb" })) await connection.run(query.sql);
  return { result, graph, connection };
}

describe("seed-era [probes], both shapes upstream ran", () => {
  it("tells an aggregate expression from a per-row one", () => {
    expect(isAggregate("SUM(IF(payload.process_type = 'main', 1, 0))")).toBe(true);
    expect(isAggregate("COALESCE(sum(x), 0)")).toBe(true);
    expect(isAggregate("ARRAY_AGG(mozfun.hist.extract(payload.histograms.gc_ms) IGNORE NULLS)")).toBe(true);
    expect(isAggregate("payload.histograms.gc_ms")).toBe(false);
    expect(isAggregate("SAFE_CAST(SPLIT(event_string_value, ',')[OFFSET(1)] AS NUMERIC)")).toBe(false);
    // a subquery over an array is still one value per row
    expect(isAggregate("(SELECT SUM(v) FROM UNNEST(payload.values) AS v)")).toBe(false);
    // a column named like an aggregate is not a call
    expect(isAggregate("payload.count")).toBe(false);
  });

  it("aggregates per-row expressions (spring 2022) once per client", async () => {
    const { result, graph, connection } = await importAndRun("seed-era-bare");
    expect(graph.probes.map((p) => [p.name, p.select])).toEqual([
      ["active_ticks", "SUM(payload.processes.parent.scalars.browser_engagement_active_ticks)"],
      ["gc_ms", "ARRAY_AGG(mozfun.hist.extract(payload.histograms.gc_ms) IGNORE NULLS)"],
    ]);
    expect(result.notices.join("\n")).toContain("probes.active_ticks: seed-era probe mapped to a metric: select SUM(");
    const got = await rows(
      connection,
      "SELECT client_id, branch, CAST(active_ticks AS INTEGER) AS active_ticks FROM operational_monitoring.tab_unloading ORDER BY client_id",
    );
    expect(got).toEqual([
      { client_id: "a", branch: "enabled", active_ticks: 150 },
      { client_id: "b", branch: "disabled", active_ticks: 30 },
    ]);
  }, 60_000);

  it("uses aggregate expressions (late summer 2022) as written, not aggregated twice", async () => {
    const { result, graph, connection } = await importAndRun("seed-era-aggregated");
    expect(graph.probes.map((p) => p.select)).toEqual([
      "SUM(IF(payload.process_type = 'main' OR payload.process_type IS NULL, 1, 0))",
      "COALESCE(SUM(IF(payload.process_type = 'content', 1, 0)), 0)",
      "ARRAY_AGG(mozfun.hist.extract(payload.histograms.gc_ms) IGNORE NULLS)",
    ]);
    expect(result.notices.join("\n")).toContain(
      "probes.main_crashes: seed-era probe mapped to a metric: its select already aggregates, kept as written",
    );
    const got = await rows(
      connection,
      "SELECT client_id, branch, CAST(main_crashes AS INTEGER) AS main_crashes, CAST(content_crashes AS INTEGER) AS content_crashes FROM operational_monitoring.tab_unloading ORDER BY client_id",
    );
    expect(got).toEqual([
      { client_id: "a", branch: "enabled", main_crashes: 2, content_crashes: 1 },
      { client_id: "b", branch: "disabled", main_crashes: 0, content_crashes: 1 },
    ]);
    const stats = await rows(
      connection,
      "SELECT DISTINCT metric, statistic FROM operational_monitoring.tab_unloading_statistics ORDER BY 1",
    );
    expect(stats).toEqual([
      { metric: "content_crashes", statistic: "percentile" },
      { metric: "gc_ms", statistic: "percentile" },
      { metric: "main_crashes", statistic: "percentile" },
    ]);
  }, 60_000);
});
